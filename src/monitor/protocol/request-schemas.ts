import { z } from 'zod';
import { MAX_FOCUS_AREAS, MAX_HORIZON_DAYS, MAX_RECENT_INCIDENTS, MAX_SCOPE_NAMES } from './constants.js';
import { requestEnvelope as envelope, requestNameSchema as name } from './envelope.js';
import {
  agentDrillReportRequestSchema,
  agentMaintenanceWindowsRequestSchema,
  agentRunDrillRequestSchema,
} from './maintenance-schemas.js';
import { FOCUS_AREAS } from '../performance-analysis.js';

export { requestIdSchema } from './envelope.js';

// What other agents send. Field names are snake_case as in DESIGN.md's YAML. Every object is strict: an
// unknown field (a typo such as `include_prediction`, or `__proto__`) is rejected and named, so a caller
// never believes an option took effect when it did not. Strings and arrays are bounded so a request can
// never make the monitor do unbounded work.

const DAY_MS = 86_400_000;

/**
 * The schema of a `health_check` request. `scope` is `full_system` (the default) or the name of one
 * health check, or a list of them: the report's `services` is narrowed to those checks, while its
 * `status`, SLOs, breakers and incidents still describe the whole service.
 */
export const agentHealthCheckRequestSchema = z.strictObject({
  ...envelope,
  action: z.literal('health_check'),
  scope: z
    .union([z.literal('full_system'), name, z.array(name).min(1).max(MAX_SCOPE_NAMES)], {
      error: `'full_system', a check name, or a list of 1 to ${MAX_SCOPE_NAMES} check names`,
    })
    .default('full_system'),
  include_predictions: z.boolean().default(false),
});

/**
 * The schema of an `analyze_performance` request. `focus_areas` narrows the findings to those areas
 * (`FOCUS_AREAS`: `api_latency`, `error_rate`, `slo_budget`, `dependencies`, `database_queries`,
 * `capacity`); an unknown area is rejected with the known ones listed.
 */
export const agentAnalyzePerformanceRequestSchema = z.strictObject({
  ...envelope,
  action: z.literal('analyze_performance'),
  timeframe: z.enum(['last_hour', 'last_24_hours', 'last_7_days']).default('last_24_hours'),
  focus_areas: z
    .array(z.enum(FOCUS_AREAS, { error: `one of ${FOCUS_AREAS.join(', ')}` }))
    .max(MAX_FOCUS_AREAS)
    .default([]),
});

/** The schema of an `slo_status` request; `slo` narrows the answer to the SLO of that name. */
export const agentSloStatusRequestSchema = z.strictObject({
  ...envelope,
  action: z.literal('slo_status'),
  slo: name.optional(),
});

/**
 * The schema of an `incident_report` request: one incident by `id`, or the `recent` most recently
 * opened (most recent first; 10 when neither is given). Giving both is an error.
 */
export const agentIncidentReportRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('incident_report'),
    id: name.optional(),
    recent: z.number().int().min(1).max(MAX_RECENT_INCIDENTS).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.id !== undefined && value.recent !== undefined)
      ctx.addIssue({ code: 'custom', path: ['recent'], message: 'give either id or recent, not both' });
  });

/**
 * The schema of a `capacity_plan` request: how far ahead to look, as `horizon_days` or `horizon_ms`
 * (at most 365 days; the monitor's default when neither is given). Giving both is an error.
 */
export const agentCapacityPlanRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('capacity_plan'),
    horizon_days: z.number().gt(0).max(MAX_HORIZON_DAYS).optional(),
    horizon_ms: z
      .number()
      .int()
      .gt(0)
      .max(MAX_HORIZON_DAYS * DAY_MS)
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.horizon_days !== undefined && value.horizon_ms !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['horizon_ms'],
        message: 'give either horizon_days or horizon_ms, not both',
      });
  });

/** The schema of a `deployment_readiness` request; it takes no fields. */
export const agentDeploymentReadinessRequestSchema = z.strictObject({
  ...envelope,
  action: z.literal('deployment_readiness'),
});

/**
 * The schema of every request the agent answers, discriminated on `action` (the inner object of the
 * YAML form `request: { … }`; `handleAgentRequest` unwraps that form itself).
 */
export const agentRequestSchema = z.discriminatedUnion('action', [
  agentHealthCheckRequestSchema,
  agentAnalyzePerformanceRequestSchema,
  agentSloStatusRequestSchema,
  agentIncidentReportRequestSchema,
  agentCapacityPlanRequestSchema,
  agentDeploymentReadinessRequestSchema,
  agentMaintenanceWindowsRequestSchema,
  agentRunDrillRequestSchema,
  agentDrillReportRequestSchema,
]);

/** A request as sent, before defaults are filled in. */
export type AgentRequestInput = z.input<typeof agentRequestSchema>;
/** A validated request with its defaults filled in. */
export type AgentRequest = z.output<typeof agentRequestSchema>;
/** A validated `health_check` request. */
export type AgentHealthCheckRequest = z.output<typeof agentHealthCheckRequestSchema>;
/** A validated `analyze_performance` request. */
export type AgentAnalyzePerformanceRequest = z.output<typeof agentAnalyzePerformanceRequestSchema>;
/** A validated `slo_status` request. */
export type AgentSloStatusRequest = z.output<typeof agentSloStatusRequestSchema>;
/** A validated `incident_report` request. */
export type AgentIncidentReportRequest = z.output<typeof agentIncidentReportRequestSchema>;
/** A validated `capacity_plan` request. */
export type AgentCapacityPlanRequest = z.output<typeof agentCapacityPlanRequestSchema>;
/** A validated `deployment_readiness` request. */
export type AgentDeploymentReadinessRequest = z.output<typeof agentDeploymentReadinessRequestSchema>;
