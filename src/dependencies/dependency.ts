import type { z } from 'zod';
import {
  ConfigError,
  RollingCounter,
  invoke,
  isSreError,
  parseOptions,
  resolveDeps,
  type Clock,
  type Deps,
} from '../core/index.js';
import type { HealthCheckDefinition, ServiceHealth } from '../health/index.js';
import { createLatencyTracker, type LatencyTracker } from '../latency/index.js';
import {
  compose,
  createCircuitBreaker,
  createRetryBudget,
  createRetryPolicy,
  createTimeout,
  type CircuitBreaker,
  type CircuitState,
  type ExecuteContext,
  type ExecuteOptions,
  type Policy,
  type RetryBudget,
  type RetryBudgetOptions,
  type RetryBudgetStats,
  type Work,
} from '../resilience/index.js';
import { createSloTracker, type BurnRatePreset, type SloTracker, type SloWindow } from '../slo/index.js';
import {
  rounded,
  sloVerdict,
  summariseSlo,
  verdictCheck,
  type ObservedService,
  type ServiceSloStatus,
  type ServiceVerdict,
} from './service.js';
import {
  isRetryBudget,
  trackDependencyOptionsSchema,
  type TrackDependencyOptions,
} from './dependency-options.js';

/** Where a tracked dependency stands. */
export interface DependencyStatus {
  /** Its name. */
  readonly name: string;
  /** up, degraded or down. */
  readonly state: ServiceVerdict['state'];
  /** Why, with the figures behind it. */
  readonly reason: string;
  /** The window `calls`, `errors`, `errorRate` and `latencyP95Ms` cover, in ms. */
  readonly windowMs: number;
  /** Attempts that reached the dependency in the window (retries included). */
  readonly calls: number;
  /** Of those, the ones that failed. */
  readonly errors: number;
  /** errors ÷ calls in the window; `null` with no calls. */
  readonly errorRate: number | null;
  /** 95th percentile latency of the window's attempts, in ms; `null` with no calls. */
  readonly latencyP95Ms: number | null;
  /** The breaker's state, or `'none'` without a breaker. */
  readonly breaker: CircuitState | 'none';
  /** The SLOs. */
  readonly slo: { readonly availability?: ServiceSloStatus; readonly latency?: ServiceSloStatus };
  /** Since creation: calls made (by `call`), succeeded, failed, refused without reaching the dependency. */
  readonly totals: {
    readonly calls: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly refused: number;
    readonly retries: number;
  };
  /** The retry budget's window, when there is one. */
  readonly retryBudget?: RetryBudgetStats;
}

/**
 * An outgoing dependency (a partner API, a database) with latency, error rate, SLOs, breaker, retry
 * and timeout wired around every call.
 */
