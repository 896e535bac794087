import { constrainedMemory } from 'node:process';
import { totalmem } from 'node:os';
import {
  parseOptions,
  resolveDeps,
  startPoller,
  type Clock,
  type InternalErrorHandler,
  type Poller,
} from '../core/index.js';
import {
  toServiceHealthReport,
  type HealthRegistry,
  type HealthStatusChangedEvent,
  type ServiceHealthReport,
  type SlaComplianceInput,
} from '../health/index.js';
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
import { calendarPeriod, type SloAlertEvent, type SloStatus, type SloTracker } from '../slo/index.js';
import {
  CAPACITY_SIGNALS,
  DEFAULT_CAPACITY_LIMITS,
  fitTrend,
  timeToLimit,
  type CapacitySignal,
} from './forecast.js';
import { History, HOUR_MS, LATENCY_BOUNDARIES_MS } from './history.js';
import { monitorOptionsSchema } from './options.js';
import type {
  Bottleneck,
  CapacityForecast,
  CapacityPrediction,
  DeploymentReadiness,
  MonitorHealthReport,
  PerformanceAnalysis,
  Predictions,
  SlaReport,
  SloSummary,
} from './report-schemas.js';
import { handleAgentRequest, type AgentResponse } from './protocol/index.js';
import { readHistoryFile, writeFileAtomic } from './snapshot-file.js';
import type { Monitor, MonitorDeps, MonitorOptions, SlaPeriod, Timeframe } from './types.js';

type Parsed = ReturnType<typeof parseMonitorOptions>;
function parseMonitorOptions(options: MonitorOptions) {
  return parseOptions(monitorOptionsSchema, options, 'createMonitor');
}

const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  last_hour: HOUR_MS,
  last_24_hours: 24 * HOUR_MS,
  last_7_days: 7 * 24 * HOUR_MS,
};
const DEFAULT_HORIZON_MS = 7 * 24 * HOUR_MS;
const MAX_LISTED_INCIDENTS = 100;
const MAX_ROUTES = 1_000;

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

interface SloState {
  readonly page: Set<string>;
  readonly ticket: Set<string>;
}

class MonitorImpl implements Monitor {
  readonly service: string;
  readonly incidents: IncidentRecorder;
  readonly #clock: Clock;
  readonly #onError: InternalErrorHandler;
  readonly #source: string;
  readonly #health: HealthRegistry | undefined;
  readonly #latency: LatencyTracker | undefined;
  readonly #slos: readonly SloTracker[];
  readonly #breakers: readonly CircuitBreaker<never>[];
  readonly #saturation: SaturationMonitor | undefined;
  readonly #responder: Responder;
  readonly #alerts: AlertRouter;
  readonly #auto: Parsed['autoIncidents'];
  readonly #latencyBudgetMs: number | undefined;
  readonly #limits: Record<CapacitySignal, number>;
  readonly #history: History;
  readonly #historyFile: string | undefined;
  readonly #owned: { recorder: boolean; responder: boolean; alerts: boolean };
  readonly #unsubscribe: (() => void)[] = [];
  readonly #sloStates = new Map<string, SloState>();
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
    // The caller's own objects, not zod's output.
    this.#health = options.health;
    this.#latency = options.latency;
    this.#slos = [...(options.slos ?? [])];
    this.#breakers = [...(options.breakers ?? [])];
    this.#saturation = options.saturation;
    this.#auto = parsed.autoIncidents;
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

    this.#wire();
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

  // ---- wiring: signals → alerts → incidents ---------------------------------------------------

