import type { Deps } from '../core/index.js';
import type { DrillRegistry } from '../drills/index.js';
import type {
  ObservedCache,
  ObservedPool,
  TrackedDependency,
  TrackedPipeline,
} from '../dependencies/index.js';
import type { HealthRegistry } from '../health/index.js';
import type {
  AlertRouter,
  IncidentRecorder,
  IncidentReport,
  Responder,
  Severity,
} from '../incidents/index.js';
import type { LatencyTracker } from '../latency/index.js';
import type { MaintenanceCalendar } from '../maintenance/index.js';
import type { CircuitBreaker } from '../resilience/index.js';
import type { SaturationMonitor } from '../saturation/index.js';
import type { SloStatus, SloTracker } from '../slo/index.js';
import type {
  CanaryJudge,
  CanaryObservation,
  CanaryVerdict,
  PerformanceBudget,
  RolloutGate,
} from '../canary/index.js';
import type {
  ChangeInput,
  ChangeLog,
  CorrelatedChange,
  DoraReport,
  RecordChangeResult,
  TimeInput,
} from '../changes/index.js';
import type { AgentRequestContext } from './protocol/handle.js';
import type { AgentResponse } from './protocol/response-schemas.js';
import type { ScheduledMaintenanceSource } from './maintenance.js';
import type { MonitorStatus, UptimeReport } from './status-view.js';
import type {
  CapacityForecast,
  DeploymentReadiness,
  MonitorHealthReport,
  PerformanceAnalysis,
  SlaReport,
} from './report-schemas.js';
import type { CapacitySignal } from './forecast.js';
import type { AnomalyDetector } from '../anomaly/index.js';
import type { ErrorGroups } from '../errors/index.js';
import type { PredictionInput } from './external-predictions.js';
import type { AnomalyReport, ExternalPrediction } from './insight-schemas.js';
import type { FocusArea } from './performance-analysis.js';
import type { RouteSignals } from '../signals/index.js';

// The monitor's contract. Implemented in monitor.ts; the agent protocol (protocol/) and the demo
// program only against this interface.

/** The severity each automatic incident opens with; `false` turns that source off. */
export interface AutoIncidentOptions {
  /** A fast-burn (page) SLO alert. @default 'P2' */
  readonly sloPage?: Severity | false;
  /** A slow-burn (ticket) SLO alert. @default 'P3' */
  readonly sloTicket?: Severity | false;
  /** A circuit breaker opening. @default 'P3' */
  readonly breakerOpen?: Severity | false;
  /** A critical health check failing. @default 'P1' */
  readonly criticalCheckFail?: Severity | false;
  /**
   * A golden signal the anomaly detector judges anomalous (k of n buckets). Off by default: an anomaly
   * raises a warning alert through the router, and becomes an incident only when this is a severity.
   * @default false
   */
  readonly anomaly?: Severity | false;
}

/** How much history the monitor keeps and where it survives restarts. */
export interface MonitorHistoryOptions {
  /** Hourly summaries kept; older hours are dropped. @default 35 (a month report plus slack) */
  readonly retainDays?: number;
  /** A file the history is snapshotted to (atomically) and restored from at start. @default none */
  readonly file?: string;
  /** How often to snapshot to `file`. @default 60_000 */
  readonly snapshotIntervalMs?: number;
}

/**
 * The gates every forecast (capacity trends, error budget exhaustion) must pass before it is stated.
 * Below any of them the forecast says `insufficient_data` and what is missing (`span 10 s of 1 h`,
 * `10 of 12 samples`, `fit r² 0.12 below 0.5`), its times are `null`, and no report lists it as an
 * action: a trend fitted to the seconds after a restart is noise, not a prediction.
 */
