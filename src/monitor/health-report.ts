import {
  toServiceHealthReport,
  type HealthCheckResult,
  type ServiceHealth,
  type ServiceHealthReport,
  type SlaComplianceInput,
} from '../health/index.js';
import type { Incident } from '../incidents/index.js';
import type { CircuitBreaker, CircuitState } from '../resilience/index.js';
import type { SaturationSnapshot } from '../saturation/index.js';
import type { SloStatus } from '../slo/index.js';
import { iso, round } from './format.js';
import { bySeverity, MAX_LISTED_INCIDENTS } from './open-incidents.js';
import type { AnomalyStatusReport, ErrorGroupReport } from './insight-schemas.js';
import type { MonitorHealthReport, Predictions, SloSummary } from './report-schemas.js';

/** What the monitor's health report is built from, read from the live primitives by the caller. */
export interface HealthReportInput {
  readonly service: string;
  /** Wall time of the report, epoch ms. */
  readonly now: number;
  readonly statuses: readonly SloStatus[];
  /** The service-wide figures from {@link slaCompliance}, when there are any. */
  readonly sla: SlaComplianceInput | undefined;
  /** The health registry's verdict, when one is wired. */
  readonly checks: HealthCheckResult | undefined;
  readonly breakers: readonly Pick<CircuitBreaker, 'name' | 'state'>[];
  readonly saturation: SaturationSnapshot | undefined;
  /** Every open incident (the report lists the most severe, and counts the rest). */
  readonly openIncidents: readonly Incident[];
  /** The budget, capacity and anomaly predictions, when predictions are asked for. */
  readonly predictions: Predictions | undefined;
  /** The top error groups and the fields they add to the service's own entry, when wired. */
  readonly errors:
    | { readonly groups: readonly ErrorGroupReport[]; readonly fields: Record<string, number | string> }
    | undefined;
  /** Each golden signal's anomaly status, when a detector is wired. */
  readonly anomalies: readonly AnomalyStatusReport[] | undefined;
  /**
   * The tracked dependencies', pools', caches' and pipelines' entries, by name, already cut to what
   * `exposeDetails` allows.
   */
  readonly services: Readonly<Record<string, ServiceHealth>>;
}

/** The monitor's health report: the service health report plus the monitor's own view. */
export function healthReport(input: HealthReportInput): MonitorHealthReport {
  const { sla } = input;
  let base: ServiceHealthReport;
  if (input.checks !== undefined) {
    base = toServiceHealthReport(input.checks, sla === undefined ? {} : { slaCompliance: sla });
  } else {
    base = { timestamp: iso(input.now), status: 'healthy', services: {} };
    if (sla !== undefined)
      base.sla_compliance = {
        availability: sla.availability,
        error_rate: sla.errorRate,
        response_time_p95: sla.responseTimeP95,
      };
  }
  // An observed service's own entry is richer than its health check's single figure: it wins.
  base.services = { ...base.services, ...input.services };
  const slos = input.statuses.map(summarise);
  const breakers: Record<string, CircuitState> = {};
  for (const breaker of input.breakers) breakers[breaker.name] = breaker.state;
  // The monitor's view can only make the status worse than the checks say; every open incident counts,
  // and so does every observed service that is not up.
  const ordered = bySeverity(input.openIncidents);
  const troubled =
    slos.some((s) => s.alert === 'page' || s.budgetRemaining <= 0) ||
    Object.values(breakers).some((state) => state === 'open' || state === 'isolated') ||
    ordered.some((incident) => incident.severity === 'P1' || incident.severity === 'P2') ||
    Object.values(input.services).some((service) => service.status !== 'up');
  const report: MonitorHealthReport = {
    ...base,
    status: troubled && base.status === 'healthy' ? 'degraded' : base.status,
    service: input.service,
    slos,
    breakers,
    openIncidents: ordered.slice(0, MAX_LISTED_INCIDENTS).map((incident) => ({
      id: incident.id,
      severity: incident.severity,
      title: incident.title,
      openedAt: iso(incident.openedAt),
      acknowledged: incident.status === 'acknowledged',
    })),
    openIncidentsOmitted: Math.max(0, ordered.length - MAX_LISTED_INCIDENTS),
  };
  if (input.saturation !== undefined) {
    const { sampledAt: _sampledAt, ...signals } = input.saturation;
    // A probe may read NaN; the report keeps the signals it can state.
    report.saturation = Object.fromEntries(Object.entries(signals).filter(([, v]) => Number.isFinite(v)));
  }
  if (input.errors !== undefined) {
    report.errors = [...input.errors.groups];
    // The service's own entry (a check of that name, or a new one: the service answers, so it is up)
    // gains its error fields: DESIGN.md's services hold flat numbers and strings.
    const own = report.services[input.service] ?? { status: 'up' as const };
    report.services = { ...report.services, [input.service]: { ...own, ...input.errors.fields } };
  }
  if (input.anomalies !== undefined) report.anomalies = [...input.anomalies];
  if (input.predictions !== undefined) report.predictions = input.predictions;
  return report;
}

/**
 * Service-wide SLA figures: availability from the SLO that sees every request (the largest total,
 * then the fewest bad events: see history.ts), p95 from the latency tracker.
 */
export function slaCompliance(
  statuses: readonly SloStatus[],
  latencyP95Ms: number | undefined,
): SlaComplianceInput | undefined {
  let primary: SloStatus | undefined;
  for (const status of statuses) {
    if (
      primary === undefined ||
      status.total > primary.total ||
      (status.total === primary.total && status.total - status.good < primary.total - primary.good)
    )
      primary = status;
  }
  if (primary === undefined && latencyP95Ms === undefined) return undefined;
  const availability =
    primary === undefined || primary.total === 0 ? 100 : (100 * primary.good) / primary.total;
  return {
    availability: round(availability, 4),
    errorRate: round(100 - availability, 4),
    responseTimeP95: round(latencyP95Ms ?? 0, 3),
  };
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
