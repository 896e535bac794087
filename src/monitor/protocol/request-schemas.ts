import { z } from 'zod';
import {
  MAX_ENCODED_HISTOGRAM,
  MAX_FOCUS_AREAS,
  MAX_HORIZON_DAYS,
  MAX_NOTE_LENGTH,
  MAX_RECENT_INCIDENTS,
  MAX_SCOPE_NAMES,
  MAX_SUMMARY_LENGTH,
} from './constants.js';
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
// never make the monitor do unbounded work. Each schema's description is what an agent reads about the
// action (the MCP tool's description, the A2A skill's): what it answers and when to ask it.

const DAY_MS = 86_400_000;

/**
 * The schema of a `health_check` request. `scope` is `full_system` (the default) or the name of one
 * health check, or a list of them: the report's `services` is narrowed to those checks, while its
 * `status`, SLOs, breakers and incidents still describe the whole service.
 */
export const agentHealthCheckRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('health_check'),
    scope: z
      .union([z.literal('full_system'), name, z.array(name).min(1).max(MAX_SCOPE_NAMES)], {
        error: `'full_system', a check name, or a list of 1 to ${MAX_SCOPE_NAMES} check names`,
      })
      .default('full_system'),
    include_predictions: z.boolean().default(false),
  })
  .describe(
    'The service health report: overall status, each dependency (up, degraded, down), SLA compliance (availability, error rate, p95), SLOs, circuit breakers, saturation and open incidents; with include_predictions, budget and capacity forecasts with their evidence.',
  );

/**
 * The schema of an `analyze_performance` request. `focus_areas` narrows the findings to those areas
 * (`FOCUS_AREAS`: `api_latency`, `error_rate`, `slo_budget`, `dependencies`, `database_queries`,
 * `capacity`); an unknown area is rejected with the known ones listed.
 */
export const agentAnalyzePerformanceRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('analyze_performance'),
    timeframe: z.enum(['last_hour', 'last_24_hours', 'last_7_days']).default('last_24_hours'),
    focus_areas: z
      .array(z.enum(FOCUS_AREAS, { error: `one of ${FOCUS_AREAS.join(', ')}` }))
      .max(MAX_FOCUS_AREAS)
      .default([]),
  })
  .describe(
    'Where the time goes over a timeframe: slow routes (bottlenecks) with their share of traffic, the dependencies that explain them, and what to do now; focus_areas narrows the findings.',
  );

/** The schema of an `slo_status` request; `slo` narrows the answer to the SLO of that name. */
export const agentSloStatusRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('slo_status'),
    slo: name.optional(),
  })
  .describe(
    'Each SLO: target, SLI with its good and total counts, error budget consumed and remaining, burn rate per window, firing burn-rate alerts and time until the budget is spent.',
  );

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
  })
  .describe(
    'Incident reports (id, severity, service, impact, root cause, resolution, duration, lessons learned): one by id, or the most recent (10 unless recent says otherwise); give id or recent, not both.',
  );

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
  })
  .describe(
    'Capacity forecast: for each saturation signal (event-loop utilization and delay, heap, RSS, CPU) the fitted trend and when it reaches its limit, stated only when the data passes the forecast gates; give horizon_days or horizon_ms, not both.',
  );

/** The schema of a `deployment_readiness` request; it takes no fields. */
export const agentDeploymentReadinessRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('deployment_readiness'),
  })
  .describe(
    'Is it safe to deploy now? ready true or false, and every reason why not: an exhausted error budget, a page alert firing, an open P1 or P2 incident, a failing critical check, an open circuit breaker.',
  );

const incidentId = name.describe('The incident id, e.g. INC-2026-001 (incident_report lists them).');

/**
 * The schema of an `acknowledge_incident` request: someone is on incident `id`. Recorded in its
 * timeline with the caller's identity; a no-op once acknowledged or resolved. Changes state: runs only
 * for callers allowed `act`.
 */
export const agentAcknowledgeIncidentRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('acknowledge_incident'),
    id: incidentId,
  })
  .describe(
    "Acknowledge an open incident: someone is working on it. Recorded in the incident's timeline with the caller's identity; a no-op if already acknowledged or resolved. Changes state.",
  );

