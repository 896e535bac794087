// Alertmanager's label matchers: `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"`.
// Regexes are anchored at both ends, as in Alertmanager. Parsed once, when a router is created.

/** A parsed label matcher. */
export interface LabelMatcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  /** Whether `labels` satisfy it (a missing label counts as the empty string). */
  matches(labels: Readonly<Record<string, string>>): boolean;
  /** Whether one value of its label satisfies it: `matches` without building a labels object. */
  test(value: string): boolean;
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/su;

// What an unquoted value may not contain: whitespace, braces, the operators' characters, comma,
// backslash and quotes (the characters Alertmanager's own matcher lexer reserves). A value holding
// any of them must be double-quoted. Without this rule a typo is read as part of the value:
// `severity=="critical` became severity = '="critical', a matcher no alert ever satisfies.
const RESERVED = /[\s{}!=~,\\"'`]/u;

/** Parses one matcher; returns what was expected, naming the problem, when it is not one. */
export function parseMatcher(text: string): LabelMatcher | string {
  const match = MATCHER.exec(text);
  if (match === null) return 'a matcher like severity="critical", service=~"api|web" or env!="dev"';
  const [, name, op, raw] = match as unknown as [string, string, LabelMatcher['op'], string];
  const value = parseValue(raw);
  if (typeof value !== 'string') return value.expected;
  if (op === '=' || op === '!=') {
    const equal = op === '=';
    const test = (v: string): boolean => (v === value) === equal;
    return { name, op, value, test, matches: (labels) => test(labels[name] ?? '') };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${value})$`, 'u');
  } catch (error) {
    return `a valid regular expression (${(error as Error).message})`;
  }
  const positive = op === '=~';
  const test = (v: string): boolean => regex.test(v) === positive;
  return { name, op, value, test, matches: (labels) => test(labels[name] ?? '') };
}

// A value is one double-quoted string (JSON escapes), nothing after it, or an unquoted run of
// characters none of which is reserved.
function parseValue(raw: string): string | { readonly expected: string } {
  if (raw === '') return { expected: 'a value after the operator (write "" for the empty string)' };
  if (raw.startsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return { expected: 'one "double-quoted" value, its closing quote last, inner quotes escaped as \\"' };
    }
  }
  const reserved = RESERVED.exec(raw)?.[0];
  if (reserved === undefined) return raw;
  const shown = /\s/u.test(reserved) ? 'whitespace' : `'${reserved}'`;
  return {
    expected: `the value in double quotes: unquoted it may not hold ${shown} (reserved: whitespace and {}!=~,\\"'\`)`,
  };
}
