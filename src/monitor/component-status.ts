import type { CheckResult, HealthCheckResult } from '../health/index.js';
import type { CircuitState } from '../resilience/index.js';
import type { SloObjective, SloStatus } from '../slo/index.js';

// What each source of the monitor (a health check, an SLO, a circuit breaker) says about the component
// it stands for, in a status page's vocabulary (Atlassian Statuspage's component statuses):
//
// | source                                   | status                 |
// | ---------------------------------------- | ---------------------- |
// | critical health check failing            | major_outage           |
// | non-critical health check failing        | partial_outage         |
// | health check warning                     | degraded_performance   |
// | circuit breaker open or isolated         | major_outage           |
// | circuit breaker half-open (probing)      | partial_outage         |
// | availability/freshness SLO, fast burn    | partial_outage         |
// | availability/freshness SLO, slow burn    | degraded_performance   |
// | latency SLO burning (fast or slow)       | degraded_performance   |
// | anything else                            | operational            |
//
// `under_maintenance` comes from maintenance windows, never from a source's own state.

/** A component's status, as Atlassian Statuspage names them. */
export type ComponentStatus =
  'operational' | 'under_maintenance' | 'degraded_performance' | 'partial_outage' | 'major_outage';

/** Every component status, least severe first: the worst of several is the one latest in this list. */
export const COMPONENT_STATUSES: readonly ComponentStatus[] = Object.freeze([
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
]);

const RANK: Readonly<Record<ComponentStatus, number>> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

/** The more severe of two statuses. */
export function worseStatus(a: ComponentStatus, b: ComponentStatus): ComponentStatus {
  return RANK[b] > RANK[a] ? b : a;
}

/** What kind of source a component status comes from. */
export type StatusSourceKind = 'check' | 'slo' | 'breaker';

/** One source's state now: the component it names and its status there. */
export interface StatusSource {
  /** `check:<name>`, `slo:<name>` or `breaker:<name>`: stable, and the key of its uptime history. */
  readonly key: string;
  readonly kind: StatusSourceKind;
  /** The check's, SLO's or breaker's name: the component's name unless a status page renames it. */
  readonly name: string;
  readonly status: ComponentStatus;
  /** Since when (wall ms) the monitor has seen this status; the first evaluation that saw it. */
  readonly since: number;
  /** Why, in a phrase about the mechanism (`critical health check failing`): operator-facing. */
  readonly reason: string;
  /** What the source itself said (a check's output, a burn rate): internal, may name hosts. */
  readonly detail?: string;
  /** An SLO's objective kind, for wording. */
  readonly objective?: SloObjective['kind'];
  /**
   * The tracked dependency or pipeline the SLO or breaker belongs to (`trackDependency`,
   * `trackPipeline`): its component by default, so a dependency's SLOs and breaker are one component.
   */
  readonly service?: string;
}

/** A source's state before the monitor knows since when: what {@link sourceStates} derives. */
export type SourceState = Omit<StatusSource, 'since'>;

/** A health check's component status. */
export function checkState(check: CheckResult): SourceState {
  const base = { key: `check:${check.name}`, kind: 'check' as const, name: check.name };
  const detail = check.output === undefined ? {} : { detail: check.output };
  if (check.status === 'pass') return { ...base, status: 'operational', reason: 'health check passing' };
  if (check.status === 'warn')
    return { ...base, status: 'degraded_performance', reason: 'health check warning', ...detail };
  return check.critical
    ? { ...base, status: 'major_outage', reason: 'critical health check failing', ...detail }
    : { ...base, status: 'partial_outage', reason: 'health check failing', ...detail };
}

/** An SLO's component status from its firing alerts (a latency SLO only ever degrades performance). */
export function sloState(status: SloStatus, objective: SloObjective['kind']): SourceState {
  const base = { key: `slo:${status.name}`, kind: 'slo' as const, name: status.name, objective };
  const page = status.alerts.some((a) => a.firing && a.severity === 'page');
  const ticket = status.alerts.some((a) => a.firing && a.severity === 'ticket');
  if (!page && !ticket) return { ...base, status: 'operational', reason: 'within its error budget' };
  const burn = Math.max(status.burnRates['1h'], status.burnRates['6h']);
  const detail = `burn rate ${Number(burn.toPrecision(3))}× (1 h / 6 h), budget ${Math.round(status.budget.remaining * 100)} % left`;
  if (objective === 'latency')
    return {
      ...base,
      status: 'degraded_performance',
      reason: `latency objective burning its budget ${page ? 'fast' : 'slowly'}`,
      detail,
    };
  return page
    ? { ...base, status: 'partial_outage', reason: 'error budget burning fast', detail }
    : { ...base, status: 'degraded_performance', reason: 'error budget burning slowly', detail };
}

/** A circuit breaker's component status: the dependency it guards. */
export function breakerState(name: string, state: CircuitState): SourceState {
  const base = { key: `breaker:${name}`, kind: 'breaker' as const, name };
  if (state === 'open') return { ...base, status: 'major_outage', reason: 'circuit open: calls refused' };
  if (state === 'isolated')
    return { ...base, status: 'major_outage', reason: 'circuit isolated by hand: calls refused' };
  if (state === 'halfOpen')
    return { ...base, status: 'partial_outage', reason: 'circuit half-open: probing recovery' };
  return { ...base, status: 'operational', reason: 'circuit closed' };
}

/** Everything {@link sourceStates} reads. */
export interface SourceInputs {
  /** The latest run of the health checks (a draining registry's run says nothing about its checks). */
  readonly checks: HealthCheckResult | undefined;
  readonly slos: readonly { readonly status: SloStatus; readonly objective: SloObjective['kind'] }[];
  readonly breakers: readonly { readonly name: string; readonly state: CircuitState }[];
}

/** Every source's state, checks first, then SLOs, then breakers (each in the order given). */
export function sourceStates(inputs: SourceInputs): SourceState[] {
  const out: SourceState[] = [];
  if (inputs.checks !== undefined && !inputs.checks.draining)
    for (const check of inputs.checks.checks) out.push(checkState(check));
  for (const { status, objective } of inputs.slos) out.push(sloState(status, objective));
  for (const { name, state } of inputs.breakers) out.push(breakerState(name, state));
  return out;
}

/**
 * Each state with its `since`: kept from what `held` (the last evaluation) says when the status is the
 * same, else `now`.
 */
export function withSince(
  states: readonly SourceState[],
  held: readonly StatusSource[],
  now: number,
): StatusSource[] {
  const byKey = new Map(held.map((s) => [s.key, s]));
  return states.map((state) => {
    const before = byKey.get(state.key);
    return { ...state, since: before !== undefined && before.status === state.status ? before.since : now };
  });
}
