// `sre-kit check`: asks a health endpoint and says what it answered, with the exit code monitoring
// plugins use (Nagios, Icinga, Sensu): 0 pass, 1 warn, 2 fail or unreachable, 3 unknown answer.
import { healthJsonBodySchema, type HealthJsonBody } from '../../health/index.js';
import { EXIT, oneLine, parseCommandLine, parseDuration, textTable, usageError, type CliIo } from '../io.js';

export const CHECK_HELP = `Usage: sre-kit check <url> [options]

Asks a health endpoint and renders its answer: an application/health+json body (sre-kit's /health,
or any IETF health-check response) check by check, or a probe's text answer (/livez, /readyz,
/startupz) with its HTTP status.

Options:
  --timeout <duration>  give up after this long (default 5s)
  --json                print JSON
  -h, --help            this help

Exit codes (as monitoring plugins use them): 0 pass, 1 warn, 2 fail or unreachable,
3 an answer that is neither, 64 usage.`;

const STATUS_EXIT = { pass: 0, warn: 1, fail: 2, unknown: 3 } as const;
type Verdict = keyof typeof STATUS_EXIT;

interface CheckResult {
  readonly url: string;
  readonly status: Verdict;
  readonly httpStatus: number | null;
  /** What was read: `health+json`, `probe` text, or why nothing was. */
  readonly format: 'health+json' | 'probe' | 'none';
  readonly message: string;
  readonly checks: ReadonlyArray<{ name: string; status: string; observed?: string; output?: string }>;
}

/** Runs `sre-kit check`. */
export async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { timeout: { type: 'string' } }, 1);
  if (values.help === true) {
    io.stdout(`${CHECK_HELP}\n`);
    return EXIT.ok;
  }
  const target = positionals[0];
  if (target === undefined) throw usageError('missing the URL: sre-kit check <url>');
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw usageError(`${JSON.stringify(target)} is not a URL (e.g. http://localhost:3000/health)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usageError(`${target}: only http and https URLs can be checked`);
  const timeoutMs = values.timeout === undefined ? 5_000 : parseDuration(values.timeout);
  if (timeoutMs === undefined)
    throw usageError(`--timeout ${JSON.stringify(values.timeout)}: expected e.g. 5s`);

  const result = await check(url, timeoutMs);
  if (values.json === true) io.stdout(`${JSON.stringify({ ok: result.status !== 'unknown', ...result })}\n`);
  else {
    const head = `${result.status.toUpperCase()} ${url.href}${result.httpStatus === null ? '' : ` (HTTP ${result.httpStatus})`}: ${result.message}`;
    const table =
      result.checks.length === 0
        ? ''
        : `\n${textTable(
            ['check', 'status', 'observed', 'output'],
            result.checks.map((c) => [c.name, c.status, c.observed ?? '', c.output ?? '']),
          )}`;
    io.stdout(`${head}${table}\n`);
  }
  return STATUS_EXIT[result.status];
}

async function check(url: URL, timeoutMs: number): Promise<CheckResult> {
  const base = { url: url.href, checks: [] };
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/health+json, application/json;q=0.9, text/plain;q=0.8' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'follow',
    });
    text = await response.text();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const name = (error as { name?: string }).name;
    const why =
      name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? oneLine(String(error)));
    return { ...base, status: 'fail', httpStatus: null, format: 'none', message: `unreachable: ${why}` };
  }
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/health+json' || type === 'application/json') {
    const body = parseHealthJson(text);
    if (body !== undefined) return fromHealthJson(url, response.status, body);
  }
  if (type === 'text/plain') return fromProbeText(url, response.status, text);
  return {
    ...base,
    status: 'unknown',
    httpStatus: response.status,
    format: 'none',
    message: `not a health answer (content-type ${type === '' ? 'none' : type})`,
  };
}

function parseHealthJson(text: string): HealthJsonBody | undefined {
  try {
    const parsed = healthJsonBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function fromHealthJson(url: URL, httpStatus: number, body: HealthJsonBody): CheckResult {
  const checks = Object.entries(body.checks ?? {}).flatMap(([name, entries]) =>
    entries.map((entry) => ({
      name: entry.componentId === undefined ? name : `${name} (${entry.componentId})`,
      status: entry.status,
      ...(entry.observedValue === undefined
        ? {}
        : {
            observed: `${JSON.stringify(entry.observedValue)}${entry.observedUnit === undefined ? '' : ` ${entry.observedUnit}`}`,
          }),
      ...(entry.output === undefined ? {} : { output: oneLine(entry.output) }),
    })),
  );
  const failing = checks.filter((c) => c.status !== 'pass').map((c) => c.name);
  const service = body.serviceId ?? body.description ?? url.host;
  const message =
    failing.length === 0
      ? `${service}: ${checks.length} check${checks.length === 1 ? '' : 's'} pass`
      : `${service}: ${failing.join(', ')} ${failing.length === 1 ? 'is' : 'are'} not passing`;
  return { url: url.href, status: body.status, httpStatus, format: 'health+json', message, checks };
}

// Kubernetes-style probe text: `ok`, or `[+]name ok` / `[-]name failed: reason` lines and a verdict.
function fromProbeText(url: URL, httpStatus: number, text: string): CheckResult {
  const checks = text
    .split('\n')
    .map((line) => /^\[([+-])\](\S+) (ok|warn|failed)(?::\s*(.*))?$/.exec(line.trim()))
    .filter((match) => match !== null)
    .map(([, , name = '', word = '', output]) => ({
      name,
      status: word === 'ok' ? 'pass' : word === 'warn' ? 'warn' : 'fail',
      ...(output === undefined ? {} : { output }),
    }));
  const status: Verdict =
    httpStatus >= 200 && httpStatus < 300
      ? checks.some((c) => c.status === 'warn') || /passed with warnings/.test(text)
        ? 'warn'
        : 'pass'
      : httpStatus >= 500
        ? 'fail'
        : 'unknown';
  const message =
    oneLine(
      text
        .split('\n')
        .filter((line) => !line.startsWith('['))
        .join('\n') || text,
    ) || '(empty)';
  return { url: url.href, status, httpStatus, format: 'probe', message, checks };
}
