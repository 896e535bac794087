import { z } from 'zod';
import { canaryVerdictSchema } from '../../canary/index.js';
import { changeReportSchema, doraReportSchema } from '../../changes/index.js';
import { incidentReportSchema } from '../../incidents/index.js';
import { BURN_RATE_WINDOWS, type BurnRateWindowName } from '../../slo/index.js';
import {
  capacityForecastSchema,
  deploymentReadinessSchema,
  monitorHealthReportSchema,
  performanceAnalysisSchema,
} from '../report-schemas.js';
import { anomalyReportSchema, externalPredictionSchema } from '../insight-schemas.js';
import { AGENT_ACTIONS, AGENT_NAME, AgentErrorCode, type AgentErrorCodeValue } from './constants.js';
import {
  agentDrillReportResponseSchema,
  agentMaintenanceWindowsResponseSchema,
  agentRunDrillResponseSchema,
} from './maintenance-schemas.js';

// What the agent sends back. Every response is plain JSON data (no Infinity, NaN, Date or undefined), so
// it survives JSON.stringify → JSON.parse → schema.parse unchanged. Envelopes are camelCase like the rest
// of the JavaScript API; results keep the shape of the report they carry.

const nonNegative = z.number().min(0);

/** The schema of one burn-rate alert in an SLO status. */
export const sloAlertStatusSchema = z.object({
  severity: z.enum(['page', 'ticket']),
  longWindowMs: nonNegative,
  shortWindowMs: nonNegative,
  burnRate: nonNegative,
  firing: z.boolean(),
});

const burnRateShape = Object.fromEntries(
  [...Object.keys(BURN_RATE_WINDOWS), 'window'].map((key) => [key, nonNegative]),
) as Record<BurnRateWindowName | 'window', typeof nonNegative>;

/**
 * The schema of one SLO's status as the agent reports it: the tracker's `status()` with
 * `timeToExhaustionMs` `null` where the tracker says Infinity (the budget never runs out at this burn).
 */
export const sloStatusReportSchema = z.object({
  name: z.string(),
  /** The target ratio, e.g. 0.999. */
  target: z.number().gt(0).lt(1),
  /** good ÷ total over the SLO window, or `null` before any event. */
  sli: z.number().min(0).max(1).nullable(),
  good: nonNegative,
  total: nonNegative,
  /** Shares of the budget consumed and left; `remaining` is negative once overspent. */
  budget: z.object({ consumed: nonNegative, remaining: z.number() }),
  /** Burn rate per standard window (`5m` … `3d`) and over the whole SLO `window`. */
  burnRates: z.object(burnRateShape),
  alerts: z.array(sloAlertStatusSchema),
  /** Time until the budget is spent at the last hour's burn; `null` when it never is. */
  timeToExhaustionMs: nonNegative.nullable(),
});

/** The schema of an `slo_status` result. */
export const sloStatusResultSchema = z.object({ slos: z.array(sloStatusReportSchema) });

/** The schema of a `report_anomaly` result: the prediction as the monitor keeps and reports it. */
export const reportAnomalyResultSchema = z.object({
  accepted: z.literal(true),
  prediction: externalPredictionSchema,
});

/** The schema of an `incident_report` result: the reports asked for, most recently opened first. */
export const incidentReportResultSchema = z.object({ incidents: z.array(incidentReportSchema) });

/** The schema of a `record_change` result: what the change log did, the change, and change freezes. */
export const recordChangeResultSchema = z.object({
  /** `recorded` (a new id), `updated` (an id seen before, with news) or `duplicate` (nothing new). */
  action: z.enum(['recorded', 'updated', 'duplicate']),
  change: changeReportSchema,
  /** One sentence per change freeze in force (an SLO's exhausted budget); empty when none. */
  changeFreeze: z.array(z.string()),
});

