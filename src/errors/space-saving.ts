// Space-Saving (Metwally, Agrawal, El Abbadi 2005): the top k of a stream in k counters. A key not
// tracked takes over the counter with the smallest count c, starting at c + 1 with error c, so every
// count overestimates its key's true count by at most its error, and every error is at most N / k for
// N items seen. Any key seen more than N / k times is tracked.

/** A tracked key's counter; the heap keeps `heapIndex` up to date. */
export interface Counted {
  /** Items counted for this key, including the inherited `error`. */
  count: number;
  /** How much of `count` may belong to keys this counter tracked before (the overestimate bound). */
  error: number;
  heapIndex: number;
}

/**
 * A binary min-heap of counters by count, so the smallest is found in O(1) and a count bumped in
 * O(log k). It holds the entries; lookup by key is the caller's map.
 */
export class CountHeap<E extends Counted> {
  readonly #items: E[] = [];

  get size(): number {
    return this.#items.length;
  }

  /** The counter with the smallest count. */
  min(): E | undefined {
    return this.#items[0];
  }

  /** Adds a counter (while below capacity). */
  push(entry: E): void {
    entry.heapIndex = this.#items.length;
    this.#items.push(entry);
    this.#up(entry.heapIndex);
  }

  /** Adds `by` to a tracked counter. */
  increment(entry: E, by = 1): void {
    entry.count += by;
    this.#down(entry.heapIndex);
  }

  /** Puts `entry` in place of the smallest counter (Space-Saving's takeover) and returns the one removed. */
  replaceMin(entry: E): E {
    const old = this.#items[0] as E;
    entry.count = old.count + 1;
    entry.error = old.count;
    entry.heapIndex = 0;
    this.#items[0] = entry;
    old.heapIndex = -1;
    this.#down(0);
    return old;
  }

  /** Every counter, in heap order (not sorted). */
  values(): readonly E[] {
    return this.#items;
  }

  #up(index: number): void {
    const items = this.#items;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as E).count <= (items[i] as E).count) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(index: number): void {
    const items = this.#items;
    const n = items.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const smaller = right < n && (items[right] as E).count < (items[left] as E).count ? right : left;
      if ((items[i] as E).count <= (items[smaller] as E).count) break;
      this.#swap(i, smaller);
      i = smaller;
    }
  }

  #swap(a: number, b: number): void {
    const items = this.#items;
    const x = items[a] as E;
    const y = items[b] as E;
    items[a] = y;
    items[b] = x;
    x.heapIndex = b;
    y.heapIndex = a;
  }
}

/**
 * Space-Saving over a handful of keys (a group's routes), by linear scan: for k up to a few dozen a
 * scan of k slots is cheaper than a map and a heap, and it allocates nothing once full.
 */
export class SmallTopK {
  readonly keys: (string | undefined)[] = [];
  /** Count and error of key i at 2i and 2i + 1 (one array instead of two: this exists per group). */
  readonly tallies: number[] = [];
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The count of key `i` (including its inherited error). */
  count(i: number): number {
    return this.tallies[2 * i] as number;
  }

  /** Counts one `key`. */
  add(key: string | undefined): void {
    const keys = this.keys;
    const tallies = this.tallies;
    let min = 0;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === key) {
        tallies[2 * i]!++;
        return;
      }
      if ((tallies[2 * i] as number) < (tallies[2 * min] as number)) min = i;
    }
    if (keys.length < this.#capacity) {
      keys.push(key);
      tallies.push(1, 0);
      return;
    }
    const floor = tallies[2 * min] as number;
    keys[min] = key;
    tallies[2 * min] = floor + 1;
    tallies[2 * min + 1] = floor;
  }
}
