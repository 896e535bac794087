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
] as const);

/** One action of {@link AGENT_ACTIONS}. */
export type AgentAction = (typeof AGENT_ACTIONS)[number];

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
/** Longest error or issue message. */
export const MAX_MESSAGE_LENGTH = 500;