export interface MonitorForecastOptions {
  /**
   * The least time the data must span: between a signal's oldest and newest sample, or since an SLO
   * tracker's oldest events. The monitor keeps raw samples at least `2 × minSpanMs / 1024` apart so
   * its ring of 1,024 samples always spans twice this.
   * @default 3_600_000 (1 hour)
   */
  readonly minSpanMs?: number;
  /**
   * The fewest observations: finite samples of a saturation signal, or events an SLO saw in the last
   * hour (the hour its burn rate is read from).
   * @default 12
   */
  readonly minSamples?: number;
  /**
   * The least coefficient of determination r² (0 to 1) of a fitted trend: how much of the samples'
   * variance the line explains. Not applied to SLO budgets (no line is fitted to a burn rate).
   * @default 0.5
   */
  readonly minR2?: number;
}

/** Options for {@link createMonitor}. */
export interface MonitorOptions {
  /** The service name used in reports, alerts and incidents. */
  readonly service: string;
  readonly health?: HealthRegistry;
  /** The latency tracker the HTTP adapters feed, keyed by route. */
  readonly latency?: LatencyTracker;
  readonly slos?: readonly SloTracker[];
  readonly breakers?: readonly CircuitBreaker<never>[];
  readonly saturation?: SaturationMonitor;
  /**
   * Outgoing dependencies from `trackDependency`: each is a service of the health report (latency,
   * error rate, breaker state), a cause in the performance analysis when not up, and its SLOs and
   * breaker are watched with the others. @default []
   */
  readonly dependencies?: readonly TrackedDependency[];
  /**
   * Connection pools from `observePool`: services of the health report (`connections`, idle,
   * waiting, saturation), causes when saturated, and forecast toward full. @default []
   */
  readonly pools?: readonly ObservedPool[];
  /** Caches from `observeCache`: services of the health report (`hit_rate`). @default [] */
  readonly caches?: readonly ObservedCache[];
  /** Data pipelines from `trackPipeline`: services of the health report (lag), freshness SLOs. @default [] */
  readonly pipelines?: readonly TrackedPipeline[];
  /** Where incidents are kept. @default an in-memory recorder the monitor creates and closes */
  readonly incidents?: IncidentRecorder;
  /** Runbooks and escalation. @default a responder without runbooks over `incidents` */
  readonly responder?: Responder;
  /**
   * Where alerts go. Give yours `silencer: calendar` so maintenance windows silence what it delivers.
   * @default an alert router without notifiers (silenced by `maintenance`, when given)
   */
  readonly alerts?: AlertRouter;
  /**
   * The maintenance calendar. While a silencing window covers an automatic incident's alert, the
   * incident is held (not opened, nobody paged; the alert goes to the router, which silences and
   * records it); if the problem outlives the window, the incident opens when it closes. Windows with
   * `excludeFromSlo` keep their events out of the SLA report's budgets, and the report lists the
   * windows. A window about to close on alerts still firing raises a `MaintenanceWindowClosing` reminder.
   * @default none
   */
  readonly maintenance?: MaintenanceCalendar;
  /**
   * How long before a silencing window closes, with alerts it silences still firing, its reminder is raised.
   * @default 900_000 (15 minutes)
   */
  readonly maintenanceReminderMs?: number;
  readonly autoIncidents?: AutoIncidentOptions;
  readonly history?: MonitorHistoryOptions;
  /** How often the monitor samples and evaluates alerts. @default 10_000 */
  readonly evaluateIntervalMs?: number;
  /**
   * How long an automatic incident's signal (SLO alert, breaker, critical check) must stay clear before
   * the incident resolves. A signal that flickers around its threshold keeps one incident open instead
   * of resolving and reopening it (and paging) on every flicker. 0 resolves on the first clear reading.
   * @default 3 × `evaluateIntervalMs`
   */
  readonly resolveAfterMs?: number;
  /** The gates a forecast must pass before it is stated. @default see {@link MonitorForecastOptions} */
  readonly forecast?: MonitorForecastOptions;
  /**
   * URL paths of the service's own endpoints (and everything under them), matched against the latency
   * tracker's keys (`GET /metrics` or `/metrics`): they are never bottlenecks and stay out of the
   * service-wide latency, as in the adapters' `ignore` option.
   * @default ['/livez', '/readyz', '/startupz', '/health', '/metrics', '/status', '/agent']
   */
  readonly ignoreRoutes?: readonly string[];
  /**
   * The golden signals the HTTP adapter records (`sreMiddleware(...).signals`, `fastify.sre.signals`):
   * per-route requests and errors, so an incident names the routes it affects.
   * @default none: incidents then state their impact without routes
   */
  readonly signals?: { routes(): readonly RouteSignals[] };
  /**
   * Error groups the adapters capture into (`createErrorGroups()`, given to `sreMiddleware` or
   * `sreFastify` as `errors`): the health report's service entry, `errors` in the health report and in
   * `performanceAnalysis()` list the top error types and locations, and an error type first seen within
   * `newErrorWindowMs` of the start (not known from before it, when `history.file` keeps them) raises a
   * `NewErrorType` warning alert.
   * @default none
   */
  readonly errors?: ErrorGroups;
  /**
   * How long after the monitor starts an error type seen for the first time counts as new (and raises
   * a warning alert); the alert resolves once that error has not recurred for as long.
   * @default 1_800_000 (30 min)
   */
  readonly newErrorWindowMs?: number;
  /**
   * Anomaly detection on the golden signals: `true` creates a detector with
   * `GOLDEN_SIGNAL_ANOMALY_SIGNALS` (on the monitor's clock; snapshotted with `history.file`), or give
   * your own. Each bucket the monitor feeds it traffic and error rate (from `signals`), p99 latency
   * (from `latency`) and saturation (event-loop utilization); an anomaly raises a warning alert through
   * the router (an incident only with `autoIncidents.anomaly`), and health reports with predictions
   * list the detector's predictions.
   * @default none
   */
  readonly anomalies?: true | AnomalyDetector;
  /**
   * The latency (ms) a route is judged by in `performanceAnalysis()`: usually the latency SLO's
   * threshold (an SLO tracker does not expose it). Routes whose p95 exceeds it are bottlenecks.
   * @default none: the bottlenecks are then the slowest routes by their share of the time spent
   */
  readonly latencyBudgetMs?: number;
  /**
   * The limit each saturation signal is forecast against (`eventLoopUtilization`, `eventLoopDelayP99Ms`,
   * `heapRatio`, `rssBytes`, `cpuRatio`). A signal's limit is also learnt from the saturation monitor
   * when it reports that signal overloaded.
   * @default `DEFAULT_CAPACITY_LIMITS` (0.9, 200 ms, 0.9, 90 % of the machine's memory, 0.9)
   */
  readonly capacityLimits?: Readonly<Partial<Record<CapacitySignal, number>>>;
  /**
   * The planned maintenance a status page shows (a list: `{ windows: () => list }`). A source a window
   * in progress names is `under_maintenance` in `status()`, and its time counts as maintenance, not
   * downtime, in the uptime bars; status pages list the windows as scheduled maintenances. (The
   * `maintenance` calendar silences alerts, holds incidents and excludes SLO events by alert labels;
   * this names the status page's components.)
   * @default none
   */
  readonly scheduledMaintenance?: ScheduledMaintenanceSource;
  /**
   * The change log the orchestrator feeds (directly, or through the agent's `record_change`). Every
   * incident opened through the monitor's recorder, automatic or by hand, gets its top correlated
   * changes (the report's `related_changes` and a timeline note), and the SLA report gains the DORA
   * metrics of its period.
   * @default none
   */
  readonly changes?: ChangeLog;
  /** The judge the agent's `judge_canary` action asks. @default `createCanaryJudge()` */
  readonly canary?: CanaryJudge;
  /**
   * Progressive rollouts: deployment readiness is not ready while one runs with a failing latest
   * verdict. At most 64.
   * @default []
   */
  readonly rollouts?: readonly RolloutGate[];
  /**
   * Per-route latency budgets, read from `latency`: deployment readiness is not ready while one is over
   * budget, and `performanceAnalysis()` lists them.
   * @default none
   */
  readonly performanceBudget?: PerformanceBudget;
}

