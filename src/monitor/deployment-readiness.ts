import type { PerformanceBudgetReport, RolloutStatus } from '../canary/index.js';
import type { HealthCheckResult } from '../health/index.js';
import type { Incident } from '../incidents/index.js';
import type { CircuitBreaker } from '../resilience/index.js';
import type { SloStatus } from '../slo/index.js';
import { describeMs, iso, pct } from './format.js';
import { bySeverity } from './open-incidents.js';
import type { DeploymentReadiness } from './report-schemas.js';

/** What a deployment readiness verdict is judged on. */
export interface ReadinessInput {
  readonly statuses: readonly SloStatus[];
  /** Every open incident: each P1 and P2 blocks, however many lower ones are open. */
  readonly openIncidents: readonly Incident[];
  /**
   * For an automatic incident whose signal is clear but which waits out `resolveAfterMs`: how long it
   * has been clear. Stated in the reason, so the verdict says when it will lift.
   */
  readonly recovering?: {
    readonly clearFor: (dedupKey: string) => number | undefined;
    readonly resolveAfterMs: number;
  };
  /** The health checks' result, the error that stopped them, or `undefined` without a registry. */
  readonly checks: { readonly result: HealthCheckResult } | { readonly error: unknown } | undefined;
  readonly breakers: readonly Pick<CircuitBreaker, 'name' | 'state'>[];
  /** Every rollout gate's status: one running with a failing latest verdict blocks. */
  readonly rollouts?: readonly RolloutStatus[];
  /** The performance budgets' report (any route over budget blocks), or the error that stopped it. */
  readonly performance?:
    { readonly report: PerformanceBudgetReport } | { readonly error: unknown } | undefined;
  /** Wall time of the verdict, epoch ms. */
  readonly checkedAt: number;
}

/** Open P1/P2 incidents named one by one; the rest are counted in one more reason. */
const MAX_LISTED_BLOCKING = 20;

/** Whether to ship now, with one sentence per reason not to. */
export function deploymentReadiness(input: ReadinessInput): DeploymentReadiness {
  const reasons: string[] = [];
  for (const status of input.statuses) {
    if (status.total > 0 && status.budget.remaining <= 0)
      reasons.push(
        `Change freeze: SLO ${status.name} has exhausted its error budget (${pct(status.budget.consumed)} consumed); only fixes and rollbacks should ship.`,
      );
    const page = status.alerts.find((a) => a.firing && a.severity === 'page');
    if (page !== undefined)
      reasons.push(
        `SLO ${status.name} has a page alert firing (burn rate above ${page.burnRate}× over ${describeMs(page.longWindowMs)}).`,
      );
  }
  const blocking = bySeverity(input.openIncidents).filter((i) => i.severity === 'P1' || i.severity === 'P2');
  for (const incident of blocking.slice(0, MAX_LISTED_BLOCKING)) {
    const clear = incident.dedupKey === undefined ? undefined : input.recovering?.clearFor(incident.dedupKey);
    const recovering =
      clear === undefined || input.recovering === undefined
        ? ''
        : ` (its signal has been clear for ${describeMs(clear)}; it resolves once clear for ${describeMs(input.recovering.resolveAfterMs)})`;
    reasons.push(
      `Incident ${incident.id} (${incident.severity}) is still open: ${incident.title}${recovering}.`,
    );
  }
  if (blocking.length > MAX_LISTED_BLOCKING)
    reasons.push(`${blocking.length - MAX_LISTED_BLOCKING} more open P1/P2 incidents are not listed.`);
  const { checks } = input;
  if (checks !== undefined) {
    if ('result' in checks) {
      for (const check of checks.result.checks)
        if (check.critical && check.status === 'fail')
          reasons.push(
            // The check's own error text only where the registry allows details (it may name hosts).
            `Critical health check ${check.name} is failing${
              !checks.result.exposeDetails || check.output === undefined ? '' : ` (${check.output})`
            }.`,
          );
    } else {
      const { error } = checks;
      reasons.push(
        `The health checks could not run: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
  }
  for (const breaker of input.breakers)
    if (breaker.state === 'open' || breaker.state === 'isolated')
      reasons.push(`Circuit breaker ${breaker.name} is ${breaker.state}.`);
  for (const rollout of input.rollouts ?? [])
    if (rollout.state === 'running' && rollout.lastVerdict?.verdict === 'fail')
      reasons.push(
        `Canary ${rollout.name}${rollout.version === undefined ? '' : ` (${rollout.version})`} is failing at ${rollout.weight} % of traffic: ${rollout.lastVerdict.why}`,
      );
  const performance = input.performance;
  if (performance !== undefined) {
    if ('report' in performance) {
      for (const route of performance.report.routes)
        if (route.status === 'over') reasons.push(`Performance budget: ${route.why}`);
    } else {
      const { error } = performance;
      reasons.push(
        `The performance budgets could not be read: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
  }
  return { ready: reasons.length === 0, reasons, checkedAt: iso(input.checkedAt) };
}
