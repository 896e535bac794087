import {
  parseOptions,
  resolveDeps,
  startPoller,
  type Clock,
  type InternalErrorHandler,
  type Poller,
} from '../core/index.js';
import type { HealthCheckResult, HealthRegistry } from '../health/index.js';
import {
  createAlertRouter,
  createIncidentRecorder,
  createResponder,
  type Alert,
  type AlertRouter,
  type Incident,
  type IncidentRecorder,
  type IncidentReport,
  type Responder,
  type Severity,
} from '../incidents/index.js';
import type { LatencySummary, LatencyTracker } from '../latency/index.js';
import type { CircuitBreaker } from '../resilience/index.js';
import type { SaturationMonitor } from '../saturation/index.js';
import { calendarPeriod, type SloStatus, type SloTracker } from '../slo/index.js';
import { wireAutoIncidents, type MonitorAlert } from './auto-incidents.js';
import { capacityForecast, capacityPredictions, defaultRssLimit } from './capacity-forecast.js';
import { deploymentReadiness, type ReadinessInput } from './deployment-readiness.js';
import { DEFAULT_CAPACITY_LIMITS, type CapacitySignal } from './forecast.js';
import { healthReport, slaCompliance } from './health-report.js';
import { History } from './history.js';
import { fileSlos, sampleLatency, sampleSaturation, type SamplingErrors } from './history-sampling.js';
import {
  PoolSeries,
  ownedPrimitives,
  serviceCauses,
  serviceEntries,
  type ObservedServices,
} from './observed-services.js';
import { monitorOptionsSchema } from './options.js';
import { performanceAnalysis, routeLatencies, TIMEFRAME_MS } from './performance-analysis.js';
import type {
  CapacityForecast,
  CapacityPrediction,
  DeploymentReadiness,
  MonitorHealthReport,
  PerformanceAnalysis,
  SlaReport,
} from './report-schemas.js';
import { handleAgentRequest, type AgentResponse } from './protocol/index.js';
import { slaReport } from './sla-report.js';
import { readHistoryFile, writeFileAtomic } from './snapshot-file.js';
import type { Monitor, MonitorDeps, MonitorOptions, SlaPeriod, Timeframe } from './types.js';

type Parsed = ReturnType<typeof parseMonitorOptions>;
function parseMonitorOptions(options: MonitorOptions) {
  return parseOptions(monitorOptionsSchema, options, 'createMonitor');
}

const MAX_LISTED_INCIDENTS = 100;

/**
 * Creates the reliability agent: subscribes to every SLO tracker's burn-rate alerts, every breaker's
 * open/close and every critical health check, turns each into an alert (through the alert router) and
 * an incident (through the responder, deduplicated by a stable key such as `slo:<name>:page`), resolves
 * it when the signal recovers, keeps an hourly history, and answers reports. It creates an in-memory
 * incident recorder, responder and alert router when not given, and closes only what it created.
 * Evaluation and history snapshots run on unref'd timers that `close()` clears.
 *
 * @example
 * ```ts
 * const monitor = createMonitor({
 *   service: 'checkout',
 *   health, latency, slos: [availability, fastEnough], breakers: [payments], saturation,
 *   history: { retainDays: 35, file: './monitor-history.json' },
 * });
 * console.log(await monitor.healthReport({ includePredictions: true }));
 * console.log(monitor.slaReport({ period: 'month' }));
 * await monitor.close();
 * ```
 * @throws {ConfigError} when options are invalid (a responder without the recorder it uses, ...).
 */
export function createMonitor(options: MonitorOptions, deps?: MonitorDeps): Monitor {
  const parsed = parseMonitorOptions(options);
  return new MonitorImpl(options, parsed, deps);
}

