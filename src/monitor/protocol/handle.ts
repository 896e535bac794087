import type { z } from 'zod';
import { ConfigError, ErrorCode, isSreError } from '../../core/index.js';
import { canaryVerdictSchema, type CanaryArm } from '../../canary/index.js';
import { doraReportSchema, timeInputMs, toChangeReport, type ChangeInput } from '../../changes/index.js';
import type { IncidentReport } from '../../incidents/index.js';
import type { SloStatus } from '../../slo/index.js';
import {
  capacityForecastSchema,
  deploymentReadinessSchema,
  monitorHealthReportSchema,
  performanceAnalysisSchema,
  type MonitorHealthReport,
} from '../report-schemas.js';
import type { MonitorQueries } from '../types.js';
import { anomalyReportSchema, type AnomalyReport } from '../insight-schemas.js';
import {
  AGENT_ACTIONS,
  AGENT_NAME,
  AgentErrorCode,
  DEFAULT_RECENT_INCIDENTS,
  MAX_ISSUES,
  MAX_MESSAGE_LENGTH,
  agentActionEffect,
  type AgentAction,
  type AgentErrorCodeValue,
  type AgentPermission,
} from './constants.js';
import {
  answerDrillReport,
  answerMaintenanceWindows,
  answerRunDrill,
  isFailure,
  type ActionFailure,
} from './maintenance-actions.js';
import { drillReportResultSchema, maintenanceWindowsResultSchema } from './maintenance-schemas.js';
import { drillJournalSchema } from '../../drills/index.js';
import { runIncidentAction } from './incident-actions.js';
import { parseAgentRequestText } from './request-text.js';
import {
  agentRequestSchema,
  requestIdSchema,
  type AgentJudgeCanaryRequest,
  type AgentRecordChangeRequest,
  type AgentRequest,
} from './request-schemas.js';
import {
  changeCorrelationResultSchema,
  incidentActionResultSchema,
  recordChangeResultSchema,
  incidentReportResultSchema,
  reportAnomalyResultSchema,
  sloStatusResultSchema,
  type AgentErrorResponse,
  type AgentIssue,
  type AgentResponse,
  type AgentSuccessResponse,
  type SloStatusReport,
} from './response-schemas.js';

const DAY_MS = 86_400_000;
/** How many known names a not-found message lists before eliding the rest. */
const MAX_NAMES_LISTED = 20;

type RequestId = string | number;
type Path = Array<string | number>;
type ZodIssues = z.ZodError['issues'];

/** Everything a failure needs besides its code and message. */
interface FailureContext {
  readonly action?: AgentAction | undefined;
  readonly requestId?: RequestId | undefined;
}

/** Carries a failure from deep inside an action to the one place responses are built. */
class Failure extends Error {
  constructor(
    readonly code: AgentErrorCodeValue,
    message: string,
    readonly issues: readonly AgentIssue[] = [],
  ) {
    super(message);
  }
}

/** Who is asking and what they may do: set by the transport that carried the request. */
export interface AgentRequestContext {
  /**
   * The effects the caller may run. An action whose effect is missing (see `agentActionEffect`) is
   * answered `ERR_SRE_FORBIDDEN` without running. The HTTP agent route passes `['read']` unless told
   * otherwise; a host calling the monitor itself is trusted with both.
   * @default ['read', 'act']
   */
  readonly allow?: readonly AgentPermission[];
  /**
   * Who the caller is, as state-changing actions record it (e.g. an incident timeline's `by`).
   * @default 'agent'
   */
  readonly caller?: string;
}

const DEFAULT_CALLER = 'agent';

