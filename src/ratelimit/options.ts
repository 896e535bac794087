import { z } from 'zod';

/** How a rate limiter decides. */
export type RateLimitAlgorithm = 'gcra' | 'sliding-window';

/** Options for `createRateLimiter`. */
export interface RateLimiterOptions {
  /**
   * `'gcra'` (the generic cell rate algorithm, as redis-cell and Rust's governor use): one number per
   * key, exact, no boundary bursts; in any span of `perMs` at most `rate + burst` are admitted, and a
   * client sending at exactly `rate` is never refused. `'sliding-window'`: the two-window weighted
   * counter (Cloudflare's), an approximation that admits while the estimate for the last `perMs` stays
   * within `rate + burst`; it can admit up to twice that in an unlucky span and, with `burst: 0`,
   * refuse a client at exactly `rate`.
   * @default 'gcra'
   */
  readonly algorithm?: RateLimitAlgorithm;
  /** How many requests (cost units) are allowed per `perMs`, sustained. */
  readonly rate: number;
  /**
   * The period `rate` is counted over, in ms.
   * @default 1_000
   */
  readonly perMs?: number;
  /**
   * Requests allowed on top of the steady pace. With GCRA, `burst + 1` requests can arrive at once
   * from an idle key and then one per `perMs / rate`; with the sliding window, the window's limit is
   * `rate + burst`.
   * @default 0
   */
  readonly burst?: number;
  /**
   * How many keys are tracked at once. Past it the least recently used key is forgotten (counted in
   * `stats().evicted` when it still had state), so outside-controlled keys cannot exhaust memory.
   * About 60 bytes per key plus the key string.
   * @default 100_000
   */
  readonly maxKeys?: number;
  /**
   * The policy's name in the `RateLimit` and `RateLimit-Policy` headers: 1 to 64 characters from
   * `A-Z a-z 0-9 . _ : -`.
   * @default 'default'
   */
  readonly policyName?: string;
}

const MAX_PERIOD_MS = 366 * 24 * 3_600_000;

/** @internal The schema bound to {@link RateLimiterOptions} by a type test. */
export const rateLimiterOptionsSchema = z
  .strictObject({
    algorithm: z.enum(['gcra', 'sliding-window']).default('gcra'),
    rate: z.number().gt(0).max(1e9),
    perMs: z.number().gt(0).max(MAX_PERIOD_MS).default(1_000),
    burst: z.number().int().min(0).max(1e9).default(0),
    maxKeys: z.number().int().min(1).max(10_000_000).default(100_000),
    policyName: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'a name of 1 to 64 characters from A-Z a-z 0-9 . _ : -')
      .default('default'),
  })
  .superRefine((options, ctx) => {
    // Below a microsecond per request float rounding of the arrival times would dominate.
    if (options.algorithm === 'sliding-window' && options.rate + options.burst < 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['rate'],
        message: 'a number >= 1 - burst: a sliding window must admit at least one request',
      });
    }
    // GCRA spaces requests by perMs / rate: below a microsecond, float rounding of times would dominate.
    if (options.algorithm === 'gcra' && options.perMs / options.rate < 1e-3) {
      ctx.addIssue({
        code: 'custom',
        path: ['rate'],
        message: `at most 1000 per ms (${options.perMs * 1000} per ${options.perMs} ms)`,
      });
    }
  });

/** The parsed options. */
export type ParsedRateLimiterOptions = z.output<typeof rateLimiterOptionsSchema>;
