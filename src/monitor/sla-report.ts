import type { DrillJournal } from '../drills/index.js';
import type { DoraReport } from '../changes/index.js';
import { resolutionAsOf, type Incident, type IncidentMetrics } from '../incidents/index.js';
import type { MaintenanceOccurrence } from '../maintenance/index.js';
import { budgetRemaining } from '../slo/index.js';
import { iso, round } from './format.js';
import type { HistoryAggregate } from './history.js';
import type { SlaReport } from './report-schemas.js';
import { SLO_EXCLUSION_RULE, type ExcludedCounts } from './slo-exclusions.js';
import type { SlaPeriod } from './types.js';

/** The most maintenance spans and drill runs an SLA report lists. */
const MAX_LISTED = 100;

/**
 * How an SLA report counts incidents: only what happened inside the period. Once the period has
 * ended, nothing that happens later (a resolution, an acknowledgement, a reopening) changes its report.
 */
export const SLA_INCIDENT_RULE =
  'Counts the incidents opened in the period; MTTR is over those of them resolved before the period ended ' +
  '(an incident still open at its end counts as unresolved, whenever it was resolved later).';

/** What an SLA report is built from: one calendar period of history and incidents. */
export interface SlaReportInput {
  readonly service: string;
  readonly period: SlaPeriod;
  readonly startMs: number;
  readonly endMs: number;
  /** When the report is made, epoch ms. */
  readonly now: number;
  /** Each wired SLO's name and target (0 to 1). */
  readonly slos: readonly { readonly name: string; readonly target: number }[];
  /** The history over the period. */
  readonly span: HistoryAggregate;
  /** The incidents opened in the period. */
  readonly incidents: readonly Incident[];
  /** The recorder's metrics over the period (which count only what happened inside it). */
  readonly metrics: IncidentMetrics;
  /** Per SLO, the events maintenance windows excluded in the period. */
  readonly excluded: ExcludedCounts;
  /** The maintenance windows' spans that overlap the period. */
  readonly maintenance: readonly MaintenanceOccurrence[];
  /** The journals of the drills started in the period. */
  readonly drills: readonly DrillJournal[];
  /** The DORA metrics of the period, when the monitor has a change log. */
  readonly dora?: DoraReport | undefined;
}

const DAY_MS = 86_400_000;

/**
 * Per SLO, target against achieved over the period, with its incidents and their MTTR, following
 * {@link SLA_INCIDENT_RULE}.
 */
export function slaReport(input: SlaReportInput): SlaReport {
  const slos = input.slos.map(({ name, target }) => {
    const counted = input.span.slos.get(name) ?? { good: 0, total: 0 };
    const excluded = excludedWithin(counted, input.excluded.get(name));
    const counts = { good: counted.good - excluded.good, total: counted.total - excluded.total };
    const own = input.incidents.filter((incident) => incident.labels.slo === name);
    const achieved = counts.total === 0 ? null : (100 * counts.good) / counts.total;
    // The tracker's own budget math: exact budgets, no binary noise, met while at most all is used.
    const { consumed } = budgetRemaining({ target, good: counts.good, total: counts.total });
    return {
      slo: name,
      objective: round(target * 100, 6),
      achieved: achieved === null ? null : round(achieved, 6),
      met: consumed <= 1,
      good: counts.good,
      total: counts.total,
      budgetUsed: consumed,
      excluded,
      incidents: own.length,
      mttrMs: meanTimeToResolve(own, input.endMs),
    };
  });
  const { metrics, span } = input;
  return {
    service: input.service,
    period: input.period,
    from: iso(input.startMs),
    to: iso(input.endMs),
    asOf: iso(input.now),
    final: input.now >= input.endMs,
    slos,
    incidents: {
      total: metrics.count,
      bySeverity: { ...metrics.bySeverity },
      mttrMs: metrics.mttrMs,
      frequency: incidentFrequency(metrics.count, input.startMs, input.endMs),
      rule: SLA_INCIDENT_RULE,
    },
    traffic: { requests: Math.round(span.requests), errors: Math.round(span.errors) },
    maintenance: {
      windows: input.maintenance.slice(0, MAX_LISTED).map(({ window, startsAt, endsAt }) => ({
        id: window.id,
        title: window.title,
        from: iso(startsAt),
        to: iso(endsAt),
        silence: window.silence,
        excludeFromSlo:
          window.excludeFromSlo === true || window.excludeFromSlo === false
            ? window.excludeFromSlo
            : [...window.excludeFromSlo],
      })),
      total: input.maintenance.length,
      rule: SLO_EXCLUSION_RULE,
    },
    drills: {
      total: input.drills.length,
      byVerdict: {
        passed: input.drills.filter((d) => d.verdict === 'passed').length,
        deviated: input.drills.filter((d) => d.verdict === 'deviated').length,
        aborted: input.drills.filter((d) => d.verdict === 'aborted').length,
      },
      runs: input.drills.slice(-MAX_LISTED).map((d) => ({
        id: d.id,
        drill: d.drill,
        kind: d.kind,
        startedAt: d.startedAt,
        verdict: d.verdict,
        reasons: [...d.reasons],
      })),
    },
    ...(input.dora === undefined ? {} : { dora: input.dora }),
  };
}

// The excluded counts, held within what was counted: never more than the period holds, and never more
// good than total left (the history and the exclusions are read from the same buckets, but at
// different times).
function excludedWithin(
  counted: { readonly good: number; readonly total: number },
  excluded: { readonly good: number; readonly total: number } | undefined,
): { good: number; total: number } {
  if (excluded === undefined) return { good: 0, total: 0 };
  const total = Math.min(counted.total, excluded.total);
  const good = Math.max(Math.min(counted.good, excluded.good), total - (counted.total - counted.good));
  return { good: Math.min(good, total), total };
}

/** Incidents opened per day and per week of the period: the count over the period's days. */
function incidentFrequency(count: number, startMs: number, endMs: number) {
  const days = (endMs - startMs) / DAY_MS;
  return { incidents: count, days, perDay: count / days, perWeek: (7 * count) / days };
}

function meanTimeToResolve(incidents: readonly Incident[], endMs: number): number | null {
  let sum = 0;
  let n = 0;
  for (const incident of incidents) {
    const resolution = resolutionAsOf(incident, endMs);
    if (resolution !== undefined) {
      sum += resolution.at - incident.openedAt;
      n++;
    }
  }
  return n === 0 ? null : sum / n;
}