/**
 * Answers one agent request from `monitor`: validates it, runs the report its `action` asks for, and
 * returns a response that matches `agentResponseSchema` and survives a JSON round trip. Accepts the
 * request itself (`{ agent: 'sre-reliability', action, … }`) or the YAML form wrapped in
 * `{ request: { … } }`, as data or as YAML or JSON text (parsed by `parseAgentRequestText`). An action
 * that changes state runs only when `context.allow` includes `act`, and records `context.caller`.
 * Never throws and never rejects: a bad request, a forbidden or unknown action, an unknown incident,
 * or a report that throws becomes `{ ok: false, error: { code, message, issues } }`.
 *
 * @example
 * ```ts
 * const response = await handleAgentRequest(monitor, {
 *   agent: 'sre-reliability', action: 'analyze_performance', timeframe: 'last_hour',
 * });
 * if (response.ok) console.log(response.result);
 * else console.error(response.error.code, response.error.message);
 * ```
 */
export async function handleAgentRequest(
  monitor: MonitorQueries,
  request: unknown,
  requestContext: AgentRequestContext = {},
): Promise<AgentResponse> {
  let context: FailureContext = {};
  try {
    const parsed = parseRequest(request);
    if (parsed instanceof Failure) return failure(parsed, parsed.context);
    context = { action: parsed.request.action, requestId: parsed.requestId };
    const allow = requestContext.allow ?? ['read', 'act'];
    if (!allow.includes(agentActionEffect(parsed.request.action)))
      return failure(
        new Failure(
          AgentErrorCode.FORBIDDEN,
          `${parsed.request.action} changes state; this caller may only read (it needs 'act')`,
        ),
        context,
      );
    const result = await answer(monitor, parsed.request, requestContext.caller ?? DEFAULT_CALLER);
    const response = {
      ok: true,
      agent: AGENT_NAME,
      action: parsed.request.action,
      ...(parsed.requestId === undefined ? {} : { requestId: parsed.requestId }),
      result,
    } as AgentSuccessResponse;
    return response;
  } catch (error) {
    try {
      return failure(error instanceof Failure ? error : queryFailure(error, context.action), context);
    } catch {
      // Even `instanceof` throws on a proxy whose getPrototypeOf trap throws.
      return failure(
        new Failure(AgentErrorCode.INTERNAL, `${context.action ?? 'The request'} failed`),
        context,
      );
    }
  }
}

// ---- Parsing ------------------------------------------------------------------------------------------

class RequestFailure extends Failure {
  constructor(
    code: AgentErrorCodeValue,
    message: string,
    issues: readonly AgentIssue[],
    readonly context: FailureContext,
  ) {
    super(code, message, issues);
  }
}

