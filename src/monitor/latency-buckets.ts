// The latency buckets the monitor's history keeps: fixed boundaries, per-bucket counts, percentiles
// read from them, and a histogram that holds only the range of buckets a route has used.

/** Latency bucket upper bounds (ms): 0.25 ms × 2^(k/3), three per doubling, up to about 64 s. */
export const LATENCY_BOUNDARIES_MS: readonly number[] = Object.freeze(
  Array.from({ length: 55 }, (_, k) => Number((0.25 * 2 ** (k / 3)).toPrecision(3))),
);
/** Buckets: one per boundary, and one above the last. */
export const BUCKETS = LATENCY_BOUNDARIES_MS.length + 1;

/**
 * Per-bucket counts from a tracker's cumulative counts at {@link LATENCY_BOUNDARIES_MS} (`cumulative[i]`
 * values at or below boundary i) and its whole count `total`.
 */
export function toBucketCounts(cumulative: readonly number[], total: number): Float64Array {
  const counts = new Float64Array(BUCKETS);
  let previous = 0;
  for (let i = 0; i < BUCKETS; i++) {
    const upTo = i < LATENCY_BOUNDARIES_MS.length ? (cumulative[i] ?? total) : total;
    counts[i] = Math.max(0, upTo - previous);
    previous = Math.max(previous, upTo);
  }
  return counts;
}

/** The `q` quantile of bucket counts, linearly interpolated inside its bucket; `null` when empty. */
export function percentileOf(counts: ArrayLike<number>, total: number, q: number): number | null {
  if (!(total > 0)) return null;
  const rank = q * total;
  let seen = 0;
  const last = LATENCY_BOUNDARIES_MS.length - 1;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c <= 0) continue;
    if (seen + c >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BOUNDARIES_MS[Math.min(i - 1, last)]!;
      const upper = LATENCY_BOUNDARIES_MS[Math.min(i, last)]!;
      return lower + ((upper - lower) * Math.max(0, rank - seen)) / c;
    }
    seen += c;
  }
  return LATENCY_BOUNDARIES_MS[last]!;
}

/**
 * One route's latency in one hour: counts over the range of buckets it has used (a route's values
 * rarely spread over more than a dozen of the 56), their exact sum, and their count.
 */
export class RouteHistogram {
  #offset = 0;
  #counts = new Float64Array(0);
  /** Sum of the values, ms. */
  sum = 0;
  /** How many values. */
  count = 0;

  /** Adds `n` values to bucket `index`. */
  add(index: number, n: number): void {
    if (!(n > 0) || index < 0 || index >= BUCKETS) return;
    if (this.#counts.length === 0) {
      this.#offset = index;
      this.#counts = new Float64Array(1);
    } else if (index < this.#offset || index >= this.#offset + this.#counts.length) {
      const from = Math.min(index, this.#offset);
      const to = Math.max(index + 1, this.#offset + this.#counts.length);
      const grown = new Float64Array(to - from);
      grown.set(this.#counts, this.#offset - from);
      this.#offset = from;
      this.#counts = grown;
    }
    this.#counts[index - this.#offset]! += n;
    this.count += n;
  }

  /** Adds its counts into `dense` (length {@link BUCKETS}). */
  addTo(dense: Float64Array): void {
    for (let i = 0; i < this.#counts.length; i++) dense[this.#offset + i]! += this.#counts[i]!;
  }

  /** The non-empty buckets as `[index, count]`. */
  entries(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.#counts.length; i++)
      if (this.#counts[i]! > 0) out.push([this.#offset + i, this.#counts[i]!]);
    return out;
  }
}
