// The command line: `npm run demo -- --duration 20 --port 8080 --interval 2 --out ./demo-output`.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** What the demo was asked to do. */
export interface DemoArgs {
  /** How long traffic and faults run, in seconds. */
  readonly durationS: number;
  /** The port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Seconds between two lines of the live view. */
  readonly intervalS: number;
  /** Where the reports are written (absolute). */
  readonly outDir: string;
  /** Requests per second the traffic generator aims for. */
  readonly rate: number;
}

export const USAGE = `Usage: npm run demo -- [options]

An Express service wired with every sre-kit primitive, under generated traffic and scheduled faults.

Options:
  --duration <s>   how long to run, in seconds (default 60; at least 8)
  --port <n>       port on 127.0.0.1 (default 0: a free port)
  --interval <s>   seconds between live view updates (default 2)
  --rate <n>       requests per second to generate (default 100)
  --out <dir>      where to write the JSON reports (default ./demo-output)
  -h, --help       show this help`;

/** A command line the demo cannot run with; main prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function number(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max)
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got "${text}"`);
  return value;
}

/**
 * Parses the demo's arguments; `undefined` means help was asked for.
 * @throws {UsageError} on an unknown option, a missing value or a value out of range.
 */
export function parseDemoArgs(argv: readonly string[]): DemoArgs | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: 'string' },
        port: { type: 'string' },
        interval: { type: 'string' },
        rate: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help === true) return undefined;
  const port = number('port', values.port, 0, 0, 65_535);
  if (!Number.isInteger(port)) throw new UsageError(`--port must be a whole number, got "${values.port}"`);
  return {
    // Below 8 s the fault phases would overlap and the breaker could not recover in time.
    durationS: number('duration', values.duration, 60, 8, 3_600),
    port,
    intervalS: number('interval', values.interval, 2, 0.5, 60),
    rate: number('rate', values.rate, 100, 1, 2_000),
    outDir: resolve(values.out ?? './demo-output'),
  };
}
