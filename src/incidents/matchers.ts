// Alertmanager's label matchers: `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"`.
// Regexes are anchored at both ends, as in Alertmanager. Parsed once, when a router is created.

/** A parsed label matcher. */
export interface LabelMatcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  /** Whether `labels` satisfy it (a missing label counts as the empty string). */
  matches(labels: Readonly<Record<string, string>>): boolean;
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/** Parses one matcher; returns a message saying what is wrong when it is not one. */
export function parseMatcher(text: string): LabelMatcher | string {
  const match = MATCHER.exec(text);
  if (match === null) return 'a matcher like severity="critical", service=~"api|web" or env!="dev"';
  const [, name, op, raw] = match as unknown as [string, string, LabelMatcher['op'], string];
  let value = raw;
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"')) return `a closing quote in ${text}`;
    try {
      value = JSON.parse(raw) as string;
    } catch {
      return `a valid quoted value in ${text}`;
    }
  }
  if (op === '=' || op === '!=') {
    const equal = op === '=';
    return { name, op, value, matches: (labels) => ((labels[name] ?? '') === value) === equal };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${value})$`, 'u');
  } catch (error) {
    return `a valid regular expression in ${text} (${(error as Error).message})`;
  }
  const positive = op === '=~';
  return { name, op, value, matches: (labels) => regex.test(labels[name] ?? '') === positive };
}
