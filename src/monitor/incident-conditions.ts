import type { CheckResult } from '../health/index.js';
import type { Alert, Severity } from '../incidents/index.js';
import { BURN_RATE_WINDOWS, type SloSnapshot, type SloStatus } from '../slo/index.js';
import { describeBreaker, type BreakerView } from './dependency-state.js';
import { describeMs, fmt, pct } from './format.js';
import type { AutoIncidentOptions } from './types.js';

// The state of each source of automatic incidents, read as a condition: an SLO burning its budget, a
// circuit breaker that is not closed, a critical health check failing. Conditions are levels, not
// edges: the monitor compares them with the incidents it holds on every evaluation, so state present
// at start is seen like a change, and a source that went away (an unregistered check) is seen too.

/** An alert the monitor raises: always deduplicated by a stable key. */
export type MonitorAlert = Alert & { readonly dedupKey: string };

/** A source's state now, as the alert that stands for it. */
export interface Condition {
  /** The incident's dedup key: `slo:<name>:page`, `slo:<name>:ticket`, `breaker:<name>`, `check:<name>`. */
  readonly key: string;
  /** Whether the problem is present now. */
  readonly active: boolean;
  /** The severity the incident opens with. */
  readonly severity: Severity;
  /** The alert (its `status` is set when raised). */
  readonly alert: Omit<MonitorAlert, 'status'>;
  /** Who or what is affected and how, now (the incident's `impact`). */
  readonly impact: string;
  /** Why, when the source can tell (the incident's `rootCause`). */
  readonly rootCause?: string;
  /** How bad it is, on a scale that only matters for "worse than before" (peak burn, failed calls). */
  readonly magnitude: number;
  /** The source, in a phrase: `Critical health check db`. */
  readonly subject: string;
  /** What recovery looks like, in a phrase: `passes again`. */
  readonly recovered: string;
  /** The source is gone (a check unregistered): resolve now, for this reason, without waiting. */
  readonly gone?: string;
}

/** The severity each source opens with (`false`: no incidents from it). */
type Auto = Required<AutoIncidentOptions>;

/**
 * An SLO's page and ticket conditions. The burn is the long window's of the firing alert (the
 * tracker's own figure for a standard window, else summed from its snapshot); the share of requests
 * missing the objective is burn × (1 − target).
 */
export function sloConditions(
  service: string,
  status: SloStatus,
  auto: Auto,
  snapshot: SloSnapshot | undefined,
): Condition[] {
  const out: Condition[] = [];
  for (const kind of ['page', 'ticket'] as const) {
    const severity = kind === 'page' ? auto.sloPage : auto.sloTicket;
    if (severity === false) continue;
    const key = `slo:${status.name}:${kind}`;
    const alerts = status.alerts.filter((a) => a.severity === kind);
    if (alerts.length === 0) continue;
    const firing = alerts.filter((a) => a.firing);
    let burn = 0;
    let windowMs = alerts[0]?.longWindowMs ?? 0;
    for (const alert of firing.length > 0 ? firing : alerts) {
      const rate = burnOver(status, alert.longWindowMs, snapshot);
      if (rate >= burn) {
        burn = rate;
        windowMs = alert.longWindowMs;
      }
    }
    const failing = Math.min(1, burn * (1 - status.target));
    out.push({
      key,
      active: firing.length > 0,
      severity,
      alert: {
        name: kind === 'page' ? 'SloErrorBudgetBurnFast' : 'SloErrorBudgetBurnSlow',
        severity: kind === 'page' ? 'critical' : 'warning',
        service,
        summary: `SLO ${status.name} is burning its error budget ${kind === 'page' ? 'fast' : 'slowly'} (${kind})`,
        description: `Burn rate ${fmt(burn)}× over ${describeMs(windowMs)}: ${pct(failing)} of requests missing the objective against the ${pct(1 - status.target)} allowed.`,
        dedupKey: key,
        labels: { slo: status.name, alert: kind },
        source: 'slo',
      },
      impact: `${pct(failing)} of requests missing the objective (burn rate ${fmt(burn)}× over ${describeMs(windowMs)})`,
      magnitude: burn,
      subject: `SLO ${status.name}'s ${kind} alert`,
      recovered: 'stopped firing',
    });
  }
  return out;
}

