import type { CheckResult } from '../health/index.js';
import type { CircuitBreakerStats, CircuitState, OpenReason } from '../resilience/index.js';
import { pct } from './format.js';

// How the monitor describes a dependency's state as evidence: a circuit breaker's state, why it
// opened and the counts behind it; a health check of a dependency and what it said.

/** A circuit breaker as the monitor's judgments read it. */
export interface BreakerView {
  readonly name: string;
  readonly state: CircuitState;
  /** Its counters, when they could be read. */
  readonly stats: CircuitBreakerStats | undefined;
  /** Why it last opened, when the monitor saw it open. */
  readonly reason: OpenReason | undefined;
}

const REASONS: Readonly<Record<OpenReason, string>> = {
  consecutiveFailures: 'consecutive failures',
  failureRate: 'failure rate over its threshold',
  slowCalls: 'slow calls over their threshold',
  probeFailed: 'a half-open probe failed',
  isolated: 'isolated by hand',
};

/** Whether a breaker in this state is refusing or probing its dependency (it has not recovered). */
export function isTroubled(state: CircuitState): boolean {
  return state !== 'closed';
}

/**
 * Which dependency and why, with its numbers: `payments is open (failure rate over its threshold):
 * 12 of 20 calls failed (60 %) in its window`.
 */
export function describeBreaker(breaker: BreakerView): string {
  const why = breaker.reason === undefined ? '' : ` (${REASONS[breaker.reason]})`;
  const stats = breaker.stats;
  const counts: string[] = [];
  if (stats !== undefined) {
    const failures = stats.failureWindow;
    if (failures !== undefined && failures.calls > 0)
      counts.push(
        `${failures.failures} of ${failures.calls} calls failed (${pct(failures.ratio)}) in its window`,
      );
    const slow = stats.slowCallWindow;
    if (slow !== undefined && slow.calls > 0 && slow.slowCalls > 0)
      counts.push(`${slow.slowCalls} of ${slow.calls} calls slow (${pct(slow.ratio)})`);
    if (stats.consecutiveFailures > 0) counts.push(`${stats.consecutiveFailures} failures in a row`);
    if (counts.length === 0 && stats.calls > 0)
      counts.push(`${stats.failures} of ${stats.calls} calls failed since it was created`);
    if (stats.rejections > 0) counts.push(`${stats.rejections} calls refused`);
  }
  return `circuit breaker ${breaker.name} is ${breaker.state}${why}${counts.length === 0 ? '' : `: ${counts.join(', ')}`}`;
}

/**
 * Whether a check is about a dependency the service calls: not the process itself (`system`), not the
 * service's own SLO budget, and not a mirror of a circuit breaker (the breaker speaks for itself).
 */
export function isDependencyCheck(check: CheckResult): boolean {
  return (
    check.componentType !== 'system' &&
    check.measurement !== 'budgetRemaining' &&
    check.measurement !== 'state'
  );
}

/** A failing or warning check, in a phrase: `health check database fails (connection refused)`. */
export function describeCheck(check: CheckResult, exposeDetails: boolean): string {
  const verb = check.status === 'fail' ? 'fails' : 'warns';
  const output = exposeDetails && check.output !== undefined ? ` (${check.output})` : '';
  return `health check ${check.name} ${verb}${output}`;
}