/** The time span of a performance analysis. */
export type Timeframe = 'last_hour' | 'last_24_hours' | 'last_7_days';
/** The calendar period of an SLA report. */
export type SlaPeriod = 'day' | 'week' | 'month';

/**
 * What the monitor answers about changes and canaries: the agent's `record_change`,
 * `change_correlation`, `dora_report` and `judge_canary` actions. A hand-built {@link MonitorQueries}
 * may leave them out; the protocol then answers those actions `ERR_SRE_NOT_CONFIGURED`.
 */
export interface ChangeQueries {
  /**
   * Records a change in the change log, and says which change freezes apply (SLOs whose error budget
   * is exhausted: only fixes and rollbacks should ship).
   * @throws {SreError} `ERR_SRE_NOT_CONFIGURED` without a change log; `ERR_SRE_INVALID_INPUT`.
   */
  recordChange(change: ChangeInput): RecordChangeResult & { readonly changeFreeze: readonly string[] };
  /**
   * The changes most likely behind an incident, with the SLOs' golden-signal evidence. Reading it
   * changes nothing.
   * @throws {SreError} `ERR_SRE_NOT_CONFIGURED` without a change log; `ERR_SRE_INCIDENT_NOT_FOUND`.
   */
  changeCorrelation(incidentId: string): CorrelatedChange[];
  /**
   * The DORA metrics over the calendar period containing `at` (default now), or over [since, until),
   * counted as of the period's end (or now, if sooner). Times are epoch ms, `Date`s or ISO-8601 strings.
   * @throws {SreError} `ERR_SRE_NOT_CONFIGURED` without a change log; `ERR_SRE_INVALID_INPUT` when
   *   `since` and `until` are not two times in order.
   */
  doraReport(
    options:
      | { readonly period: SlaPeriod; readonly at?: Date | number }
      | { readonly since: TimeInput; readonly until: TimeInput },
  ): DoraReport;
  /** Judges a canary against its baseline with the monitor's canary judge. */
  judgeCanary(observation: CanaryObservation): CanaryVerdict;
}

