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
import { iso, isRepresentableTime, round } from './format.js';
import type { CapacityPrediction, MonitorHealthReport, Predictions, SloSummary } from './report-schemas.js';

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
  readonly openIncidents: readonly Incident[];
  /** The capacity predictions, when predictions are asked for. */
  readonly capacity: readonly CapacityPrediction[] | undefined;
  /** The observed dependencies', pools', caches' and pipelines' entries, by name. */
  readonly services: Readonly<Record<string, ServiceHealth>>;
}

/** The monitor's health report: DESIGN.md's service health report plus the monitor's own view. */
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
  // The monitor's view can only make the status worse than the checks say.
  const troubled =
    slos.some((s) => s.alert === 'page' || s.budgetRemaining <= 0) ||
    Object.values(breakers).some((state) => state === 'open' || state === 'isolated') ||
    Object.values(input.services).some((service) => service.status !== 'up');
  const report: MonitorHealthReport = {
    ...base,
    status: troubled && base.status === 'healthy' ? 'degraded' : base.status,
    service: input.service,
    slos,
    breakers,
    openIncidents: input.openIncidents.map((incident) => ({
      id: incident.id,
      severity: incident.severity,
      title: incident.title,
      openedAt: iso(incident.openedAt),
      acknowledged: incident.status === 'acknowledged',
    })),
  };
  if (input.saturation !== undefined) {
    const { sampledAt: _sampledAt, ...signals } = input.saturation;
    // A probe may read NaN; the report keeps the signals it can state.
    report.saturation = Object.fromEntries(Object.entries(signals).filter(([, v]) => Number.isFinite(v)));
  }
  if (input.capacity !== undefined)
    report.predictions = predictions(input.statuses, input.capacity, input.now);
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

function predictions(
  statuses: readonly SloStatus[],
  capacity: readonly CapacityPrediction[],
  now: number,
): Predictions {
  return {
    budgetExhaustion: statuses.map((status) => {
      const left = status.timeToExhaustionMs;
      // Infinity (no burn) and a time no Date can hold both mean it never runs out.
      const finite = left >= 0 && isRepresentableTime(now + left);
      return {
        slo: status.name,
        budgetRemaining: status.budget.remaining,
        burnRate: status.burnRates['1h'],
        exhaustsInMs: finite ? left : null,
        exhaustsAt: finite ? iso(now + left) : null,
      };
    }),
    capacity: [...capacity],
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
