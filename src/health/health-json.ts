import { z } from 'zod';
import type { HealthCheckResult, HealthStatus } from './types.js';

/** The media type of the IETF health-check response format. */
export const HEALTH_JSON_CONTENT_TYPE = 'application/health+json';

const statusSchema = z.enum(['pass', 'warn', 'fail']);

/** The schema of one element of a `checks` array in `application/health+json`. */
export const healthJsonCheckSchema = z.object({
  componentId: z.string().optional(),
  componentType: z.string().optional(),
  observedValue: z.unknown().optional(),
  observedUnit: z.string().optional(),
  status: statusSchema,
  affectedEndpoints: z.array(z.string()).optional(),
  time: z.iso.datetime({ offset: true }).optional(),
  output: z.string().optional(),
});

/**
 * The schema of an `application/health+json` body (draft-inadarei-api-health-check), as
 * {@link toHealthJson} writes it: consumers validate with it.
 */
export const healthJsonBodySchema = z.object({
  status: statusSchema,
  version: z.string().optional(),
  releaseId: z.string().optional(),
  notes: z.array(z.string()).optional(),
  output: z.string().optional(),
  serviceId: z.string().optional(),
  description: z.string().optional(),
  checks: z.record(z.string(), z.array(healthJsonCheckSchema)).optional(),
  links: z.record(z.string(), z.string()).optional(),
});

/** One element of a `checks` array in `application/health+json`. */
export type HealthJsonCheck = z.infer<typeof healthJsonCheckSchema>;
/** An `application/health+json` body. */
export type HealthJsonBody = z.infer<typeof healthJsonBodySchema>;

/** Options for {@link toHealthJson}. */
export interface HealthJsonOptions {
  /**
   * Include error text (`output`) and observed values. Never turn this on for anonymous callers:
   * error messages name hosts, users and versions. Stack traces are never included.
   * @default the registry's `exposeDetails`
   */
  readonly exposeDetails?: boolean;
}

/** A rendered health answer: the body to send and the HTTP status to send it with. */
export interface RenderedHealth<Body> {
  /** The response body. */
  readonly body: Body;
  /** 200 for `pass` and `warn`, 503 for `fail`. */
  readonly httpStatus: 200 | 503;
}

/** The HTTP status of a health status: 503 only for `fail`, so `warn` never pulls an instance from rotation. */
export function httpStatusOf(status: HealthStatus): 200 | 503 {
  return status === 'fail' ? 503 : 200;
}

/**
 * Renders a check result as `application/health+json` (the IETF health-check response format): checks
 * keyed `name:measurement`, each an array of one element. Serve it with {@link HEALTH_JSON_CONTENT_TYPE}.
 *
 * @example
 * ```ts
 * const { body, httpStatus } = toHealthJson(await health.check());
 * res.writeHead(httpStatus, { 'content-type': HEALTH_JSON_CONTENT_TYPE, 'cache-control': 'no-store' });
 * res.end(JSON.stringify(body));
 * ```
 */
export function toHealthJson(
  result: HealthCheckResult,
  options?: HealthJsonOptions,
): RenderedHealth<HealthJsonBody> {
  const details = options?.exposeDetails ?? result.exposeDetails;
  const body: HealthJsonBody = { status: result.status };
  const { service } = result;
  if (service.version !== undefined) body.version = service.version;
  if (service.releaseId !== undefined) body.releaseId = service.releaseId;
  if (service.serviceId !== undefined) body.serviceId = service.serviceId;
  if (service.description !== undefined) body.description = service.description;
  // Only the registry's own reason is rendered at the top; it carries nothing about dependencies.
  if (result.output !== undefined) body.output = result.output;
  const checks: Record<string, HealthJsonCheck[]> = {};
  for (const check of result.checks) {
    // Built field by field in the draft's order; status is always set before the entry is used.
    const entry: Partial<HealthJsonCheck> = { componentType: check.componentType };
    if (details && check.observedValue !== undefined) entry.observedValue = check.observedValue;
    if (details && check.observedUnit !== undefined) entry.observedUnit = check.observedUnit;
    entry.status = check.status;
    entry.time = check.time;
    if (details && check.output !== undefined && check.status !== 'pass') entry.output = check.output;
    const key = check.measurement === undefined ? check.name : `${check.name}:${check.measurement}`;
    checks[key] = [entry as HealthJsonCheck];
  }
  body.checks = checks;
  return { body, httpStatus: httpStatusOf(result.status) };
}
