import type { LatencyHistogram } from '../latency/index.js';
import { errorRateTest } from './error-test.js';
import { count, ms, percent, points, stat, times } from './format.js';
import type { ParsedCanaryMetric } from './options.js';
import { quantileBounds } from './quantile-test.js';
import { rankTest } from './rank-test.js';
import type { CanaryCheck, CanaryMetricResult } from './verdict.js';

// Each metric's checks and their verdicts. A check fails only on significant evidence of harm beyond
// the metric's tolerance, passes only when its interval rules such harm out, and is otherwise
// inconclusive: a canary with too little data is never passed.

type ErrorRate = Extract<ParsedCanaryMetric, { kind: 'error-rate' }>;
type Latency = Extract<ParsedCanaryMetric, { kind: 'latency' }>;

/** How many tests a metric runs: the judge's false-fail rate is split evenly over all of them. */
export function testsOf(metric: ParsedCanaryMetric): number {
  return metric.kind === 'error-rate' ? 1 : 1 + metric.quantiles.length;
}

/** The error-rate metric: the anytime-valid e-value and the Agresti–Caffo interval of the increase. */
export function judgeErrorRate(
  metric: ErrorRate,
  baseline: { requests: number; errors: number },
  canary: { requests: number; errors: number },
  alpha: number,
): CanaryMetricResult {
  const test = errorRateTest(baseline, canary, alpha);
  const threshold = 1 / alpha;
  const tolerance = metric.maxIncrease;
  const [low, high] = test.interval;
  const rates = `${percent(test.canaryRate)} of ${count(canary.requests)} canary requests failed against ${percent(test.baselineRate)} of ${count(baseline.requests)} baseline requests (${points(test.increase)}, interval ${points(low)} to ${points(high)})`;
  const significant = test.eValue >= threshold;
  const evidence = `e-value ${stat(test.eValue)} ${significant ? '≥' : '<'} ${stat(threshold)}`;
  let verdict: CanaryCheck['verdict'];
  let why: string;
  if (significant && test.increase > tolerance) {
    verdict = 'fail';
    why = `${rates}: higher beyond the ${points(tolerance).slice(1)} tolerance, ${evidence}`;
  } else if (high <= tolerance) {
    verdict = 'pass';
    why = `${rates}: the interval rules out an increase beyond the ${points(tolerance).slice(1)} tolerance`;
  } else {
    verdict = 'inconclusive';
    why = `${rates}: ${significant ? `higher (${evidence}) but within` : `not significantly higher (${evidence}) and the interval reaches past`} the ${points(tolerance).slice(1)} tolerance`;
  }
  const check: CanaryCheck = {
    test: 'e-value',
    verdict,
    statistic: test.eValue,
    pValue: Math.min(1, 1 / test.eValue),
    eValue: test.eValue,
    effect: test.increase,
    confidenceInterval: [low, high],
    alpha,
    why: `${metric.name}: ${why}.`,
  };
  return result(metric, [check], { baseline: baseline.requests, canary: canary.requests });
}

/** The latency metric: the rank test of the typical latency, then each quantile's bounded ratio. */
export function judgeLatency(
  metric: Latency,
  baseline: LatencyHistogram,
  canary: LatencyHistogram,
  alpha: number,
  minSamples: number,
): CanaryMetricResult {
  const n = { baseline: baseline.count, canary: canary.count };
  const short = baseline.count < minSamples ? 'baseline' : canary.count < minSamples ? 'canary' : undefined;
  if (short !== undefined) {
    const why = `${metric.name}: the ${short} has ${count(n[short])} latency values, fewer than the ${count(minSamples)} needed to judge.`;
    return { ...result(metric, [], n), why };
  }
  const tolerance = metric.maxIncreaseRatio;
  const checks: CanaryCheck[] = [rankCheck(metric, baseline, canary, alpha, tolerance)];
  for (const q of metric.quantiles) checks.push(quantileCheck(metric, q, baseline, canary, alpha, tolerance));
  return result(metric, checks, n);
}

