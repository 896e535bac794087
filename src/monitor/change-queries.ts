import { ErrorCode, SreError } from '../core/index.js';
import { timeInputMs, type ChangeLog, type DoraIncident, type DoraReport } from '../changes/index.js';
import { resolutionAsOf, type IncidentRecorder } from '../incidents/index.js';
import { calendarPeriod, type SloStatus } from '../slo/index.js';
import type { ChangeQueries } from './types.js';

type DoraReportOptions = Parameters<ChangeQueries['doraReport']>[0];

// The monitor's change queries that read its change log with its incidents and SLOs: DORA over a
// period, and the change freezes a recorded change is answered with. Pure reads of what they are given.

/** The change log, or `ERR_SRE_NOT_CONFIGURED` naming how to give one. */
export function requireChangeLog(changes: ChangeLog | undefined, service: string): ChangeLog {
  if (changes === undefined)
    throw new SreError(
      ErrorCode.NOT_CONFIGURED,
      `Monitor ${service} has no change log: pass createMonitor({ changes: createChangeLog(...) })`,
    );
  return changes;
}

/** One sentence per SLO whose error budget is exhausted: only fixes and rollbacks should ship. */
export function changeFreezes(statuses: readonly SloStatus[]): string[] {
  return statuses
    .filter((status) => status.total > 0 && status.budget.remaining <= 0)
    .map(
      (status) => `SLO ${status.name} has exhausted its error budget: only fixes and rollbacks should ship.`,
    );
}

/**
 * DORA over [startMs, endMs) as of the period's end, or up to and including now (asOf is exclusive):
 * a closed period's figures never change.
 */
export function doraOver(
  changes: ChangeLog,
  recorder: IncidentRecorder,
  period: { readonly startMs: number; readonly endMs: number },
  now: number,
): DoraReport {
  const { startMs, endMs } = period;
  const asOf = Math.min(now + 1, endMs);
  const { failureWindowMs, minLinkScore } = changes.options;
  const incidents: DoraIncident[] = recorder
    .list({ since: startMs - failureWindowMs, until: asOf })
    .map((incident) => {
      const resolved = resolutionAsOf(incident, asOf);
      const related = incident.relatedChanges;
      // Correlated when it opened (with the signals of the time): linked to the top change if strong enough.
      const top = related?.[0];
      const changeId =
        related === undefined ? undefined : top !== undefined && top.score >= minLinkScore ? top.id : null;
      return {
        id: incident.id,
        openedAt: incident.openedAt,
        service: incident.service,
        ...(resolved === undefined ? {} : { resolvedAt: resolved.at }),
        ...(changeId === undefined ? {} : { changeId }),
      };
    });
  return changes.dora({ since: startMs, until: endMs, incidents, asOf });
}

/** The [startMs, endMs) a DORA request names: a calendar period containing `at`, or since to until. */
export function doraPeriod(
  options: DoraReportOptions,
  now: number,
): { readonly startMs: number; readonly endMs: number } {
  if ('period' in options) {
    const at =
      options.at === undefined ? now : typeof options.at === 'number' ? options.at : options.at.getTime();
    return calendarPeriod({ unit: options.period, at });
  }
  const startMs = timeInputMs(options.since);
  const endMs = timeInputMs(options.until);
  if (!(startMs < endMs))
    throw new SreError(
      ErrorCode.INVALID_INPUT,
      'Invalid DORA period: since and until must be times, since before until',
    );
  return { startMs, endMs };
}
