// The few distribution functions the canary tests need, written out so the judge has no numeric
// dependency: the standard normal's tail and quantile, and the binomial quantile (exact in the tail
// where the normal approximation is poor).

// Numerical Recipes' erfc coefficients, highest power first for Horner's rule.
const ERFC = [
  0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196,
  1.00002368, -1.26551223,
];

/** P(Z > z) for a standard normal Z, with relative error below 1.2e-7 (Numerical Recipes' erfc). */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x + poly(ERFC, t));
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

// Acklam's rational approximation of the normal quantile (relative error below 1.2e-9).
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function poly(coefficients: readonly number[], x: number): number {
  let out = 0;
  for (const c of coefficients) out = out * x + c;
  return out;
}

/** The z with P(Z <= z) = p for a standard normal Z, for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1))
    return p === 0 ? Number.NEGATIVE_INFINITY : p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(C, q) / (poly(D, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(C, q) / (poly(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / (poly(B, r) * r + 1);
}

/** Where the binomial is summed term by term: its smaller tail's mean is at most this. */
const EXACT_TAIL_MEAN = 200;

/**
 * The smallest j with P(X <= j) >= prob for X ~ Binomial(n, p): exact (summed term by term) when the
 * smaller tail's mean n·min(p, 1 - p) is at most 200, where the distribution is skewed; otherwise the
 * normal approximation with continuity correction, whose skew there is below 0.07.
 */
export function binomialQuantile(n: number, p: number, prob: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n * Math.min(p, 1 - p) > EXACT_TAIL_MEAN) {
    const mean = n * p;
    const j = Math.ceil(mean + normalQuantile(prob) * Math.sqrt(mean * (1 - p)) - 0.5);
    return Math.min(n, Math.max(0, j));
  }
  if (p <= 0.5) return smallestAtLeast(n, p, prob);
  // X = n - Y with Y ~ Binomial(n, 1 - p): P(X <= j) = P(Y >= n - j) = 1 - P(Y <= n - j - 1).
  // The smallest j with P(Y <= n - j - 1) <= 1 - prob is n - 1 - (the largest y with P(Y <= y) <= 1 - prob).
  return n - 1 - largestAtMost(n, 1 - p, 1 - prob);
}

// min{j : P(Y <= j) >= prob}, Y ~ Binomial(n, p), summing from 0 (p small, so few terms).
function smallestAtLeast(n: number, p: number, prob: number): number {
  let term = Math.exp(n * Math.log1p(-p));
  let cdf = term;
  let j = 0;
  const odds = p / (1 - p);
  while (cdf < prob && j < n) {
    term *= ((n - j) / (j + 1)) * odds;
    j++;
    cdf += term;
  }
  return j;
}

// max{y : P(Y <= y) <= prob}, Y ~ Binomial(n, p); -1 when even P(Y = 0) exceeds prob.
function largestAtMost(n: number, p: number, prob: number): number {
  let term = Math.exp(n * Math.log1p(-p));
  let cdf = term;
  if (cdf > prob) return -1;
  let y = 0;
  const odds = p / (1 - p);
  while (y < n) {
    term *= ((n - y) / (y + 1)) * odds;
    if (cdf + term > prob) return y;
    cdf += term;
    y++;
  }
  return n;
}