function rankCheck(
  metric: Latency,
  baseline: LatencyHistogram,
  canary: LatencyHistogram,
  alpha: number,
  tolerance: number,
): CanaryCheck {
  const test = rankTest(baseline, canary, alpha);
  const [low, high] = test.interval;
  const shift = `typical canary latency ${times(test.ratio)} the baseline's (interval ${times(low)} to ${times(high)}, Mann-Whitney p ${stat(test.pValue)})`;
  let verdict: CanaryCheck['verdict'];
  let why: string;
  if (test.pValue < alpha && test.ratio > tolerance) {
    verdict = 'fail';
    why = `${shift}: significantly slower (p < ${stat(alpha)}), beyond the ${times(tolerance)} tolerance`;
  } else if (high <= tolerance) {
    verdict = 'pass';
    why = `${shift}: within the ${times(tolerance)} tolerance`;
  } else {
    verdict = 'inconclusive';
    why = `${shift}: the interval reaches past the ${times(tolerance)} tolerance`;
  }
  return {
    test: 'mann-whitney',
    verdict,
    statistic: test.z,
    pValue: test.pValue,
    eValue: null,
    effect: test.ratio,
    confidenceInterval: [low, high],
    alpha,
    why: `${metric.name}: ${why}.`,
  };
}

function quantileCheck(
  metric: Latency,
  q: number,
  baseline: LatencyHistogram,
  canary: LatencyHistogram,
  alpha: number,
  tolerance: number,
): CanaryCheck {
  // Each arm's bound at alpha / 2: both hold together with probability at least 1 − alpha.
  const b = quantileBounds(baseline, q, alpha / 2);
  const c = quantileBounds(canary, q, alpha / 2);
  const label = `p${Math.round(q * 1e4) / 100}`;
  const ratio = b.estimate > 0 ? c.estimate / b.estimate : c.estimate > 0 ? Number.MAX_VALUE : 1;
  const low = c.lower === null || b.upper === null || b.upper === 0 ? null : c.lower / b.upper;
  const high = c.upper === null || b.lower === null || b.lower === 0 ? null : c.upper / b.lower;
  const estimates = `${label} ${ms(c.estimate)} against ${ms(b.estimate)} (${times(ratio)})`;
  let verdict: CanaryCheck['verdict'];
  let why: string;
  if (low !== null && low > tolerance) {
    verdict = 'fail';
    why = `${estimates}: the canary's ${label} is at least ${ms(c.lower ?? 0)} and the baseline's at most ${ms(b.upper ?? 0)}, beyond the ${times(tolerance)} tolerance`;
  } else if (high !== null && high <= tolerance) {
    verdict = 'pass';
    why = `${estimates}: at most ${times(high)}, within the ${times(tolerance)} tolerance`;
  } else if (high === null) {
    verdict = 'inconclusive';
    why = `${estimates}: too few values to bound the ${label} of both arms`;
  } else {
    verdict = 'inconclusive';
    why = `${estimates}: the bounds allow up to ${times(high)}, past the ${times(tolerance)} tolerance`;
  }
  return {
    test: 'quantile',
    quantile: q,
    verdict,
    statistic: ratio,
    pValue: null,
    eValue: null,
    effect: ratio,
    confidenceInterval: [low, high],
    alpha,
    why: `${metric.name}: ${why}.`,
  };
}

// A metric's verdict is its worst check's; its figures are the deciding check's (the first failing,
// else the first inconclusive, else the first).
function result(
  metric: ParsedCanaryMetric,
  checks: CanaryCheck[],
  n: { baseline: number; canary: number },
): CanaryMetricResult {
  const deciding =
    checks.find((c) => c.verdict === 'fail') ?? checks.find((c) => c.verdict === 'inconclusive') ?? checks[0];
  return {
    name: metric.name,
    kind: metric.kind,
    verdict: deciding?.verdict ?? 'inconclusive',
    critical: metric.critical,
    weight: metric.weight,
    statistic: deciding?.statistic ?? null,
    pValue: deciding?.pValue ?? null,
    eValue: deciding?.eValue ?? null,
    effect: deciding?.effect ?? null,
    confidenceInterval: deciding?.confidenceInterval ?? null,
    n,
    why: [deciding, ...checks.filter((c) => c !== deciding)]
      .map((c) => c?.why ?? '')
      .join(' ')
      .trim(),
    checks,
  };
}