/** What the monitor can be asked: its reports and verdicts. The agent protocol answers from these. */
export interface MonitorQueries extends Partial<ChangeQueries> {
  readonly service: string;
  /** The incident recorder in use (given or created). */
  readonly incidents: IncidentRecorder;
  /** The latest SLO statuses, one per wired SLO. */
  sloStatus(): readonly SloStatus[];
  /**
   * The service health report (see `serviceHealthReportSchema`) plus SLOs, breakers, saturation, open
   * incidents. With a file-backed incident store it first waits for the store to load.
   */
  healthReport(options?: { readonly includePredictions?: boolean }): Promise<MonitorHealthReport>;
  /** Per SLO target against achieved over the calendar period containing `at` (default now). */
  slaReport(options: { readonly period: SlaPeriod; readonly at?: Date | number }): SlaReport;
  /**
   * Slow routes, their share of traffic, the dependencies that explain them and what to do, from the
   * timeframe's history (as of the latest evaluation). `focusAreas` narrows the findings to those areas.
   * @throws {ConfigError} on an unknown timeframe or focus area (naming the known ones).
   */
  performanceAnalysis(options?: {
    readonly timeframe?: Timeframe;
    readonly focusAreas?: readonly FocusArea[];
  }): PerformanceAnalysis;
  /**
   * A least-squares trend on saturation history: time until each signal reaches its limit, stated only
   * where the trend passes the `forecast` gates.
   * @throws {ConfigError} when `horizonMs` is not a finite number of ms >= 0.
   */
  capacityForecast(options?: { readonly horizonMs?: number }): CapacityForecast;
  /**
   * Whether to ship now: not with an exhausted budget (a change freeze), a page firing, an open P1/P2
   * (every one counts, most severe listed first), a failing critical check, an open breaker, a rollout
   * whose canary is failing or a route over its performance budget. It runs the health checks and waits for the incident bookkeeping they trigger (and for a file-backed incident store to load)
   * before it judges.
   */
  deploymentReadiness(): Promise<DeploymentReadiness>;
  /** The incident report of one incident. */
  incidentReport(id: string): IncidentReport;
  /** The maintenance calendar, when one is wired (the agent's `maintenance_windows` reads and adds to it). */
  readonly maintenance?: MaintenanceCalendar | undefined;
  /** The drills and their journals (the agent's `run_drill` and `drill_report`). */
  readonly drills?: DrillRegistry;
  /**
   * Each golden signal's anomaly status, the detector's predictions, and the predictions other agents
   * sent (still current). Reading it changes nothing. Optional for other implementations of these
   * queries: the agent's `anomalies` action then answers that no detector is wired.
   */
  anomalyReport?(): AnomalyReport;
  /**
   * Takes a prediction from another agent (a data-intelligence agent's forecast): kept (latest per source
   * and signal) until an hour after its time, listed in health reports with predictions and in
   * `anomalyReport()`, and raised as an alert of its severity (`PredictedAnomaly`). Optional for other
   * implementations of these queries: the agent's `report_anomaly` action then refuses the prediction.
   * @throws {ConfigError} naming the field when the input is not a valid prediction.
   */
  ingestPrediction?(prediction: PredictionInput): ExternalPrediction;
}

