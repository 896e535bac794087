import {
  ErrorCode,
  SafeEmitter,
  SreError,
  TimeoutError,
  parseOptions,
  resolveDeps,
  type Clock,
  type Deps,
  type EventSource,
  type InternalErrorHandler,
} from '../core/index.js';
import { CircuitOpenError } from '../core/errors.js';
import { scopeOf, type CallScope } from './call-scope.js';
import { circuitBreakerOptionsSchema, type CircuitBreakerOptions } from './circuit-breaker-options.js';
import { isOwnRejection } from './classify.js';
import { DeadlineQueue } from './deadline-queue.js';
import { invoke, rejectWith } from './invoke.js';
import { createOpossumEngine, type BreakerEngine } from './opossum-engine.js';
import type { ExecuteContext, ExecuteOptions, Policy, Work } from './policy.js';
import { RollingCounter } from './rolling-counter.js';
import { runWithDeadline } from './with-deadline.js';

/** Where a circuit breaker stands: letting calls through, refusing them, probing, or held open by hand. */
export type CircuitState = 'closed' | 'open' | 'halfOpen' | 'isolated';

/** Why a circuit opened. */
export type OpenReason = 'consecutiveFailures' | 'failureRate' | 'slowCalls' | 'probeFailed' | 'isolated';

/** The events a circuit breaker emits, each with one payload object. */
export type CircuitBreakerEvents = {
  /** The circuit opened (or was isolated). */
  open: { readonly name: string; readonly from: CircuitState; readonly reason: OpenReason };
  /** The open period ended; probes may go through. Seen by the first call or `state` read after it. */
  halfOpen: { readonly name: string };
  /** The circuit closed: probes succeeded, the last isolation was released, or it was reset. */
  close: { readonly name: string; readonly from: CircuitState };
  /** A call was refused without running. */
  reject: { readonly name: string; readonly state: CircuitState; readonly retryAfterMs: number };
  /** A call succeeded. */
  success: { readonly name: string; readonly durationMs: number; readonly slow: boolean };
  /** A call failed and was counted against the downstream. */
  failure: {
    readonly name: string;
    readonly error: unknown;
    readonly durationMs: number;
    readonly slow: boolean;
  };
  /** A call hit the breaker's `timeoutMs` (a failure event follows). */
  timeout: { readonly name: string; readonly timeoutMs: number };
  /** Any move between states. */
  stateChange: { readonly name: string; readonly from: CircuitState; readonly to: CircuitState };
};

/** Returned by `isolate()`: releasing the last handle closes the circuit again. */
export interface IsolationHandle {
  /** Ends this isolation; calling it again, or after a reset, does nothing. */
  release(): void;
}

/** Counters of a circuit breaker: totals since creation, and the current windows. */
export interface CircuitBreakerStats {
  /** The breaker's name. */
  readonly name: string;
  /** The state when the stats were taken. */
  readonly state: CircuitState;
  /** Calls let through, probes included. */
  readonly calls: number;
  /** Calls that succeeded (slow ones included). */
  readonly successes: number;
  /** Calls counted as downstream failures (timeouts included). */
  readonly failures: number;
  /** Failed calls that were not counted (isFailure false, sre-kit's own rejections, caller aborts). */
  readonly ignored: number;
  /** Calls refused without running. */
  readonly rejections: number;
  /** Calls that hit the breaker's own `timeoutMs` (also counted in `failures`). */
  readonly timeouts: number;
  /** Calls that took at least `slowCall.thresholdMs` (0 without `slowCall`). */
  readonly slowCalls: number;
  /** The current run of failures in a row (reset by a success or a close). */
  readonly consecutiveFailures: number;
  /** The failure window (rate threshold only). */
  readonly failureWindow?: { readonly calls: number; readonly failures: number; readonly ratio: number };
  /** The slow-call window (`slowCall` only). */
  readonly slowCallWindow?: { readonly calls: number; readonly slowCalls: number; readonly ratio: number };
}

/** A JSON-ready snapshot of a circuit breaker. */
export interface CircuitBreakerSnapshot {
  /** The breaker's name. */
  readonly name: string;
  /** The state when the snapshot was taken. */
  readonly state: CircuitState;
  /** When it last opened (ISO 8601, wall clock), or null if it never did. */
  readonly openedAt: string | null;
  /** Its counters. */
  readonly stats: CircuitBreakerStats;
}