/** The schema of a `change_correlation` result: the incident's most suspected changes, best first. */
export const changeCorrelationResultSchema = z.object({
  incidentId: z.string(),
  changes: z.array(
    z.object({
      change: changeReportSchema,
      /** time × service × kind × signal, 0 to 1. */
      score: z.number().min(0).max(1),
      factors: z.object({
        time: z.number().min(0).max(1),
        service: z.number().min(0).max(1),
        kind: z.number().min(0).max(1),
        signal: z.number().min(0).max(1),
      }),
      reasons: z.array(z.string()),
    }),
  ),
});

/**
 * The schema of the result of an incident action (`acknowledge_incident`, `resolve_incident`,
 * `add_incident_note`): the incident as it now stands and the timeline entry the action wrote, if any
 * (acknowledging or resolving twice writes nothing: `changed` is false).
 */
export const incidentActionResultSchema = z.object({
  incident_id: z.string(),
  title: z.string(),
  severity: z.string(),
  status: z.enum(['open', 'acknowledged', 'resolved']),
  changed: z.boolean(),
  /** The entry this action added to the timeline, with who did it. */
  entry: z
    .object({
      at: z.string(),
      kind: z.string(),
      text: z.string(),
      by: z.string(),
    })
    .nullable(),
});

const requestId = z.union([z.string(), z.number()]).optional();

function success<A extends string, R extends z.ZodType>(action: A, result: R) {
  return z.object({
    ok: z.literal(true),
    agent: z.literal(AGENT_NAME),
    action: z.literal(action),
    /** The request's `request_id`, when it had one. */
    requestId,
    result,
  });
}

/** The schema of a successful `health_check` response: the monitor's health report. */
export const agentHealthCheckResponseSchema = success('health_check', monitorHealthReportSchema);
/** The schema of a successful `analyze_performance` response. */
export const agentAnalyzePerformanceResponseSchema = success(
  'analyze_performance',
  performanceAnalysisSchema,
);
/** The schema of a successful `slo_status` response. */
export const agentSloStatusResponseSchema = success('slo_status', sloStatusResultSchema);
/** The schema of a successful `incident_report` response. */
export const agentIncidentReportResponseSchema = success('incident_report', incidentReportResultSchema);
/** The schema of a successful `capacity_plan` response: the monitor's capacity forecast. */
export const agentCapacityPlanResponseSchema = success('capacity_plan', capacityForecastSchema);
/** The schema of a successful `deployment_readiness` response. */
export const agentDeploymentReadinessResponseSchema = success(
  'deployment_readiness',
  deploymentReadinessSchema,
);

/** The schema of a successful `record_change` response. */
export const agentRecordChangeResponseSchema = success('record_change', recordChangeResultSchema);
/** The schema of a successful `change_correlation` response. */
export const agentChangeCorrelationResponseSchema = success(
  'change_correlation',
  changeCorrelationResultSchema,
);
/** The schema of a successful `dora_report` response: the DORA metrics of the period. */
export const agentDoraReportResponseSchema = success('dora_report', doraReportSchema);
/** The schema of a successful `judge_canary` response: the canary verdict. */
export const agentJudgeCanaryResponseSchema = success('judge_canary', canaryVerdictSchema);
/** The schema of a successful `acknowledge_incident` response. */
export const agentAcknowledgeIncidentResponseSchema = success(
  'acknowledge_incident',
  incidentActionResultSchema,
);
/** The schema of a successful `resolve_incident` response. */
export const agentResolveIncidentResponseSchema = success('resolve_incident', incidentActionResultSchema);
/** The schema of a successful `add_incident_note` response. */
export const agentAddIncidentNoteResponseSchema = success('add_incident_note', incidentActionResultSchema);
/** The schema of a successful `anomalies` response: statuses, predictions, external predictions. */
export const agentAnomaliesResponseSchema = success('anomalies', anomalyReportSchema);
/** The schema of a successful `report_anomaly` response. */
export const agentReportAnomalyResponseSchema = success('report_anomaly', reportAnomalyResultSchema);

/** The schema of one reason a request was rejected: where in the request, and what was wrong. */
export const agentIssueSchema = z.object({
  /** Keys from the request's root to the bad field, e.g. `['focus_areas', 3]`; `[]` for the whole. */
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});

