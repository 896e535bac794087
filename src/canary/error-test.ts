import { normalQuantile } from './distributions.js';

// The error-rate test: anytime-valid, so a judge asked every minute keeps its false-fail rate.
//
// Each request goes to the canary with probability ρ (its traffic share) and fails with its arm's error
// rate. Given that a request failed, it came from the canary with probability
//   θ(r) = ρ·r / (ρ·r + 1 − ρ),  r = canary error rate / baseline error rate,
// whatever the base rate does over time (a traffic dip or a downstream outage moves both arms alike;
// Lindon & Malek, "Anytime-valid inference for multinomial count data", NeurIPS 2022). Under "the canary
// is no worse" (r ≤ 1) the likelihood ratio of any r > 1 against r = 1, over the failed requests seen so
// far, is a nonnegative supermartingale; so is a mixture of them. By Ville's inequality it ever reaches
// 1/α with probability at most α, however often it is looked at: that mixture is the e-value.
//
// The mixture puts equal weight on 30 ratios r from 1.05 to 20 (evenly spaced in log r). ρ is read
// from the request counts, which assumes the split stayed the same over the counts judged (a rollout
// gate judges each step's counts on their own).

/** The ratios r the mixture spreads its weight over: e^(0.05 + 0.1k), k = 0..29 (1.05 to 20.1). */
const LOG_RATIOS = Array.from({ length: 30 }, (_, k) => 0.05 + 0.1 * k);
/** The largest log e-value reported (e^690 ≈ 1e299), so it stays a finite JSON number. */
const MAX_LOG_E = 690;

/** One arm's requests and the failed ones among them. */
export interface ErrorCounts {
  readonly requests: number;
  readonly errors: number;
}

/** What {@link errorRateTest} finds. */
export interface ErrorRateTest {
  /** The mixture e-value against "the canary's error rate is no higher" (≥ 1/α: significant at α). */
  readonly eValue: number;
  readonly baselineRate: number;
  readonly canaryRate: number;
  /** canaryRate − baselineRate. */
  readonly increase: number;
  /** Agresti–Caffo interval of the increase, each side at level `alpha`. */
  readonly interval: readonly [number, number];
  /** The canary's share of requests, ρ. */
  readonly share: number;
}

/** The e-value and the interval of a canary's error rate against its baseline's. */
export function errorRateTest(baseline: ErrorCounts, canary: ErrorCounts, alpha: number): ErrorRateTest {
  const baselineRate = baseline.requests === 0 ? 0 : baseline.errors / baseline.requests;
  const canaryRate = canary.requests === 0 ? 0 : canary.errors / canary.requests;
  const share = canary.requests / (canary.requests + baseline.requests);
  return {
    eValue: Math.exp(logMixtureE(canary.errors, baseline.errors + canary.errors, share)),
    baselineRate,
    canaryRate,
    increase: canaryRate - baselineRate,
    interval: agrestiCaffo(baseline, canary, alpha),
    share,
  };
}

// log of (1/K) Σ_k LR(r_k), LR(r) = (θ(r)/ρ)^x ((1 − θ(r))/(1 − ρ))^(m − x), by log-sum-exp.
function logMixtureE(x: number, m: number, share: number): number {
  if (m === 0 || !(share > 0 && share < 1)) return 0;
  const logShare = Math.log(share);
  const logRest = Math.log1p(-share);
  let max = Number.NEGATIVE_INFINITY;
  const terms = new Float64Array(LOG_RATIOS.length);
  for (let k = 0; k < LOG_RATIOS.length; k++) {
    const r = Math.exp(LOG_RATIOS[k] as number);
    const theta = (share * r) / (share * r + 1 - share);
    const term = x * (Math.log(theta) - logShare) + (m - x) * (Math.log1p(-theta) - logRest);
    terms[k] = term;
    if (term > max) max = term;
  }
  let sum = 0;
  for (const term of terms) sum += Math.exp(term - max);
  return Math.min(MAX_LOG_E, max + Math.log(sum / LOG_RATIOS.length));
}

// Agresti & Caffo (2000): add one failure and one success to each arm, then the Wald interval.
function agrestiCaffo(baseline: ErrorCounts, canary: ErrorCounts, alpha: number): [number, number] {
  const pb = (baseline.errors + 1) / (baseline.requests + 2);
  const pc = (canary.errors + 1) / (canary.requests + 2);
  const se = Math.sqrt((pb * (1 - pb)) / (baseline.requests + 2) + (pc * (1 - pc)) / (canary.requests + 2));
  const z = normalQuantile(1 - alpha);
  const centre = pc - pb;
  return [Math.max(-1, centre - z * se), Math.min(1, centre + z * se)];
}
