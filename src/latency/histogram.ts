import { decodeSparse, type HdrLayout, type SparseCounts } from './hdr-engine.js';
import type { HistogramView } from './histogram-view.js';

/**
 * A latency distribution as its non-empty HDR buckets, ascending, in milliseconds: what a two-sample
 * comparison (a canary against its baseline) reads in O(buckets) instead of O(values). Bucket `i`
 * counts `counts[i]` values from `lowMs[i]` to `highMs[i]`; two histograms of the same precision share
 * their bucket edges, so equal buckets are exact ties.
 */
export interface LatencyHistogram {
  /** How many values, the sum of `counts`. */
  readonly count: number;
  /** The significant decimal digits the buckets resolve (1 to 5). */
  readonly significantDigits: number;
  /** The lowest value each bucket counts, ms, ascending. */
  readonly lowMs: Float64Array;
  /** The highest value each bucket counts, ms. */
  readonly highMs: Float64Array;
  /** How many values each bucket holds (all > 0). */
  readonly counts: Float64Array;
}

/**
 * The non-empty buckets of a tracker's view. Edges are the buckets' own (not clamped to the min and max
 * seen), so two snapshots of one key line up bucket by bucket and can be subtracted.
 */
export function histogramOfView(layout: HdrLayout, view: HistogramView): LatencyHistogram {
  const dense = view.dense;
  if (view.count === 0 || dense === null) return emptyHistogram(layout.digits);
  const from = layout.indexOf(view.minUs);
  const to = layout.indexOf(view.maxUs);
  let buckets = 0;
  for (let i = from; i <= to; i++) if ((dense[i] as number) > 0) buckets++;
  const lowMs = new Float64Array(buckets);
  const highMs = new Float64Array(buckets);
  const counts = new Float64Array(buckets);
  let k = 0;
  for (let i = from; i <= to; i++) {
    const count = dense[i] as number;
    if (!(count > 0)) continue;
    lowMs[k] = layout.lowestAt(i) / 1000;
    highMs[k] = layout.highestAt(i) / 1000;
    counts[k++] = count;
  }
  return { count: view.count, significantDigits: layout.digits, lowMs, highMs, counts };
}

/**
 * Decodes a latency tracker's `encode()` output (an HdrHistogram V2 compressed base64 string, values in
 * integer µs, from any process or any HdrHistogram implementation) into its non-empty buckets in ms.
 *
 * @example
 * ```ts
 * const histogram = decodeLatencyHistogram(latency.encode('GET /orders/:id'));
 * console.log(histogram.count, histogram.lowMs[0]);
 * ```
 * @throws {SreError} with code `ERR_SRE_INVALID_ENCODING` when `encoded` is not such a histogram.
 */
export function decodeLatencyHistogram(encoded: string): LatencyHistogram {
  return histogramOfSparse(decodeSparse(encoded));
}

function histogramOfSparse(sparse: SparseCounts): LatencyHistogram {
  const n = sparse.counts.length;
  const lowMs = new Float64Array(n);
  const highMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lowMs[i] = (sparse.lowest[i] as number) / 1000;
    highMs[i] = (sparse.highest[i] as number) / 1000;
  }
  return {
    count: sparse.total,
    significantDigits: sparse.digits,
    lowMs,
    highMs,
    counts: sparse.counts,
  };
}

function emptyHistogram(digits: number): LatencyHistogram {
  const none = new Float64Array(0);
  return { count: 0, significantDigits: digits, lowMs: none, highMs: none, counts: none };
}
