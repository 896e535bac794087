import {
  ErrorCode,
  SreError,
  parseOptions,
  resolveDeps,
  startPoller,
  type Clock,
  type InternalErrorHandler,
  type Poller,
} from '../core/index.js';
import { createDrillRegistry, type DrillRegistry } from '../drills/index.js';
import type { CanaryObservation, CanaryVerdict } from '../canary/index.js';
import type {
  ChangeInput,
  ChangeLog,
  CorrelatedChange,
  DoraReport,
  RecordChangeResult,
  TimeInput,
} from '../changes/index.js';
import type { HealthCheckResult, HealthRegistry } from '../health/index.js';
import {
  createAlertRouter,
  createIncidentRecorder,
  createResponder,
  type AlertRouter,
  type Incident,
  type IncidentRecorder,
  type IncidentReport,
  type Responder,
} from '../incidents/index.js';
import type { LatencySummary, LatencyTracker } from '../latency/index.js';
import type { MaintenanceCalendar } from '../maintenance/index.js';
import type { CircuitBreaker } from '../resilience/index.js';
import type { SaturationMonitor } from '../saturation/index.js';
import { calendarPeriod, type SloStatus, type SloTracker } from '../slo/index.js';
import { AutoIncidents } from './auto-incidents.js';
import { budgetPredictions, type BudgetForecastInput } from './budget-forecast.js';
import { capacityForecast, capacityPredictions, defaultRssLimit } from './capacity-forecast.js';
import { ChangeCorrelator } from './change-correlation.js';
import { deploymentReadiness, type ReadinessInput } from './deployment-readiness.js';
import { DEFAULT_CAPACITY_LIMITS, type CapacitySignal } from './forecast.js';
import type { ForecastGates } from './forecast-gates.js';
import { healthReport, slaCompliance } from './health-report.js';
import { History, MAX_SAMPLES } from './history.js';
import { fileSlos, LatencySampler, sampleSaturation, type SamplingErrors } from './history-sampling.js';
import { IncidentSources } from './incident-sources.js';
import { MaintenanceGate } from './maintenance-gate.js';
import type { PredictionInput } from './external-predictions.js';
import type { AnomalyReport, ExternalPrediction } from './insight-schemas.js';
import { Insights } from './insights.js';
import {
  PoolSeries,
  observedViews,
  ownedPrimitives,
  ownerOfSources,
  serviceEntries,
  type ObservedServices,
  type ObservedView,
} from './observed-services.js';
import { monitorOptionsSchema } from './options.js';
import { ownRouteTest } from './own-routes.js';
import {
  parseAnalysisOptions,
  performanceAnalysis,
  TIMEFRAME_MS,
  type FocusArea,
} from './performance-analysis.js';
import type {
  BudgetPrediction,
  CapacityForecast,
  CapacityPrediction,
  DeploymentReadiness,
  MonitorHealthReport,
  PerformanceAnalysis,
  SlaReport,
} from './report-schemas.js';
import { handleAgentRequest, type AgentRequestContext, type AgentResponse } from './protocol/index.js';
import { incidentViews, type MonitorStatus, type UptimeReport } from './status-view.js';
import { ReleaseGates } from './release-gates.js';
import { SourceStatus } from './source-status.js';
import { slaReport } from './sla-report.js';
import { SloExclusions } from './slo-exclusions.js';
import { readHistoryFile, writeFileAtomic } from './snapshot-file.js';
import { changeFreezes, doraOver, doraPeriod, requireChangeLog } from './change-queries.js';
import type { Monitor, MonitorDeps, MonitorOptions, SlaPeriod, Timeframe } from './types.js';

type Parsed = ReturnType<typeof parseMonitorOptions>;
function parseMonitorOptions(options: MonitorOptions) {
  return parseOptions(monitorOptionsSchema, options, 'createMonitor');
}

