// A map with a size cap and no per-entry bookkeeping: two generations. New entries go into the young
// map; when it fills half the cap, it becomes the old one and the previous old map is dropped whole.
// A hit in the old map moves the entry to the young one, so what is in use survives. Lookups and
// inserts are O(1) and allocate nothing but the occasional new Map.

/** A bounded cache of at most `capacity` entries (about the most recently used ones). */
export class BoundedCache<K, V> {
  #young = new Map<K, V>();
  #old = new Map<K, V>();
  readonly #half: number;

  constructor(capacity: number) {
    this.#half = Math.max(1, Math.floor(capacity / 2));
  }

  get(key: K): V | undefined {
    const young = this.#young.get(key);
    if (young !== undefined) return young;
    const old = this.#old.get(key);
    if (old !== undefined) {
      this.#old.delete(key);
      this.set(key, old);
    }
    return old;
  }

  set(key: K, value: V): void {
    if (this.#young.size >= this.#half) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, value);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }
}
