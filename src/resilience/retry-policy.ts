import { z } from 'zod';
import {
  ErrorCode,
  SafeEmitter,
  isSreError,
  parseOptions,
  resolveDeps,
  type Clock,
  type Deps,
  type EventSource,
  type InternalErrorHandler,
} from '../core/index.js';
import { RetryBudgetExhaustedError, RetryExhaustedError } from '../core/errors.js';
import { CallScope, scopeOf } from './call-scope.js';
import { isOwnRejection, safePredicate } from './classify.js';
import { DeadlineQueue } from './deadline-queue.js';
import { invoke, rejectWith } from './invoke.js';
import { createRetryEngine, type EngineRun, type RetryEngine } from './p-retry-engine.js';
import type { ExecuteOptions, Policy, RetryContext, Work } from './policy.js';
import { retryAfterMsOf } from './retry-after.js';
import type { RetryBudget } from './retry-budget.js';
import { retryDelay, type DelayPlan, type Jitter } from './retry-delay.js';
import { sleep } from './sleep.js';
import { runWithDeadline } from './with-deadline.js';

/** Options for {@link createRetryPolicy}. */
export interface RetryPolicyOptions {
  /**
   * Retries after the first attempt (so at most `retries + 1` attempts).
   * @default 3
   */
  readonly retries?: number;
  /**
   * The base delay before the first retry, in ms; later ones grow by `factor`.
   * @default 100
   */
  readonly minDelayMs?: number;
  /**
   * The cap on any computed delay, in ms. A Retry-After asking for longer makes the policy give up.
   * @default 10_000
   */
  readonly maxDelayMs?: number;
  /**
   * Growth of the delay per retry (not used by decorrelated jitter, which triples at most).
   * @default 2
   */
  readonly factor?: number;
  /**
   * How delays are randomised: `full` (uniform in [0, exp)), `equal` ([exp/2, exp)), `decorrelated`
   * ([min, 3 × previous)) or `none` (exp). Full jitter spreads retries best (AWS).
   * @default 'full'
   */
  readonly jitter?: Jitter;
  /**
   * Give up rather than start a retry whose delay would end past this many ms since `execute` began;
   * the attempt in flight is not cut short (use `perAttemptTimeoutMs` or a timeout for that).
   * @default no limit
   */
  readonly maxElapsedMs?: number;
  /**
   * A time limit for each attempt, in ms: an attempt still running fails with `TimeoutError` (which
   * is retried) and its signal aborts. `false` for none.
   * @default false
   */
  readonly perAttemptTimeoutMs?: number | false;
  /**
   * Decides whether an error is worth retrying, given the attempt that failed (1 for the first). It is
   * not asked about sre-kit's own refusals (open circuit, bulkhead full, budget exhausted, closed), an
   * inner policy's RetryExhaustedError or a ConfigError: those are never retried.
   * @default () => true
   */
  readonly retryOn?: (error: unknown, attempt: number) => boolean;
  /**
   * Treat a Retry-After (an error's `retryAfterMs`, or a `retry-after` header on the error, its
   * `response`, or a thrown `Response`; seconds or an HTTP date) as the least delay.
   * @default true
   */
  readonly respectRetryAfter?: boolean;
  /** A budget shared with other policies, consulted before each retry. @default none */
  readonly budget?: RetryBudget;
}

const positiveMs = z.number().gt(0).max(2_147_483_647);

/** @internal The schema bound to {@link RetryPolicyOptions} by a type test. */
export const retryPolicyOptionsSchema = z
  .strictObject({
    retries: z.number().int().min(0).max(10_000).default(3),
    minDelayMs: z.number().min(0).max(2_147_483_647).default(100),
    maxDelayMs: z.number().min(0).max(2_147_483_647).default(10_000),
    factor: z.number().min(1).max(1000).default(2),
    jitter: z.enum(['full', 'equal', 'decorrelated', 'none']).default('full'),
    maxElapsedMs: positiveMs.optional(),
    perAttemptTimeoutMs: z.union([z.literal(false), positiveMs]).default(false),
    retryOn: z
      .custom<(error: unknown, attempt: number) => boolean>((v) => typeof v === 'function', {
        message: 'a function',
      })
      .optional(),
    respectRetryAfter: z.boolean().default(true),
    budget: z
      .custom<RetryBudget>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as RetryBudget).tryAcquire === 'function' &&
          typeof (v as RetryBudget).recordRequest === 'function',
        { message: 'a retry budget (createRetryBudget)' },
      )
      .optional(),
  })
  .refine((o) => o.maxDelayMs >= o.minDelayMs, {
    path: ['maxDelayMs'],
    message: 'a number >= minDelayMs',
  });

/** Why a retry policy stopped retrying. */
export type GiveUpReason =
  'notRetryable' | 'retriesExhausted' | 'maxElapsed' | 'retryAfterTooLong' | 'budgetExhausted' | 'aborted';