/**
 * Creates the reliability agent: on every evaluation it reads each SLO's burn-rate alerts, each
 * breaker's state and each critical health check as a condition (state present at start included),
 * turns a problem into an alert (through the alert router) and an incident (through the responder,
 * deduplicated by a stable key such as `slo:<name>:page`), keeps the incident's impact up to date while
 * it lasts, resolves it once the signal has stayed clear for `resolveAfterMs` (at once when a check is
 * unregistered), keeps an hourly history, and answers reports whose forecasts pass their gates. It
 * creates an in-memory incident recorder, responder and alert router when not given, and closes only
 * what it created. Evaluation and history snapshots run on unref'd timers that `close()` clears.
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
  readonly maintenance: MaintenanceCalendar | undefined;
  readonly drills: DrillRegistry = createDrillRegistry();
  readonly #clock: Clock;
  readonly #onError: InternalErrorHandler;
  readonly #source: string;
  readonly #errors: SamplingErrors;
  readonly #health: HealthRegistry | undefined;
  readonly #latency: LatencyTracker | undefined;
  /** Every SLO watched: the caller's, then those the observed services bring. */
  readonly #slos: readonly SloTracker[];
  /** The names of the caller's SLOs: the ones that judge the service's own requests. */
  readonly #serviceSlos: ReadonlySet<string>;
  readonly #breakers: readonly CircuitBreaker<never>[];
  readonly #saturation: SaturationMonitor | undefined;
  readonly responder: Responder;
  readonly #observed: ObservedServices;
  readonly #poolSeries: PoolSeries;
  /** Where a tracked dependency, pool, cache or pipeline that throws on reading is reported. */
  readonly #onObservedError = (error: unknown, name: string): void =>
    this.#onError(error, { source: this.#source, task: `observed service ${name}` });
  readonly #alerts: AlertRouter;
  readonly #latencyBudgetMs: number | undefined;
  readonly #limits: Record<CapacitySignal, number>;
  readonly #gates: ForecastGates;
  readonly #history: History;
  readonly #historyFile: string | undefined;
  readonly #latencySampler: LatencySampler;
  readonly #owned: { recorder: boolean; responder: boolean; alerts: boolean };
  readonly #incidents: AutoIncidents;
  readonly #sources: IncidentSources;
  readonly #gate: MaintenanceGate | undefined;
  readonly #exclusions: SloExclusions;
  readonly changes: ChangeLog | undefined;
  readonly #correlator: ChangeCorrelator | undefined;
  readonly #release: ReleaseGates;
  readonly #insights: Insights;
  readonly #unsubscribe: (() => void)[];
  readonly #pollers: Poller[] = [];
  readonly #status: SourceStatus;
  /** Source key → the tracked dependency or pipeline that owns it (its default status component). */
  #lastSampledAt = Number.NaN;
  /** Wall time up to which the history has been told it was observed. */
  #observedUntil: number;
  /** The health checks of the latest evaluation (what judgments read; reading never runs checks). */
  #lastChecks: HealthCheckResult | undefined;
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
    // The observed services' own SLOs and breakers are watched like the caller's (once each): evaluated,
    // swept for incidents, reported. Only the caller's SLOs count the service's own traffic.
    const owned = ownedPrimitives(this.#observed);
    this.#slos = [...new Set([...(options.slos ?? []), ...owned.slos])];
    this.#serviceSlos = new Set((options.slos ?? []).map((slo) => slo.name));
    this.#breakers = [...new Set([...(options.breakers ?? []), ...owned.breakers])];
    this.#saturation = options.saturation;
    this.#latencyBudgetMs = parsed.latencyBudgetMs;
    this.changes = options.changes;
    this.#release = new ReleaseGates({
      canary: options.canary,
      rollouts: options.rollouts ?? [],
      performanceBudget: options.performanceBudget,
      latency: options.latency,
    });
    this.#owned = {
      recorder: options.incidents === undefined,
      responder: options.responder === undefined,
      alerts: options.alerts === undefined,
    };
    const sub = { clock, onInternalError };
    this.incidents = options.incidents ?? createIncidentRecorder({ service: parsed.service }, sub);
    // Without runbooks every incident is escalated at once; the alert router has already told people,
    // so the default escalation only leaves its note on the timeline.
    this.responder =
      options.responder ??
      createResponder({ recorder: this.incidents, runbooks: [], escalate: () => undefined }, sub);
    this.maintenance = options.maintenance;
    this.#alerts =
      options.alerts ??
      createAlertRouter(
        {
          routes: [{ name: 'monitor', notifiers: [{ name: 'none', notify: () => Promise.resolve() }] }],
          ...(options.maintenance === undefined ? {} : { silencer: options.maintenance }),
        },
        sub,
      );
    this.#gate =
      options.maintenance === undefined
        ? undefined
        : new MaintenanceGate({
            calendar: options.maintenance,
            alerts: this.#alerts,
            service: parsed.service,
            reminderMs: parsed.maintenanceReminderMs,
            onError: onInternalError,
            source: `monitor:${parsed.service}`,
          });
    this.#limits = {
      ...DEFAULT_CAPACITY_LIMITS,
      rssBytes: defaultRssLimit(),
      // Forecasts aim at the limits that make the process shed, then at the caller's own.
      ...(options.saturation?.limits ?? {}),
      ...definedOnly(parsed.capacityLimits ?? {}),
    };

    this.#gates = parsed.forecast;
    // Samples at least 2 × minSpanMs / MAX_SAMPLES apart: the ring then always spans twice the gate.
    const serviceSlos = this.#serviceSlos;
    this.#history = new History(parsed.history.retainDays, (2 * this.#gates.minSpanMs) / MAX_SAMPLES, (slo) =>
      serviceSlos.has(slo),
    );
    this.#poolSeries = new PoolSeries((2 * this.#gates.minSpanMs) / MAX_SAMPLES);
    this.#status = new SourceStatus({
      slos: this.#slos,
      checks: () => this.#lastChecks,
      serviceOf: ownerOfSources(this.#observed),
      scheduledMaintenance: options.scheduledMaintenance,
      breakers: () => this.#breakerStates(),
      history: this.#history,
      onError: this.#onError,
      source: this.#source,
    });
    this.#latencySampler = new LatencySampler(ownRouteTest(parsed.ignoreRoutes));
    this.#observedUntil = clock.wallNow();
    this.#historyFile = parsed.history.file;
    this.#exclusions = new SloExclusions(parsed.history.retainDays);
    this.#insights = new Insights({
      service: parsed.service,
      errors: options.errors,
      anomalies: options.anomalies,
      signals: options.signals,
      saturation: options.saturation,
      latencyP99: () => this.#latencySummary()?.p99,
      newErrorWindowMs: parsed.newErrorWindowMs,
      anomalyIncidents: parsed.autoIncidents.anomaly,
      alerts: this.#alerts,
      clock,
      onError: onInternalError,
      source: this.#source,
    });
    if (this.#historyFile !== undefined) {
      try {
        const restored = readHistoryFile(this.#historyFile);
        if (restored !== undefined) {
          this.#history.restore(restored);
          if (restored.excluded !== undefined) this.#exclusions.restore(restored.excluded);
          this.#insights.restore(restored);
          if (restored.uptime !== undefined) this.#status.restore(restored.uptime, clock.wallNow());
        }
      } catch (error) {
        // A corrupt or unreadable file must not stop the service: start with an empty history.
        this.#onError(error, { source: this.#source, task: 'restore history' });
      }
    }

    this.#incidents = new AutoIncidents({
      recorder: this.incidents,
      responder: this.responder,
      alerts: this.#alerts,
      resolveAfterMs: parsed.resolveAfterMs ?? 3 * parsed.evaluateIntervalMs,
      signals: options.signals,
      onError: onInternalError,
      source: this.#source,
      ...(this.#gate === undefined ? {} : { gate: this.#gate }),
    });
    this.#sources = new IncidentSources({
      service: this.service,
      auto: parsed.autoIncidents,
      slos: this.#slos,
      breakers: this.#breakers,
      health: this.#health,
      incidents: this.#incidents,
      clock,
      onError: onInternalError,
      source: this.#source,
    });
    this.#unsubscribe = [...this.#sources.subscribe(), ...this.#insights.subscribe()];
    this.#correlator =
      options.changes === undefined
        ? undefined
        : new ChangeCorrelator({
            recorder: this.incidents,
            changes: options.changes,
            slos: this.#slos,
            onError: onInternalError,
            source: this.#source,
          });
    if (this.#correlator !== undefined) this.#unsubscribe.push(...this.#correlator.subscribe());
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
    this.#poolSeries.sample(this.#observed.pools, now, this.#onObservedError);
    this.#history.observe(this.#observedUntil, now);
    this.#observedUntil = Math.max(this.#observedUntil, now);
    for (const slo of this.#slos) {
      try {
        slo.evaluate(); // judges its alerts: the listeners above see the changes
      } catch (error) {
        this.#onError(error, { source: this.#source, task: `slo ${slo.name}` });
      }
    }
    fileSlos(this.#history, this.#slos, this.#errors);
    if (this.#health !== undefined) {
      try {
        // Runs the checks even without traffic, so a failing critical check is noticed.
        this.#lastChecks = await this.#health.check();
      } catch (error) {
        this.#onError(error, { source: this.#source, task: 'health check' });
      }
    }
    const anomalies = this.#insights.evaluate(now);
    await this.#sources.sweep(now, this.#lastChecks, anomalies);
    // The incidents just opened get their correlated changes before evaluate() resolves.
    await this.#correlator?.settle();
    this.#gate?.remind(now);
    this.#fileExclusions(now);
    // Each source's status now holds until the next evaluation: the uptime bars' sample.
    this.#status.sample(now);
  }

  // Recomputes the SLO events maintenance windows excluded (see slo-exclusions.ts).
  #fileExclusions(now: number): void {
    if (this.maintenance !== undefined)
      this.#exclusions.file(this.#slos, this.maintenance, this.service, now, this.#errors);
  }

  /** The alert router in use. */
  get alerts(): AlertRouter {
    return this.#alerts;
  }

  #sampleLatency(now: number): void {
    if (this.#latency !== undefined)
      this.#latencySampler.sample(this.#history, this.#latency, now, this.#errors);
  }

  // Saves one at a time: the timer's save and close()'s must not race on the temporary file.
  #saveHistory(): Promise<void> {
    const file = this.#historyFile;
    if (file === undefined) return Promise.resolve();
    const run = this.#saving.then(() =>
      writeFileAtomic(
        file,
        JSON.stringify({
          ...this.#history.toJSON(),
          excluded: this.#exclusions.toJSON(),
          ...this.#insights.toJSON(this.#clock.wallNow()),
          uptime: this.#status.toJSON(),
        }),
      ),
    );
    this.#saving = run.catch(() => undefined);
    return run;
  }

  // ---- queries: read the live primitives, hand plain values to the report builders ------------

  sloStatus(): readonly SloStatus[] {
    return this.#slos.map((slo) => slo.status());
  }

  async healthReport(options: { readonly includePredictions?: boolean } = {}): Promise<MonitorHealthReport> {
    const statuses = this.sloStatus();
    const sla = slaCompliance(
      statuses.filter((status) => this.#serviceSlos.has(status.name)),
      this.#latencySummary()?.p95,
    );
    const now = this.#clock.wallNow();
    const checks: HealthCheckResult | undefined =
      this.#health === undefined ? undefined : await this.#health.check();
    // A file-backed recorder refuses reads until it has loaded: wait for it (a failed load still throws).
    await this.#storeLoaded();
    return healthReport({
      service: this.service,
      now,
      statuses,
      sla,
      checks,
      breakers: this.#breakerStates(),
      openIncidents: this.#openIncidents(),
      saturation: this.#saturation?.snapshot(),
      ...this.#insights.healthParts(now),
      predictions:
        options.includePredictions === true
          ? {
              budgetExhaustion: this.#budgetPredictions(statuses, now),
              capacity: this.#capacity(now),
              anomalies: this.#insights.predictions(now).predictions,
              external: this.#insights.predictions(now).external,
            }
          : undefined,
      services: serviceEntries(this.#observedViews(), checks?.exposeDetails ?? false),
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
    const now = this.#clock.wallNow();
    this.#fileExclusions(now);
    const span = this.#history.aggregate(startMs, endMs);
    const incidents = this.incidents.list({ since: startMs, until: endMs });
    const slos = this.#slos.map((slo) => ({ name: slo.name, target: slo.target }));
    const metrics = this.incidents.metrics({ since: startMs, until: endMs });
    return slaReport({
      service: this.service,
      period: options.period,
      startMs,
      endMs,
      now,
      slos,
      span,
      incidents,
      metrics,
      excluded: this.#exclusions.between(startMs, endMs),
      maintenance: this.maintenance?.occurrences(startMs, Math.min(endMs, now)) ?? [],
      drills: this.drills.journals({ since: startMs, until: endMs }),
      dora:
        this.changes === undefined
          ? undefined
          : doraOver(this.changes, this.incidents, { startMs, endMs }, now),
    });
  }

  performanceAnalysis(
    options: { readonly timeframe?: Timeframe; readonly focusAreas?: readonly FocusArea[] } = {},
  ): PerformanceAnalysis {
    const { timeframe, focusAreas } = parseAnalysisOptions(options);
    const now = this.#clock.wallNow();
    // The history as of the latest evaluation, hourly: the timeframe is rounded out to whole hours, and
    // the counts and the observed time cover the same hours. Reading it never samples anything.
    const span = this.#history.aggregate(now - TIMEFRAME_MS[timeframe], now + 1);
    const checks = this.#lastChecks;
    return performanceAnalysis({
      timeframe,
      focusAreas,
      now,
      span,
      latencyBudgetMs: this.#latencyBudgetMs,
      statuses: this.sloStatus(),
      serviceSlos: this.#serviceSlos,
      breakers: this.#breakers.map((breaker) => this.#sources.breakerView(breaker)),
      checks:
        checks === undefined ? undefined : { checks: checks.checks, exposeDetails: checks.exposeDetails },
      capacity: this.#capacity(now),
      budgets: this.#release.budgetsForAnalysis(this.#onError, this.#source),
      errors: this.#insights.errorGroups(now),
      observed: this.#observedViews(),
    });
  }

  // The performance budgets as the analysis lists them; one that cannot be read is reported, not thrown.
  anomalyReport(): AnomalyReport {
    return this.#insights.anomalyReport(this.#clock.wallNow());
  }

  ingestPrediction(prediction: PredictionInput): ExternalPrediction {
    return this.#insights.ingestPrediction(prediction, this.#clock.wallNow());
  }

  capacityForecast(options: { readonly horizonMs?: number } = {}): CapacityForecast {
    return capacityForecast(this.#capacity(this.#clock.wallNow()), options);
  }

  async deploymentReadiness(): Promise<DeploymentReadiness> {
    let checks: ReadinessInput['checks'];
    if (this.#health !== undefined) {
      try {
        checks = { result: await this.#health.check() };
      } catch (error) {
        checks = { error };
      }
    }
    // The checks just run may have opened or resolved incidents: judge on what they left.
    await this.#incidents.settle();
    await this.#storeLoaded();
    return deploymentReadiness({
      statuses: this.sloStatus(),
      openIncidents: this.#openIncidents(),
      recovering: {
        clearFor: (key) => this.#incidents.clearFor(key, this.#clock.wallNow()),
        resolveAfterMs: this.#incidents.resolveAfterMs,
      },
      checks,
      breakers: this.#breakerStates(),
      rollouts: this.#release.rollouts(),
      performance: this.#release.performance(),
      checkedAt: this.#clock.wallNow(),
    });
  }

  status(): MonitorStatus {
    const now = this.#clock.wallNow();
    const maintenance = this.#status.maintenance(now);
    return {
      service: this.service,
      at: now,
      evaluatedAt: this.#status.evaluatedAt,
      sources: this.#status.current(maintenance.views, now),
      incidents: incidentViews(this.#openIncidents(), (key) => {
        const clear = this.#incidents.clearFor(key, now);
        return clear === undefined ? undefined : now - clear;
      }),
      slos: this.sloStatus(),
      breakers: this.#breakerStates(),
      saturation: this.#saturation?.snapshot(),
      maintenance: maintenance.views,
      maintenanceSkipped: maintenance.skipped,
    };
  }

  uptime(options: { readonly days?: number } = {}): UptimeReport {
    return this.#status.uptime(options.days, this.#clock.wallNow());
  }

  // ---- changes and canaries --------------------------------------------------------------------

  recordChange(change: ChangeInput): RecordChangeResult & { readonly changeFreeze: readonly string[] } {
    const result = requireChangeLog(this.changes, this.service).record(change);
    return { ...result, changeFreeze: changeFreezes(this.sloStatus()) };
  }

  changeCorrelation(incidentId: string): CorrelatedChange[] {
    requireChangeLog(this.changes, this.service);
    const incident = this.incidents.get(incidentId);
    if (incident === undefined)
      throw new SreError(ErrorCode.INCIDENT_NOT_FOUND, `No incident with id ${incidentId}`);
    // With a change log there is a correlator: the same reading as at the incident's opening.
    return (this.#correlator as ChangeCorrelator).correlate(incident);
  }

  doraReport(
    options:
      | { readonly period: SlaPeriod; readonly at?: Date | number }
      | { readonly since: TimeInput; readonly until: TimeInput },
  ): DoraReport {
    const changes = requireChangeLog(this.changes, this.service);
    const now = this.#clock.wallNow();
    return doraOver(changes, this.incidents, doraPeriod(options, now), now);
  }

  judgeCanary(observation: CanaryObservation): CanaryVerdict {
    return this.#release.judge(observation);
  }

  incidentReport(id: string): IncidentReport {
    return this.incidents.report(id);
  }

  async handle(request: unknown, context?: AgentRequestContext): Promise<AgentResponse> {
    await this.#storeLoaded();
    // An incident opened by hand just before gets its correlated changes before it is reported.
    await this.#correlator?.settle();
    return handleAgentRequest(this, request, context);
  }

  // Waits until the recorder's store has loaded. A failed load is not thrown here: the reads that
  // follow throw ERR_SRE_NOT_READY with the load error as its cause, which each caller reports.
  #storeLoaded(): Promise<void> {
    return this.incidents.ready().catch(() => undefined);
  }

  #capacity(now: number): CapacityPrediction[] {
    return [
      ...capacityPredictions(this.#history.samples(), this.#limits, now, this.#gates),
      ...this.#poolSeries.predictions(this.#observed.pools, now, this.#gates),
    ];
  }

  #observedViews(): ObservedView[] {
    return observedViews(this.#observed, this.#onObservedError);
  }

  #budgetPredictions(statuses: readonly SloStatus[], now: number): BudgetPrediction[] {
    const inputs: BudgetForecastInput[] = [];
    for (const status of statuses) {
      const slo = this.#slos.find((s) => s.name === status.name);
      let snapshot: BudgetForecastInput['snapshot'];
      let windowMs = 0;
      try {
        snapshot = slo?.snapshot();
        windowMs = slo?.currentWindow().durationMs ?? 0;
      } catch (error) {
        this.#onError(error, { source: this.#source, task: `slo evidence ${status.name}` });
      }
      inputs.push({ status, snapshot, windowMs });
    }
    return budgetPredictions(inputs, now, this.#gates);
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

  // Every open incident: verdicts see them all; reports bound what they list.
  #openIncidents(): Incident[] {
    return this.incidents.list({ status: ['open', 'acknowledged'] });
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    for (const poller of this.#pollers) poller.stop();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#incidents.close();
    await this.#incidents.settle();
    await this.#correlator?.settle();
    if (this.#historyFile !== undefined) {
      try {
        await this.#saveHistory();
      } catch (error) {
        this.#onError(error, { source: this.#source, task: 'save history' });
      }
    }
    if (this.#owned.responder) await this.responder.close();
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
