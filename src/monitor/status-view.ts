import type { Incident } from '../incidents/index.js';
import type { CircuitState } from '../resilience/index.js';
import type { SaturationSnapshot } from '../saturation/index.js';
import type { SloStatus } from '../slo/index.js';
import type { StatusSource } from './component-status.js';
import type { ScheduledMaintenanceView } from './maintenance.js';
import type { HistoryAggregate } from './history.js';
import { DAY_MS, UPTIME_DAYS, type UptimeDay, type UptimeDays } from './uptime-days.js';

// What a status page and a metrics bridge read of the monitor: its state now, in one read that never
// changes anything, and each source's daily uptime.

/**
 * Where an open incident stands, in a status page's words: `investigating` (opened, nobody on it),
 * `identified` (acknowledged, or its root cause is recorded), `monitoring` (its signal has cleared and
 * the monitor waits `resolveAfterMs` before resolving it).
 */
export type IncidentPhase = 'investigating' | 'identified' | 'monitoring';

/** An open incident and where it stands. */
export interface IncidentView {
  readonly incident: Incident;
  readonly phase: IncidentPhase;
  /** Since when its signal has been clear (wall ms), when `phase` is `monitoring`. */
  readonly monitoringSince?: number;
}

/** The monitor's state now: what `monitor.status()` returns. */
export interface MonitorStatus {
  readonly service: string;
  /** When it was read, epoch ms. */
  readonly at: number;
  /** When the monitor last evaluated (health checks, alerts, incidents); `null` before the first. */
  readonly evaluatedAt: number | null;
  /**
   * Each source's component status: health checks (as of the latest evaluation), SLOs and circuit
   * breakers (read now).
   */
  readonly sources: readonly StatusSource[];
  /** Every open (or acknowledged) incident, in opening order. */
  readonly incidents: readonly IncidentView[];
  readonly slos: readonly SloStatus[];
  readonly breakers: readonly { readonly name: string; readonly state: CircuitState }[];
  /** The saturation monitor's latest sample, when one is wired. */
  readonly saturation: SaturationSnapshot | undefined;
  /**
   * Maintenance windows in progress or starting within `MAINTENANCE_LOOKAHEAD_MS` (7 days), by start;
   * the sources an in-progress one names are `under_maintenance` in `sources`.
   */
  readonly maintenance: readonly ScheduledMaintenanceView[];
  /** Windows the maintenance source returned that were malformed, duplicated or past the cap of 100. */
  readonly maintenanceSkipped: number;
}

/** Service latency over one span, from the monitor's hourly history. */
export interface LatencySpan {
  /** Latency values seen. */
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/** One UTC day of uptime. */
export interface UptimeReportDay {
  /** `YYYY-MM-DD` (UTC). */
  readonly date: string;
  /** The day's start, epoch ms. */
  readonly startMs: number;
  /** Source key → its time in each status that day (absent: not observed that day). */
  readonly sources: ReadonlyMap<string, UptimeDay>;
  /** Service latency that day (`null` once the day is past the history's retention, or unseen). */
  readonly latency: LatencySpan | null;
}

/** What `monitor.uptime()` returns: the last `days` UTC days, oldest first, today last. */
export interface UptimeReport {
  readonly days: readonly UptimeReportDay[];
  /** Service latency over the last 24 hours. */
  readonly last24h: LatencySpan;
  /** Sources past the cap whose uptime is not kept. */
  readonly droppedSources: number;
}

/** The phase of each open incident: `clearSince(key)` is how long its signal has been clear. */
export function incidentViews(
  open: readonly Incident[],
  clearSince: (dedupKey: string) => number | undefined,
): IncidentView[] {
  return open.map((incident) => {
    const since = incident.dedupKey === undefined ? undefined : clearSince(incident.dedupKey);
    if (since !== undefined) return { incident, phase: 'monitoring', monitoringSince: since };
    const identified = incident.status === 'acknowledged' || incident.rootCause !== undefined;
    return { incident, phase: identified ? 'identified' : 'investigating' };
  });
}

function latencyOf(span: HistoryAggregate): LatencySpan {
  return { count: span.latencyCount, p50Ms: span.p50Ms, p99Ms: span.p99Ms };
}

/**
 * The uptime report of the last `days` days (1 to {@link UPTIME_DAYS}) up to `now`, with each day's
 * service latency from `aggregate` (the hourly history).
 */
export function uptimeReport(
  uptime: UptimeDays,
  aggregate: (fromMs: number, toMs: number) => HistoryAggregate,
  now: number,
  days: number,
): UptimeReport {
  const today = Math.floor(now / DAY_MS);
  const count = Math.min(UPTIME_DAYS, Math.max(1, Math.floor(days)));
  return {
    days: uptime.days(today - count + 1, today).map(({ day, sources }) => {
      const startMs = day * DAY_MS;
      const span = aggregate(startMs, startMs + DAY_MS);
      return {
        date: new Date(startMs).toISOString().slice(0, 10),
        startMs,
        sources,
        latency: span.hours === 0 ? null : latencyOf(span),
      };
    }),
    last24h: latencyOf(aggregate(now - DAY_MS, now + 1)),
    droppedSources: uptime.droppedSources,
  };
}
