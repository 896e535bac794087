import {
  ConfigError,
  ErrorCode,
  SafeEmitter,
  SreError,
  TimeoutError,
  describeValue,
  parseOptions,
  resolveDeps,
  startPoller,
  type CancelScheduled,
  type Clock,
  type Deps,
  type EventSource,
  type InternalErrorHandler,
  type Poller,
} from '../core/index.js';
import {
  NAME_RULE,
  healthCheckOptionsSchema,
  healthRegistryOptionsSchema,
  isValidCheckName,
  type HealthCheckOptions,
  type HealthRegistryOptions,
} from './options.js';
import { TIMED_OUT, outcomeFromError, outcomeFromValue, type NormalizedOutcome } from './outcome.js';
import type {
  CheckResult,
  HealthCheckContext,
  HealthCheckDefinition,
  HealthCheckFn,
  HealthCheckResult,
  HealthProbe,
  HealthServiceInfo,
  HealthStatus,
} from './types.js';

/** Selects which checks `HealthRegistry.check()` runs. */
export interface HealthCheckRequest {
  /** Only the checks registered for this probe; absent means every check. */
  readonly probe?: HealthProbe;
  /** Only the checks carrying at least one of these tags. */
  readonly tags?: readonly string[];
  /** Leave out the checks with these names (unknown names are ignored). */
  readonly exclude?: readonly string[];
  /** Stops waiting: the call rejects with `ERR_SRE_ABORTED`; runs other callers share go on. */
  readonly signal?: AbortSignal;
}

/** Payload of the `statusChanged` event. */
export interface HealthStatusChangedEvent {
  /** The check's name. */
  readonly name: string;
  /** Its status before this run; absent on its first run. */
  readonly previous?: HealthStatus;
  /** Its status now. */
  readonly status: HealthStatus;
  /** The run that changed it. */
  readonly result: CheckResult;
}

/** Payload of the `unregistered` event. */
export interface HealthCheckUnregisteredEvent {
  /** The check's name. */
  readonly name: string;
  /** Whether it was critical. */
  readonly critical: boolean;
  /** Its latest run before it was removed; absent if it never ran. */
  readonly last?: CheckResult;
}

/** Events a {@link HealthRegistry} emits. */
export type HealthRegistryEvents = {
  /** A check's status differs from its previous run's (or it ran for the first time). */
  statusChanged: HealthStatusChangedEvent;
  /** A check was removed with the function `register()` returned (not on `close()`). */
  unregistered: HealthCheckUnregisteredEvent;
};

/** A registry of health checks answering liveness, readiness and startup probes. */
export interface HealthRegistry extends EventSource<HealthRegistryEvents> {
  /**
   * Adds a check and returns a function that removes it again (idempotent).
   * @throws {ConfigError} on a bad or duplicate name, a check that is neither a function nor a
   *   definition, or bad options.
   * @throws {SreError} `ERR_SRE_CLOSED` after `close()`.
   */
  register(
    name: string,
    check: HealthCheckFn | HealthCheckDefinition,
    options?: HealthCheckOptions,
  ): () => void;
  /**
   * Runs (or reuses) the selected checks, each bounded by its timeout, and aggregates them.
   * Concurrent calls share each check's run.
   * @throws {ConfigError} (as a rejection) on an unknown probe.
   * @throws {SreError} (as a rejection) `ERR_SRE_ABORTED` when `signal` aborts, `ERR_SRE_CLOSED` after close.
   */
  check(request?: HealthCheckRequest): Promise<HealthCheckResult>;
  /** Starts draining: readiness (and the all-checks answer) fails with `shutting down`; liveness is unaffected. Idempotent. */
  drain(): void;
  /** Whether `drain()` has been called. */
  readonly draining: boolean;
  /** The names of the registered checks, in registration order. */
  names(): readonly string[];
  /** Stops background checks, aborts runs in flight, releases built-in checks and listeners. Idempotent. */
  close(): void;
  /** Same as {@link HealthRegistry.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

interface Entry {
  readonly name: string;
  readonly run: HealthCheckFn;
  readonly definition: HealthCheckDefinition | undefined;
  readonly critical: boolean;
  readonly timeoutMs: number;
  readonly tags: readonly string[];
  readonly probes: ReadonlySet<HealthProbe>;
  readonly componentType: string;
  readonly measurement: string | undefined;
  readonly background: boolean;
  poller: Poller | undefined;
  last: CheckResult | undefined;
  lastAt: number;
  /** The first run that did not fail: the startup probe's latch. */
  passed: CheckResult | undefined;
  inflight: Promise<CheckResult> | undefined;
  abortRun: ((output: string) => void) | undefined;
  removed: boolean;
}

