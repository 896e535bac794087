// What every command shares: where output goes, the error that ends a command with an exit code, and
// the number and duration formats a terminal reader expects.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command writes; the bin wires process.stdout and process.stderr, tests capture strings. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The environment (PATH, for finding promtool). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes shared by every command (`check` adds its own: 0 pass, 1 warn, 2 fail, 3 unknown). */
export const EXIT = {
  ok: 0,
  /** The command ran and failed: unreadable or invalid input, rules promtool rejects. */
  failed: 1,
  /** The command line itself is wrong: an unknown command or option, a missing or malformed value. */
  usage: 64,
} as const;

/** Ends a command: its one-line message goes to stderr (and to stdout as JSON with `--json`). */
export class CliError extends Error {
  readonly exitCode: number;
  /** A stable code for `--json` readers, e.g. `ERR_CLI_USAGE`. */
  readonly code: string;

  constructor(message: string, exitCode: number = EXIT.failed, code = 'ERR_CLI_FAILED') {
    super(message);
    this.exitCode = exitCode;
    this.code = code;
  }
}

/** A mistake on the command line: exit 64. */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage, 'ERR_CLI_USAGE');
}

/** A message on one line: a multi-line cause (YAML's code frame, promtool's report) keeps its first line. */
export function oneLine(text: string): string {
  const first = text.split('\n').find((line) => line.trim() !== '') ?? text;
  // A first line that introduces what follows ("... at line 2, column 1:") ends without its colon.
  return first.trim().replace(/:$/, '');
}

/** node:util's parseArgs with its errors as usage errors; `--help` and `--json` are every command's. */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: O,
  positionals: number,
) {
  try {
    const parsed = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } },
      allowPositionals: positionals > 0,
      strict: true,
    });
    if (parsed.positionals.length > positionals && (parsed.values as { help?: boolean }).help !== true)
      throw usageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals])}`);
    return parsed;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw usageError(oneLine(error instanceof Error ? error.message : String(error)));
  }
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['w', 7 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** Parses `30d`, `4w`, `90m`, `1.5h`, `500ms` into ms; undefined when it is not a positive duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (match === null) return undefined;
  const size = UNITS.find(([unit]) => unit === match[2])?.[1] ?? 0;
  const ms = Number(match[1]) * size;
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}

/** A duration for people: the two largest units, e.g. `2d 2h`, `43m 12s`, `850ms`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1_000) * 1_000;
  for (const [unit, size] of UNITS.slice(1, -1)) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** A ratio as a percentage with up to `digits` significant digits, e.g. `0.1%`, `23.3%`. */
export function percent(ratio: number, digits = 4): string {
  return `${Number((ratio * 100).toPrecision(digits))}%`;
}

/** A plain-text table: columns padded to their widest cell, two spaces apart. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** A GitHub-flavoured Markdown table; `|` in cells is escaped. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const line = (row: readonly string[]): string => `| ${row.map(cell).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}
