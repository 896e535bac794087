import type { LatencyHistogram } from '../latency/index.js';
import { binomialQuantile } from './distributions.js';

// The quantile check: distribution-free confidence bounds on each arm's q-quantile from its order
// statistics (the count of values below the true quantile is Binomial(n, q)), read off the HDR buckets
// conservatively: a lower bound takes its bucket's lowest value, an upper bound its highest. It catches
// what a rank test cannot: a canary with the same median and a longer tail (a variance increase) moves
// its p99 and nothing else.

/** One arm's q-quantile: the estimate and its bounds (`null` where the arm has too few values). */
export interface QuantileBounds {
  /** The bucket midpoint at rank ceil(n·q), ms. */
  readonly estimate: number;
  /** A value the quantile is above with probability at least 1 − β, or `null` when none is. */
  readonly lower: number | null;
  /** A value the quantile is below with probability at least 1 − β, or `null` when none is. */
  readonly upper: number | null;
}

/** The q-quantile of `histogram` (non-empty) with bounds each holding with probability at least 1 − β. */
export function quantileBounds(histogram: LatencyHistogram, q: number, beta: number): QuantileBounds {
  const n = histogram.count;
  // P(X_(l) <= ξ) = P(B >= l) and P(X_(u) >= ξ) = P(B <= u − 1), with B ~ Binomial(n, q).
  const lowRank = binomialQuantile(n, q, beta);
  const highRank = binomialQuantile(n, q, 1 - beta) + 1;
  const estimateRank = Math.max(1, Math.ceil(n * q));
  const estimateAt = bucketAtRank(histogram, estimateRank);
  return {
    estimate: ((histogram.lowMs[estimateAt] as number) + (histogram.highMs[estimateAt] as number)) / 2,
    lower: lowRank < 1 ? null : (histogram.lowMs[bucketAtRank(histogram, lowRank)] as number),
    upper: highRank > n ? null : (histogram.highMs[bucketAtRank(histogram, highRank)] as number),
  };
}

// The bucket holding the value of rank `rank` (1-based) in ascending order.
function bucketAtRank(histogram: LatencyHistogram, rank: number): number {
  let cumulative = 0;
  const last = histogram.counts.length - 1;
  for (let i = 0; i < last; i++) {
    cumulative += histogram.counts[i] as number;
    if (cumulative >= rank) return i;
  }
  return last;
}
