import { z } from 'zod';
import { parseOptions, resolveDeps, type Clock, type Deps } from '../core/index.js';
import { RollingCounter } from './rolling-counter.js';

/** Options for {@link createRetryBudget}. */
export interface RetryBudgetOptions {
  /**
   * Retries allowed per request in the window: 0.1 lets retries add at most 10% load.
   * @default 0.1
   */
  readonly ratio?: number;
  /**
   * Retries per second always allowed, however few requests there are (so a quiet service can still
   * retry); over the window this is a floor of `minPerSecond * windowMs / 1000` retries.
   * @default 10
   */
  readonly minPerSecond?: number;
  /**
   * The sliding window requests and retries are counted over, in ms (10 lazily rotated slices).
   * @default 10_000
   */
  readonly windowMs?: number;
}

/** @internal The schema bound to {@link RetryBudgetOptions} by a type test. */
export const retryBudgetOptionsSchema = z.strictObject({
  ratio: z.number().min(0).max(1000).default(0.1),
  minPerSecond: z.number().min(0).max(1_000_000).default(10),
  windowMs: z.number().gt(0).max(2_147_483_647).default(10_000),
});

/** Counters of a retry budget over its current window, and refusals since creation. */
export interface RetryBudgetStats {
  /** Requests counted in the window. */
  readonly requests: number;
  /** Retries granted in the window. */
  readonly retries: number;
  /** Retries the window still allows: `ratio * requests + floor - retries`, at least 0. */
  readonly available: number;
  /** Retries refused since creation. */
  readonly refused: number;
}

/**
 * Caps retries across every retry policy sharing it at `ratio` × requests + a floor over a sliding
 * window, so retries cannot multiply load during an outage (Finagle's and gRPC's retry budget).
 */
export interface RetryBudget {
  /** Counts one request (a retry policy calls it once per `execute`). */
  recordRequest(): void;
  /** Takes one retry if the budget allows it; false means do not retry. */
  tryAcquire(): boolean;
  /** The current window's counts. */
  stats(): RetryBudgetStats;
}

class Budget implements RetryBudget {
  readonly #clock: Clock;
  readonly #window: RollingCounter;
  readonly #ratio: number;
  readonly #floor: number;
  #refused = 0;

  constructor(ratio: number, floor: number, windowMs: number, clock: Clock) {
    this.#clock = clock;
    this.#ratio = ratio;
    this.#floor = floor;
    this.#window = new RollingCounter(windowMs, clock.now());
  }

  recordRequest(): void {
    this.#window.record(this.#clock.now(), false);
  }

  tryAcquire(): boolean {
    const now = this.#clock.now();
    if (this.#window.bad(now) + 1 > this.#ratio * this.#window.calls(now) + this.#floor) {
      this.#refused++;
      return false;
    }
    this.#window.recordBad(now);
    return true;
  }

  stats(): RetryBudgetStats {
    const now = this.#clock.now();
    const requests = this.#window.calls(now);
    const retries = this.#window.bad(now);
    return {
      requests,
      retries,
      available: Math.max(0, Math.floor(this.#ratio * requests + this.#floor - retries)),
      refused: this.#refused,
    };
  }
}

/**
 * Creates a retry budget to share between retry policies (`budget` option): each retry must fit in
 * `ratio` × requests in the window plus `minPerSecond` × window seconds.
 *
 * @example
 * ```ts
 * const budget = createRetryBudget({ ratio: 0.1, minPerSecond: 10, windowMs: 10_000 });
 * const retry = createRetryPolicy({ retries: 3, budget });
 * ```
 * @throws {ConfigError} naming each bad option.
 */
export function createRetryBudget(options?: RetryBudgetOptions, deps?: Deps): RetryBudget {
  const { ratio, minPerSecond, windowMs } = parseOptions(
    retryBudgetOptionsSchema,
    options ?? {},
    'createRetryBudget',
  );
  const { clock } = resolveDeps(deps);
  return new Budget(ratio, (minPerSecond * windowMs) / 1000, windowMs, clock);
}
