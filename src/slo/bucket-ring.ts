// A ring of epoch-aligned count buckets. Bucket k holds the events whose time t has
// floor(t / granularityMs) = k, so two processes (or a process and its restored snapshot) put the same
// event in the same bucket and merging is plain addition. Rotation is lazy: moving to a newer bucket
// clears the ones skipped, so no timer is needed.
//
// Its owner never rotates a ring past its own clock: counts merged from a clock running ahead are held
// aside by bucket index (hold) and added once the owner's time reaches their bucket (release).
//
// Windows over a ring keep running sums, so reading one costs O(1) instead of O(buckets): the sum
// moves when the window's end moves (buckets leave and enter) and when counts land inside it. Counts
// are integers below 2^53, so adding and subtracting them in doubles is exact.

/** One stored bucket: its absolute index, good count and total count. */
export type BucketEntry = [index: number, good: number, total: number];

export class BucketRing {
  readonly granularityMs: number;
  readonly size: number;
  readonly #good: Float64Array;
  readonly #total: Float64Array;
  readonly #windows: RingWindow[] = [];
  // Counts from the future (a faster clock's snapshot), by bucket index: [good, total].
  readonly #held = new Map<number, [number, number]>();
  #earliestHeld = Number.POSITIVE_INFINITY;
  /** The newest absolute bucket index held; -Infinity while empty. */
  head = Number.NEGATIVE_INFINITY;

  constructor(granularityMs: number, size: number) {
    this.granularityMs = granularityMs;
    this.size = size;
    this.#good = new Float64Array(size);
    this.#total = new Float64Array(size);
  }

  /** The bytes of count storage this ring holds. */
  get bytes(): number {
    return this.#good.byteLength + this.#total.byteLength;
  }

  /** The absolute index of the bucket holding time `t`. */
  indexOf(t: number): number {
    return Math.floor(t / this.granularityMs);
  }

  /** A window over the last `count` buckets (count <= size), kept up to date by this ring. */
  window(count: number): RingWindow {
    const window = new RingWindow(this, count);
    this.#windows.push(window);
    return window;
  }

  /** Adds counts to bucket `index`, rotating forward if it is newer than the head; too old is dropped. */
  add(index: number, good: number, total: number): void {
    if (index > this.head) {
      // Windows move first, while the buckets that rotation is about to clear can still be subtracted.
      for (const window of this.#windows) window.moveTo(index);
      if (index - this.head >= this.size) {
        this.#good.fill(0);
        this.#total.fill(0);
      } else {
        for (let k = this.head + 1; k <= index; k++) {
          const slot = this.#slot(k);
          this.#good[slot] = 0;
          this.#total[slot] = 0;
        }
      }
      this.head = index;
    } else if (index <= this.head - this.size) {
      return;
    }
    const slot = this.#slot(index);
    this.#good[slot] = (this.#good[slot] as number) + good;
    this.#total[slot] = (this.#total[slot] as number) + total;
    for (const window of this.#windows) window.added(index, good, total);
  }

  /** Keeps counts of bucket `index`, ahead of the owner's clock, aside until {@link release} reaches it. */
  hold(index: number, good: number, total: number): void {
    const held = this.#held.get(index);
    if (held === undefined) this.#held.set(index, [good, total]);
    else {
      held[0] += good;
      held[1] += total;
    }
    if (index < this.#earliestHeld) this.#earliestHeld = index;
  }

  /** The earliest held bucket index; Infinity when nothing is held. */
  get earliestHeld(): number {
    return this.#earliestHeld;
  }

  /**
   * Adds the held buckets up to index `upTo` (the owner's time reached them). The order of adds does
   * not matter: the ring ends up holding the same buckets, and buckets already too old are dropped as
   * they would have been had they arrived in time.
   */
  release(upTo: number): void {
    if (upTo < this.#earliestHeld) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [index, [good, total]] of this.#held) {
      if (index > upTo) {
        if (index < earliest) earliest = index;
        continue;
      }
      this.#held.delete(index);
      this.add(index, good, total);
    }
    this.#earliestHeld = earliest;
  }

  /** The good count of bucket `index`; 0 when the ring does not hold it. */
  goodAt(index: number): number {
    return this.#holds(index) ? (this.#good[this.#slot(index)] as number) : 0;
  }

  /** The total count of bucket `index`; 0 when the ring does not hold it. */
  totalAt(index: number): number {
    return this.#holds(index) ? (this.#total[this.#slot(index)] as number) : 0;
  }

  /** The non-empty buckets in the ring, then those held aside for the future; oldest first. */
  entries(): BucketEntry[] {
    const out: BucketEntry[] = [];
    if (this.head !== Number.NEGATIVE_INFINITY)
      for (let k = this.head - this.size + 1; k <= this.head; k++) {
        const slot = this.#slot(k);
        const total = this.#total[slot] as number;
        if (total !== 0) out.push([k, this.#good[slot] as number, total]);
      }
    const held = [...this.#held].sort(([a], [b]) => a - b);
    for (const [index, [good, total]] of held) if (total !== 0) out.push([index, good, total]);
    return out;
  }

  #holds(index: number): boolean {
    return index <= this.head && index > this.head - this.size;
  }

  #slot(index: number): number {
    const slot = index % this.size;
    return slot < 0 ? slot + this.size : slot;
  }
}

/** The running sums of the `count` buckets ending at `end`, for one window over a {@link BucketRing}. */
export class RingWindow {
  readonly ring: BucketRing;
  readonly count: number;
  end = Number.NEGATIVE_INFINITY;
  good = 0;
  total = 0;

  constructor(ring: BucketRing, count: number) {
    this.ring = ring;
    this.count = count;
  }

  /** Moves the window's end forward to bucket `end` (never back). */
  moveTo(end: number): void {
    if (end <= this.end) return;
    if (end - this.end >= this.count) {
      this.resetTo(end);
      return;
    }
    const ring = this.ring;
    let good = this.good;
    let total = this.total;
    for (let k = this.end - this.count + 1; k <= end - this.count; k++) {
      good -= ring.goodAt(k);
      total -= ring.totalAt(k);
    }
    for (let k = this.end + 1; k <= end; k++) {
      good += ring.goodAt(k);
      total += ring.totalAt(k);
    }
    this.good = good;
    this.total = total;
    this.end = end;
  }

  /** Recomputes the sums from the ring with the window ending at `end` (after a merge). */
  resetTo(end: number): void {
    let good = 0;
    let total = 0;
    for (let k = end - this.count + 1; k <= end; k++) {
      good += this.ring.goodAt(k);
      total += this.ring.totalAt(k);
    }
    this.good = good;
    this.total = total;
    this.end = end;
  }

  /** Called by the ring when counts land in bucket `index`. */
  added(index: number, good: number, total: number): void {
    if (index <= this.end && index > this.end - this.count) {
      this.good += good;
      this.total += total;
    }
  }
}