export interface TrackedDependency extends ObservedService {
  /**
   * Runs `work` under the dependency's throttle, retry, breaker and timeout, and records each attempt:
   * its latency, its outcome for the error rate and the SLOs. Resolves or rejects as the composed
   * policy does (`CircuitOpenError`, `RetryExhaustedError`, `TimeoutError`, or the work's own error).
   */
  call<T>(work: Work<T, ExecuteContext>, options?: ExecuteOptions): Promise<T>;
  /** Where it stands now (reading changes nothing). */
  status(): DependencyStatus;
  /** The breaker, when it has one (to isolate it by hand, or for `checks.circuitBreaker`). */
  readonly breaker: CircuitBreaker | undefined;
  /** The SLO trackers, for the monitor's `slos` and Prometheus rules. */
  readonly slos: readonly SloTracker[];
  /** The attempts' latency tracker. */
  readonly latency: LatencyTracker;
  /** Closes the breaker, the SLO trackers and the latency tracker. Idempotent. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

type Parsed = z.output<typeof trackDependencyOptionsSchema>;

class Dependency implements TrackedDependency {
  readonly name: string;
  readonly breaker: CircuitBreaker | undefined;
  readonly slos: readonly SloTracker[];
  readonly latency: LatencyTracker;
  readonly #clock: Clock;
  readonly #options: Parsed;
  readonly #policy: Policy<ExecuteContext>;
  readonly #window: RollingCounter;
  readonly #availability: SloTracker | undefined;
  readonly #latencySlo: SloTracker | undefined;
  readonly #latencyMs: number;
  readonly #budget: RetryBudget | undefined;
  readonly #isFailure: (error: unknown) => boolean;
  #calls = 0;
  #succeeded = 0;
  #failed = 0;
  #refused = 0;
  #retries = 0;
  #closed = false;

  constructor(options: Parsed, clock: Clock, deps: Deps | undefined) {
    this.name = options.name;
    this.#clock = clock;
    this.#options = options;
    const userIsFailure = options.isFailure;
    this.#isFailure = userIsFailure === undefined ? () => true : (error) => safely(userIsFailure, error);
    this.#window = new RollingCounter(options.windowMs, clock.now());
    const slo = options.slo;
    this.#latencyMs = slo === false ? 0 : (slo.latencyMs ?? 0);
    this.latency = createLatencyTracker(
      {
        window: { durationMs: options.windowMs, slices: 6 },
        maxKeys: 1,
        thresholdsMs: this.#latencyMs > 0 ? [this.#latencyMs] : [],
      },
      deps,
    );
    const slos: SloTracker[] = [];
    if (slo !== false) {
      const common = { window: slo.window, alerts: slo.alerts };
      if (slo.availability !== false) {
        this.#availability = createSloTracker(
          sloOptions(`${this.name}:availability`, { kind: 'availability', target: slo.availability }, common),
          deps,
        );
        slos.push(this.#availability);
      }
      if (slo.latencyMs !== undefined) {
        this.#latencySlo = createSloTracker(
          sloOptions(
            `${this.name}:latency`,
            { kind: 'latency', target: slo.latencyTarget, thresholdMs: slo.latencyMs },
            common,
          ),
          deps,
        );
        slos.push(this.#latencySlo);
      }
    }
    this.slos = slos;
    this.breaker =
      options.breaker === false
        ? undefined
        : nested('breaker', () =>
            createCircuitBreaker({ ...options.breaker, name: this.name, isFailure: this.#isFailure }, deps),
          );
    this.#budget =
      options.retry === false || options.retryBudget === false
        ? undefined
        : isRetryBudget(options.retryBudget)
          ? options.retryBudget
          : nested('retryBudget', () => createRetryBudget(options.retryBudget as RetryBudgetOptions, deps));
    this.#policy = this.#compose(deps);
  }

  call<T>(work: Work<T, ExecuteContext>, options?: ExecuteOptions): Promise<T> {
    this.#calls++;
    return this.#policy.execute(work, options).then(
      (value) => {
        this.#succeeded++;
        return value;
      },
      (error: unknown) => {
        this.#failed++;
        throw error;
      },
    );
  }

  status(): DependencyStatus {
    const now = this.#clock.now();
    const calls = this.#window.calls(now);
    const errors = this.#window.bad(now);
    const latencyP95Ms =
      calls === 0 ? null : rounded(this.latency.percentile(95, undefined, { window: 'window' }), 3);
    const breaker = this.breaker === undefined ? 'none' : this.breaker.stats().state;
    const availability =
      this.#availability === undefined ? undefined : summariseSlo(this.#availability.status());
    const latency = this.#latencySlo === undefined ? undefined : summariseSlo(this.#latencySlo.status());
    const verdict = this.#judge(calls, errors, breaker, availability, latency, latencyP95Ms);
    const status: DependencyStatus = {
      name: this.name,
      state: verdict.state,
      reason: verdict.reason,
      windowMs: this.#options.windowMs,
      calls,
      errors,
      errorRate: calls === 0 ? null : rounded(errors / calls),
      latencyP95Ms,
      breaker,
      slo: {
        ...(availability === undefined ? {} : { availability }),
        ...(latency === undefined ? {} : { latency }),
      },
      totals: {
        calls: this.#calls,
        succeeded: this.#succeeded,
        failed: this.#failed,
        refused: this.#refused,
        retries: this.#retries,
      },
    };
    return this.#budget === undefined ? status : { ...status, retryBudget: this.#budget.stats() };
  }

  serviceHealth(): ServiceHealth {
    const status = this.status();
    const health: ServiceHealth = { status: status.state, breaker: status.breaker };
    if (status.latencyP95Ms !== null) health.latency_ms = status.latencyP95Ms;
    if (status.errorRate !== null) health.error_rate = status.errorRate;
    health.calls = status.calls;
    const availability = status.slo.availability;
    if (availability?.sli !== null && availability?.sli !== undefined)
      health.availability = rounded(availability.sli, 6);
    if (status.state !== 'up') health.reason = status.reason;
    return health;
  }

  healthCheck(): HealthCheckDefinition {
    return verdictCheck('latency', 'ms', () => {
      const status = this.status();
      return { verdict: status, value: status.latencyP95Ms };
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.breaker?.close();
    for (const slo of this.slos) slo.close();
    await this.latency.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // retry (outermost) → throttle → measured attempt → breaker → timeout → work.
  #compose(deps: Deps | undefined): Policy<ExecuteContext> {
    const options = this.#options;
    const layers: Array<Policy<ExecuteContext>> = [];
    if (options.retry !== false) {
      const budget = this.#budget;
      const retryOn = (error: unknown): boolean => this.#isFailure(error);
      layers.push(
        nested('retry', () =>
          createRetryPolicy({ ...options.retry, retryOn, ...(budget === undefined ? {} : { budget }) }, deps),
        ),
      );
    }
    if (options.throttle !== false) {
      const { limiter, key, maxWaitMs } = options.throttle;
      layers.push(limiter.throttle(key ?? this.name, maxWaitMs === undefined ? {} : { maxWaitMs }));
    }
    layers.push(this.#measure());
    if (this.breaker !== undefined) layers.push(this.breaker);
    if (options.timeoutMs !== false) layers.push(createTimeout(options.timeoutMs, deps));
    const [first, ...rest] = layers as [Policy<ExecuteContext>, ...Array<Policy<ExecuteContext>>];
    return rest.length === 0 ? first : compose(first, ...rest);
  }

  // The layer that sees each attempt with the breaker and timeout inside it: a timeout counts at the
  // moment it fires, an open circuit is a refusal that never reached the dependency.
  #measure(): Policy<ExecuteContext> {
    return {
      execute: <T>(work: Work<T>, options?: ExecuteOptions): Promise<T> => {
        // Under a retry the options are its scope, which carries the attempt number.
        const attempt = (options as { readonly attempt?: number } | undefined)?.attempt;
        if (attempt !== undefined && attempt > 1) this.#retries++;
        const started = this.#clock.now();
        const settle = (ok: boolean | undefined): void => this.#record(started, ok);
        // With no layer outside it and no caller options, the work still gets a signal.
        const context = options ?? { signal: new AbortController().signal };
        return invoke(work, context as ExecuteContext).then(
          (value) => {
            settle(true);
            return value;
          },
          (error: unknown) => {
            settle(this.#counts(error, options));
            throw error;
          },
        );
      },
    };
  }

  // true: good; false: counts against the dependency; undefined: not an attempt (refused or aborted).
  #counts(error: unknown, options: ExecuteOptions | undefined): boolean | undefined {
    if (isSreError(error, 'ERR_SRE_CIRCUIT_OPEN') || isSreError(error, 'ERR_SRE_RATE_LIMITED'))
      return undefined;
    if (options?.signal?.aborted === true && !isSreError(error, 'ERR_SRE_TIMEOUT')) return undefined;
    return this.#isFailure(error) ? false : true;
  }

  #record(started: number, ok: boolean | undefined): void {
    if (ok === undefined) {
      this.#refused++;
      return;
    }
    const now = this.#clock.now();
    const latencyMs = Math.max(0, now - started);
    this.latency.record(latencyMs, undefined, now);
    this.#window.record(now, !ok);
    this.#availability?.record(ok);
    this.#latencySlo?.record({ ok, latencyMs });
  }

  #judge(
    calls: number,
    errors: number,
    breaker: CircuitState | 'none',
    availability: ServiceSloStatus | undefined,
    latency: ServiceSloStatus | undefined,
    latencyP95Ms: number | null,
  ): ServiceVerdict {
    const { windowMs, minCalls, degradedErrorRate, downErrorRate } = this.#options;
    const seconds = `${windowMs / 1000} s`;
    if (breaker === 'open' || breaker === 'isolated') return { state: 'down', reason: `breaker ${breaker}` };
    const judged = calls >= minCalls;
    const rate = calls === 0 ? 0 : errors / calls;
    const failedText = `${errors} of ${calls} calls failed in ${seconds}`;
    if (judged && rate >= downErrorRate) return { state: 'down', reason: failedText };
    if (breaker === 'halfOpen') return { state: 'degraded', reason: 'breaker half-open (probing)' };
    if (judged && rate >= degradedErrorRate) return { state: 'degraded', reason: failedText };
    const fromSlo = sloVerdict(availability) ?? sloVerdict(latency);
    if (fromSlo !== undefined) return fromSlo;
    if (judged && latencyP95Ms !== null && this.#latencyMs > 0 && latencyP95Ms > this.#latencyMs) {
      return { state: 'degraded', reason: `p95 ${latencyP95Ms} ms over ${this.#latencyMs} ms in ${seconds}` };
    }
    return {
      state: 'up',
      reason: judged
        ? failedText
        : `${calls} calls in ${seconds}: fewer than ${minCalls}, error rate not judged`,
    };
  }
}

function sloOptions(
  name: string,
  objective: Parameters<typeof createSloTracker>[0]['objective'],
  common: { window: SloWindow | undefined; alerts: BurnRatePreset | false },
): Parameters<typeof createSloTracker>[0] {
  return common.window === undefined
    ? { name, objective, alerts: common.alerts }
    : { name, objective, alerts: common.alerts, window: common.window };
}

function safely(predicate: (error: unknown) => boolean, error: unknown): boolean {
  try {
    return Boolean(predicate(error));
  } catch {
    // A throwing predicate must not lose the outcome: count the error against the dependency.
    return true;
  }
}

// Builds a nested primitive; its ConfigError is re-thrown naming the field under trackDependency.
function nested<T>(field: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const issues = error.issues.map((issue) => ({
      ...issue,
      field: issue.field === '(options)' ? field : `${field}.${issue.field}`,
    }));
    throw new ConfigError('trackDependency', issues, { cause: error });
  }
}

/**
 * Tracks an outgoing dependency in one line: every `call` runs under its throttle, retry (with a
 * budget), circuit breaker and per-attempt timeout, and each attempt feeds its latency, its error rate
 * and its SLOs. `status()` judges it up, degraded or down and says why.
 *
 * @example
 * ```ts
 * const payments = trackDependency({ name: 'payments-api', slo: { availability: 0.999, latencyMs: 300 },
 *   timeoutMs: 2_000 });
 * const charge = await payments.call(({ signal }) => fetch(url, { signal, method: 'POST', body }));
 * health.register('payments-api', payments.healthCheck());
 * ```
 * @throws {ConfigError} naming each bad option (nested ones as `breaker.openMs`, `retry.retries`, ...).
 */
export function trackDependency(options: TrackDependencyOptions, deps?: Deps): TrackedDependency {
  const parsed = parseOptions(trackDependencyOptionsSchema, options, 'trackDependency');
  return new Dependency(parsed, resolveDeps(deps).clock, deps);
}