/**
 * The schema of a `resolve_incident` request: incident `id` is over, with what fixed it and why it
 * happened when known. Recorded with the caller's identity; a no-op once resolved. Changes state.
 */
export const agentResolveIncidentRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('resolve_incident'),
    id: incidentId,
    resolution: z.string().min(1).max(MAX_NOTE_LENGTH).optional().describe('What fixed it.'),
    root_cause: z.string().min(1).max(MAX_NOTE_LENGTH).optional().describe('Why it happened.'),
  })
  .describe(
    "Resolve an incident, optionally saying what fixed it (resolution) and why it happened (root_cause). Recorded in the incident's timeline with the caller's identity; a no-op if already resolved. Changes state.",
  );

/** The schema of an `add_incident_note` request: `text` joins incident `id`'s timeline. Changes state. */
export const agentAddIncidentNoteRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('add_incident_note'),
    id: incidentId,
    text: z.string().min(1).max(MAX_NOTE_LENGTH).describe('The note, as it should read in the timeline.'),
  })
  .describe(
    "Add a note to an incident's timeline (a finding, a step taken), recorded with the caller's identity. Changes state.",
  );

/**
 * The schema of an `anomalies` request: each golden signal's anomaly status, the detector's predictions
 * and the predictions other agents sent; `signal` narrows the statuses and predictions to that signal.
 */
export const agentAnomaliesRequestSchema = z.strictObject({
  ...envelope,
  action: z.literal('anomalies'),
  signal: name.optional(),
});

/**
 * The schema of a `report_anomaly` request: another agent (a data-intelligence agent) tells the monitor
 * what it predicts: which `signal`, `at` what time (ISO-8601 or epoch ms), how `severe`, how `confident`
 * (0 to 1), in one `summary`. The monitor keeps it until an hour after `at`, lists it in health checks
 * with predictions and raises it as an alert.
 */
export const agentReportAnomalyRequestSchema = z.strictObject({
  ...envelope,
  action: z.literal('report_anomaly'),
  source: name,
  signal: name,
  at: z.union([z.iso.datetime({ offset: true }), z.number().int().min(0)], {
    error: 'an ISO-8601 time with its offset, or epoch milliseconds',
  }),
  severity: z.enum(['info', 'warning', 'critical']).default('warning'),
  confidence: z.number().min(0).max(1),
  summary: z.string().min(1).max(MAX_SUMMARY_LENGTH),
});

/** A time in a request: an ISO-8601 string with its offset, or epoch milliseconds. */
const time = z.union([z.iso.datetime({ offset: true }), z.number().int().min(0).max(8.64e15)], {
  error: 'an ISO-8601 time with offset, or epoch milliseconds',
});

/**
 * The schema of a `record_change` request: the orchestrator reporting a deploy, config or flag change,
 * infrastructure change or rollback. `change.id` is the idempotency key: the same id again updates that
 * change and never counts twice. The answer says which change freezes apply (exhausted budgets).
 */
export const agentRecordChangeRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('record_change'),
    change: z.strictObject({
      id: z.string().min(1).max(256),
      kind: z.enum(['deploy', 'config', 'flag', 'infra', 'rollback']),
      service: name.optional(),
      version: name.optional(),
      description: z.string().max(1_000).optional(),
      commits: z
        .array(z.strictObject({ sha: name, committed_at: time }))
        .max(1_000)
        .optional(),
      started_at: time,
      finished_at: time.optional(),
      status: z.enum(['in_progress', 'succeeded', 'failed']).optional(),
      rollback_of: z.string().min(1).max(256).optional(),
      hotfix: z.boolean().optional(),
      fixes: z.string().min(1).max(256).optional(),
    }),
  })
  .describe(
    'Record a change (deploy, config, flag, infra, rollback) in the change log: change.id is the idempotency key, so sending it again updates that change. Feeds incident correlation and the DORA metrics; the answer lists the change freezes in force (exhausted error budgets). Changes state.',
  );

/**
 * The schema of a `change_correlation` request: the changes most likely behind one incident, by
 * `incident_id`, each with its score and reasons.
 */
