// A tiny YAML writer for the plain data the exporters produce (objects, arrays, strings, numbers,
// booleans). Every string is quoted, so no value can be mistaken for a number, a boolean or a comment:
// single quotes for printable ASCII (PromQL stays readable, only ' is doubled), otherwise double
// quotes with JSON escapes, which YAML reads back exactly. Kept although the agent protocol depends on
// the `yaml` package: it is 70 lines, `sre-kit/slo` stays free of that dependency, and its always-quoted
// output is what YAML 1.1 readers (Prometheus) need; test/property/slo-yaml.test.ts has `yaml` read back
// whatever it writes, under YAML 1.2 and 1.1.

type Yaml = string | number | boolean | null | readonly Yaml[] | { readonly [key: string]: Yaml | undefined };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
// Words YAML 1.1 readers (Go's yaml.v2 among them) turn into booleans or null.
const RESERVED = /^(?:y|n|yes|no|true|false|on|off|null)$/i;
// YAML 1.1 readers take an exponent without digits before it (`e0`, `e-5`) for a float.
const FLOAT_LIKE = /^[eE]-?[0-9]+$/;

/** Renders `value` as block-style YAML, ending with a newline. */
export function toYaml(value: unknown): string {
  return `${render(value as Yaml, 0).join('\n')}\n`;
}

function scalar(value: Yaml): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (isList(value)) return value.length === 0 ? '[]' : undefined;
  return Object.keys(definedEntries(value)).length === 0 ? '{}' : undefined;
}

function quote(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? `'${text.replaceAll("'", "''")}'` : JSON.stringify(text);
}

function isList(value: object): value is readonly Yaml[] {
  return Array.isArray(value);
}

function definedEntries(value: { readonly [key: string]: Yaml | undefined }): Record<string, Yaml> {
  const out: Record<string, Yaml> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = item;
  return out;
}

function render(value: Yaml, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const simple = scalar(value);
  if (simple !== undefined) return [`${pad}${simple}`];
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value as readonly Yaml[]) {
      const inner = scalar(item);
      if (inner !== undefined) {
        lines.push(`${pad}- ${inner}`);
        continue;
      }
      // "- " followed by the item's first line, the rest indented under it.
      const nested = render(item, indent + 2);
      lines.push(`${pad}- ${(nested[0] as string).slice(indent + 2)}`, ...nested.slice(1));
    }
    return lines;
  }
  for (const [key, item] of Object.entries(definedEntries(value as Record<string, Yaml>))) {
    const name = PLAIN_KEY.test(key) && !RESERVED.test(key) && !FLOAT_LIKE.test(key) ? key : quote(key);
    const inner = scalar(item);
    if (inner !== undefined) lines.push(`${pad}${name}: ${inner}`);
    else lines.push(`${pad}${name}:`, ...render(item, indent + 2));
  }
  return lines;
}
