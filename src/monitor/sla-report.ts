import type { Incident, IncidentMetrics } from '../incidents/index.js';
import { budgetRemaining } from '../slo/index.js';
import { iso, round } from './format.js';
import type { HistoryAggregate } from './history.js';
import type { SlaReport } from './report-schemas.js';
import type { SlaPeriod } from './types.js';

/** What an SLA report is built from: one calendar period of history and incidents. */
export interface SlaReportInput {
  readonly service: string;
  readonly period: SlaPeriod;
  readonly startMs: number;
  readonly endMs: number;
  /** Each wired SLO's name and target (0 to 1). */
  readonly slos: readonly { readonly name: string; readonly target: number }[];
  /** The history over the period. */
  readonly span: HistoryAggregate;
  /** The incidents opened in the period. */
  readonly incidents: readonly Incident[];
  /** The recorder's metrics over the period. */
  readonly metrics: IncidentMetrics;
}

/** Per SLO, target against achieved over the period, with its incidents and their MTTR. */
export function slaReport(input: SlaReportInput): SlaReport {
  const slos = input.slos.map(({ name, target }) => {
    const counts = input.span.slos.get(name) ?? { good: 0, total: 0 };
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
      incidents: own.length,
      mttrMs: meanTimeToResolve(own),
    };
  });
  const { metrics, span } = input;
  return {
    service: input.service,
    period: input.period,
    from: iso(input.startMs),
    to: iso(input.endMs),
    slos,
    incidents: { total: metrics.count, bySeverity: { ...metrics.bySeverity }, mttrMs: metrics.mttrMs },
    traffic: { requests: Math.round(span.requests), errors: Math.round(span.errors) },
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