/** The schema of an error response: a stable `code`, a readable message and, for bad requests, the issues. */
export const agentErrorResponseSchema = z.object({
  ok: z.literal(false),
  agent: z.literal(AGENT_NAME),
  /** The action, when the request named a known one. */
  action: z.enum(AGENT_ACTIONS).optional(),
  /** The request's `request_id`, when it had a valid one. */
  requestId,
  error: z.object({
    code: z.enum(Object.values(AgentErrorCode) as [AgentErrorCodeValue, ...AgentErrorCodeValue[]]),
    message: z.string(),
    issues: z.array(agentIssueSchema),
  }),
});

/** The schema of every successful response, one member per action. */
export const agentSuccessResponseSchema = z.discriminatedUnion('action', [
  agentHealthCheckResponseSchema,
  agentAnalyzePerformanceResponseSchema,
  agentSloStatusResponseSchema,
  agentIncidentReportResponseSchema,
  agentCapacityPlanResponseSchema,
  agentDeploymentReadinessResponseSchema,
  agentMaintenanceWindowsResponseSchema,
  agentRunDrillResponseSchema,
  agentDrillReportResponseSchema,
  agentRecordChangeResponseSchema,
  agentChangeCorrelationResponseSchema,
  agentDoraReportResponseSchema,
  agentJudgeCanaryResponseSchema,
  agentAcknowledgeIncidentResponseSchema,
  agentResolveIncidentResponseSchema,
  agentAddIncidentNoteResponseSchema,
  agentAnomaliesResponseSchema,
  agentReportAnomalyResponseSchema,
]);

/** The schema of every response the agent sends: a success for one action, or an error. */
export const agentResponseSchema = z.union([agentSuccessResponseSchema, agentErrorResponseSchema]);

/** One SLO's status as the agent reports it. */
export type SloStatusReport = z.output<typeof sloStatusReportSchema>;
/** One issue of a rejected request. */
export type AgentIssue = z.output<typeof agentIssueSchema>;
/** A successful `health_check` response. */
export type AgentHealthCheckResponse = z.output<typeof agentHealthCheckResponseSchema>;
/** A successful `analyze_performance` response. */
export type AgentAnalyzePerformanceResponse = z.output<typeof agentAnalyzePerformanceResponseSchema>;
/** A successful `slo_status` response. */
export type AgentSloStatusResponse = z.output<typeof agentSloStatusResponseSchema>;
/** A successful `incident_report` response. */
export type AgentIncidentReportResponse = z.output<typeof agentIncidentReportResponseSchema>;
/** A successful `capacity_plan` response. */
export type AgentCapacityPlanResponse = z.output<typeof agentCapacityPlanResponseSchema>;
/** A successful `deployment_readiness` response. */
export type AgentDeploymentReadinessResponse = z.output<typeof agentDeploymentReadinessResponseSchema>;
/** A successful incident action's result. */
export type IncidentActionResult = z.output<typeof incidentActionResultSchema>;
/** A successful `anomalies` response. */
export type AgentAnomaliesResponse = z.output<typeof agentAnomaliesResponseSchema>;
/** A successful `report_anomaly` response. */
export type AgentReportAnomalyResponse = z.output<typeof agentReportAnomalyResponseSchema>;
/** Any successful response. */
export type AgentSuccessResponse = z.output<typeof agentSuccessResponseSchema>;
/** An error response. */
export type AgentErrorResponse = z.output<typeof agentErrorResponseSchema>;
/** Any response the agent sends. */
export type AgentResponse = z.output<typeof agentResponseSchema>;
/** A successful `record_change` response. */
export type AgentRecordChangeResponse = z.output<typeof agentRecordChangeResponseSchema>;
/** A successful `change_correlation` response. */
export type AgentChangeCorrelationResponse = z.output<typeof agentChangeCorrelationResponseSchema>;
/** A successful `dora_report` response. */
export type AgentDoraReportResponse = z.output<typeof agentDoraReportResponseSchema>;
/** A successful `judge_canary` response. */
export type AgentJudgeCanaryResponse = z.output<typeof agentJudgeCanaryResponseSchema>;