/** The events a retry policy emits, each with one payload object. */
export type RetryPolicyEvents = {
  /** An attempt failed and another will run after `delayMs`. */
  retry: { readonly attempt: number; readonly delayMs: number; readonly error: unknown };
  /** The policy stopped: the call rejects with `error`'s outcome. */
  giveUp: { readonly attempts: number; readonly error: unknown; readonly reason: GiveUpReason };
  /** An attempt succeeded. */
  success: { readonly attempts: number };
};

/** A policy that runs work again after a failure, with jittered exponential backoff. */
export interface RetryPolicy extends Policy<RetryContext>, EventSource<RetryPolicyEvents> {
  /** The most retries after the first attempt. */
  readonly retries: number;
}

/** What {@link createRetryPolicy} accepts besides options. */
export interface RetryPolicyDeps extends Deps {
  /** Uniform random numbers in [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
}

// sre-kit's own refusals and give-ups: retrying them would only hammer a breaker, a full bulkhead or a
// spent budget, or multiply an inner policy's retries.
function neverRetried(error: unknown): boolean {
  return (
    isOwnRejection(error) ||
    isSreError(error, ErrorCode.RETRY_EXHAUSTED) ||
    isSreError(error, ErrorCode.INVALID_OPTIONS)
  );
}

const retryEverything = (): boolean => true;

// One call's state across its retries; p-retry carries it on the attempt's error.
interface Run<T> extends EngineRun {
  readonly work: Work<T, RetryContext>;
  readonly scope: CallScope;
  readonly start: number;
  previousDelay: number;
  attempts: number;
}

class Retry implements RetryPolicy {
  readonly retries: number;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #onInternalError: InternalErrorHandler;
  readonly #events: SafeEmitter<RetryPolicyEvents>;
  readonly #plan: DelayPlan;
  readonly #maxElapsedMs: number;
  readonly #deadlines: DeadlineQueue | undefined;
  readonly #retryOn: (error: unknown, attempt: number) => boolean;
  readonly #respectRetryAfter: boolean;
  readonly #budget: RetryBudget | undefined;
  readonly #engine: RetryEngine<Run<unknown>>;

  constructor(options: z.output<typeof retryPolicyOptionsSchema>, deps: RetryPolicyDeps | undefined) {
    const { clock, onInternalError } = resolveDeps(deps);
    this.#clock = clock;
    this.#onInternalError = onInternalError;
    this.#random = typeof deps?.random === 'function' ? deps.random : Math.random;
    this.#events = new SafeEmitter('retryPolicy', onInternalError);
    this.retries = options.retries;
    this.#plan = {
      jitter: options.jitter,
      minDelayMs: options.minDelayMs,
      maxDelayMs: options.maxDelayMs,
      factor: options.factor,
    };
    this.#maxElapsedMs = options.maxElapsedMs ?? Number.POSITIVE_INFINITY;
    this.#deadlines =
      options.perAttemptTimeoutMs === false
        ? undefined
        : new DeadlineQueue(clock, options.perAttemptTimeoutMs);
    this.#retryOn = options.retryOn ?? retryEverything;
    this.#respectRetryAfter = options.respectRetryAfter;
    this.#budget = options.budget;
    this.#engine = createRetryEngine<Run<unknown>>((run, error, attempt) =>
      this.#decide(run, error, attempt),
    );
  }

  execute<T>(work: Work<T, RetryContext>, options?: ExecuteOptions): Promise<T> {
    const scope = scopeOf(options);
    if (scope.aborted) return rejectWith(scope.abortReason);
    this.#budget?.recordRequest();
    const start = this.#maxElapsedMs === Number.POSITIVE_INFINITY ? 0 : this.#clock.now();
    return this.#attempt(work, scope, 1).then(
      (value) => {
        if (this.#events.has('success')) this.#events.emit('success', { attempts: 1 });
        return value;
      },
      (error: unknown) => this.#retry(work, scope, start, error),
    );
  }

  on<K extends keyof RetryPolicyEvents>(
    event: K,
    listener: (payload: RetryPolicyEvents[K]) => void | Promise<void>,
  ): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof RetryPolicyEvents>(
    event: K,
    listener: (payload: RetryPolicyEvents[K]) => void | Promise<void>,
  ): () => void {
    return this.#events.once(event, listener);
  }

  off<K extends keyof RetryPolicyEvents>(
    event: K,
    listener: (payload: RetryPolicyEvents[K]) => void | Promise<void>,
  ): void {
    this.#events.off(event, listener);
  }

  #attempt<T>(work: Work<T, RetryContext>, parent: CallScope, attempt: number): Promise<T> {
    if (this.#deadlines !== undefined) return runWithDeadline(this.#deadlines, parent, attempt, work);
    return invoke(work, CallScope.child(parent, attempt, false) as unknown as RetryContext);
  }

  #retry<T>(work: Work<T, RetryContext>, scope: CallScope, start: number, error: unknown): Promise<T> {
    const run: Run<T> = {
      work,
      scope,
      start,
      previousDelay: this.#plan.minDelayMs,
      attempts: 1,
      outcome: error,
    };
    return this.#engine(run as Run<unknown>, error, (n) => {
      run.attempts = n;
      return this.#attempt(work, scope, n);
    }).then((value) => {
      if (this.#events.has('success')) this.#events.emit('success', { attempts: run.attempts });
      return value;
    });
  }

  // Runs between attempts (inside p-retry's loop): resolves true after sleeping the delay, or false
  // with `run.outcome` set to what the call rejects with. Rejects with the abort reason on abort.
  async #decide(run: Run<unknown>, error: unknown, attempt: number): Promise<boolean> {
    if (run.scope.aborted) return this.#abort(run, attempt, error);
    const retryOn = this.#retryOn;
    if (
      neverRetried(error) ||
      !safePredicate(
        () => retryOn(error, attempt),
        false,
        (e) => this.#report(e, 'retryOn'),
      )
    ) {
      return this.#giveUp(run, attempt, error, 'notRetryable', error);
    }
    if (attempt > this.retries) {
      return this.#giveUp(run, attempt, error, 'retriesExhausted', new RetryExhaustedError(attempt, error));
    }
    let delay = retryDelay(this.#plan, attempt, run.previousDelay, this.#random);
    if (this.#respectRetryAfter) {
      const floor = retryAfterMsOf(error, this.#clock.wallNow());
      if (floor !== undefined && floor > delay) {
        if (floor > this.#plan.maxDelayMs) {
          const exhausted = new RetryExhaustedError(
            attempt,
            error,
            `Gave up after ${attempt} attempts: Retry-After ${floor} ms exceeds maxDelayMs ${this.#plan.maxDelayMs}`,
          );
          return this.#giveUp(run, attempt, error, 'retryAfterTooLong', exhausted);
        }
        delay = floor;
      }
    }
    if (
      this.#maxElapsedMs !== Number.POSITIVE_INFINITY &&
      this.#clock.now() - run.start + delay > this.#maxElapsedMs
    ) {
      const exhausted = new RetryExhaustedError(
        attempt,
        error,
        `Gave up after ${attempt} attempts: the next retry would end past maxElapsedMs ${this.#maxElapsedMs}`,
      );
      return this.#giveUp(run, attempt, error, 'maxElapsed', exhausted);
    }
    if (this.#budget !== undefined && !this.#budget.tryAcquire()) {
      return this.#giveUp(
        run,
        attempt,
        error,
        'budgetExhausted',
        new RetryBudgetExhaustedError(attempt, error),
      );
    }
    run.previousDelay = delay;
    if (this.#events.has('retry'))
      this.#events.emit('retry', { attempt: attempt + 1, delayMs: delay, error });
    if (delay > 0) {
      try {
        await sleep(this.#clock, delay, run.scope);
      } catch {
        return this.#abort(run, attempt, error);
      }
    }
    if (run.scope.aborted) return this.#abort(run, attempt, error);
    return true;
  }

  #giveUp(
    run: Run<unknown>,
    attempts: number,
    error: unknown,
    reason: GiveUpReason,
    outcome: unknown,
  ): false {
    run.outcome = outcome;
    if (this.#events.has('giveUp')) this.#events.emit('giveUp', { attempts, error, reason });
    return false;
  }

  #abort(run: Run<unknown>, attempts: number, error: unknown): never {
    const reason = run.scope.abortReason;
    if (this.#events.has('giveUp')) this.#events.emit('giveUp', { attempts, error, reason: 'aborted' });
    throw reason;
  }

  #report(error: unknown, task: string): void {
    this.#onInternalError(error, { source: 'retryPolicy', task });
  }
}

/**
 * Creates a retry policy (p-retry underneath): after a failure it waits a jittered, capped exponential
 * delay on the injected clock and runs the work again, up to `retries` times. The sleep wakes at once
 * when the caller's signal aborts (rejecting with its reason); a Retry-After is a floor; `maxElapsedMs`
 * and a shared `budget` are checked before each retry. Gives up with `RetryExhaustedError` (or
 * `RetryBudgetExhaustedError`); an error `retryOn` refuses is rethrown as it is.
 *
 * @example
 * ```ts
 * const retry = createRetryPolicy({ retries: 3, minDelayMs: 100, maxDelayMs: 10_000, jitter: 'full' });
 * const user = await retry.execute(({ attempt, signal }) => fetchUser(id, { signal }));
 * ```
 * @throws {ConfigError} naming each bad option.
 */
export function createRetryPolicy(options?: RetryPolicyOptions, deps?: RetryPolicyDeps): RetryPolicy {
  return new Retry(parseOptions(retryPolicyOptionsSchema, options ?? {}, 'createRetryPolicy'), deps);
}