export const agentChangeCorrelationRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('change_correlation'),
    incident_id: name,
  })
  .describe(
    'The changes most likely behind an incident, best first: each with its score (time, service, kind and golden-signal evidence) and the reasons in words.',
  );

/**
 * The schema of a `dora_report` request: the DORA metrics of the calendar `period` (`day`, `week` or
 * `month`, the default) containing `at` (default now), or of [`since`, `until`). Giving `since` and
 * `until` with `period` or `at` is an error, as is giving only one of them.
 */
export const agentDoraReportRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('dora_report'),
    period: z.enum(['day', 'week', 'month']).optional(),
    at: time.optional(),
    since: time.optional(),
    until: time.optional(),
  })
  .superRefine((value, ctx) => {
    const range = value.since !== undefined || value.until !== undefined;
    if (range && (value.period !== undefined || value.at !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['since'],
        message: 'give either period (and at) or since and until',
      });
    if (range && (value.since === undefined || value.until === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [value.since === undefined ? 'since' : 'until'],
        message: 'since and until go together',
      });
  })
  .describe(
    'The DORA metrics of a calendar period (day, week or month, containing at) or of since to until: deployment frequency, lead time for changes, change fail rate, failed deployment recovery time and deployment rework rate, every ratio with its numerator and denominator.',
  );

const canaryArm = z.strictObject({
  requests: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  errors: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** A latency tracker's `encode()`: HdrHistogram V2 compressed base64, values in µs. */
  latency: z.string().min(1).max(MAX_ENCODED_HISTOGRAM).optional(),
  /** Per metric name, its own failed-request count or encoded histogram. */
  metrics: z
    .record(
      name,
      z.union([
        z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
        z.string().min(1).max(MAX_ENCODED_HISTOGRAM),
      ]),
    )
    .refine((metrics) => Object.keys(metrics).length <= 32, 'at most 32 metrics')
    .optional(),
});

/**
 * The schema of a `judge_canary` request: both arms' requests, errors and encoded latency histograms,
 * judged by the monitor's canary judge.
 */
export const agentJudgeCanaryRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('judge_canary'),
    baseline: canaryArm,
    canary: canaryArm,
  })
  .describe(
    "Judge a canary against its baseline from both arms' requests, errors and encoded latency histograms: pass, fail or inconclusive, with a score and why, per metric. Only evaluates; keeps nothing.",
  );

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
  agentRecordChangeRequestSchema,
  agentChangeCorrelationRequestSchema,
  agentDoraReportRequestSchema,
  agentJudgeCanaryRequestSchema,
  agentAcknowledgeIncidentRequestSchema,
  agentResolveIncidentRequestSchema,
  agentAddIncidentNoteRequestSchema,
  agentAnomaliesRequestSchema,
  agentReportAnomalyRequestSchema,
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
/** A validated `record_change` request. */
export type AgentRecordChangeRequest = z.output<typeof agentRecordChangeRequestSchema>;
/** A validated `change_correlation` request. */
export type AgentChangeCorrelationRequest = z.output<typeof agentChangeCorrelationRequestSchema>;
/** A validated `dora_report` request. */
export type AgentDoraReportRequest = z.output<typeof agentDoraReportRequestSchema>;
/** A validated `judge_canary` request. */
export type AgentJudgeCanaryRequest = z.output<typeof agentJudgeCanaryRequestSchema>;
/** A validated `acknowledge_incident` request. */
export type AgentAcknowledgeIncidentRequest = z.output<typeof agentAcknowledgeIncidentRequestSchema>;
/** A validated `resolve_incident` request. */
export type AgentResolveIncidentRequest = z.output<typeof agentResolveIncidentRequestSchema>;
/** A validated `add_incident_note` request. */
export type AgentAddIncidentNoteRequest = z.output<typeof agentAddIncidentNoteRequestSchema>;
/** A validated `anomalies` request. */
export type AgentAnomaliesRequest = z.output<typeof agentAnomaliesRequestSchema>;
/** A validated `report_anomaly` request. */
export type AgentReportAnomalyRequest = z.output<typeof agentReportAnomalyRequestSchema>;
