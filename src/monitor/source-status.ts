// Each monitored source's component status for status pages: health checks as of the latest
// evaluation, SLOs and breakers read now, a scheduled maintenance window in progress overriding them,
// and the daily uptime bars sampled once per evaluation. Reads are pure; only `sample()` records.
import { ConfigError, type InternalErrorHandler } from '../core/index.js';
import type { HealthCheckResult } from '../health/index.js';
import type { CircuitBreaker } from '../resilience/index.js';
import type { SloStatus, SloTracker } from '../slo/index.js';
import { sourceStates, withSince, type SourceState, type StatusSource } from './component-status.js';
import type { History } from './history.js';
import {
  applyMaintenance,
  readMaintenance,
  type ScheduledMaintenanceSource,
  type ScheduledMaintenanceView,
} from './maintenance.js';
import { uptimeReport, type UptimeReport } from './status-view.js';
import { UptimeDays, UPTIME_DAYS, type UptimeSnapshot } from './uptime-days.js';

/** What the source statuses read from the monitor. */
export interface SourceStatusInputs {
  readonly slos: readonly SloTracker[];
  /** The health checks as of the latest evaluation. */
  readonly checks: () => HealthCheckResult | undefined;
  /** Which observed service (a tracked dependency, a pipeline) owns a source key. */
  readonly serviceOf: ReadonlyMap<string, string>;
  readonly scheduledMaintenance: ScheduledMaintenanceSource | undefined;
  readonly breakers: () => Pick<CircuitBreaker, 'name' | 'state'>[];
  readonly history: Pick<History, 'aggregate'>;
  readonly onError: InternalErrorHandler;
  /** Names the monitor in `onError` reports. */
  readonly source: string;
}

/** The current and daily component status of every source the monitor watches. */
export class SourceStatus {
  readonly #in: SourceStatusInputs;
  readonly #uptime = new UptimeDays();
  #evaluatedAt: number | null = null;

  constructor(inputs: SourceStatusInputs) {
    this.#in = inputs;
  }

  /** When the latest evaluation sampled the statuses, or `null` before the first. */
  get evaluatedAt(): number | null {
    return this.#evaluatedAt;
  }

  /** Records one evaluation: each status holds until the next, and today's uptime bar gets the sample. */
  sample(now: number): void {
    this.#uptime.observe(this.#states(this.maintenance(now).views), now);
    this.#evaluatedAt = now;
  }

  /** Each source's status now, with how long it has held it. */
  current(views: readonly ScheduledMaintenanceView[], now: number): StatusSource[] {
    return withSince(this.#states(views), this.#uptime.held(), now);
  }

  /** The maintenance windows in progress or coming up; a source that throws counts as none. */
  maintenance(now: number): { views: readonly ScheduledMaintenanceView[]; skipped: number } {
    try {
      return readMaintenance(this.#in.scheduledMaintenance, now);
    } catch (error) {
      this.#in.onError(error, { source: this.#in.source, task: 'maintenance windows' });
      return { views: [], skipped: 0 };
    }
  }

  /** The last `days` UTC days of each source's status, with the service's latency per day. */
  uptime(days: number | undefined, now: number): UptimeReport {
    const span = days ?? UPTIME_DAYS;
    if (!Number.isInteger(span) || span < 1 || span > UPTIME_DAYS)
      throw new ConfigError('monitor.uptime', [
        { field: 'days', received: String(span), expected: `an integer from 1 to ${UPTIME_DAYS}` },
      ]);
    return uptimeReport(this.#uptime, (from, to) => this.#in.history.aggregate(from, to), now, span);
  }

  /** The uptime bars, for the history file. */
  toJSON(): UptimeSnapshot {
    return this.#uptime.toJSON();
  }

  /** Restores the uptime bars from the history file. */
  restore(snapshot: UptimeSnapshot, now: number): void {
    this.#uptime.restore(snapshot, now);
  }

  // Checks as of the latest evaluation; SLOs and breakers read now; maintenance in progress overrides
  // them. Every read here is pure.
  #states(maintenance: readonly ScheduledMaintenanceView[]): SourceState[] {
    const slos: { status: SloStatus; objective: SloTracker['objective']['kind'] }[] = [];
    for (const slo of this.#in.slos) {
      try {
        slos.push({ status: slo.status(), objective: slo.objective.kind });
      } catch (error) {
        this.#in.onError(error, { source: this.#in.source, task: `slo ${slo.name}` });
      }
    }
    const states = sourceStates({ checks: this.#in.checks(), slos, breakers: this.#in.breakers() });
    const owned = states.map((state) => {
      const service = this.#in.serviceOf.get(state.key);
      return service === undefined ? state : { ...state, service };
    });
    return applyMaintenance(owned, maintenance);
  }
}