interface ParsedRequest {
  readonly request: AgentRequest;
  readonly requestId: RequestId | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ownField(value: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

function parseRequest(input: unknown): ParsedRequest | RequestFailure {
  try {
    return parseRequestUnsafe(input);
  } catch (error) {
    // A getter or proxy that throws while being read: the request itself is unreadable.
    return new RequestFailure(
      AgentErrorCode.BAD_REQUEST,
      `The request could not be read: ${describeError(error)}`,
      [],
      {},
    );
  }
}

function parseRequestUnsafe(text: unknown): ParsedRequest | RequestFailure {
  let input = text;
  if (typeof text === 'string') {
    const parsed = parseAgentRequestText(text);
    if (!parsed.ok)
      return new RequestFailure(
        AgentErrorCode.BAD_REQUEST,
        parsed.message,
        [{ path: [], message: parsed.message }],
        {},
      );
    input = parsed.value;
  }
  if (!isRecord(input)) return notAnObject([]);
  let root: Record<string, unknown> = input;
  let prefix: Path = [];
  // DESIGN.md's YAML form: `request: { agent, action, … }`.
  if (Object.hasOwn(input, 'request') && !Object.hasOwn(input, 'action')) {
    const extra = Object.keys(input).filter((key) => key !== 'request');
    if (extra.length > 0) {
      const issues = extra.map((key) => ({ path: [key], message: 'unknown field' }));
      return badRequest(issues, {});
    }
    const inner = input.request;
    if (!isRecord(inner)) return notAnObject(['request']);
    root = inner;
    prefix = ['request'];
  }

  const id = requestIdSchema.safeParse(ownField(root, 'request_id'));
  // `+ 0` turns -0 into 0, which is what the id becomes on the wire anyway.
  const requestId = !id.success ? undefined : typeof id.data === 'number' ? id.data + 0 : id.data;
  const agent = ownField(root, 'agent');
  const action = ownField(root, 'action');
  const known = typeof action === 'string' && (AGENT_ACTIONS as readonly string[]).includes(action);
  const context: FailureContext = { requestId, action: known ? (action as AgentAction) : undefined };

  if (typeof agent === 'string' && agent !== AGENT_NAME) {
    return new RequestFailure(
      AgentErrorCode.WRONG_AGENT,
      `This agent is '${AGENT_NAME}'; the request is for ${quote(agent)}`,
      [{ path: [...prefix, 'agent'], message: `expected '${AGENT_NAME}'` }],
      context,
    );
  }
  if (typeof action === 'string' && !known) {
    const expected = `one of ${AGENT_ACTIONS.join(', ')}`;
    return new RequestFailure(
      AgentErrorCode.UNKNOWN_ACTION,
      `Unknown action ${quote(action)}: expected ${expected}`,
      [{ path: [...prefix, 'action'], message: `expected ${expected}` }],
      context,
    );
  }
  const parsed = agentRequestSchema.safeParse(root);
  if (!parsed.success) return badRequest(toIssues(parsed.error.issues, prefix), context);
  return { request: parsed.data, requestId };
}

function notAnObject(path: Path): RequestFailure {
  return badRequest([{ path, message: 'expected an object' }], {});
}

function badRequest(issues: readonly AgentIssue[], context: FailureContext): RequestFailure {
  return new RequestFailure(
    AgentErrorCode.BAD_REQUEST,
    `Invalid request: ${summarize(issues)}`,
    issues,
    context,
  );
}

/** Zod issues as plain `{ path, message }`, an unknown key named as its own path, at most MAX_ISSUES. */
function toIssues(issues: ZodIssues, prefix: Path): AgentIssue[] {
  const out: AgentIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, truncate(key)], message: 'unknown field' });
    } else {
      out.push({ path, message: truncate(issue.message) });
    }
  }
  return out.slice(0, MAX_ISSUES);
}