class MonitorImpl implements Monitor {
  readonly service: string;
  readonly incidents: IncidentRecorder;
  readonly #clock: Clock;
  readonly #onError: InternalErrorHandler;
  readonly #source: string;
  readonly #errors: SamplingErrors;
  readonly #health: HealthRegistry | undefined;
  readonly #latency: LatencyTracker | undefined;
  readonly #slos: readonly SloTracker[];
  readonly #breakers: readonly CircuitBreaker<never>[];
  readonly #saturation: SaturationMonitor | undefined;
  readonly #observed: ObservedServices;
  readonly #poolSeries = new PoolSeries();
  readonly #responder: Responder;
  readonly #alerts: AlertRouter;
  readonly #latencyBudgetMs: number | undefined;
  readonly #limits: Record<CapacitySignal, number>;
  readonly #history: History;
  readonly #historyFile: string | undefined;
  readonly #owned: { recorder: boolean; responder: boolean; alerts: boolean };
  readonly #unsubscribe: (() => void)[];
  readonly #queues = new Map<string, Promise<void>>();
  readonly #pollers: Poller[] = [];
  #lastSampledAt = Number.NaN;
  #saving: Promise<void> = Promise.resolve();
  #closing: Promise<void> | undefined;

  constructor(options: MonitorOptions, parsed: Parsed, deps: MonitorDeps | undefined) {
    const { clock, onInternalError } = resolveDeps(deps);
    this.#clock = clock;
    this.#onError = onInternalError;
    this.service = parsed.service;
    this.#source = `monitor:${parsed.service}`;
    this.#errors = { onError: onInternalError, source: this.#source };
    // The caller's own objects, not zod's output.
    this.#health = options.health;
    this.#latency = options.latency;
    this.#observed = {
      dependencies: [...(options.dependencies ?? [])],
      pools: [...(options.pools ?? [])],
      caches: [...(options.caches ?? [])],
      pipelines: [...(options.pipelines ?? [])],
    };
    // The observed services' own SLOs and breakers are watched like the caller's (once each).
    const owned = ownedPrimitives(this.#observed);
    this.#slos = [...new Set([...(options.slos ?? []), ...owned.slos])];
    this.#breakers = [...new Set([...(options.breakers ?? []), ...owned.breakers])];
    this.#saturation = options.saturation;
    this.#latencyBudgetMs = parsed.latencyBudgetMs;
    this.#owned = {
      recorder: options.incidents === undefined,
      responder: options.responder === undefined,
      alerts: options.alerts === undefined,
    };
    const sub = { clock, onInternalError };
    this.incidents = options.incidents ?? createIncidentRecorder({ service: parsed.service }, sub);
    // Without runbooks every incident is escalated at once; the alert router has already told people,
    // so the default escalation only leaves its note on the timeline.
    this.#responder =
      options.responder ??
      createResponder({ recorder: this.incidents, runbooks: [], escalate: () => undefined }, sub);
    this.#alerts =
      options.alerts ??
      createAlertRouter(
        { routes: [{ name: 'monitor', notifiers: [{ name: 'none', notify: () => Promise.resolve() }] }] },
        sub,
      );
    this.#limits = {
      ...DEFAULT_CAPACITY_LIMITS,
      rssBytes: defaultRssLimit(),
      // Forecasts aim at the limits that make the process shed, then at the caller's own.
      ...(options.saturation?.limits ?? {}),
      ...definedOnly(parsed.capacityLimits ?? {}),
    };

    this.#history = new History(parsed.history.retainDays);
    this.#historyFile = parsed.history.file;
    if (this.#historyFile !== undefined) {
      try {
        const restored = readHistoryFile(this.#historyFile);
        if (restored !== undefined) this.#history.restore(restored);
      } catch (error) {
        // A corrupt or unreadable file must not stop the service: start with an empty history.
        this.#onError(error, { source: this.#source, task: 'restore history' });
      }
    }

    this.#unsubscribe = wireAutoIncidents({
      service: this.service,
      auto: parsed.autoIncidents,
      slos: this.#slos,
      breakers: this.#breakers,
      health: this.#health,
      raise: (alert, severity) => this.#raise(alert, severity),
    });
    this.#pollers.push(
      startPoller({
        clock,
        intervalMs: parsed.evaluateIntervalMs,
        task: () => this.evaluate(),
        onError: onInternalError,
        source: this.#source,
      }),
    );
    if (this.#historyFile !== undefined)
      this.#pollers.push(
        startPoller({
          clock,
          intervalMs: parsed.history.snapshotIntervalMs,
          task: () => this.#saveHistory(),
          onError: onInternalError,
          source: `${this.#source}:history`,
        }),
      );
  }

  // ---- automatic incidents: alert → router (people) and responder (incident) ------------------

  // Alerts of one key are handled in order, so a recovery never overtakes the opening it resolves.
  #raise(alert: MonitorAlert, severity: Severity): void {
    if (this.#closing !== undefined) return;
    const withPriority: Alert = { ...alert, labels: { ...alert.labels, priority: severity } };
    this.#alerts.send(withPriority);
    const key = alert.dedupKey;
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.#responder.handle(withPriority))
      .then(
        () => undefined,
        (error: unknown) => this.#onError(error, { source: this.#source, task: `respond to ${key}` }),
      );
    this.#queues.set(key, next);
    void next.then(() => {
      if (this.#queues.get(key) === next) this.#queues.delete(key);
    });
  }

  async #settle(): Promise<void> {
    for (let i = 0; i < 100 && this.#queues.size > 0; i++) await Promise.all(this.#queues.values());
  }

  // ---- evaluation and history -----------------------------------------------------------------

  async evaluate(): Promise<void> {
    if (this.#closing !== undefined) return;
    const now = this.#clock.wallNow();
    if (this.#saturation !== undefined)
      this.#lastSampledAt = sampleSaturation(
        this.#history,
        this.#saturation,
        this.#lastSampledAt,
        this.#errors,
      );
    this.#sampleLatency(now);
    this.#poolSeries.sample(this.#observed.pools, now);
    for (const slo of this.#slos) {
      try {
        slo.status(); // evaluates its alerts: the listeners above see the changes
      } catch (error) {
        this.#onError(error, { source: this.#source, task: `slo ${slo.name}` });
      }
    }
    fileSlos(this.#history, this.#slos, this.#errors);
    if (this.#health !== undefined) {
      try {
        // Runs the checks even without traffic, so a failing critical check is noticed.
        await this.#health.check();
      } catch (error) {
        this.#onError(error, { source: this.#source, task: 'health check' });
      }
    }
    await this.#settle();
  }

  #sampleLatency(now: number): void {
    if (this.#latency !== undefined) sampleLatency(this.#history, this.#latency, now, this.#errors);
  }

  // Saves one at a time: the timer's save and close()'s must not race on the temporary file.
  #saveHistory(): Promise<void> {
    const file = this.#historyFile;
    if (file === undefined) return Promise.resolve();
    const run = this.#saving.then(() => writeFileAtomic(file, JSON.stringify(this.#history.toJSON())));
    this.#saving = run.catch(() => undefined);
    return run;
  }

  // ---- queries: read the live primitives, hand plain values to the report builders ------------

  sloStatus(): readonly SloStatus[] {
    return this.#slos.map((slo) => slo.status());
  }

  async healthReport(options: { readonly includePredictions?: boolean } = {}): Promise<MonitorHealthReport> {
    const statuses = this.sloStatus();
    const sla = slaCompliance(statuses, this.#latencySummary()?.p95);
    const now = this.#clock.wallNow();
    const checks: HealthCheckResult | undefined =
      this.#health === undefined ? undefined : await this.#health.check();
    return healthReport({
      service: this.service,
      now,
      statuses,
      sla,
      checks,
      breakers: this.#breakerStates(),
      openIncidents: this.#openIncidents(),
      saturation: this.#saturation?.snapshot(),
      capacity: options.includePredictions === true ? this.#capacity(now) : undefined,
      services: serviceEntries(this.#observed),
    });
  }

  slaReport(options: { readonly period: SlaPeriod; readonly at?: Date | number }): SlaReport {
    const at =
      options.at === undefined
        ? this.#clock.wallNow()
        : typeof options.at === 'number'
          ? options.at
          : options.at.getTime();
    const { startMs, endMs } = calendarPeriod({ unit: options.period, at });
    fileSlos(this.#history, this.#slos, this.#errors);
    const span = this.#history.aggregate(startMs, endMs);
    const incidents = this.incidents.list({ since: startMs, until: endMs });
    const slos = this.#slos.map((slo) => ({ name: slo.name, target: slo.status().target }));
    const metrics = this.incidents.metrics({ since: startMs, until: endMs });
    return slaReport({
      service: this.service,
      period: options.period,
      startMs,
      endMs,
      slos,
      span,
      incidents,
      metrics,
    });
  }

  performanceAnalysis(
    options: { readonly timeframe?: Timeframe; readonly focusAreas?: readonly string[] } = {},
  ): PerformanceAnalysis {
    const timeframe = options.timeframe ?? 'last_24_hours';
    const now = this.#clock.wallNow();
    fileSlos(this.#history, this.#slos, this.#errors);
    this.#sampleLatency(now);
    // Hourly history: the timeframe is rounded out to whole hours.
    const span = this.#history.aggregate(now - TIMEFRAME_MS[timeframe], now + 1);
    // Per-route latency from the tracker's sliding window (lifetime without one).
    const routes =
      this.#latency === undefined
        ? []
        : routeLatencies(this.#latency.keys(), (route) => this.#latencySummary(route));
    return performanceAnalysis({
      timeframe,
      focusAreas: options.focusAreas ?? [],
      now,
      span,
      routes,
      // Judged on the tracker's own figures, the same view and precision as the routes'.
      serviceP95Ms: this.#latencySummary()?.p95 ?? 0,
      latencyBudgetMs: this.#latencyBudgetMs,
      statuses: this.sloStatus(),
      breakers: this.#breakerStates(),
      capacity: this.#capacity(now),
      causes: serviceCauses(this.#observed),
    });
  }

  capacityForecast(options: { readonly horizonMs?: number } = {}): CapacityForecast {
    return capacityForecast(this.#capacity(this.#clock.wallNow()), options.horizonMs);
  }

  async deploymentReadiness(): Promise<DeploymentReadiness> {
    const statuses = this.sloStatus();
    const openIncidents = this.#openIncidents();
    let checks: ReadinessInput['checks'];
    if (this.#health !== undefined) {
      try {
        checks = { result: await this.#health.check() };
      } catch (error) {
        checks = { error };
      }
    }
    return deploymentReadiness({
      statuses,
      openIncidents,
      checks,
      breakers: this.#breakerStates(),
      checkedAt: this.#clock.wallNow(),
    });
  }

  incidentReport(id: string): IncidentReport {
    return this.incidents.report(id);
  }

  handle(request: unknown): Promise<AgentResponse> {
    return handleAgentRequest(this, request);
  }

  #capacity(now: number): CapacityPrediction[] {
    return [
      ...capacityPredictions(this.#history.samples(), this.#limits, now),
      ...this.#poolSeries.predictions(this.#observed.pools, now),
    ];
  }

  #breakerStates(): Pick<CircuitBreaker, 'name' | 'state'>[] {
    return this.#breakers.map((breaker) => ({ name: breaker.name, state: breaker.state }));
  }

  #latencySummary(key?: string): LatencySummary | undefined {
    if (this.#latency === undefined) return undefined;
    try {
      return this.#latency.summary(key, { window: 'window' });
    } catch {
      // A tracker without a sliding window answers lifetime queries only.
      try {
        return this.#latency.summary(key);
      } catch (error) {
        this.#onError(error, { source: this.#source, task: 'latency summary' });
        return undefined;
      }
    }
  }

  #openIncidents(): Incident[] {
    return this.incidents.list({ status: ['open', 'acknowledged'] }).slice(-MAX_LISTED_INCIDENTS);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    for (const poller of this.#pollers) poller.stop();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    await this.#settle();
    if (this.#historyFile !== undefined) {
      try {
        await this.#saveHistory();
      } catch (error) {
        this.#onError(error, { source: this.#source, task: 'save history' });
      }
    }
    if (this.#owned.responder) await this.#responder.close();
    if (this.#owned.alerts) await this.#alerts.close();
    if (this.#owned.recorder) await this.incidents.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function definedOnly<T extends object>(values: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as never;
}
