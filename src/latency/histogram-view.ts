import type { CountsBlock } from './counts-block.js';
import type { HdrLayout } from './hdr-engine.js';

/** What a query reads: dense counts plus the exact side figures (a lifetime block or a sum of blocks). */
export interface HistogramView {
  readonly dense: ArrayLike<number> | null;
  readonly count: number;
  readonly sumUs: number;
  readonly minUs: number;
  readonly maxUs: number;
  readonly bands: ArrayLike<number>;
}

/**
 * A reusable sum of blocks (several slices, several keys), so window and all-keys queries read one
 * dense array. Cold path: allocated once per tracker, zeroed over the range it used.
 */
export class Accumulator implements HistogramView {
  readonly dense: Float64Array;
  readonly bands: Float64Array;
  count = 0;
  sumUs = 0;
  minUs = Number.POSITIVE_INFINITY;
  maxUs = -1;
  readonly #layout: HdrLayout;

  constructor(layout: HdrLayout, bandCount: number) {
    this.#layout = layout;
    this.dense = new Float64Array(layout.length);
    this.bands = new Float64Array(bandCount);
  }

  reset(): this {
    if (this.count > 0)
      this.dense.fill(0, this.#layout.indexOf(this.minUs), this.#layout.indexOf(this.maxUs) + 1);
    this.bands.fill(0);
    this.count = 0;
    this.sumUs = 0;
    this.minUs = Number.POSITIVE_INFINITY;
    this.maxUs = -1;
    return this;
  }

  add(block: CountsBlock): void {
    if (block.count === 0) return;
    const dense = this.dense;
    if (block.dense !== null) {
      const source = block.dense;
      const to = this.#layout.indexOf(block.maxUs);
      for (let i = this.#layout.indexOf(block.minUs); i <= to; i++)
        dense[i] = (dense[i] as number) + (source[i] as number);
    } else if (block.sparseIndex !== null && block.sparseCount !== null) {
      const index = block.sparseIndex;
      const counts = block.sparseCount;
      for (let k = 0; k < index.length; k++) {
        const i = index[k] as number;
        dense[i] = (dense[i] as number) + (counts[k] as number);
      }
    }
    for (let j = 0; j < this.bands.length; j++)
      this.bands[j] = (this.bands[j] as number) + (block.bands[j] as number);
    this.count += block.count;
    this.sumUs += block.sumUs;
    if (block.minUs < this.minUs) this.minUs = block.minUs;
    if (block.maxUs > this.maxUs) this.maxUs = block.maxUs;
  }
}

// One unit in the last place of x, as hdr-histogram-js computes it for its percentile rounding.
const ulp = (x: number): number => Math.pow(2, Math.floor(Math.log2(x)) - 52);

/**
 * Writes into `out[k]` the value in µs at percentile `percentiles[k]` (ascending, 0..100), with
 * HdrHistogram's definition: the highest value equivalent to the first bucket where the cumulative count
 * reaches ceil(p% of total) (the lowest for p = 0), then clamped to the exact min and max seen.
 * Percentiles in the lower half are found scanning up from the min, the rest scanning down from the max,
 * so a p99 reads only the tail.
 */
export function valuesAtPercentiles(
  layout: HdrLayout,
  view: HistogramView,
  percentiles: ArrayLike<number>,
  out: { [k: number]: number },
): void {
  const n = percentiles.length;
  const total = view.count;
  if (total === 0 || view.dense === null) {
    for (let k = 0; k < n; k++) out[k] = 0;
    return;
  }
  const dense = view.dense;
  const from = layout.indexOf(view.minUs);
  const to = layout.indexOf(view.maxUs);
  let split = 0;
  while (split < n && targetCount(percentiles[split] as number, total) <= total / 2) split++;
  // Lower half, ascending: the first index whose cumulative count reaches the target.
  let i = from;
  let cumulative = 0;
  for (let k = 0; k < split; k++) {
    const target = targetCount(percentiles[k] as number, total);
    while (cumulative < target && i <= to) cumulative += dense[i++] as number;
    out[k] = valueAt(layout, view, i - 1, percentiles[k] as number);
  }
  // Upper half, descending: cumulative(i) = total - above, and we stop where cumulative(i - 1) < target.
  let j = to;
  let above = 0;
  for (let k = n - 1; k >= split; k--) {
    const target = targetCount(percentiles[k] as number, total);
    while (j > from && total - above - (dense[j] as number) >= target) above += dense[j--] as number;
    out[k] = valueAt(layout, view, j, percentiles[k] as number);
  }
}

function targetCount(percentile: number, total: number): number {
  const fp = (Math.min(percentile, 100) / 100) * total;
  // Round up, but not past an exact integer that floating-point error nudged up by one ulp.
  return Math.max(Math.ceil(fp - ulp(fp)), 1);
}

function valueAt(layout: HdrLayout, view: HistogramView, index: number, percentile: number): number {
  const value = percentile === 0 ? layout.lowestAt(index) : layout.highestAt(index);
  return Math.min(Math.max(value, view.minUs), view.maxUs);
}

/**
 * Cumulative counts at each index of `indices` (ascending): the number of values in buckets up to and
 * including that index, in one scan.
 */
export function cumulativeAtIndices(
  layout: HdrLayout,
  view: HistogramView,
  indices: ArrayLike<number>,
  out: { [k: number]: number },
): void {
  const n = indices.length;
  if (view.count === 0 || view.dense === null) {
    for (let k = 0; k < n; k++) out[k] = 0;
    return;
  }
  const dense = view.dense;
  const to = layout.indexOf(view.maxUs);
  let i = layout.indexOf(view.minUs);
  let cumulative = 0;
  for (let k = 0; k < n; k++) {
    const last = Math.min(indices[k] as number, to);
    while (i <= last) cumulative += dense[i++] as number;
    out[k] = cumulative;
  }
}