/** A monitor option's field (`focusAreas[1]`) as the request's path (`['focus_areas', 1]`). */
function requestPath(field: string): Path {
  const path: Path = [];
  for (const part of field.split(/\.|(?=\[)/)) {
    const index = /^\[(\d+)\]$/.exec(part);
    if (index !== null) path.push(Number(index[1]));
    else if (part !== '') path.push(part.replaceAll(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  }
  return path;
}

function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out === '' ? '(request)' : out;
}

function summarize(issues: readonly AgentIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return truncate(shown.join('; ') + more);
}

// ---- Answering ----------------------------------------------------------------------------------------

async function answer(monitor: MonitorQueries, request: AgentRequest, caller: string): Promise<unknown> {
  switch (request.action) {
    case 'health_check': {
      const report = checked(
        'health_check',
        monitorHealthReportSchema,
        await monitor.healthReport({ includePredictions: request.include_predictions }),
      );
      return request.scope === 'full_system' ? report : narrow(report, request.scope);
    }
    case 'analyze_performance':
      return checked(
        'analyze_performance',
        performanceAnalysisSchema,
        monitor.performanceAnalysis({ timeframe: request.timeframe, focusAreas: request.focus_areas }),
      );
    case 'slo_status': {
      let statuses = monitor.sloStatus();
      if (request.slo !== undefined) {
        const name = request.slo;
        statuses = statuses.filter((status) => status.name === name);
        if (statuses.length === 0) {
          const known = monitor.sloStatus().map((status) => status.name);
          throw notFound(`No SLO named ${quote(name)}; known: ${listNames(known)}`, ['slo']);
        }
      }
      return checked('slo_status', sloStatusResultSchema, { slos: statuses.map(toSloStatusReport) });
    }
    case 'incident_report':
      // A file store replays asynchronously; until it has, the recorder's reads see no incidents.
      await monitor.incidents.ready();
      return checked('incident_report', incidentReportResultSchema, {
        incidents: incidentReports(monitor, request.id, request.recent),
      });
    case 'capacity_plan': {
      const horizonMs =
        request.horizon_ms ??
        (request.horizon_days === undefined ? undefined : Math.round(request.horizon_days * DAY_MS));
      const forecast = monitor.capacityForecast(horizonMs === undefined ? {} : { horizonMs });
      return checked('capacity_plan', capacityForecastSchema, forecast);
    }
    case 'deployment_readiness':
      return checked('deployment_readiness', deploymentReadinessSchema, await monitor.deploymentReadiness());
    case 'maintenance_windows':
      return checked(
        'maintenance_windows',
        maintenanceWindowsResultSchema,
        orFail(answerMaintenanceWindows(monitor, request)),
      );
    case 'run_drill':
      return checked('run_drill', drillJournalSchema, orFail(await answerRunDrill(monitor, request.name)));
    case 'drill_report':
      return checked('drill_report', drillReportResultSchema, orFail(answerDrillReport(monitor, request)));
    case 'record_change': {
      if (monitor.recordChange === undefined) throw notConfigured(monitor, 'record_change');
      const { action, change, changeFreeze } = monitor.recordChange(toChangeInput(request.change));
      return checked('record_change', recordChangeResultSchema, {
        action,
        change: toChangeReport(change),
        changeFreeze,
      });
    }
    case 'change_correlation': {
      if (monitor.changeCorrelation === undefined) throw notConfigured(monitor, 'change_correlation');
      await monitor.incidents.ready();
      if (monitor.incidents.get(request.incident_id) === undefined)
        throw notFound(`No incident with id ${quote(request.incident_id)}`, ['incident_id']);
      const changes = monitor.changeCorrelation(request.incident_id);
      return checked('change_correlation', changeCorrelationResultSchema, {
        incidentId: request.incident_id,
        changes: changes.map(({ change, score, factors, reasons }) => ({
          change: toChangeReport(change),
          score,
          factors,
          reasons,
        })),
      });
    }
    case 'dora_report': {
      if (monitor.doraReport === undefined) throw notConfigured(monitor, 'dora_report');
      const options =
        request.since !== undefined && request.until !== undefined
          ? { since: timeInputMs(request.since), until: timeInputMs(request.until) }
          : {
              period: request.period ?? 'month',
              ...(request.at === undefined ? {} : { at: timeInputMs(request.at) }),
            };
      return checked('dora_report', doraReportSchema, monitor.doraReport(options));
    }
    case 'judge_canary':
      if (monitor.judgeCanary === undefined) throw notConfigured(monitor, 'judge_canary');
      return checked(
        'judge_canary',
        canaryVerdictSchema,
        monitor.judgeCanary({ baseline: toArm(request.baseline), canary: toArm(request.canary) }),
      );
    case 'acknowledge_incident':
    case 'resolve_incident':
    case 'add_incident_note': {
      const result = await runIncidentAction(monitor.incidents, request, caller);
      if (result === undefined) throw notFound(`No incident with id ${quote(request.id)}`, ['id']);
      return checked(request.action, incidentActionResultSchema, result);
    }
    case 'anomalies':
      return checked('anomalies', anomalyReportSchema, anomalies(monitor, request.signal));
    case 'report_anomaly': {
      if (monitor.ingestPrediction === undefined)
        throw new Failure(AgentErrorCode.INTERNAL, 'This monitor does not take predictions');
      const { agent: _agent, action: _action, request_id: _id, ...prediction } = request;
      return checked('report_anomaly', reportAnomalyResultSchema, {
        accepted: true,
        prediction: monitor.ingestPrediction(prediction),
      });
    }
  }
}

function orFail<T>(value: T | ActionFailure): T {
  if (!isFailure(value)) return value;
  throw new Failure(value.code, truncate(value.message), [{ path: [...value.path], message: value.code }]);
}

/** A `record_change` request's snake_case change as the change log's input. */
function toChangeInput(change: AgentRecordChangeRequest['change']): ChangeInput {
  return {
    id: change.id,
    kind: change.kind,
    startedAt: change.started_at,
    ...(change.service === undefined ? {} : { service: change.service }),
    ...(change.version === undefined ? {} : { version: change.version }),
    ...(change.description === undefined ? {} : { description: change.description }),
    ...(change.commits === undefined
      ? {}
      : { commits: change.commits.map((c) => ({ sha: c.sha, committedAt: c.committed_at })) }),
    ...(change.finished_at === undefined ? {} : { finishedAt: change.finished_at }),
    ...(change.status === undefined ? {} : { status: change.status }),
    ...(change.rollback_of === undefined ? {} : { rollbackOf: change.rollback_of }),
    ...(change.hotfix === undefined ? {} : { hotfix: change.hotfix }),
    ...(change.fixes === undefined ? {} : { fixes: change.fixes }),
  };
}

function toArm(arm: AgentJudgeCanaryRequest['baseline']): CanaryArm {
  return {
    requests: arm.requests,
    ...(arm.errors === undefined ? {} : { errors: arm.errors }),
    ...(arm.latency === undefined ? {} : { latency: arm.latency }),
    ...(arm.metrics === undefined ? {} : { metrics: arm.metrics }),
  };
}

/** The anomaly report, narrowed to one signal when asked (which must then be one the detector knows). */
function anomalies(monitor: MonitorQueries, signal: string | undefined): AnomalyReport {
  const report = monitor.anomalyReport?.() ?? { detector: false, signals: [], predictions: [], external: [] };
  if (signal === undefined) return report;
  if (!report.signals.some((s) => s.signal === signal))
    throw notFound(
      `No anomaly signal named ${quote(signal)}; known: ${listNames(report.signals.map((s) => s.signal))}`,
      ['signal'],
    );
  return {
    ...report,
    signals: report.signals.filter((s) => s.signal === signal),
    predictions: report.predictions.filter((p) => p.signal === signal),
    external: report.external.filter((p) => p.signal === signal),
  };
}

/** The health report with `services` narrowed to the named checks; every name must exist. */
function narrow(report: MonitorHealthReport, scope: string | readonly string[]): MonitorHealthReport {
  const names = typeof scope === 'string' ? [scope] : scope;
  const issues: AgentIssue[] = [];
  names.forEach((name, i) => {
    if (!Object.hasOwn(report.services, name))
      issues.push({ path: typeof scope === 'string' ? ['scope'] : ['scope', i], message: 'no such check' });
  });
  if (issues.length > 0) {
    const missing = names.filter((name) => !Object.hasOwn(report.services, name));
    throw new Failure(
      AgentErrorCode.NOT_FOUND,
      truncate(
        `No health check named ${missing.map(quote).join(', ')}; known: ${listNames(Object.keys(report.services))}`,
      ),
      issues.slice(0, MAX_ISSUES),
    );
  }
  // fromEntries defines own properties, so even a check named `__proto__` stays a plain key.
  const services = Object.fromEntries(names.map((name) => [name, report.services[name]]));
  return { ...report, services: services as MonitorHealthReport['services'] };
}

function incidentReports(
  monitor: MonitorQueries,
  id: string | undefined,
  recent: number | undefined,
): IncidentReport[] {
  if (id !== undefined) {
    if (monitor.incidents.get(id) === undefined) throw notFound(`No incident with id ${quote(id)}`, ['id']);
    return [monitor.incidentReport(id)];
  }
  const all = monitor.incidents.list();
  const count = Math.min(recent ?? DEFAULT_RECENT_INCIDENTS, all.length);
  const reports: IncidentReport[] = [];
  for (let i = all.length - 1; i >= all.length - count; i--) {
    const incident = all[i];
    if (incident !== undefined) reports.push(monitor.incidentReport(incident.id));
  }
  return reports;
}

/** An SLO status as plain JSON data: Infinity (never exhausts) becomes `null`; only known fields kept. */
function toSloStatusReport(status: SloStatus): SloStatusReport {
  const tte = status.timeToExhaustionMs;
  return {
    name: status.name,
    target: status.target,
    sli: status.sli,
    good: status.good,
    total: status.total,
    budget: { consumed: status.budget.consumed, remaining: status.budget.remaining },
    burnRates: { ...status.burnRates },
    alerts: status.alerts.map((alert) => ({
      severity: alert.severity,
      longWindowMs: alert.longWindowMs,
      shortWindowMs: alert.shortWindowMs,
      burnRate: alert.burnRate,
      firing: alert.firing,
    })),
    timeToExhaustionMs: tte === Number.POSITIVE_INFINITY ? null : tte,
  };
}

/**
 * Validates what the monitor produced against the action's schema and returns it as fresh JSON data:
 * the response then holds no Infinity, NaN, Date or undefined, and shares nothing with the monitor.
 */
function checked<T>(action: AgentAction, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = toIssues(result.error.issues, ['result']);
    throw new Failure(
      AgentErrorCode.INTERNAL,
      `The monitor's ${action} result does not match its schema: ${summarize(issues)}`,
      issues,
    );
  }
  return JSON.parse(JSON.stringify(result.data)) as T;
}

function notFound(message: string, path: Path): Failure {
  return new Failure(AgentErrorCode.NOT_FOUND, truncate(message), [{ path, message: 'not found' }]);
}

// A hand-built MonitorQueries may leave out the change queries.
function notConfigured(monitor: MonitorQueries, action: AgentAction): Failure {
  return new Failure(
    AgentErrorCode.NOT_CONFIGURED,
    truncate(`Monitor ${quote(monitor.service)} cannot answer ${action}: it has no change queries`),
  );
}

function queryFailure(error: unknown, action: AgentAction | undefined): Failure {
  if (isSreError(error, ErrorCode.INCIDENT_NOT_FOUND))
    return new Failure(AgentErrorCode.NOT_FOUND, truncate(describeError(error)));
  if (isSreError(error, ErrorCode.NOT_CONFIGURED))
    return new Failure(AgentErrorCode.NOT_CONFIGURED, truncate(describeError(error)));
  // Input the schema let through but the primitive refused (a change recorded as another kind, an
  // undecodable histogram): the caller's to fix.
  if (isSreError(error, ErrorCode.INVALID_INPUT) || isSreError(error, ErrorCode.INVALID_ENCODING))
    return new Failure(AgentErrorCode.BAD_REQUEST, truncate(`Invalid request: ${describeError(error)}`));
  // The request passed its schema but the monitor refused a value (e.g. a horizon it cannot use): the
  // caller's to fix, named by field, not the monitor's failure.
  if (error instanceof ConfigError) {
    const issues = error.issues
      .slice(0, MAX_ISSUES)
      .map((issue) => ({ path: requestPath(issue.field), message: truncate(`expected ${issue.expected}`) }));
    return new Failure(AgentErrorCode.BAD_REQUEST, `Invalid request: ${summarize(issues)}`, issues);
  }
  return new Failure(
    AgentErrorCode.INTERNAL,
    truncate(`${action ?? 'The request'} failed: ${describeError(error)}`),
  );
}

// ---- Building errors (nothing here may throw) ---------------------------------------------------------

function failure(error: Failure, context: FailureContext): AgentErrorResponse {
  const response: AgentErrorResponse = {
    ok: false,
    agent: AGENT_NAME,
    error: { code: error.code, message: error.message, issues: [...error.issues] },
  };
  if (context.action !== undefined) response.action = context.action;
  if (context.requestId !== undefined) response.requestId = context.requestId;
  return response;
}

function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return truncate(String(error.message));
    return truncate(typeof error === 'string' ? error : String(error));
  } catch {
    return 'an unreadable error';
  }
}

function quote(value: string): string {
  return `'${truncate(value, 64)}'`;
}

function listNames(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, MAX_NAMES_LISTED).map(quote).join(', ');
  return names.length > MAX_NAMES_LISTED ? `${shown} and ${names.length - MAX_NAMES_LISTED} more` : shown;
}

function truncate(text: string, max = MAX_MESSAGE_LENGTH): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