/**
 * Stops calls to a failing dependency: counts failures (and slow calls) and, past a threshold, refuses
 * calls with `CircuitOpenError` for `openMs`, then lets probes through to decide whether to close.
 * `F` is the fallback's result type.
 */
export interface CircuitBreaker<F = never>
  extends Policy<ExecuteContext, F>, EventSource<CircuitBreakerEvents> {
  /** The breaker's name. */
  readonly name: string;
  /** The current state; reading it moves an open circuit whose `openMs` has passed to half-open. */
  readonly state: CircuitState;
  /** Holds the circuit open until every handle is released (or `reset()`); calls get `CircuitOpenError`. */
  isolate(): IsolationHandle;
  /** Closes the circuit, clears its counts and cancels every isolation. Totals are kept. */
  reset(): void;
  /** Totals since creation and the current windows. */
  stats(): CircuitBreakerStats;
  /** A JSON-ready snapshot (`JSON.stringify(breaker)` uses it). */
  toJSON(): CircuitBreakerSnapshot;
  /**
   * Shuts the breaker down for good (this is not "close the circuit": that is `reset()`): later calls
   * reject with `ERR_SRE_CLOSED`, listeners are removed. Calls in flight finish. Idempotent.
   */
  close(): void;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const CLOSED = 0;
const OPEN = 1;
const HALF_OPEN = 2;
const ISOLATED = 3;
type StateCode = typeof CLOSED | typeof OPEN | typeof HALF_OPEN | typeof ISOLATED;
const STATE_NAMES: readonly CircuitState[] = ['closed', 'open', 'halfOpen', 'isolated'];

const alwaysFailure = (): boolean => true;

type Parsed = ReturnType<typeof parseCircuitBreakerOptions>;

function parseCircuitBreakerOptions(options: unknown) {
  // Missing options are reported as the missing `name` they lack, not as "expected an object".
  return parseOptions(circuitBreakerOptionsSchema, options ?? {}, 'createCircuitBreaker');
}

class Breaker<F> implements CircuitBreaker<F> {
  readonly name: string;
  readonly #clock: Clock;
  readonly #onInternalError: InternalErrorHandler;
  readonly #events: SafeEmitter<CircuitBreakerEvents>;
  readonly #engine: BreakerEngine;
  readonly #isFailure: (error: unknown) => boolean;
  readonly #fallback: ((error: unknown) => F | PromiseLike<F>) | undefined;
  readonly #consecutiveLimit: number;
  readonly #rate: RollingCounter | undefined;
  readonly #rateRatio: number;
  readonly #rateMinimum: number;
  readonly #slow: RollingCounter | undefined;
  readonly #slowMs: number;
  readonly #slowRatio: number;
  readonly #slowMinimum: number;
  readonly #openMs: number;
  readonly #probes: number;
  readonly #deadlines: DeadlineQueue | undefined;
  // The clock is read on a call's success path only when something needs the time.
  readonly #needsTime: boolean;

  #state: StateCode = CLOSED;
  // Bumped on every state change: a call's outcome only moves the state it was admitted under.
  #generation = 0;
  #openedAt = 0;
  #openedAtWall: number | undefined = undefined;
  #consecutive = 0;
  #probesInFlight = 0;
  #probesSucceeded = 0;
  #isolations = 0;
  #isolationEpoch = 0;
  #shut = false;

  #calls = 0;
  #successes = 0;
  #failures = 0;
  #ignored = 0;
  #rejections = 0;
  #timeouts = 0;
  #slowCalls = 0;

  constructor(options: Parsed, deps: Deps | undefined) {
    const { clock, onInternalError } = resolveDeps(deps);
    this.#clock = clock;
    this.#onInternalError = onInternalError;
    this.name = options.name;
    this.#events = new SafeEmitter(`circuitBreaker:${options.name}`, onInternalError);
    this.#engine = createOpossumEngine(options.name);
    this.#isFailure = (options.isFailure as ((error: unknown) => boolean) | undefined) ?? alwaysFailure;
    this.#fallback = options.fallback as ((error: unknown) => F | PromiseLike<F>) | undefined;
    const threshold = options.failureThreshold;
    const now = clock.now();
    if (threshold.kind === 'consecutive') {
      this.#consecutiveLimit = threshold.count;
      this.#rate = undefined;
      this.#rateRatio = 1;
      this.#rateMinimum = 0;
    } else {
      this.#consecutiveLimit = Number.POSITIVE_INFINITY;
      this.#rate = new RollingCounter(threshold.windowMs, now);
      this.#rateRatio = threshold.ratio;
      this.#rateMinimum = threshold.minimumCalls;
    }
    const slow = options.slowCall;
    if (slow === false) {
      this.#slow = undefined;
      this.#slowMs = Number.POSITIVE_INFINITY;
      this.#slowRatio = 1;
      this.#slowMinimum = 0;
    } else {
      this.#slow = new RollingCounter(slow.windowMs, now);
      this.#slowMs = slow.thresholdMs;
      this.#slowRatio = slow.ratio;
      this.#slowMinimum = slow.minimumCalls;
    }
    this.#openMs = options.openMs;
    this.#probes = options.halfOpenProbes;
    this.#deadlines = options.timeoutMs === false ? undefined : new DeadlineQueue(clock, options.timeoutMs);
    this.#needsTime = this.#rate !== undefined || this.#slow !== undefined;
  }

  get state(): CircuitState {
    if (this.#state === OPEN && this.#clock.now() >= this.#openedAt + this.#openMs) this.#toHalfOpen();
    return STATE_NAMES[this.#state]!;
  }

  execute<T>(work: Work<T>, options?: ExecuteOptions): Promise<T | F> {
    const scope = scopeOf(options);
    if (scope.aborted) return rejectWith(scope.abortReason);
    let probe = false;
    if (!this.#engine.admitting) {
      if (this.#shut)
        return Promise.reject(new SreError(ErrorCode.CLOSED, `Circuit ${this.name} is closed for good`));
      const refusal = this.#admitProbe();
      if (refusal !== undefined) return this.#refuse(refusal);
      probe = true;
    }
    this.#calls++;
    const generation = this.#generation;
    const timed = this.#needsTime || this.#events.has('success') || this.#events.has('failure');
    const start = timed ? this.#clock.now() : 0;
    const running =
      this.#deadlines === undefined
        ? invoke(work, scope)
        : runWithDeadline(this.#deadlines, scope, undefined, work);
    return running.then(
      (value) => {
        this.#succeeded(generation, probe, timed, start);
        return value;
      },
      (error: unknown) => this.#failed(error, generation, probe, timed, start, scope),
    );
  }

  isolate(): IsolationHandle {
    this.#isolations++;
    if (this.#state !== ISOLATED && !this.#shut) {
      const from = this.#state;
      this.#setState(ISOLATED);
      this.#markOpened();
      this.#emitOpen(from, 'isolated');
    }
    const epoch = this.#isolationEpoch;
    let released = false;
    return {
      release: () => {
        if (released || epoch !== this.#isolationEpoch) return;
        released = true;
        this.#isolations--;
        if (this.#isolations === 0 && this.#state === ISOLATED) this.#toClosed();
      },
    };
  }

  reset(): void {
    this.#isolationEpoch++;
    this.#isolations = 0;
    if (this.#state !== CLOSED && !this.#shut) this.#toClosed();
    else this.#clearCounts();
  }

  stats(): CircuitBreakerStats {
    const now = this.#clock.now();
    const state = this.state;
    const rate = this.#rate;
    const slow = this.#slow;
    const ratioOf = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
    return {
      name: this.name,
      state,
      calls: this.#calls,
      successes: this.#successes,
      failures: this.#failures,
      ignored: this.#ignored,
      rejections: this.#rejections,
      timeouts: this.#timeouts,
      slowCalls: this.#slowCalls,
      consecutiveFailures: this.#consecutive,
      ...(rate === undefined
        ? {}
        : {
            failureWindow: {
              calls: rate.calls(now),
              failures: rate.bad(now),
              ratio: ratioOf(rate.bad(now), rate.calls(now)),
            },
          }),
      ...(slow === undefined
        ? {}
        : {
            slowCallWindow: {
              calls: slow.calls(now),
              slowCalls: slow.bad(now),
              ratio: ratioOf(slow.bad(now), slow.calls(now)),
            },
          }),
    };
  }

  toJSON(): CircuitBreakerSnapshot {
    const stats = this.stats();
    return {
      name: this.name,
      state: stats.state,
      openedAt: this.#openedAtWall === undefined ? null : new Date(this.#openedAtWall).toISOString(),
      stats,
    };
  }

  close(): void {
    if (this.#shut) return;
    this.#shut = true;
    this.#engine.shutdown();
    this.#events.clear();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  on<K extends keyof CircuitBreakerEvents>(
    event: K,
    listener: (payload: CircuitBreakerEvents[K]) => void | Promise<void>,
  ): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof CircuitBreakerEvents>(
    event: K,
    listener: (payload: CircuitBreakerEvents[K]) => void | Promise<void>,
  ): () => void {
    return this.#events.once(event, listener);
  }

  off<K extends keyof CircuitBreakerEvents>(
    event: K,
    listener: (payload: CircuitBreakerEvents[K]) => void | Promise<void>,
  ): void {
    this.#events.off(event, listener);
  }

  // Called when the gate is not admitting: decides whether this call may go through as a probe.
  #admitProbe(): CircuitOpenError | undefined {
    if (this.#state === OPEN) {
      const now = this.#clock.now();
      const reopensAt = this.#openedAt + this.#openMs;
      if (now < reopensAt) return new CircuitOpenError(this.name, reopensAt - now);
      this.#toHalfOpen();
    }
    if (this.#state === HALF_OPEN) {
      if (this.#probesInFlight + this.#probesSucceeded >= this.#probes)
        return new CircuitOpenError(this.name, 0);
      this.#probesInFlight++;
      return undefined;
    }
    if (this.#state === ISOLATED) return new CircuitOpenError(this.name, Number.POSITIVE_INFINITY);
    return undefined;
  }

  #refuse(error: CircuitOpenError): Promise<F> {
    this.#rejections++;
    if (this.#events.has('reject')) {
      this.#events.emit('reject', {
        name: this.name,
        state: STATE_NAMES[this.#state]!,
        retryAfterMs: error.retryAfterMs,
      });
    }
    if (this.#fallback === undefined) return Promise.reject(error);
    return invoke(this.#fallback, error);
  }

  #succeeded(generation: number, probe: boolean, timed: boolean, start: number): void {
    this.#successes++;
    // The clock is read only when a duration or a probe's outcome time is needed.
    const now = timed || probe ? this.#clock.now() : 0;
    const durationMs = timed ? now - start : 0;
    const slow = durationMs >= this.#slowMs;
    if (slow) this.#slowCalls++;
    if (generation === this.#generation) {
      if (probe) {
        this.#probeDone(!slow, now);
      } else {
        this.#consecutive = 0;
        this.#countInWindows(now, false, slow);
      }
    }
    if (this.#events.has('success')) this.#events.emit('success', { name: this.name, durationMs, slow });
  }

  #failed(
    error: unknown,
    generation: number,
    probe: boolean,
    timed: boolean,
    start: number,
    scope: CallScope,
  ): F | PromiseLike<F> {
    const current = generation === this.#generation;
    if (scope.aborted || isOwnRejection(error) || !this.#countsAsFailure(error)) {
      this.#ignored++;
      if (probe && current) this.#probesInFlight--;
      throw error;
    }
    this.#failures++;
    const now = this.#clock.now();
    const durationMs = timed ? now - start : 0;
    const slow = durationMs >= this.#slowMs;
    if (slow) this.#slowCalls++;
    if (error instanceof TimeoutError && error.timeoutMs === this.#deadlines?.timeoutMs) {
      this.#timeouts++;
      if (this.#events.has('timeout'))
        this.#events.emit('timeout', { name: this.name, timeoutMs: error.timeoutMs });
    }
    if (this.#events.has('failure'))
      this.#events.emit('failure', { name: this.name, error, durationMs, slow });
    if (current) {
      if (probe) {
        this.#probeDone(false, now);
      } else {
        this.#consecutive++;
        if (this.#consecutive >= this.#consecutiveLimit) this.#toOpen(now, 'consecutiveFailures');
        else this.#countInWindows(now, true, slow);
      }
    }
    if (this.#fallback === undefined) throw error;
    return this.#fallback(error);
  }

  // The user's isFailure, truthy meaning a failure; a throw counts as a failure and is reported.
  #countsAsFailure(error: unknown): boolean {
    try {
      return Boolean(this.#isFailure(error));
    } catch (predicateError) {
      this.#report(predicateError, 'isFailure');
      return true;
    }
  }

  // Counts a call of the closed circuit in the rate and slow-call windows and checks both thresholds
  // after every call, good or bad: a success can be the call that brings the window to minimumCalls
  // with the ratio already past the threshold (19 failures then 1 success at 0.5 / 20 opens).
  #countInWindows(now: number, failed: boolean, slow: boolean): void {
    const rate = this.#rate;
    if (rate !== undefined) {
      rate.record(now, failed);
      if (rate.exceeds(now, this.#rateMinimum, this.#rateRatio)) {
        this.#toOpen(now, 'failureRate');
        return;
      }
    }
    const window = this.#slow;
    if (window === undefined) return;
    window.record(now, slow);
    if (window.exceeds(now, this.#slowMinimum, this.#slowRatio)) this.#toOpen(now, 'slowCalls');
  }

  #probeDone(ok: boolean, now: number): void {
    this.#probesInFlight--;
    if (!ok) {
      this.#toOpen(now, 'probeFailed');
      return;
    }
    this.#probesSucceeded++;
    if (this.#probesSucceeded >= this.#probes) this.#toClosed();
  }

  #toOpen(now: number, reason: OpenReason): void {
    const from = this.#state;
    this.#setState(OPEN);
    this.#openedAt = now;
    this.#markOpened();
    this.#emitOpen(from, reason);
  }

  #toHalfOpen(): void {
    this.#setState(HALF_OPEN);
    if (this.#events.has('halfOpen')) this.#events.emit('halfOpen', { name: this.name });
  }

  #toClosed(): void {
    const from = this.#state;
    this.#clearCounts();
    this.#setState(CLOSED);
    if (this.#events.has('close')) this.#events.emit('close', { name: this.name, from: STATE_NAMES[from]! });
  }

  // Counts start over on every close: failures from before an outage never count after recovery.
  #clearCounts(): void {
    this.#consecutive = 0;
    this.#rate?.clear();
    this.#slow?.clear();
  }

  #markOpened(): void {
    this.#openedAtWall = this.#clock.wallNow();
  }

  #emitOpen(from: StateCode, reason: OpenReason): void {
    if (this.#events.has('open'))
      this.#events.emit('open', { name: this.name, from: STATE_NAMES[from]!, reason });
  }

  #setState(to: StateCode): void {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    this.#probesInFlight = 0;
    this.#probesSucceeded = 0;
    if (to === CLOSED) this.#engine.close();
    else if (from === CLOSED) this.#engine.open();
    if (this.#events.has('stateChange')) {
      this.#events.emit('stateChange', { name: this.name, from: STATE_NAMES[from]!, to: STATE_NAMES[to]! });
    }
  }

  #report(error: unknown, task: string): void {
    this.#onInternalError(error, { source: `circuitBreaker:${this.name}`, task });
  }
}

/**
 * Creates a circuit breaker (opossum underneath, without its defects): closed, it runs calls and counts
 * failures; past `failureThreshold` (or the `slowCall` ratio) it opens and refuses calls with
 * `CircuitOpenError` for `openMs`; then it lets `halfOpenProbes` probes through and closes when all
 * succeed. Counting is O(1) per call whatever the window holds. sre-kit's own rejections, errors
 * `isFailure` rejects, and errors after the caller aborted never count.
 *
 * @example
 * ```ts
 * const breaker = createCircuitBreaker({
 *   name: 'payments',
 *   failureThreshold: { kind: 'rate', ratio: 0.5, minimumCalls: 20, windowMs: 10_000 },
 *   openMs: 30_000,
 *   fallback: () => cachedQuote,
 * });
 * const quote = await breaker.execute(({ signal }) => fetchQuote(signal));
 * ```
 * @throws {ConfigError} naming each bad option; `name` is required.
 */
export function createCircuitBreaker<F = never>(
  options: CircuitBreakerOptions<F>,
  deps?: Deps,
): CircuitBreaker<F> {
  return new Breaker<F>(parseCircuitBreakerOptions(options), deps);
}
