import { z } from 'zod';

/** Open after `count` failures in a row (a success resets the run). */
export interface ConsecutiveFailureThreshold {
  readonly kind: 'consecutive';
  /** Failures in a row that open the circuit. */
  readonly count: number;
}

/** Open when the failure ratio over a sliding window reaches `ratio`, once it holds `minimumCalls`. */
export interface RateFailureThreshold {
  readonly kind: 'rate';
  /** The failure ratio (0 < ratio <= 1) that opens the circuit: failures / calls >= ratio. */
  readonly ratio: number;
  /**
   * Calls the window must hold before the ratio is trusted; from then on the ratio is checked after
   * every call, a success included (19 failures then 1 success at 0.5 / 20 opens).
   * @default 20
   */
  readonly minimumCalls?: number;
  /**
   * The sliding window, in ms, cut into 10 slices that rotate lazily (no timer).
   * @default 10_000
   */
  readonly windowMs?: number;
}

/** Open when too many calls are slow, even if they succeed. */
export interface SlowCallOptions {
  /** A call taking at least this long, in ms, is slow (successful or not). */
  readonly thresholdMs: number;
  /** The slow-call ratio (0 < ratio <= 1) that opens the circuit: slow / calls >= ratio. */
  readonly ratio: number;
  /**
   * Calls the slow-call window must hold before the ratio is trusted; from then on the ratio is checked
   * after every call, a fast one included (3 slow then 1 fast at 0.5 / 4 opens).
   * @default 20
   */
  readonly minimumCalls?: number;
  /**
   * The slow-call sliding window, in ms (10 lazily rotated slices).
   * @default 10_000
   */
  readonly windowMs?: number;
}

/** Options for `createCircuitBreaker`. */
export interface CircuitBreakerOptions<F = never> {
  /**
   * Names the breaker in errors, events, stats, metrics, health checks and internal-error reports.
   * Required: two unnamed breakers would share one metric series and one status entry.
   * @example 'payments'
   */
  readonly name: string;
  /**
   * When the closed circuit opens: after `count` consecutive failures, or when the failure ratio over a
   * window reaches `ratio`.
   * @default { kind: 'consecutive', count: 5 }
   * @example { kind: 'rate', ratio: 0.5, minimumCalls: 20, windowMs: 10_000 }
   */
  readonly failureThreshold?: ConsecutiveFailureThreshold | RateFailureThreshold;
  /**
   * Also open when the share of slow calls reaches a ratio; `false` turns it off.
   * @default false
   * @example { thresholdMs: 1_000, ratio: 0.5 }
   */
  readonly slowCall?: SlowCallOptions | false;
  /**
   * How long the circuit stays open before letting probes through (half-open), in ms.
   * @default 30_000
   */
  readonly openMs?: number;
  /**
   * How many probe calls the half-open circuit lets through; all must succeed (and not be slow) to
   * close it, and the first failure re-opens it.
   * @default 1
   */
  readonly halfOpenProbes?: number;
  /**
   * Fail a call still running after this many ms with a `TimeoutError` (a failure) and abort its
   * signal; `false` for no limit.
   * @default false
   */
  readonly timeoutMs?: number | false;
  /**
   * Tells which errors are the downstream's failures. An error it returns `false` for is ignored: it
   * counts neither as a failure nor as a success, is rethrown as it is, and gets no fallback (the
   * downstream answered; a 404 or a validation error is not an outage). sre-kit's own rejections and
   * errors after the caller's signal aborted are always ignored, without asking.
   * @default () => true
   */
  readonly isFailure?: (error: unknown) => boolean;
  /**
   * Produces the result instead of rejecting, when the call failed or the circuit rejected it. Not
   * used for ignored errors. A throw (or rejection) from it is what the call rejects with.
   * @default none: failures and rejections reject
   */
  readonly fallback?: (error: unknown) => F | PromiseLike<F>;
}

const positiveMs = z.number().gt(0).max(2_147_483_647);
const ratio = z.number().gt(0).max(1);
const count = z.number().int().min(1).max(1_000_000_000);
const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: 'a function' });

/** @internal The schema bound to {@link CircuitBreakerOptions} by a type test. */
export const circuitBreakerOptionsSchema = z.strictObject({
  name: z.string().min(1).max(200),
  failureThreshold: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('consecutive'), count }),
      z.strictObject({
        kind: z.literal('rate'),
        ratio,
        minimumCalls: count.default(20),
        windowMs: positiveMs.default(10_000),
      }),
    ])
    .default({ kind: 'consecutive', count: 5 }),
  slowCall: z
    // The object first: when an object is given, its own field errors are the ones reported.
    .union([
      z.strictObject({
        thresholdMs: positiveMs,
        ratio,
        minimumCalls: count.default(20),
        windowMs: positiveMs.default(10_000),
      }),
      z.literal(false),
    ])
    .default(false),
  openMs: positiveMs.default(30_000),
  halfOpenProbes: count.default(1),
  timeoutMs: z.union([z.literal(false), positiveMs]).default(false),
  isFailure: fn.optional(),
  fallback: fn.optional(),
});
