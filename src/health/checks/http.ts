import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { parseOptions, resolveDeps, type Deps } from '../../core/index.js';
import type { HealthCheckDefinition, HealthCheckOutcome } from '../types.js';

/** Options for {@link http}. */
export interface HttpCheckOptions {
  /**
   * The `http:` or `https:` URL to request.
   * @example 'http://payments.internal:8080/livez'
   */
  readonly url: string;
  /**
   * The status code, or codes, that count as healthy.
   * @default any 2xx
   */
  readonly expectStatus?: number | readonly number[];
  /**
   * Give up after this many milliseconds (the registry's per-check timeout also applies: the shorter wins).
   * @default undefined (only the registry's timeout)
   */
  readonly timeoutMs?: number;
  /**
   * The request method.
   * @default 'GET'
   */
  readonly method?: 'GET' | 'HEAD';
  /**
   * Extra request headers, e.g. an authorization header.
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>>;
}

const statusCode = z.number().int().min(100).max(599);
/** The schema behind the options interface (bound to it by a type test). */
export const httpOptionsSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  expectStatus: z.union([statusCode, z.array(statusCode).min(1)]).optional(),
  timeoutMs: z.number().gt(0).max(2_147_483_647).optional(),
  method: z.enum(['GET', 'HEAD']).default('GET'),
  headers: z.record(z.string(), z.string()).default({}),
});

/**
 * A check that requests a URL and passes on the expected status, reporting the time to the response
 * headers as `responseTime` in `ms`. The request is aborted when the check times out; connections are
 * not pooled, so a hung dependency never holds a socket past its check.
 *
 * @example
 * ```ts
 * health.register('payments', checks.http({ url: 'http://payments.internal/livez', expectStatus: 200 }), {
 *   timeoutMs: 300,
 * });
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function http(options: HttpCheckOptions, deps?: Deps): HealthCheckDefinition {
  const parsed = parseOptions(httpOptionsSchema, options, 'checks.http');
  const { clock } = resolveDeps(deps);
  const url = new URL(parsed.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const expected = parsed.expectStatus;
  const accepts = (status: number): boolean =>
    expected === undefined
      ? status >= 200 && status < 300
      : typeof expected === 'number'
        ? status === expected
        : expected.includes(status);
  const { method, headers, timeoutMs } = parsed;

  return {
    componentType: 'component',
    measurement: 'responseTime',
    run({ signal }) {
      return new Promise<HealthCheckOutcome>((resolve, reject) => {
        const start = clock.now();
        let cancelTimer: (() => void) | undefined;
        const req = send(url, { method, headers, signal, agent: false }, (res) => {
          cancelTimer?.();
          const elapsed = clock.now() - start;
          // The body is not needed, and a server that never finishes it must not hold the socket open.
          res.on('error', () => {});
          res.destroy();
          const status = res.statusCode ?? 0;
          resolve(
            accepts(status)
              ? { status: 'pass', observedValue: elapsed, observedUnit: 'ms' }
              : {
                  status: 'fail',
                  observedValue: elapsed,
                  observedUnit: 'ms',
                  output: `unexpected HTTP status ${status}${describeRetryAfter(res.headers)}`,
                },
          );
        });
        req.on('error', (error) => {
          cancelTimer?.();
          reject(error);
        });
        if (timeoutMs !== undefined) {
          cancelTimer = clock.schedule(timeoutMs, () => {
            resolve({ status: 'fail', observedValue: timeoutMs, observedUnit: 'ms', output: 'timed out' });
            req.destroy();
          });
        }
        req.end();
      });
    },
  };
}

function describeRetryAfter(headers: IncomingHttpHeaders): string {
  const retryAfter = headers['retry-after'];
  return typeof retryAfter === 'string' ? ` (retry after ${retryAfter.slice(0, 32)})` : '';
}