  #wire(): void {
    for (const slo of this.#slos) {
      const state: SloState = { page: new Set(), ticket: new Set() };
      this.#sloStates.set(slo.name, state);
      this.#unsubscribe.push(slo.on('alert', (event) => this.#onSloAlert(state, event)));
    }
    for (const breaker of this.#breakers) {
      this.#unsubscribe.push(
        breaker.on('open', (event) => this.#onBreaker(breaker.name, true, event.reason)),
        breaker.on('close', () => this.#onBreaker(breaker.name, false, 'closed')),
      );
    }
    if (this.#health !== undefined)
      this.#unsubscribe.push(this.#health.on('statusChanged', (event) => this.#onCheck(event)));
  }

  #onSloAlert(state: SloState, event: SloAlertEvent): void {
    const severity = event.severity === 'page' ? this.#auto.sloPage : this.#auto.sloTicket;
    if (severity === false) return;
    const firingSet = event.severity === 'page' ? state.page : state.ticket;
    const wasFiring = firingSet.size > 0;
    const window = `${event.longWindowMs}/${event.shortWindowMs}`;
    if (event.firing) firingSet.add(window);
    else firingSet.delete(window);
    const firing = firingSet.size > 0;
    if (firing === wasFiring) return;
    const kind = event.severity === 'page' ? 'page' : 'ticket';
    const rate = round(event.longBurnRate, 1);
    this.#raise(
      {
        name: kind === 'page' ? 'SloErrorBudgetBurnFast' : 'SloErrorBudgetBurnSlow',
        severity: kind === 'page' ? 'critical' : 'warning',
        service: this.service,
        summary: `SLO ${event.name} is burning its error budget at ${rate}× over ${describeMs(event.longWindowMs)} (${kind})`,
        description: `Burn rate ${rate}× over ${describeMs(event.longWindowMs)} and ${round(event.shortBurnRate, 1)}× over ${describeMs(event.shortWindowMs)}, threshold ${event.burnRate}×.`,
        dedupKey: `slo:${event.name}:${kind}`,
        labels: { slo: event.name, alert: kind },
        source: 'slo',
        status: firing ? 'firing' : 'resolved',
      },
      severity,
    );
  }

  #onBreaker(name: string, open: boolean, reason: string): void {
    const severity = this.#auto.breakerOpen;
    if (severity === false) return;
    this.#raise(
      {
        name: 'CircuitBreakerOpen',
        severity: 'warning',
        service: this.service,
        summary: open
          ? `Circuit breaker ${name} opened (${reason}): calls to its dependency are refused`
          : `Circuit breaker ${name} closed`,
        dedupKey: `breaker:${name}`,
        labels: { breaker: name },
        source: 'breaker',
        status: open ? 'firing' : 'resolved',
      },
      severity,
    );
  }

  #onCheck(event: HealthStatusChangedEvent): void {
    const severity = this.#auto.criticalCheckFail;
    if (severity === false || !event.result.critical) return;
    const failing = event.status === 'fail';
    if (!failing && event.previous !== 'fail') return;
    this.#raise(
      {
        name: 'CriticalHealthCheckFailing',
        severity: 'critical',
        service: this.service,
        summary: failing
          ? `Critical health check ${event.name} is failing${event.result.output === undefined ? '' : `: ${event.result.output}`}`
          : `Critical health check ${event.name} passes again`,
        dedupKey: `check:${event.name}`,
        labels: { check: event.name },
        source: 'health',
        status: failing ? 'firing' : 'resolved',
      },
      severity,
    );
  }

  // One alert: to the router (people), and to the responder (incident, runbook, auto-resolution).
  // Alerts of one key are handled in order, so a recovery never overtakes the opening it resolves.
  #raise(alert: Alert & { readonly dedupKey: string }, severity: Severity): void {
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
    this.#sampleSaturation();
    this.#sampleLatency(now);
    for (const slo of this.#slos) {
      try {
        slo.status(); // evaluates its alerts: the listeners above see the changes
      } catch (error) {
        this.#onError(error, { source: this.#source, task: `slo ${slo.name}` });
      }
    }
    this.#fileSlos();
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

  #sampleSaturation(): void {
    const saturation = this.#saturation;
    if (saturation === undefined) return;
    try {
      const s = saturation.snapshot();
      if (s.sampledAt === this.#lastSampledAt) return;
      this.#lastSampledAt = s.sampledAt;
      this.#history.recordSaturation({
        at: s.sampledAt,
        values: {
          eventLoopUtilization: s.eventLoopUtilization,
          eventLoopDelayP99Ms: s.eventLoopDelayP99Ms,
          heapRatio: s.heapRatio,
          rssBytes: s.rssBytes,
          cpuRatio: s.cpuRatio,
        },
      });
    } catch (error) {
      this.#onError(error, { source: this.#source, task: 'saturation sample' });
    }
  }

  #sampleLatency(now: number): void {
    if (this.#latency === undefined) return;
    try {
      const { buckets, count } = this.#latency.cumulativeBuckets(LATENCY_BOUNDARIES_MS);
      this.#history.recordLatency(
        buckets.slice(0, LATENCY_BOUNDARIES_MS.length).map((b) => b.count),
        count,
        now,
      );
    } catch (error) {
      this.#onError(error, { source: this.#source, task: 'latency sample' });
    }
  }

  // Recomputes each SLO's recent hours from its tracker's buckets (see history.ts).
  #fileSlos(): void {
    for (const slo of this.#slos) {
      try {
        const snapshot = slo.snapshot();
        let tier: (typeof snapshot.tiers)[number] | undefined;
        for (const t of snapshot.tiers) {
          if (HOUR_MS % t.granularityMs !== 0) continue;
          const span = t.granularityMs * t.size;
          const best = tier === undefined ? -1 : tier.granularityMs * tier.size;
          if (span > best) tier = t;
        }
        if (tier === undefined) continue;
        const head = Math.floor(snapshot.takenAtMs / tier.granularityMs);
        const coveredFrom = (head - tier.size + 1) * tier.granularityMs;
        this.#history.recordSlo(slo.name, tier.granularityMs, tier.buckets, coveredFrom);
      } catch (error) {
        this.#onError(error, { source: this.#source, task: `slo history ${slo.name}` });
      }
    }
  }

  // Saves one at a time: the timer's save and close()'s must not race on the temporary file.
  #saveHistory(): Promise<void> {
    const file = this.#historyFile;
    if (file === undefined) return Promise.resolve();
    const run = this.#saving.then(() => writeFileAtomic(file, JSON.stringify(this.#history.toJSON())));
    this.#saving = run.catch(() => undefined);
    return run;
  }

  // ---- queries --------------------------------------------------------------------------------

  sloStatus(): readonly SloStatus[] {
    return this.#slos.map((slo) => slo.status());
  }

  async healthReport(options: { readonly includePredictions?: boolean } = {}): Promise<MonitorHealthReport> {
    const statuses = this.sloStatus();
    const sla = this.#slaCompliance(statuses);
    const now = this.#clock.wallNow();
    let base: ServiceHealthReport;
    if (this.#health !== undefined) {
      base = toServiceHealthReport(
        await this.#health.check(),
        sla === undefined ? {} : { slaCompliance: sla },
      );
    } else {
      base = { timestamp: iso(now), status: 'healthy', services: {} };
      if (sla !== undefined)
        base.sla_compliance = {
          availability: sla.availability,
          error_rate: sla.errorRate,
          response_time_p95: sla.responseTimeP95,
        };
    }
    const slos = statuses.map(summarise);
    const breakers: Record<string, 'closed' | 'open' | 'halfOpen' | 'isolated'> = {};
    for (const breaker of this.#breakers) breakers[breaker.name] = breaker.state;
    // The monitor's view can only make the status worse than the checks say.
    const troubled =
      slos.some((s) => s.alert === 'page' || s.budgetRemaining <= 0) ||
      Object.values(breakers).some((state) => state === 'open' || state === 'isolated');
    const report: MonitorHealthReport = {
      ...base,
      status: troubled && base.status === 'healthy' ? 'degraded' : base.status,
      service: this.service,
      slos,
      breakers,
      openIncidents: this.#openIncidents().map((incident) => ({
        id: incident.id,
        severity: incident.severity,
        title: incident.title,
        openedAt: iso(incident.openedAt),
        acknowledged: incident.status === 'acknowledged',
      })),
    };
    if (this.#saturation !== undefined) {
      const { sampledAt: _sampledAt, ...signals } = this.#saturation.snapshot();
      report.saturation = { ...signals };
    }
    if (options.includePredictions === true) report.predictions = this.#predictions(statuses, now);
    return report;
  }

  #predictions(statuses: readonly SloStatus[], now: number): Predictions {
    return {
      budgetExhaustion: statuses.map((status) => {
        const left = status.timeToExhaustionMs;
        const finite = Number.isFinite(left) && left >= 0;
        return {
          slo: status.name,
          budgetRemaining: status.budget.remaining,
          burnRate: status.burnRates['1h'],
          exhaustsInMs: finite ? left : null,
          exhaustsAt: finite ? iso(now + left) : null,
        };
      }),
      capacity: this.#capacity(now),
    };
  }

  // Service-wide SLA figures: availability from the SLO that sees every request (see history.ts for
  // how it is picked), p95 from the latency tracker.
  #slaCompliance(statuses: readonly SloStatus[]): SlaComplianceInput | undefined {
    let primary: SloStatus | undefined;
    for (const status of statuses) {
      if (
        primary === undefined ||
        status.total > primary.total ||
        (status.total === primary.total && status.total - status.good < primary.total - primary.good)
      )
        primary = status;
    }
    const latency = this.#latencySummary();
    if (primary === undefined && latency === undefined) return undefined;
    const availability =
      primary === undefined || primary.total === 0 ? 100 : (100 * primary.good) / primary.total;
    return {
      availability: round(availability, 4),
      errorRate: round(100 - availability, 4),
      responseTimeP95: round(latency?.p95 ?? 0, 3),
    };
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

  slaReport(options: { readonly period: SlaPeriod; readonly at?: Date | number }): SlaReport {
    const at =
      options.at === undefined
        ? this.#clock.wallNow()
        : typeof options.at === 'number'
          ? options.at
          : options.at.getTime();
    const { startMs, endMs } = calendarPeriod({ unit: options.period, at });
    this.#fileSlos();
    const span = this.#history.aggregate(startMs, endMs);
    const incidents = this.incidents.list({ since: startMs, until: endMs });
    const slos = this.#slos.map((slo) => {
      const target = slo.status().target;
      const counts = span.slos.get(slo.name) ?? { good: 0, total: 0 };
      const own = incidents.filter((incident) => incident.labels.slo === slo.name);
      const achieved = counts.total === 0 ? null : (100 * counts.good) / counts.total;
      return {
        slo: slo.name,
        objective: round(target * 100, 6),
        achieved: achieved === null ? null : round(achieved, 6),
        met: counts.total === 0 || counts.good / counts.total >= target,
        good: counts.good,
        total: counts.total,
        budgetUsed: counts.total === 0 ? 0 : (counts.total - counts.good) / (counts.total * (1 - target)),
        incidents: own.length,
        mttrMs: meanTimeToResolve(own),
      };
    });
    const metrics = this.incidents.metrics({ since: startMs, until: endMs });
    return {
      service: this.service,
      period: options.period,
      from: iso(startMs),
      to: iso(endMs),
      slos,
      incidents: { total: metrics.count, bySeverity: { ...metrics.bySeverity }, mttrMs: metrics.mttrMs },
      traffic: { requests: Math.round(span.requests), errors: Math.round(span.errors) },
    };
  }

  performanceAnalysis(
    options: { readonly timeframe?: Timeframe; readonly focusAreas?: readonly string[] } = {},
  ): PerformanceAnalysis {
    const timeframe = options.timeframe ?? 'last_24_hours';
    const now = this.#clock.wallNow();
    this.#fileSlos();
    this.#sampleLatency(now);
    // Hourly history: the timeframe is rounded out to whole hours.
    const span = this.#history.aggregate(now - TIMEFRAME_MS[timeframe], now + 1);
    const from = Math.min(span.startMs, now);
    const seconds = Math.max(1, (now - from) / 1000);
    const requests = Math.round(span.requests || span.latencyCount);
    const errorRate = span.requests > 0 ? Math.min(1, span.errors / span.requests) : 0;

    const routes = this.#routes();
    const budget = this.#latencyBudgetMs;
    const totalRouted = routes.reduce((sum, r) => sum + r.count, 0);
    const ranked = routes
      .map((r) => ({
        route: r.route,
        p95Ms: round(r.p95, 3),
        p99Ms: round(r.p99, 3),
        share: totalRouted === 0 ? 0 : r.count / totalRouted,
        budgetMs: budget ?? null,
        weight: r.mean * r.count,
      }))
      .sort((a, b) => b.weight - a.weight);
    // Judged on the tracker's own figures, the same view and precision as the routes'.
    const serviceP95 = this.#latencySummary()?.p95 ?? 0;
    const bottlenecks: Bottleneck[] = (
      budget !== undefined
        ? ranked.filter((r) => r.p95Ms > budget)
        : ranked.filter((r) => r.p95Ms >= serviceP95 && r.share > 0).slice(0, 3)
    ).map(({ weight: _weight, ...rest }) => rest);

    const immediate: string[] = [];
    const planned: string[] = [];
    for (const b of bottlenecks) {
      if (budget !== undefined)
        immediate.push(
          `Route ${b.route}: p95 ${fmt(b.p95Ms)} ms exceeds the ${fmt(budget)} ms latency budget on ${pct(b.share)} of requests; profile it and cut its slowest dependency call.`,
        );
      else
        planned.push(
          `Route ${b.route} takes the most time: p95 ${fmt(b.p95Ms)} ms, p99 ${fmt(b.p99Ms)} ms on ${pct(b.share)} of requests; set a latency budget for it and profile it.`,
        );
      if (b.p95Ms > 0 && b.p99Ms > 3 * b.p95Ms)
        planned.push(
          `Route ${b.route} has a long tail (p99 ${fmt(b.p99Ms)} ms is ${fmt(b.p99Ms / b.p95Ms)}× p95): look for lock contention, GC pauses or retries.`,
        );
    }
    for (const status of this.sloStatus()) {
      const allowed = 1 - status.target;
      if (status.alerts.some((a) => a.firing && a.severity === 'page'))
        immediate.push(
          `SLO ${status.name} is burning its error budget at ${fmt(status.burnRates['1h'])}× over the last hour; stop risky changes and find the failing dependency.`,
        );
      else if (status.budget.remaining < 0.25)
        planned.push(
          `SLO ${status.name} has ${pct(Math.max(0, status.budget.remaining))} of its error budget left; prioritise reliability work over features.`,
        );
      if (span.requests > 0 && errorRate > allowed)
        immediate.push(
          `Error rate ${pct(errorRate)} over ${timeframe.replaceAll('_', ' ')} exceeds the ${pct(allowed)} SLO ${status.name} allows.`,
        );
    }
    for (const breaker of this.#breakers) {
      const state = breaker.state;
      if (state === 'open' || state === 'isolated')
        immediate.push(
          `Circuit breaker ${breaker.name} is ${state}: its dependency is refused; check it and keep the fallback serving.`,
        );
    }
    for (const signal of this.#capacity(now)) {
      if (signal.reachesLimitInMs !== null && signal.reachesLimitInMs <= DEFAULT_HORIZON_MS)
        (signal.reachesLimitInMs <= 24 * HOUR_MS ? immediate : planned).push(
          `${signal.signal} is at ${fmt(signal.current)} and trends to its limit ${fmt(signal.limit)} in ${describeMs(signal.reachesLimitInMs)} (r² ${fmt(signal.confidence)}); add capacity before then.`,
        );
    }

    return {
      timeframe,
      from: iso(from),
      to: iso(now),
      focusAreas: [...(options.focusAreas ?? [])],
      bottlenecks,
      immediate,
      planned,
      metrics: {
        requests,
        requestsPerSecond: requests / seconds,
        errorRate,
        p50Ms: span.p50Ms === null ? null : round(span.p50Ms, 3),
        p95Ms: span.p95Ms === null ? null : round(span.p95Ms, 3),
        p99Ms: span.p99Ms === null ? null : round(span.p99Ms, 3),
      },
    };
  }

  // Per-route latency from the tracker's sliding window (lifetime without one).
  #routes(): { route: string; count: number; mean: number; p95: number; p99: number }[] {
    if (this.#latency === undefined) return [];
    const out: { route: string; count: number; mean: number; p95: number; p99: number }[] = [];
    for (const route of this.#latency.keys().slice(0, MAX_ROUTES)) {
      const summary = this.#latencySummary(route);
      if (summary === undefined || summary.count === 0) continue;
      out.push({ route, count: summary.count, mean: summary.mean, p95: summary.p95, p99: summary.p99 });
    }
    return out;
  }

  capacityForecast(options: { readonly horizonMs?: number } = {}): CapacityForecast {
    const horizonMs = options.horizonMs ?? DEFAULT_HORIZON_MS;
    const signals = this.#capacity(this.#clock.wallNow());
    return {
      horizonMs,
      atRisk: signals
        .filter((s) => s.reachesLimitInMs !== null && s.reachesLimitInMs <= horizonMs)
        .map((s) => s.signal),
      signals,
    };
  }

  #capacity(now: number): CapacityPrediction[] {
    const samples = this.#history.samples();
    if (samples.length === 0) return [];
    const out: CapacityPrediction[] = [];
    for (const signal of CAPACITY_SIGNALS) {
      const points = samples.map((p) => ({ x: p.at, y: p.values[signal] }));
      const fit = fitTrend(points);
      const current = samples[samples.length - 1]?.values[signal] ?? 0;
      const limit = this.#limits[signal];
      let left = fit.samples >= 3 ? timeToLimit(fit, now, limit, current) : current >= limit ? 0 : null;
      if (left !== null && !Number.isFinite(left)) left = null;
      out.push({
        signal,
        current,
        limit,
        slopePerHour: fit.slope * HOUR_MS,
        reachesLimitInMs: left,
        reachesLimitAt: left === null ? null : iso(now + left),
        confidence: fit.confidence,
        samples: fit.samples,
      });
    }
    return out;
  }

  async deploymentReadiness(): Promise<DeploymentReadiness> {
    const reasons: string[] = [];
    for (const status of this.sloStatus()) {
      if (status.total > 0 && status.budget.remaining <= 0)
        reasons.push(
          `SLO ${status.name} has exhausted its error budget (${pct(status.budget.consumed)} consumed).`,
        );
      const page = status.alerts.find((a) => a.firing && a.severity === 'page');
      if (page !== undefined)
        reasons.push(
          `SLO ${status.name} has a page alert firing (burn rate above ${page.burnRate}× over ${describeMs(page.longWindowMs)}).`,
        );
    }
    for (const incident of this.#openIncidents())
      if (incident.severity === 'P1' || incident.severity === 'P2')
        reasons.push(`Incident ${incident.id} (${incident.severity}) is still open: ${incident.title}.`);
    if (this.#health !== undefined) {
      try {
        const result = await this.#health.check();
        for (const check of result.checks)
          if (check.critical && check.status === 'fail')
            // The check's own error text only where the registry allows details (it may name hosts).
            reasons.push(
              `Critical health check ${check.name} is failing${
                !result.exposeDetails || check.output === undefined ? '' : ` (${check.output})`
              }.`,
            );
      } catch (error) {
        reasons.push(
          `The health checks could not run: ${error instanceof Error ? error.message : String(error)}.`,
        );
      }
    }
    for (const breaker of this.#breakers) {
      const state = breaker.state;
      if (state === 'open' || state === 'isolated')
        reasons.push(`Circuit breaker ${breaker.name} is ${state}.`);
    }
    return { ready: reasons.length === 0, reasons, checkedAt: iso(this.#clock.wallNow()) };
  }

  incidentReport(id: string): IncidentReport {
    return this.incidents.report(id);
  }

  handle(request: unknown): Promise<AgentResponse> {
    return handleAgentRequest(this, request);
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

function summarise(status: SloStatus): SloSummary {
  const firing = status.alerts.filter((a) => a.firing);
  return {
    name: status.name,
    objective: round(status.target * 100, 6),
    achieved: status.sli === null ? null : round(status.sli * 100, 6),
    budgetRemaining: status.budget.remaining,
    burnRate1h: status.burnRates['1h'],
    alert: firing.some((a) => a.severity === 'page') ? 'page' : firing.length > 0 ? 'ticket' : 'none',
  };
}

function meanTimeToResolve(incidents: readonly Incident[]): number | null {
  let sum = 0;
  let n = 0;
  for (const incident of incidents)
    if (incident.status === 'resolved' && incident.resolvedAt !== undefined) {
      sum += incident.resolvedAt - incident.openedAt;
      n++;
    }
  return n === 0 ? null : sum / n;
}

function defaultRssLimit(): number {
  const total = totalmem();
  const constrained = constrainedMemory();
  const memory = constrained !== undefined && constrained > 0 && constrained < total ? constrained : total;
  return Math.round(memory * 0.9);
}

function definedOnly<T extends object>(values: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as never;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function fmt(value: number): string {
  return String(round(value, value >= 100 ? 0 : 2));
}

function pct(ratio: number): string {
  return `${round(ratio * 100, 2)} %`;
}

/** A duration for a sentence: `5 min`, `6 h`, `3 d`. */
function describeMs(ms: number): string {
  if (ms >= 2 * 24 * HOUR_MS) return `${round(ms / (24 * HOUR_MS), 1)} d`;
  if (ms >= 2 * HOUR_MS) return `${round(ms / HOUR_MS, 1)} h`;
  if (ms >= 120_000) return `${round(ms / 60_000, 1)} min`;
  return `${round(ms / 1000, 1)} s`;
}
