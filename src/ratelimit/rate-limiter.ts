import {
  ConfigError,
  RateLimitedError,
  delay,
  describeValue,
  invoke,
  rejectWith,
  parseOptions,
  resolveDeps,
  type Clock,
  type Deps,
} from '../core/index.js';
import type { ExecuteContext, ExecuteOptions, Policy, Work } from '../resilience/index.js';
import { MutableDecision, type RateLimitDecision } from './decision.js';
import { Gcra } from './gcra.js';
import { KeyTable } from './key-table.js';
import {
  rateLimiterOptionsSchema,
  type ParsedRateLimiterOptions,
  type RateLimitAlgorithm,
  type RateLimiterOptions,
} from './options.js';
import { SlidingWindow } from './sliding-window.js';

/** A limiter's configuration as parsed, with the numbers its headers advertise. */
export interface RateLimitLimits {
  /** The algorithm deciding. */
  readonly algorithm: RateLimitAlgorithm;
  /** Requests (cost units) per `perMs`, sustained. */
  readonly rate: number;
  /** The period of `rate`, in ms. */
  readonly perMs: number;
  /** Requests allowed on top of the steady pace. */
  readonly burst: number;
  /** Cost units one request may take at most: `burst + 1` (GCRA) or `rate + burst` (sliding window). */
  readonly capacity: number;
  /** What `RateLimit-Policy` advertises per window: `rate` (GCRA) or `rate + burst` (sliding window). */
  readonly quota: number;
  /** How many keys are tracked at most. */
  readonly maxKeys: number;
  /** The policy's name in the headers. */
  readonly policyName: string;
}

/** Counters of a rate limiter since it was created. */
export interface RateLimiterStats {
  /** Keys held now (idle ones leave lazily as traffic comes). */
  readonly keys: number;
  /** The cap on keys. */
  readonly maxKeys: number;
  /** Requests admitted by `consume`, `wait` and `throttle`. */
  readonly allowed: number;
  /** Requests refused by `consume`, and waits refused for exceeding `maxWaitMs`. */
  readonly refused: number;
  /** `consume` calls dropped for a cost that was not a finite number >= 0 (refused, nothing taken). */
  readonly invalid: number;
  /** Keys forgotten because they had gone idle. */
  readonly expired: number;
  /** Keys forgotten to make room while still limited: they start over if they come back. */
  readonly evicted: number;
  /** Calls waiting in `wait` or `throttle` now. */
  readonly waiting: number;
}

/** Options of {@link RateLimiter.wait} and {@link RateLimiter.throttle}. */
export interface RateLimitWaitOptions {
  /** Aborting it stops the wait: the call rejects with the signal's reason and gives its place back. */
  readonly signal?: AbortSignal | undefined;
  /**
   * The request's cost in units of `rate`.
   * @default 1
   */
  readonly cost?: number | undefined;
  /**
   * The longest wait accepted, in ms; a longer one rejects at once with `RateLimitedError` (whose
   * `retryAfterMs` says how long it would have been) without taking a place.
   * @default the limiter's `perMs`
   */
  readonly maxWaitMs?: number | undefined;
}

/** The options of {@link RateLimiter.throttle}: those of `wait` less the signal, which comes per call. */
export type RateLimitThrottleOptions = Omit<RateLimitWaitOptions, 'signal'>;

/**
 * A per-key rate limiter. `consume` decides at once for incoming requests; `wait` and `throttle` make
 * outgoing calls wait their turn so a client keeps to a partner's limit instead of collecting 429s.
 */
export interface RateLimiter {
  /** The parsed configuration and what the headers advertise. */
  readonly limits: RateLimitLimits;
  /**
   * Decides for one request of `cost` (default 1) under `key` and takes the cost when admitted. Never
   * throws and allocates nothing for a known key. The returned decision is one object the limiter
   * reuses: read it before the next `consume`, copy what you keep. A cost that is not a finite
   * number >= 0 is refused, takes nothing, and is counted in `stats().invalid`.
   */
  consume(key: string, cost?: number): RateLimitDecision;
  /**
   * Resolves when a request of `options.cost` under `key` is admitted, waiting its turn on the clock.
   * GCRA takes the place in line at once, so concurrent waiters are spaced evenly, never stampeding.
   * @throws {RateLimitedError} (as a rejection) when the wait would exceed `maxWaitMs`.
   * @throws {ConfigError} (as a rejection) when `cost` or `maxWaitMs` is not a number >= 0.
   */
  wait(key: string, options?: RateLimitWaitOptions): Promise<void>;
  /**
   * A policy that waits for `key`'s turn before running work, for `compose` with a breaker, retry and
   * timeout: `compose(limiter.throttle('partner'), retry, breaker, timeout)`. A retry inside it does not
   * wait again; put the throttle inside the retry to pace every attempt.
   * @throws {ConfigError} when `cost` or `maxWaitMs` is not a number >= 0.
   */
  throttle(key: string, options?: RateLimitThrottleOptions): Policy<ExecuteContext>;
  /** Forgets `key`'s state (it starts fresh), or every key's. */
  reset(key?: string): void;
  /** Counters since creation. */
  stats(): RateLimiterStats;
}

