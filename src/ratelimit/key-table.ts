// A bounded least-recently-used table of keys, each owning a slot in parallel Float64Arrays. The
// algorithms keep their per-key numbers in the slots, so a lookup of a known key allocates nothing, and
// a key's state needs no object of its own (1,000,000 keys would otherwise be 1,000,000 objects).
//
// Expiry is lazy and timer-free: every slot carries `expiresAt`, the clock reading after which its state
// equals a fresh key's. Each lookup drops up to two expired keys from the cold end of the list, so idle
// keys leave under traffic at twice the rate new ones can arrive, and a full table evicts the coldest.

const NONE = -1;
const INITIAL_CAPACITY = 1_024;
// Expired keys dropped per lookup: more than the one key a lookup can add, so the table shrinks.
const SWEEP_PER_LOOKUP = 2;

/** Counters of a key table. */
export interface KeyTableStats {
  /** Keys held now (some may have expired and not been swept yet). */
  readonly keys: number;
  /** Keys dropped because their state had expired. */
  readonly expired: number;
  /** Keys dropped to make room while their state was still live (they start over if they return). */
  readonly evicted: number;
}

export class KeyTable {
  /** Per slot: the clock reading after which the slot's state is the same as a fresh key's. */
  expiresAt: Float64Array;
  /** Per slot: a second number for algorithms that need one (allocated only when asked for). */
  first: Float64Array;
  /** Per slot: a third number, likewise. */
  second: Float64Array;

  readonly #maxKeys: number;
  readonly #extraFields: number;
  readonly #index = new Map<string, number>();
  #keys: Array<string | undefined>;
  #prev: Int32Array;
  #next: Int32Array;
  // Most recently used at the head, least at the tail; freed slots chain through #next.
  #head = NONE;
  #tail = NONE;
  #free = NONE;
  #used = 0;
  #expired = 0;
  #evicted = 0;

  constructor(maxKeys: number, extraFields: 0 | 2) {
    this.#maxKeys = maxKeys;
    this.#extraFields = extraFields;
    const capacity = Math.min(maxKeys, INITIAL_CAPACITY);
    this.expiresAt = new Float64Array(capacity);
    this.first = new Float64Array(extraFields > 0 ? capacity : 0);
    this.second = new Float64Array(extraFields > 0 ? capacity : 0);
    this.#keys = new Array<string | undefined>(capacity).fill(undefined);
    this.#prev = new Int32Array(capacity);
    this.#next = new Int32Array(capacity);
  }

  /** How many keys are held. */
  get size(): number {
    return this.#index.size;
  }

  /**
   * The slot of `key`, made most recently used. A new key gets a slot with `expiresAt = -Infinity` and
   * the extra fields zeroed, evicting the least recently used key when the table is full.
   */
  slotOf(key: string, now: number): number {
    this.#sweep(now);
    const found = this.#index.get(key);
    if (found !== undefined) {
      this.#touch(found);
      return found;
    }
    const slot = this.#allocate(now);
    this.#index.set(key, slot);
    this.#keys[slot] = key;
    this.expiresAt[slot] = Number.NEGATIVE_INFINITY;
    if (this.#extraFields > 0) {
      this.first[slot] = 0;
      this.second[slot] = 0;
    }
    this.#linkAtHead(slot);
    return slot;
  }

  /** The slot of `key` if it is held, without touching it; NONE (-1) otherwise. */
  peek(key: string): number {
    return this.#index.get(key) ?? NONE;
  }

  /** Forgets `key`, or every key. */
  delete(key?: string): void {
    if (key === undefined) {
      for (const slot of this.#index.values()) this.#release(slot);
      this.#index.clear();
      return;
    }
    const slot = this.#index.get(key);
    if (slot === undefined) return;
    this.#index.delete(key);
    this.#release(slot);
  }

  stats(): KeyTableStats {
    return { keys: this.#index.size, expired: this.#expired, evicted: this.#evicted };
  }

  #sweep(now: number): void {
    for (let i = 0; i < SWEEP_PER_LOOKUP; i++) {
      const tail = this.#tail;
      if (tail === NONE || this.expiresAt[tail]! > now) return;
      this.#expired++;
      this.#drop(tail);
    }
  }

  #allocate(now: number): number {
    if (this.#free !== NONE) {
      const slot = this.#free;
      this.#free = this.#next[slot]!;
      return slot;
    }
    if (this.#used < this.#maxKeys) {
      if (this.#used === this.expiresAt.length) this.#grow();
      return this.#used++;
    }
    // Full: reuse the coldest key's slot.
    const tail = this.#tail;
    if (this.expiresAt[tail]! > now) this.#evicted++;
    else this.#expired++;
    this.#index.delete(this.#keys[tail]!);
    this.#unlink(tail);
    this.#keys[tail] = undefined;
    return tail;
  }

  #drop(slot: number): void {
    this.#index.delete(this.#keys[slot]!);
    this.#release(slot);
  }

  #release(slot: number): void {
    this.#unlink(slot);
    this.#keys[slot] = undefined;
    this.#next[slot] = this.#free;
    this.#free = slot;
  }

  #touch(slot: number): void {
    if (slot === this.#head) return;
    this.#unlink(slot);
    this.#linkAtHead(slot);
  }

  #linkAtHead(slot: number): void {
    this.#prev[slot] = NONE;
    this.#next[slot] = this.#head;
    if (this.#head !== NONE) this.#prev[this.#head] = slot;
    this.#head = slot;
    if (this.#tail === NONE) this.#tail = slot;
  }

  #unlink(slot: number): void {
    const prev = this.#prev[slot]!;
    const next = this.#next[slot]!;
    if (prev !== NONE) this.#next[prev] = next;
    else this.#head = next;
    if (next !== NONE) this.#prev[next] = prev;
    else this.#tail = prev;
  }

  #grow(): void {
    const capacity = Math.min(this.#maxKeys, this.expiresAt.length * 2);
    this.expiresAt = grown(this.expiresAt, new Float64Array(capacity));
    if (this.#extraFields > 0) {
      this.first = grown(this.first, new Float64Array(capacity));
      this.second = grown(this.second, new Float64Array(capacity));
    }
    this.#prev = grown(this.#prev, new Int32Array(capacity));
    this.#next = grown(this.#next, new Int32Array(capacity));
    const keys = this.#keys;
    for (let i = keys.length; i < capacity; i++) keys.push(undefined);
  }
}

function grown<A extends Float64Array | Int32Array>(from: A, to: A): A {
  to.set(from);
  return to;
}
