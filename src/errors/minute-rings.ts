// Per-group error counts for each of the last 60 minutes, all groups in shared blocks: 240 bytes a
// group and no buffer of its own (a Uint32Array each would cost about as much again in headers). A
// group keeps its slot for life; a group that displaces another takes over its slot.

const MINUTES = 60;
const SLOTS_PER_BLOCK = 32;

/** Shared minute rings; each slot is 60 counters indexed by epoch minute mod 60. */
export class MinuteRings {
  readonly #blocks: Uint32Array[] = [];
  #claimed = 0;

  /** A new slot, zeroed. */
  claim(): number {
    const slot = this.#claimed++;
    if (slot / SLOTS_PER_BLOCK >= this.#blocks.length)
      this.#blocks.push(new Uint32Array(SLOTS_PER_BLOCK * MINUTES));
    return slot;
  }

  /** Zeroes a slot for a group taking it over. */
  reset(slot: number): void {
    const offset = (slot % SLOTS_PER_BLOCK) * MINUTES;
    this.#block(slot).fill(0, offset, offset + MINUTES);
  }

  /** Zeroes the minutes after `from` up to and including `to` (a group's quiet minutes), at most an hour. */
  clearBetween(slot: number, from: number, to: number): void {
    const block = this.#block(slot);
    const offset = (slot % SLOTS_PER_BLOCK) * MINUTES;
    const skipped = Math.min(to - from, MINUTES);
    for (let i = 1; i <= skipped; i++) block[offset + ((from + i) % MINUTES)] = 0;
  }

  increment(slot: number, minute: number): void {
    this.#block(slot)[(slot % SLOTS_PER_BLOCK) * MINUTES + (minute % MINUTES)]!++;
  }

  get(slot: number, minute: number): number {
    return this.#block(slot)[
      (slot % SLOTS_PER_BLOCK) * MINUTES + (((minute % MINUTES) + MINUTES) % MINUTES)
    ] as number;
  }

  #block(slot: number): Uint32Array {
    return this.#blocks[Math.floor(slot / SLOTS_PER_BLOCK)] as Uint32Array;
  }
}
