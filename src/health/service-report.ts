import { z } from 'zod';
import { parseOptions } from '../core/index.js';
import type { CheckResult, HealthCheckResult, HealthStatus } from './types.js';

const observedFieldSchema = z.union([z.number(), z.string(), z.boolean()]);

/** The schema of one service in a {@link ServiceHealthReport}: its status plus any observed fields. */
export const serviceHealthSchema = z
  .object({ status: z.enum(['up', 'degraded', 'down']) })
  .catchall(observedFieldSchema);

/** The schema of the `sla_compliance` block of a {@link ServiceHealthReport}. */
export const slaComplianceSchema = z.object({
  /** Percent of requests served successfully, 0 to 100. */
  availability: z.number().min(0).max(100),
  /** Percent of requests that failed, 0 to 100. */
  error_rate: z.number().min(0).max(100),
  /** 95th percentile response time, in milliseconds. */
  response_time_p95: z.number().min(0),
});

/**
 * The schema of the service health report other tools consume (docs/health.md, "Renderers"):
 * `{ timestamp, status: healthy | degraded | unhealthy, services: { name: { status: up | degraded | down,
 * ...observed } }, sla_compliance? }`.
 */
export const serviceHealthReportSchema = z.object({
  timestamp: z.iso.datetime({ offset: true }),
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  services: z.record(z.string(), serviceHealthSchema),
  sla_compliance: slaComplianceSchema.optional(),
});

/** The service health report. */
export type ServiceHealthReport = z.infer<typeof serviceHealthReportSchema>;
/** One service in a {@link ServiceHealthReport}. */
export type ServiceHealth = z.infer<typeof serviceHealthSchema>;

/** SLA figures to include in a {@link ServiceHealthReport}, computed elsewhere (the SLO tracker). */
export interface SlaComplianceInput {
  /** Percent of requests served successfully, 0 to 100. */
  readonly availability: number;
  /** Percent of requests that failed, 0 to 100. */
  readonly errorRate: number;
  /** 95th percentile response time, in milliseconds. */
  readonly responseTimeP95: number;
}

/** Options for {@link toServiceHealthReport}. */
export interface ServiceHealthReportOptions {
  /**
   * SLA figures rendered as `sla_compliance`.
   * @default undefined (no sla_compliance block)
   */
  readonly slaCompliance?: SlaComplianceInput;
  /**
   * Include each check's observed value as a field of its service (`latency_ms: 45`).
   * @default the registry's `exposeDetails`
   */
  readonly exposeDetails?: boolean;
}

const optionsSchema = z.strictObject({
  slaCompliance: z
    .strictObject({
      availability: z.number().min(0).max(100),
      errorRate: z.number().min(0).max(100),
      responseTimeP95: z.number().min(0),
    })
    .optional(),
  exposeDetails: z.boolean().optional(),
});

const OVERALL: Record<HealthStatus, ServiceHealthReport['status']> = {
  pass: 'healthy',
  warn: 'degraded',
  fail: 'unhealthy',
};
const SERVICE: Record<HealthStatus, ServiceHealth['status']> = { pass: 'up', warn: 'degraded', fail: 'down' };
// Units that read better without a suffix: `hit_rate: 0.94`, `connections: 12`.
const UNITLESS = new Set(['ratio', 'count', 'percent', '%']);

/**
 * Renders a check result as the service health report: each check becomes a service (up, degraded or
 * down) carrying its observed value under a field named from its measurement and unit
 * (`responseTime` in `ms` → `response_time_ms`).
 *
 * @example
 * ```ts
 * const report = toServiceHealthReport(await health.check(), {
 *   slaCompliance: { availability: 99.95, errorRate: 0.03, responseTimeP95: 187 },
 *   exposeDetails: true,
 * });
 * serviceHealthReportSchema.parse(report);
 * ```
 * @throws {ConfigError} when the SLA figures are out of range or not finite.
 */
export function toServiceHealthReport(
  result: HealthCheckResult,
  options: ServiceHealthReportOptions = {},
): ServiceHealthReport {
  const parsed = parseOptions(optionsSchema, options, 'toServiceHealthReport');
  const details = parsed.exposeDetails ?? result.exposeDetails;
  const services: Record<string, ServiceHealth> = {};
  for (const check of result.checks) {
    const service: ServiceHealth = { status: SERVICE[check.status] };
    if (details && check.observedValue !== undefined) service[observedField(check)] = check.observedValue;
    services[check.name] = service;
  }
  const report: ServiceHealthReport = { timestamp: result.time, status: OVERALL[result.status], services };
  if (parsed.slaCompliance !== undefined)
    report.sla_compliance = {
      availability: parsed.slaCompliance.availability,
      error_rate: parsed.slaCompliance.errorRate,
      response_time_p95: parsed.slaCompliance.responseTimeP95,
    };
  return report;
}

function observedField(check: CheckResult): string {
  let base = snakeCase(check.measurement ?? 'observed_value');
  if (base === 'status' || base === '') base = 'observed_value';
  const unit = check.observedUnit;
  if (unit === undefined || UNITLESS.has(unit)) return base;
  const suffix = snakeCase(unit);
  return suffix === '' || base.endsWith(`_${suffix}`) ? base : `${base}_${suffix}`;
}

function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}
