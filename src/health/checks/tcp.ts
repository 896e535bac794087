import { Socket } from 'node:net';
import { z } from 'zod';
import { parseOptions, resolveDeps, type Deps } from '../../core/index.js';
import { abortReason } from './shared.js';
import type { HealthCheckDefinition, HealthCheckOutcome } from '../types.js';

/** Options for {@link tcp}. */
export interface TcpCheckOptions {
  /**
   * The host name or IP address to connect to.
   * @example 'db.internal'
   */
  readonly host: string;
  /**
   * The TCP port.
   * @example 5432
   */
  readonly port: number;
  /**
   * Give up after this many milliseconds (the registry's per-check timeout also applies: the shorter wins).
   * @default undefined (only the registry's timeout)
   */
  readonly timeoutMs?: number;
}

/** The schema behind the options interface (bound to it by a type test). */
export const tcpOptionsSchema = z.strictObject({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65_535),
  timeoutMs: z.number().gt(0).max(2_147_483_647).optional(),
});

/**
 * A check that opens a TCP connection and closes it at once, reporting the connect time as
 * `responseTime` in `ms`: for dependencies without an HTTP health endpoint (databases, brokers).
 *
 * @example
 * ```ts
 * health.register('postgres', checks.tcp({ host: 'db.internal', port: 5432 }), { componentType: 'datastore' });
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function tcp(options: TcpCheckOptions, deps?: Deps): HealthCheckDefinition {
  const { host, port, timeoutMs } = parseOptions(tcpOptionsSchema, options, 'checks.tcp');
  const { clock } = resolveDeps(deps);
  return {
    componentType: 'component',
    measurement: 'responseTime',
    run({ signal }) {
      return new Promise<HealthCheckOutcome>((resolve, reject) => {
        const start = clock.now();
        const socket = new Socket();
        let cancelTimer: (() => void) | undefined;
        const onAbort = (): void => {
          socket.destroy();
          reject(abortReason(signal));
        };
        const cleanup = (): void => {
          cancelTimer?.();
          signal.removeEventListener('abort', onAbort);
          socket.destroy();
        };
        socket.once('connect', () => {
          const elapsed = clock.now() - start;
          cleanup();
          resolve({ status: 'pass', observedValue: elapsed, observedUnit: 'ms' });
        });
        socket.on('error', (error: Error) => {
          cleanup();
          reject(error);
        });
        signal.addEventListener('abort', onAbort, { once: true });
        if (timeoutMs !== undefined) {
          cancelTimer = clock.schedule(timeoutMs, () => {
            cleanup();
            resolve({ status: 'fail', observedValue: timeoutMs, observedUnit: 'ms', output: 'timed out' });
          });
        }
        socket.connect({ host, port });
      });
    },
  };
}
