import type { LatencyHistogram } from '../latency/index.js';
import { normalQuantile, normalUpperTail } from './distributions.js';

// The latency shift test: Mann-Whitney U with the tie correction, and the Hodges–Lehmann estimate of the
// ratio canary / baseline with its interval, computed on HDR bucket counts in O(buckets): each bucket is
// a point mass at its midpoint, so every value in one bucket ties (two histograms of one precision share
// their edges, so values in the same bucket of either arm tie too).
//
// U counts the (canary, baseline) pairs where the canary value is larger, ties counting one half. The
// ratio estimate is the k for which the canary's values divided by k are as often above as below the
// baseline's (U = n_b·n_c / 2); its interval is the k's where U stays within z·σ of that, by the
// usual test inversion. A ratio rather than a difference: latency shifts multiply.

/** What {@link rankTest} finds. */
export interface RankTest {
  /** U: pairs where the canary is slower, ties counting one half. */
  readonly u: number;
  /** The standardised U (tie-corrected, with continuity correction). */
  readonly z: number;
  /** One-sided p-value for "the canary is slower". */
  readonly pValue: number;
  /** Hodges–Lehmann estimate of canary / baseline latency. */
  readonly ratio: number;
  /** Its interval, each side at level `alpha`. */
  readonly interval: readonly [number, number];
}

/**
 * Where bisection over log k stops: a ratio known to 0.01 %, finer than the 1 % buckets of a 2-digit
 * histogram (U only changes at ratios of two bucket midpoints anyway).
 */
const LOG_PRECISION = 1e-4;
/** A bound on the bisection steps, whatever the range. */
const MAX_STEPS = 64;

/** Mann-Whitney U and the Hodges–Lehmann ratio of `canary` against `baseline` (both non-empty). */
export function rankTest(baseline: LatencyHistogram, canary: LatencyHistogram, alpha: number): RankTest {
  const b = points(baseline);
  const c = points(canary);
  const nb = baseline.count;
  const nc = canary.count;
  const n = nb + nc;
  const mean = (nb * nc) / 2;
  const ties = tieSum(b, c);
  const variance = ((nb * nc) / 12) * (n + 1 - ties / (n * (n - 1)));
  const sigma = variance > 0 ? Math.sqrt(variance) : 0;
  const u = uAt(b, c, 1);
  const z = sigma === 0 ? 0 : (u - mean - 0.5 * Math.sign(u - mean)) / sigma;
  const width = normalQuantile(1 - alpha) * sigma;
  const ratio = crossing(b, c, mean);
  return {
    u,
    z,
    pValue: sigma === 0 ? (u > mean ? 0 : 1) : normalUpperTail(z),
    ratio,
    interval: sigma === 0 ? [ratio, ratio] : [crossing(b, c, mean + width), crossing(b, c, mean - width)],
  };
}

interface Points {
  readonly values: Float64Array;
  readonly counts: Float64Array;
}

function points(histogram: LatencyHistogram): Points {
  const values = new Float64Array(histogram.counts.length);
  for (let i = 0; i < values.length; i++)
    values[i] = ((histogram.lowMs[i] as number) + (histogram.highMs[i] as number)) / 2;
  return { values, counts: histogram.counts };
}

// Σ (t³ − t) over groups of tied values, both arms merged.
function tieSum(b: Points, c: Points): number {
  let sum = 0;
  let i = 0;
  let j = 0;
  while (i < b.values.length || j < c.values.length) {
    const vb = i < b.values.length ? (b.values[i] as number) : Number.POSITIVE_INFINITY;
    const vc = j < c.values.length ? (c.values[j] as number) : Number.POSITIVE_INFINITY;
    let t = 0;
    if (vb <= vc) t += b.counts[i++] as number;
    if (vc <= vb) t += c.counts[j++] as number;
    sum += t * t * t - t;
  }
  return sum;
}

// U of the canary's values divided by k against the baseline's, in one merge of the sorted buckets.
function uAt(b: Points, c: Points, k: number): number {
  let u = 0;
  let j = 0;
  let below = 0;
  for (let i = 0; i < c.values.length; i++) {
    const v = (c.values[i] as number) / k;
    while (j < b.values.length && (b.values[j] as number) < v) below += b.counts[j++] as number;
    const equal = j < b.values.length && b.values[j] === v ? (b.counts[j] as number) : 0;
    u += (c.counts[i] as number) * (below + equal / 2);
  }
  return u;
}

// The k where U(k), which only falls as k grows, crosses `target`: bisection over log k between the
// smallest and the largest ratio of a canary value to a baseline value.
function crossing(b: Points, c: Points, target: number): number {
  const lowest = Math.max(c.values[0] as number, Number.MIN_VALUE);
  const highest = Math.max(c.values[c.values.length - 1] as number, Number.MIN_VALUE);
  const bLowest = Math.max(b.values[0] as number, Number.MIN_VALUE);
  const bHighest = Math.max(b.values[b.values.length - 1] as number, Number.MIN_VALUE);
  let lo = Math.log(lowest / bHighest) - 1e-9;
  let hi = Math.log(highest / bLowest) + 1e-9;
  if (!(hi > lo)) return Math.exp(lo);
  for (let step = 0; step < MAX_STEPS && hi - lo > LOG_PRECISION; step++) {
    const mid = (lo + hi) / 2;
    if (uAt(b, c, Math.exp(mid)) > target) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}