interface Algorithm {
  readonly capacity: number;
  readonly reserves: boolean;
  decide(table: KeyTable, slot: number, now: number, cost: number, out: MutableDecision): void;
  reserve(
    table: KeyTable,
    slot: number,
    now: number,
    cost: number,
    maxWaitMs: number,
    out: MutableDecision,
  ): number;
  release(table: KeyTable, slot: number, cost: number, reservedAt: number): void;
}

const WHERE = 'RateLimiter';
// The sliding window re-checks after its computed wait; never spin on a wait rounded down to nothing.
const MIN_RECHECK_MS = 1;

class Limiter implements RateLimiter {
  readonly limits: RateLimitLimits;
  readonly #clock: Clock;
  readonly #algorithm: Algorithm;
  readonly #table: KeyTable;
  readonly #decision = new MutableDecision();
  // A scratch decision for waits, so a waiter never overwrites what a consume handed out.
  readonly #scratch = new MutableDecision();
  readonly #defaultMaxWaitMs: number;
  #allowed = 0;
  #refused = 0;
  #invalid = 0;
  #waiting = 0;

  constructor(options: ParsedRateLimiterOptions, clock: Clock) {
    const { algorithm, rate, perMs, burst, maxKeys, policyName } = options;
    this.#clock = clock;
    this.#algorithm =
      algorithm === 'gcra' ? new Gcra(rate, perMs, burst) : new SlidingWindow(rate, perMs, burst);
    this.#table = new KeyTable(maxKeys, algorithm === 'gcra' ? 0 : 2);
    this.#defaultMaxWaitMs = perMs;
    this.limits = Object.freeze({
      algorithm,
      rate,
      perMs,
      burst,
      capacity: this.#algorithm.capacity,
      quota: algorithm === 'gcra' ? rate : rate + burst,
      maxKeys,
      policyName,
    });
  }

  consume(key: string, cost = 1): RateLimitDecision {
    const out = this.#decision;
    const now = this.#clock.now();
    if (!(cost >= 0 && cost < Number.POSITIVE_INFINITY)) {
      this.#invalid++;
      this.#refused++;
      out.allowed = false;
      out.remaining = 0;
      out.resetMs = 0;
      out.retryAfterMs = Number.POSITIVE_INFINITY;
      return out;
    }
    this.#algorithm.decide(this.#table, this.#table.slotOf(key, now), now, cost, out);
    if (out.allowed) this.#allowed++;
    else this.#refused++;
    return out;
  }