const DRAINING_OUTPUT = 'shutting down';

/**
 * @internal Whether draining fails the answer for `probe`: readiness and the all-checks answer stop
 * traffic; liveness and startup are unaffected, or a draining pod would be restarted mid-shutdown.
 */
export function drainingFails(probe: HealthProbe | undefined): boolean {
  return probe !== 'liveness' && probe !== 'startup';
}

/**
 * Creates a health-check registry: every check bounded by a timeout, concurrent callers sharing one
 * run, critical and non-critical checks, Kubernetes probes, background checks and draining.
 *
 * @example
 * ```ts
 * const health = createHealthRegistry({ service: 'checkout', version: '1.4.2', defaultTimeoutMs: 500 });
 * health.register('database', async ({ signal }) => {
 *   await db.ping({ signal });
 * }, { critical: true, timeoutMs: 300, componentType: 'datastore' });
 * health.register('eventLoop', checks.eventLoopDelay({ warnMs: 100, failMs: 500 }), { probes: ['liveness'] });
 * const { body, httpStatus } = toHealthJson(await health.check({ probe: 'readiness' }));
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function createHealthRegistry(options: HealthRegistryOptions = {}, deps?: Deps): HealthRegistry {
  return new Registry(options, deps);
}

class Registry implements HealthRegistry {
  readonly #clock: Clock;
  readonly #onInternalError: InternalErrorHandler;
  readonly #events: SafeEmitter<HealthRegistryEvents>;
  readonly #defaultTimeoutMs: number;
  readonly #cacheTtlMs: number;
  readonly #exposeDetails: boolean;
  readonly #service: HealthServiceInfo;
  readonly #entries = new Map<string, Entry>();
  // Precomputed per probe on register/unregister, so a probe call never filters by probe.
  #all: Entry[] = [];
  #byProbe: Record<HealthProbe, Entry[]> = { liveness: [], readiness: [], startup: [] };
  #draining = false;
  #closed = false;
  // Formatting a timestamp costs more than answering from cache: format once per wall-clock millisecond.
  #isoWall = Number.NaN;
  #iso = '';

  constructor(options: HealthRegistryOptions, deps: Deps | undefined) {
    const parsed = parseOptions(healthRegistryOptionsSchema, options, 'createHealthRegistry');
    const { clock, onInternalError } = resolveDeps(deps);
    this.#clock = clock;
    this.#onInternalError = onInternalError;
    this.#events = new SafeEmitter(`health:${parsed.service ?? 'registry'}`, onInternalError);
    this.#defaultTimeoutMs = parsed.defaultTimeoutMs;
    this.#cacheTtlMs = parsed.cacheTtlMs;
    this.#exposeDetails = parsed.exposeDetails;
    const service: { -readonly [K in keyof HealthServiceInfo]: HealthServiceInfo[K] } = {};
    if (parsed.service !== undefined) {
      service.serviceId = parsed.service;
      service.description = `health of ${parsed.service}`;
    }
    if (parsed.version !== undefined) service.version = parsed.version;
    if (parsed.releaseId !== undefined) service.releaseId = parsed.releaseId;
    this.#service = Object.freeze(service);
  }

  get draining(): boolean {
    return this.#draining;
  }

  on: HealthRegistry['on'] = (event, listener) => this.#events.on(event, listener);
  once: HealthRegistry['once'] = (event, listener) => this.#events.once(event, listener);
  off: HealthRegistry['off'] = (event, listener) => this.#events.off(event, listener);

  register(
    name: string,
    check: HealthCheckFn | HealthCheckDefinition,
    options: HealthCheckOptions = {},
  ): () => void {
    if (this.#closed) throw new SreError(ErrorCode.CLOSED, 'health registry is closed');
    const where = 'HealthRegistry.register';
    if (!isValidCheckName(name))
      throw new ConfigError(where, [{ field: 'name', received: describeValue(name), expected: NAME_RULE }]);
    if (this.#entries.has(name))
      throw new ConfigError(where, [
        { field: 'name', received: describeValue(name), expected: 'a name not registered yet' },
      ]);
    const definition = typeof check === 'function' ? undefined : check;
    const run = typeof check === 'function' ? check : (check as Partial<HealthCheckDefinition> | null)?.run;
    if (typeof run !== 'function')
      throw new ConfigError(where, [
        {
          field: 'check',
          received: describeValue(check),
          expected: 'a check function or a definition with a run function',
        },
      ]);
    const parsed = parseOptions(healthCheckOptionsSchema, options, `${where}('${name}')`);
    const entry: Entry = {
      name,
      run: definition === undefined ? run : run.bind(definition),
      definition,
      critical: parsed.critical,
      timeoutMs: parsed.timeoutMs ?? this.#defaultTimeoutMs,
      tags: parsed.tags,
      probes: new Set(parsed.probes),
      componentType: parsed.componentType ?? definition?.componentType ?? 'component',
      measurement: parsed.measurement ?? definition?.measurement,
      background: parsed.intervalMs !== undefined,
      poller: undefined,
      last: undefined,
      lastAt: 0,
      passed: undefined,
      inflight: undefined,
      abortRun: undefined,
      removed: false,
    };
    this.#entries.set(name, entry);
    this.#reindex();
    if (parsed.intervalMs !== undefined) {
      entry.poller = startPoller({
        clock: this.#clock,
        intervalMs: parsed.intervalMs,
        task: () => this.#runShared(entry),
        onError: this.#onInternalError,
        source: `health:${name}`,
        immediate: true,
      });
    }
    return () => this.#remove(entry);
  }

  check(request?: HealthCheckRequest): Promise<HealthCheckResult> {
    if (this.#closed) return Promise.reject(new SreError(ErrorCode.CLOSED, 'health registry is closed'));
    const probe = request?.probe;
    let list: Entry[];
    if (probe === undefined) list = this.#all;
    else if (probe === 'liveness' || probe === 'readiness' || probe === 'startup')
      list = this.#byProbe[probe];
    else
      return Promise.reject(
        new ConfigError('HealthRegistry.check', [
          {
            field: 'probe',
            received: describeValue(probe),
            expected: 'one of "liveness" | "readiness" | "startup"',
          },
        ]),
      );
    const signal = request?.signal;
    if (signal?.aborted === true) return Promise.reject(abortedError(signal));
    const start = this.#clock.now();
    if (this.#draining && drainingFails(probe)) return Promise.resolve(this.#drainingResult(probe, start));

    const tags = request?.tags;
    const exclude = request?.exclude;
    if ((tags !== undefined && tags.length > 0) || (exclude !== undefined && exclude.length > 0))
      list = list.filter(
        (entry) =>
          (exclude === undefined || !exclude.includes(entry.name)) &&
          (tags === undefined || tags.length === 0 || entry.tags.some((tag) => tags.includes(tag))),
      );

    const results = new Array<CheckResult>(list.length);
    let pending: Promise<void>[] | undefined;
    let status: HealthStatus = 'pass';
    for (let i = 0; i < list.length; i++) {
      const entry = list[i] as Entry;
      const ready = this.#reusable(entry, probe, start);
      if (ready !== undefined) {
        results[i] = ready;
        status = combine(status, ready);
      } else
        (pending ??= []).push(
          this.#runShared(entry).then((result) => {
            results[i] = result;
          }),
        );
    }
    // Everything cached: answer without a single extra await.
    if (pending === undefined) return Promise.resolve(this.#result(probe, status, results, start));
    const all = Promise.all(pending).then(() => {
      for (const result of results) status = combine(status, result);
      return this.#result(probe, status, results, start);
    });
    return signal === undefined ? all : raceAbort(all, signal);
  }

  drain(): void {
    this.#draining = true;
  }

  names(): readonly string[] {
    return this.#all.map((entry) => entry.name);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const entry of this.#all) this.#release(entry, 'registry closed');
    this.#entries.clear();
    this.#reindex();
    this.#events.clear();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  #remove(entry: Entry): void {
    if (entry.removed || this.#closed) return;
    const last = entry.last;
    this.#release(entry, 'check unregistered');
    if (this.#entries.get(entry.name) === entry) this.#entries.delete(entry.name);
    this.#reindex();
    if (this.#events.has('unregistered'))
      this.#events.emit(
        'unregistered',
        last === undefined
          ? { name: entry.name, critical: entry.critical }
          : { name: entry.name, critical: entry.critical, last },
      );
  }

  #release(entry: Entry, reason: string): void {
    entry.removed = true;
    entry.poller?.stop();
    entry.poller = undefined;
    entry.abortRun?.(reason);
    try {
      entry.definition?.close?.();
    } catch (error) {
      this.#onInternalError(error, { source: `health:${entry.name}`, task: 'close' });
    }
  }

  #isoNow(): string {
    const wall = this.#clock.wallNow();
    if (wall !== this.#isoWall) {
      this.#isoWall = wall;
      this.#iso = new Date(wall).toISOString();
    }
    return this.#iso;
  }

  #reindex(): void {
    this.#all = [...this.#entries.values()];
    const byProbe: Record<HealthProbe, Entry[]> = { liveness: [], readiness: [], startup: [] };
    for (const entry of this.#all) for (const probe of entry.probes) byProbe[probe].push(entry);
    this.#byProbe = byProbe;
  }

  /** A result that may answer without running the check, if there is one. */
  #reusable(entry: Entry, probe: HealthProbe | undefined, now: number): CheckResult | undefined {
    if (probe === 'startup' && entry.passed !== undefined) return entry.passed;
    const last = entry.last;
    if (last === undefined) return undefined;
    // A background check answers from its latest run; its poller keeps that run recent.
    if (entry.background) return last;
    if (this.#cacheTtlMs > 0 && now - entry.lastAt < this.#cacheTtlMs) return last;
    return undefined;
  }

  /** The run in flight for `entry`, or a new one: concurrent callers share a single call of the check. */
  #runShared(entry: Entry): Promise<CheckResult> {
    if (entry.inflight !== undefined) return entry.inflight;
    const run = this.#run(entry);
    // A synchronous check has already finished (and cleared abortRun): nothing is in flight to share.
    if (entry.abortRun !== undefined) entry.inflight = run;
    return run;
  }

  #run(entry: Entry): Promise<CheckResult> {
    return new Promise<CheckResult>((resolve) => {
      const clock = this.#clock;
      const start = clock.now();
      const context = new RunContext();
      let done = false;
      let cancelTimer: CancelScheduled | undefined = undefined;
      const finish = (outcome: NormalizedOutcome): void => {
        if (done) return; // a late result after a timeout or close is ignored
        done = true;
        cancelTimer?.();
        entry.abortRun = undefined;
        entry.inflight = undefined;
        const result = this.#toResult(entry, outcome, clock.now() - start);
        this.#store(entry, result);
        resolve(result);
      };
      entry.abortRun = (output) => {
        finish({ status: 'fail', output });
        context.abort(new SreError(ErrorCode.CLOSED, output));
      };
      let value: unknown;
      try {
        value = entry.run(context);
      } catch (error) {
        finish(outcomeFromError(error));
        return;
      }
      if (!isThenable(value)) {
        finish(outcomeFromValue(value));
        return;
      }
      // Probes the caller waits on keep the process alive until the timeout; background runs do not.
      cancelTimer = clock.schedule(
        entry.timeoutMs,
        () => {
          finish(TIMED_OUT);
          context.abort(new TimeoutError(entry.timeoutMs, `health check '${entry.name}' timed out`));
        },
        { ref: !entry.background },
      );
      value.then(
        (resolved) => finish(outcomeFromValue(resolved)),
        (error: unknown) => finish(outcomeFromError(error)),
      );
    });
  }

  #toResult(entry: Entry, outcome: NormalizedOutcome, durationMs: number): CheckResult {
    const result: { -readonly [K in keyof CheckResult]: CheckResult[K] } = {
      name: entry.name,
      status: outcome.status,
      critical: entry.critical,
      durationMs,
      time: this.#isoNow(),
      componentType: entry.componentType,
    };
    if (outcome.output !== undefined) result.output = outcome.output;
    if (outcome.observedValue !== undefined) result.observedValue = outcome.observedValue;
    if (outcome.observedUnit !== undefined) result.observedUnit = outcome.observedUnit;
    if (entry.measurement !== undefined) result.measurement = entry.measurement;
    return Object.freeze(result);
  }

  #store(entry: Entry, result: CheckResult): void {
    if (entry.removed) return;
    const previous = entry.last?.status;
    entry.last = result;
    entry.lastAt = this.#clock.now();
    if (entry.passed === undefined && result.status !== 'fail') entry.passed = result;
    if (previous !== result.status && this.#events.has('statusChanged')) {
      this.#events.emit(
        'statusChanged',
        previous === undefined
          ? { name: entry.name, status: result.status, result }
          : { name: entry.name, previous, status: result.status, result },
      );
    }
  }

  #result(
    probe: HealthProbe | undefined,
    status: HealthStatus,
    checks: readonly CheckResult[],
    start: number,
  ): HealthCheckResult {
    const result: { -readonly [K in keyof HealthCheckResult]: HealthCheckResult[K] } = {
      status,
      checks,
      durationMs: this.#clock.now() - start,
      time: this.#isoNow(),
      draining: this.#draining,
      service: this.#service,
      exposeDetails: this.#exposeDetails,
    };
    if (probe !== undefined) result.probe = probe;
    return result;
  }

  #drainingResult(probe: HealthProbe | undefined, start: number): HealthCheckResult {
    const result: { -readonly [K in keyof HealthCheckResult]: HealthCheckResult[K] } = {
      status: 'fail',
      checks: [],
      durationMs: this.#clock.now() - start,
      time: this.#isoNow(),
      draining: true,
      output: DRAINING_OUTPUT,
      service: this.#service,
      exposeDetails: this.#exposeDetails,
    };
    if (probe !== undefined) result.probe = probe;
    return result;
  }
}

/**
 * What a check function receives. The AbortController behind `signal` is created only when a check
 * reads it: most checks never do, and creating one costs more than answering a probe from cache.
 */
class RunContext implements HealthCheckContext {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

/**
 * Folds one check into an aggregate status: a critical failure fails, any other failure or warning
 * warns, and nothing ever improves an aggregate.
 */
export function combine(
  aggregate: HealthStatus,
  check: Pick<CheckResult, 'status' | 'critical'>,
): HealthStatus {
  if (aggregate === 'fail') return 'fail';
  if (check.status === 'fail') return check.critical ? 'fail' : 'warn';
  if (check.status === 'warn') return 'warn';
  return aggregate;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

function abortedError(signal: AbortSignal): SreError {
  return new SreError(ErrorCode.ABORTED, 'health check aborted', { cause: signal.reason });
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortedError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then((value) => {
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
  });
}
