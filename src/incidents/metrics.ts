import type { Incident } from './incident.js';
import { SEVERITIES, type Severity } from './severity.js';

/** The window {@link IncidentRecorder.metrics} and {@link IncidentRecorder.list} look at, by opening time. */
export interface IncidentWindow {
  /** Only incidents opened at or after this time (epoch ms or Date). @default the beginning */
  readonly since?: number | Date;
  /** Only incidents opened before this time (epoch ms or Date). @default no end */
  readonly until?: number | Date;
}

/**
 * Incident statistics over a window: the seed's success metrics (MTTR, frequency, automation coverage).
 * The window counts only what happened inside it: the incidents opened in it, and of those the
 * acknowledgements and resolutions made before it ended (`until`). An incident resolved after the
 * window counts as still open in it, so a closed window's metrics never change afterwards.
 */
export interface IncidentMetrics {
  /** Incidents opened in the window. */
  readonly count: number;
  /** Of those, how many per severity (every severity present, zeros included). */
  readonly bySeverity: Readonly<Record<Severity, number>>;
  /**
   * Mean time to acknowledge: mean of (first acknowledgement − opening) over the incidents acknowledged
   * before the window ended; null if none.
   */
  readonly mttaMs: number | null;
  /**
   * Mean time to resolve: mean of (resolution − opening) over the incidents resolved before the window
   * ended; null if none. A reopened incident counts from its first opening to its last resolution
   * before the window's end.
   */
  readonly mttrMs: number | null;
  /** Mean time between failures: the mean gap between consecutive openings; null with fewer than two. */
  readonly mtbfMs: number | null;
  /** Automation coverage: the share of resolved incidents resolved automatically; null if none resolved. */
  readonly autoResolvedRatio: number | null;
  /** Of the window's incidents, how many were not resolved when it ended (or are not yet). */
  readonly open: number;
}

/** Converts a window bound to epoch ms. */
export function toEpoch(value: number | Date | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return typeof value === 'number' ? value : value.getTime();
}

/** Computes {@link IncidentMetrics} over `incidents`, counting those opened in `window`. */
export function computeIncidentMetrics(
  incidents: Iterable<Incident>,
  window: IncidentWindow = {},
): IncidentMetrics {
  const since = toEpoch(window.since, -Infinity);
  const until = toEpoch(window.until, Infinity);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const openings: number[] = [];
  let ackSum = 0;
  let acked = 0;
  let resolveSum = 0;
  let resolved = 0;
  let automated = 0;
  let open = 0;
  for (const incident of incidents) {
    if (incident.openedAt < since || incident.openedAt >= until) continue;
    bySeverity[incident.severity]++;
    openings.push(incident.openedAt);
    if (incident.acknowledgedAt !== undefined && incident.acknowledgedAt < until) {
      ackSum += incident.acknowledgedAt - incident.openedAt;
      acked++;
    }
    const resolution = resolutionAsOf(incident, until);
    if (resolution !== undefined) {
      resolveSum += resolution.at - incident.openedAt;
      resolved++;
      if (resolution.automated) automated++;
    } else {
      open++;
    }
  }
  let mtbfMs: number | null = null;
  if (openings.length >= 2) {
    let first = Infinity;
    let last = -Infinity;
    for (const at of openings) {
      if (at < first) first = at;
      if (at > last) last = at;
    }
    // The gaps between consecutive openings telescope: their mean is the span over the gap count.
    mtbfMs = (last - first) / (openings.length - 1);
  }
  return {
    count: openings.length,
    bySeverity,
    mttaMs: acked === 0 ? null : ackSum / acked,
    mttrMs: resolved === 0 ? null : resolveSum / resolved,
    mtbfMs,
    autoResolvedRatio: resolved === 0 ? null : automated / resolved,
    open,
  };
}

/**
 * The resolution an incident had just before `at` (epoch ms): its time and whether automation made it,
 * or `undefined` when it was not resolved then (not yet, or reopened since). Read from the timeline, so
 * a later reopening and resolution do not change what an earlier time saw.
 */
export function resolutionAsOf(
  incident: Incident,
  at: number,
): { readonly at: number; readonly automated: boolean } | undefined {
  const last = incident.status === 'resolved' ? incident.resolvedAt : undefined;
  if (last !== undefined && last < at) return { at: last, automated: incident.automated === true };
  // Resolved (or reopened) since `at`: the timeline tells what held then.
  for (let i = incident.timeline.length - 1; i >= 0; i--) {
    const entry = incident.timeline[i];
    if (entry === undefined || entry.at >= at) continue;
    if (entry.kind === 'reopened' || entry.kind === 'opened') return undefined;
    if (entry.kind === 'resolved')
      return { at: entry.at, automated: entry.text.startsWith('Resolved automatically') };
  }
  return undefined;
}