  wait(key: string, options?: RateLimitWaitOptions): Promise<void> {
    let cost: number;
    let maxWaitMs: number;
    try {
      cost = checkedNumber(options?.cost, 1, 'cost');
      maxWaitMs = checkedNumber(options?.maxWaitMs, this.#defaultMaxWaitMs, 'maxWaitMs');
    } catch (error) {
      return rejectWith(error);
    }
    const signal = options?.signal;
    if (signal?.aborted === true) return rejectWith(signal.reason);
    return this.#acquire(key, cost, maxWaitMs, () => signal) ?? Promise.resolve();
  }

  throttle(key: string, options?: RateLimitThrottleOptions): Policy<ExecuteContext> {
    const cost = checkedNumber(options?.cost, 1, 'cost');
    const maxWaitMs = checkedNumber(options?.maxWaitMs, this.#defaultMaxWaitMs, 'maxWaitMs');
    return {
      execute: <T>(work: Work<T>, executeOptions?: ExecuteOptions): Promise<T> => {
        const context = contextOf(executeOptions);
        const waiting = this.#acquire(key, cost, maxWaitMs, () => context.signal);
        if (waiting === undefined) return invoke(work, context);
        return waiting.then(() => invoke(work, context));
      },
    };
  }

  reset(key?: string): void {
    this.#table.delete(key);
  }

  stats(): RateLimiterStats {
    const table = this.#table.stats();
    return {
      keys: table.keys,
      maxKeys: this.limits.maxKeys,
      allowed: this.#allowed,
      refused: this.#refused,
      invalid: this.#invalid,
      expired: table.expired,
      evicted: table.evicted,
      waiting: this.#waiting,
    };
  }

  // Admits at once (undefined: no promise needed) or returns the wait. The signal is read only when
  // there is a wait, so a composed timeout never builds an AbortController for an admitted call.
  #acquire(
    key: string,
    cost: number,
    maxWaitMs: number,
    signalOf: () => AbortSignal | undefined,
  ): Promise<void> | undefined {
    const now = this.#clock.now();
    const table = this.#table;
    const slot = table.slotOf(key, now);
    const waitMs = this.#algorithm.reserve(table, slot, now, cost, maxWaitMs, this.#scratch);
    if (waitMs === 0) {
      this.#allowed++;
      return undefined;
    }
    if (waitMs > maxWaitMs) {
      this.#refused++;
      return Promise.reject(new RateLimitedError(key, waitMs));
    }
    if (this.#algorithm.reserves) return this.#sleepReserved(key, slot, cost, waitMs, signalOf());
    return this.#sleepThenRetry(key, cost, now + maxWaitMs, waitMs, signalOf());
  }

  async #sleepReserved(
    key: string,
    slot: number,
    cost: number,
    waitMs: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const reservedAt = this.#table.expiresAt[slot]!;
    this.#waiting++;
    try {
      await delay(this.#clock, waitMs, signal);
      this.#allowed++;
    } catch (error) {
      // Give the place back if it is still the last one taken and the key still owns the slot.
      if (this.#table.peek(key) === slot) this.#algorithm.release(this.#table, slot, cost, reservedAt);
      throw error;
    } finally {
      this.#waiting--;
    }
  }

  async #sleepThenRetry(
    key: string,
    cost: number,
    deadline: number,
    firstWaitMs: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    this.#waiting++;
    try {
      let waitMs = firstWaitMs;
      // Bounded: each round sleeps at least MIN_RECHECK_MS and the deadline is fixed.
      for (;;) {
        await delay(this.#clock, Math.max(MIN_RECHECK_MS, Math.ceil(waitMs)), signal);
        const now = this.#clock.now();
        const slot = this.#table.slotOf(key, now);
        waitMs = this.#algorithm.reserve(this.#table, slot, now, cost, deadline - now, this.#scratch);
        if (waitMs === 0) {
          this.#allowed++;
          return;
        }
        if (waitMs > deadline - now) {
          this.#refused++;
          throw new RateLimitedError(key, waitMs);
        }
      }
    } finally {
      this.#waiting--;
    }
  }
}

function checkedNumber(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value >= 0 && !Number.isNaN(value)) return value;
  throw new ConfigError(WHERE, [{ field, received: describeValue(value), expected: 'a number >= 0' }]);
}

// The context work receives: the caller's (an outer policy's scope keeps `attempt` and the lazy
// signal), or a signal of its own when none was given.
function contextOf(options: ExecuteOptions | undefined): ExecuteContext {
  if (options === undefined) return { signal: new AbortController().signal };
  // A caller's plain `{ signal }` has it as its own field; a policy's scope builds it on first read.
  if (Object.hasOwn(options, 'signal')) {
    return options.signal !== undefined
      ? (options as ExecuteContext)
      : { signal: new AbortController().signal };
  }
  return 'signal' in options ? (options as ExecuteContext) : { signal: new AbortController().signal };
}

/**
 * Creates a rate limiter: GCRA by default (one number per key, exact, no timers), keys in a bounded
 * LRU that forgets idle keys lazily.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter({ rate: 100, perMs: 60_000, burst: 20 });
 * const decision = limiter.consume(clientKey(req));
 * if (!decision.allowed) reply429(Math.ceil(decision.retryAfterMs / 1000));
 * ```
 * @throws {ConfigError} naming each bad option.
 */
export function createRateLimiter(options: RateLimiterOptions, deps?: Deps): RateLimiter {
  const parsed = parseOptions(rateLimiterOptionsSchema, options, 'createRateLimiter');
  return new Limiter(parsed, resolveDeps(deps).clock);
}