/** The reliability agent: every primitive wired, its reports, and the agent protocol. */
export interface Monitor extends Omit<MonitorQueries, keyof ChangeQueries>, ChangeQueries {
  /** The change log in use, when one was given. */
  readonly changes: ChangeLog | undefined;
  /**
   * The state now, in one read that changes nothing: each source's component status (health checks as
   * of the latest evaluation, SLOs and breakers now), the open incidents and where each stands, SLO
   * statuses, breaker states and the latest saturation sample. What status pages and metrics bridges read.
   */
  status(): MonitorStatus;
  /**
   * Each source's time per component status for each of the last `days` UTC days (default and most 90,
   * kept in the history file), with the service's latency percentiles per day and over the last 24 h.
   * @throws {ConfigError} when `days` is not an integer from 1 to 90.
   */
  uptime(options?: { readonly days?: number }): UptimeReport;
  /** The alert router in use (given or created): its `received` events show every alert sent. */
  readonly alerts: AlertRouter;
  /** The maintenance calendar, if one was given. */
  readonly maintenance: MaintenanceCalendar | undefined;
  /** The drills registered with this monitor (`createDrill` registers them) and their journals. */
  readonly drills: DrillRegistry;
  anomalyReport(): AnomalyReport;
  ingestPrediction(prediction: PredictionInput): ExternalPrediction;
  /**
   * The responder in use (given or created): what an Alertmanager webhook route feeds, so alerts from
   * Prometheus and the monitor's own incidents share one recorder and its deduplication.
   */
  readonly responder: Responder;
  /** Runs one evaluation now: samples, alerts, automatic incidents. Also run on a timer. */
  evaluate(): Promise<void>;
  /**
   * Answers an agent request (data, or YAML or JSON text) as `handleAgentRequest` does; never throws
   * or rejects: bad requests get `{ ok: false, error }`. `context` says who asks and whether they may
   * run actions that change state (by default they may: the host's own call is trusted). With a
   * file-backed incident store it first waits for the store to load, so the first answer after a
   * restart sees the incidents on disk.
   */
  handle(request: unknown, context?: AgentRequestContext): Promise<AgentResponse>;
  /** Stops the timers, snapshots history, closes what the monitor created. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Dependencies of {@link createMonitor}. */
export type MonitorDeps = Deps;
