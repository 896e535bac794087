import type { CountsArray, DecodedCounts, HdrLayout } from './hdr-engine.js';

// A Uint32 bucket wraps silently at 2^32. A block's total bounds every bucket in it, so the block
// switches to 64-bit counts just before its total could reach that (a long-lived busy key).
const UINT32_LIMIT = 4_294_967_295;

/**
 * The counts of one histogram (a key's lifetime, or one slice of its window) with the exact side
 * figures the buckets cannot give: total, sum, min and max in µs, and per-threshold bands.
 *
 * Invariant: every non-zero index lies in [layout.indexOf(minUs), layout.indexOf(maxUs)], so scans and
 * zeroing can stay inside that range.
 */
export class CountsBlock {
  /** Dense counts in the HdrHistogram layout, or null (empty or stored sparse). */
  dense: CountsArray | null = null;
  /** Sparse form of a frozen window slice: parallel arrays of index and count. */
  sparseIndex: Uint16Array | Uint32Array | null = null;
  sparseCount: CountsArray | null = null;
  count = 0;
  sumUs = 0;
  minUs = Number.POSITIVE_INFINITY;
  maxUs = -1;
  /**
   * bands[j] counts values above threshold j-1 and at or below threshold j (the last band: above all),
   * so "at or below threshold j" is bands[0] + ... + bands[j], exact, with one increment per record.
   */
  readonly bands: Float64Array;
  /** The window slice number this block holds; -1 for lifetime blocks and unused slots. */
  epoch = -1;

  constructor(bandCount: number, dense: CountsArray | null) {
    this.bands = new Float64Array(bandCount);
    this.dense = dense;
  }

  /** Counts one value; `dense` must be set. The hot path: a handful of field writes, no allocation. */
  add(us: number, index: number, band: number): void {
    const dense = this.dense as CountsArray;
    dense[index]!++;
    if (++this.count >= UINT32_LIMIT && dense instanceof Uint32Array) this.dense = Float64Array.from(dense);
    this.sumUs += us;
    if (us < this.minUs) this.minUs = us;
    if (us > this.maxUs) this.maxUs = us;
    this.bands[band]!++;
  }

  /** Adds `count` values, all in the bucket at `index` and the same band, summing to `sumUs`, within [lowUs, highUs]. */
  addRun(index: number, band: number, count: number, sumUs: number, lowUs: number, highUs: number): void {
    this.#reserve(count);
    const dense = this.dense as CountsArray;
    dense[index] = (dense[index] as number) + count;
    this.count += count;
    this.sumUs += sumUs;
    if (lowUs < this.minUs) this.minUs = lowUs;
    if (highUs > this.maxUs) this.maxUs = highUs;
    this.bands[band] = (this.bands[band] as number) + count;
  }

  /** Adds another histogram's decoded counts; `bandOf` maps an index to its threshold band. */
  addDecoded(layout: HdrLayout, decoded: DecodedCounts, bandOf: (index: number) => number): void {
    if (decoded.total === 0) return;
    this.#reserve(decoded.total);
    const dense = this.dense as CountsArray;
    for (let i = decoded.from; i <= decoded.to; i++) {
      const count = decoded.counts[i] as number;
      if (count === 0) continue;
      dense[i] = (dense[i] as number) + count;
      const band = bandOf(i);
      this.bands[band] = (this.bands[band] as number) + count;
    }
    this.count += decoded.total;
    this.sumUs += decoded.sumEstimate;
    const low = layout.lowestAt(decoded.from);
    const high = Math.min(layout.highestAt(decoded.to), layout.highest);
    if (low < this.minUs) this.minUs = low;
    if (high > this.maxUs) this.maxUs = high;
  }

  #reserve(extra: number): void {
    if (this.count + extra >= UINT32_LIMIT && this.dense instanceof Uint32Array) {
      this.dense = Float64Array.from(this.dense);
    }
  }

  /** Zeroes the block; returns its dense array (zeroed) for reuse when it is a Uint32 one. */
  clear(layout: HdrLayout): Uint32Array | null {
    let spare: Uint32Array | null = null;
    const dense = this.dense;
    if (dense !== null && this.count > 0)
      dense.fill(0, layout.indexOf(this.minUs), layout.indexOf(this.maxUs) + 1);
    if (dense instanceof Uint32Array) spare = dense;
    this.dense = null;
    this.sparseIndex = null;
    this.sparseCount = null;
    this.count = 0;
    this.sumUs = 0;
    this.minUs = Number.POSITIVE_INFINITY;
    this.maxUs = -1;
    this.bands.fill(0);
    this.epoch = -1;
    return spare;
  }

  /**
   * Converts a dense block that will not be written again to sparse form when that is smaller, and
   * returns the dense array (zeroed) for reuse; returns null when the block stays dense.
   */
  freeze(layout: HdrLayout): Uint32Array | null {
    const dense = this.dense;
    if (dense === null) return null;
    if (this.count === 0) {
      this.dense = null;
      return dense instanceof Uint32Array ? dense : null;
    }
    const from = layout.indexOf(this.minUs);
    const to = layout.indexOf(this.maxUs);
    let nonZero = 0;
    for (let i = from; i <= to; i++) if (dense[i] !== 0) nonZero++;
    const wide = layout.length > 65_536;
    const entryBytes = (wide ? 4 : 2) + dense.BYTES_PER_ELEMENT;
    // Typed arrays cost ~100 bytes of object each: only worth it when clearly smaller.
    if (nonZero * entryBytes + 200 >= dense.byteLength) return null;
    const sparseIndex = wide ? new Uint32Array(nonZero) : new Uint16Array(nonZero);
    const sparseCount = dense instanceof Uint32Array ? new Uint32Array(nonZero) : new Float64Array(nonZero);
    let k = 0;
    for (let i = from; i <= to; i++) {
      const count = dense[i] as number;
      if (count === 0) continue;
      sparseIndex[k] = i;
      sparseCount[k++] = count;
      dense[i] = 0;
    }
    this.sparseIndex = sparseIndex;
    this.sparseCount = sparseCount;
    this.dense = null;
    return dense instanceof Uint32Array ? dense : null;
  }
}