function burnOver(status: SloStatus, windowMs: number, snapshot: SloSnapshot | undefined): number {
  for (const [name, ms] of Object.entries(BURN_RATE_WINDOWS))
    if (ms === windowMs) return status.burnRates[name as keyof typeof BURN_RATE_WINDOWS];
  return snapshot === undefined ? status.burnRates['5m'] : windowBurn(snapshot, status.target, windowMs);
}

/**
 * The burn rate over the last `windowMs` of a snapshot, from the finest tier that spans the window
 * (whole buckets: the window is read to the tier's granularity).
 */
export function windowBurn(snapshot: SloSnapshot, target: number, windowMs: number): number {
  let tier: SloSnapshot['tiers'][number] | undefined;
  for (const t of snapshot.tiers)
    if (t.granularityMs * t.size >= windowMs && (tier === undefined || t.granularityMs < tier.granularityMs))
      tier = t;
  if (tier === undefined || !(target < 1)) return 0;
  const from = snapshot.takenAtMs - windowMs;
  let good = 0;
  let total = 0;
  for (const [index, g, t] of tier.buckets)
    if ((index + 1) * tier.granularityMs > from) {
      good += g;
      total += t;
    }
  return total === 0 ? 0 : (total - good) / total / (1 - target);
}

/** A breaker's condition: active while it is not closed, naming the dependency and why. */
export function breakerCondition(service: string, breaker: BreakerView, auto: Auto): Condition | undefined {
  const severity = auto.breakerOpen;
  if (severity === false) return undefined;
  const key = `breaker:${breaker.name}`;
  const described = describeBreaker(breaker);
  const stats = breaker.stats;
  return {
    key,
    active: breaker.state !== 'closed',
    severity,
    alert: {
      name: 'CircuitBreakerOpen',
      severity: 'warning',
      service,
      summary: `Circuit breaker ${breaker.name} is open: calls to its dependency are refused`,
      description: `The ${described}.`,
      dedupKey: key,
      labels: { breaker: breaker.name },
      source: 'breaker',
    },
    impact: `Calls to dependency ${breaker.name} fail or are refused: ${described}`,
    rootCause:
      breaker.reason === undefined
        ? `Dependency ${breaker.name} is failing (the breaker was already ${breaker.state} when the monitor first saw it)`
        : `Dependency ${breaker.name} is failing: ${described}`,
    magnitude: stats === undefined ? 0 : stats.failures + stats.rejections,
    subject: `Circuit breaker ${breaker.name}`,
    recovered: 'closed',
  };
}

/** A critical check's condition: active while it fails. Non-critical checks raise no incident. */
export function checkCondition(service: string, check: CheckResult, auto: Auto): Condition | undefined {
  const severity = auto.criticalCheckFail;
  if (severity === false || !check.critical) return undefined;
  const key = `check:${check.name}`;
  const output = check.output === undefined ? '' : `: ${check.output}`;
  return {
    key,
    active: check.status === 'fail',
    severity,
    alert: {
      name: 'CriticalHealthCheckFailing',
      severity: 'critical',
      service,
      summary: `Critical health check ${check.name} is failing${output}`,
      dedupKey: key,
      labels: { check: check.name },
      source: 'health',
    },
    impact: `Critical health check ${check.name} fails${output}: the service reports itself unhealthy and not ready`,
    ...(check.output === undefined ? {} : { rootCause: check.output }),
    magnitude: 0,
    subject: `Critical health check ${check.name}`,
    recovered: 'passes again',
  };
}

/** The condition of a critical check that no longer exists: resolve its incident at once. */
export function goneCheckCondition(
  service: string,
  name: string,
  auto: Auto,
  reason: string,
): Condition | undefined {
  const severity = auto.criticalCheckFail;
  if (severity === false) return undefined;
  const key = `check:${name}`;
  return {
    key,
    active: false,
    severity,
    alert: {
      name: 'CriticalHealthCheckFailing',
      severity: 'critical',
      service,
      summary: `Critical health check ${name} ${reason}`,
      dedupKey: key,
      labels: { check: name },
      source: 'health',
    },
    impact: '',
    magnitude: 0,
    subject: `Critical health check ${name}`,
    recovered: 'passes again',
    gone: `Critical health check ${name} ${reason}`,
  };
}
