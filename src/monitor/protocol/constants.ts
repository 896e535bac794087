// The names the agent protocol is keyed by, and the bounds every request is held to.

/** The agent name requests must carry in `agent`. */
export const AGENT_NAME = 'sre-reliability';

/** Every action the agent answers, in the order the README lists them. */
export const AGENT_ACTIONS = Object.freeze([
  'health_check',
  'analyze_performance',
  'slo_status',
  'incident_report',
  'capacity_plan',
  'deployment_readiness',
  'maintenance_windows',
  'run_drill',
  'drill_report',
  'record_change',
  'change_correlation',
  'dora_report',
  'judge_canary',
  'acknowledge_incident',
  'resolve_incident',
  'add_incident_note',
  'anomalies',
  'report_anomaly',
] as const);

/** One action of {@link AGENT_ACTIONS}. */
export type AgentAction = (typeof AGENT_ACTIONS)[number];

/**
 * What an action does: `read` answers from the monitor's state and never changes it; `act` changes
 * state (an incident's status or timeline, the change log, a prediction the monitor keeps).
 */
export type AgentActionEffect = 'read' | 'act';

/** What a caller may do: the effects of the actions it may run. */
export type AgentPermission = AgentActionEffect;

/**
 * The effect of each action. An action missing here counts as `act` (see {@link agentActionEffect}):
 * a new action that changes state can never slip through as a read, it only waits for its entry.
 */
export const AGENT_ACTION_EFFECTS: Readonly<Partial<Record<AgentAction, AgentActionEffect>>> = Object.freeze({
  health_check: 'read',
  analyze_performance: 'read',
  slo_status: 'read',
  incident_report: 'read',
  capacity_plan: 'read',
  deployment_readiness: 'read',
  // One action both lists windows and adds one (`operation`), and an effect is the action's, not the
  // request's (MCP's readOnlyHint, A2A's skills and the route's permission all key on the action): so
  // it is an act, and a read-only caller sees the windows in health_check's maintenance field instead.
  maintenance_windows: 'act',
  // A drill injects faults or restores a backup, and records a journal.
  run_drill: 'act',
  drill_report: 'read',
  // A recorded change feeds correlation, DORA and the change freeze: it changes what this agent says.
  record_change: 'act',
  change_correlation: 'read',
  dora_report: 'read',
  // The judge only evaluates the arms it is sent; it keeps nothing.
  judge_canary: 'read',
  acknowledge_incident: 'act',
  resolve_incident: 'act',
  add_incident_note: 'act',
  anomalies: 'read',
  // Another agent's prediction feeds alerts and incidents: it changes what this agent says.
  report_anomaly: 'act',
});

/** The effect of `action`: `read` only when {@link AGENT_ACTION_EFFECTS} says so, otherwise `act`. */
export function agentActionEffect(action: string): AgentActionEffect {
  return Object.hasOwn(AGENT_ACTION_EFFECTS, action) && AGENT_ACTION_EFFECTS[action as AgentAction] === 'read'
    ? 'read'
    : 'act';
}

/**
 * The stable codes of an error response. Callers branch on them; messages may change between versions.
 */
export const AgentErrorCode = Object.freeze({
  /** The request is not an object of the right shape: a field is missing, of the wrong type or unknown. */
  BAD_REQUEST: 'ERR_SRE_BAD_REQUEST',
  /** The request is addressed to another agent (`agent` is not `sre-reliability`). */
  WRONG_AGENT: 'ERR_SRE_WRONG_AGENT',
  /** `action` names no action this agent answers. */
  UNKNOWN_ACTION: 'ERR_SRE_UNKNOWN_ACTION',
  /** The request names something the monitor does not hold: an incident id, an SLO or a check. */
  NOT_FOUND: 'ERR_SRE_NOT_FOUND',
  /**
   * The monitor will not do it now: a drill while a P1 incident is open or while it is already running,
   * or an action that needs something the monitor lacks (a maintenance calendar).
   */
  REFUSED: 'ERR_SRE_REFUSED',
  /** The action needs something the monitor was not given (`record_change` without a change log). */
  NOT_CONFIGURED: 'ERR_SRE_NOT_CONFIGURED',
  /** The caller may not run this action: it changes state and the caller was not allowed `act`. */
  FORBIDDEN: 'ERR_SRE_FORBIDDEN',
  /** The monitor failed to answer (a report threw or produced an invalid shape). */
  INTERNAL: 'ERR_SRE_INTERNAL',
});

/** One code of {@link AgentErrorCode}. */
export type AgentErrorCodeValue = (typeof AgentErrorCode)[keyof typeof AgentErrorCode];

/** Longest name (check, SLO, incident id, focus area, request id) a request may carry. */
export const MAX_NAME_LENGTH = 128;
/** Most focus areas an `analyze_performance` request may list. */
export const MAX_FOCUS_AREAS = 20;
/** Most check names a `health_check` scope may list. */
export const MAX_SCOPE_NAMES = 50;
/** Most incidents an `incident_report` request may ask for with `recent`. */
export const MAX_RECENT_INCIDENTS = 100;
/** How many incidents `incident_report` returns when neither `id` nor `recent` is given. */
export const DEFAULT_RECENT_INCIDENTS = 10;
/** Most drill journals a `drill_report` request may ask for with `recent`. */
export const MAX_RECENT_DRILLS = 100;
/** How many journals `drill_report` returns when `recent` is not given. */
export const DEFAULT_RECENT_DRILLS = 10;
/** Longest capacity horizon, in days. */
export const MAX_HORIZON_DAYS = 365;
/** Most issues an error response lists; the rest are counted in its message. */
export const MAX_ISSUES = 20;
/** Longest encoded latency histogram a `judge_canary` arm may carry, in characters. */
export const MAX_ENCODED_HISTOGRAM = 1_000_000;
/** Longest note or resolution text an incident action may carry. */
export const MAX_NOTE_LENGTH = 2_000;
/** Longest YAML or JSON request text `handleAgentRequest` parses, in characters. */
export const MAX_REQUEST_TEXT_LENGTH = 65_536;
/** Most YAML alias expansions a request text may make (an alias bomb is refused, not expanded). */
export const MAX_YAML_ALIASES = 20;
/** Longest summary a `report_anomaly` request may carry. */
export const MAX_SUMMARY_LENGTH = 1_000;
/** Longest error or issue message. */
export const MAX_MESSAGE_LENGTH = 500;
