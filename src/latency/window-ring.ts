import { CountsBlock } from './counts-block.js';
import type { HdrLayout } from './hdr-engine.js';

/**
 * Spare zeroed dense arrays. At each slice boundary every busy key freezes one slice (handing its
 * dense array back) and opens another (taking one), so a small pool removes almost all allocation.
 */
export class DensePool {
  readonly #free: Uint32Array[] = [];
  readonly #length: number;
  readonly #cap: number;

  constructor(length: number, cap = 8) {
    this.#length = length;
    this.#cap = cap;
  }

  take(): Uint32Array {
    return this.#free.pop() ?? new Uint32Array(this.#length);
  }

  /** Keeps a zeroed array for reuse (up to the cap; the rest goes to the garbage collector). */
  give(array: Uint32Array | null): void {
    if (array !== null && this.#free.length < this.#cap) this.#free.push(array);
  }
}

/**
 * One key's sliding window: a ring of `slices` blocks, slot `epoch % slices` holding slice number
 * `epoch` (time / sliceMs on the monotonic clock). Rotation is lazy: the first record of a new slice
 * freezes the previous one (stored sparse when that is smaller) and reuses the expired slot. Nothing
 * runs on a timer; reads skip and release slices that have expired.
 */
export class WindowRing {
  /** The slice being written; epoch -1 until the first record. */
  cur: CountsBlock;
  readonly #slots: (CountsBlock | undefined)[];
  readonly #bandCount: number;

  constructor(slices: number, bandCount: number) {
    this.#slots = new Array<CountsBlock | undefined>(slices).fill(undefined);
    this.#bandCount = bandCount;
    this.cur = new CountsBlock(bandCount, null);
    this.#slots[0] = this.cur;
  }

  /** Makes slice `epoch` the one being written and returns it. `epoch` never decreases. */
  rotate(epoch: number, layout: HdrLayout, pool: DensePool): CountsBlock {
    const old = this.cur;
    const slot = epoch % this.#slots.length;
    let block = this.#slots[slot];
    if (block === undefined) {
      block = new CountsBlock(this.#bandCount, null);
      this.#slots[slot] = block;
    }
    if (block !== old && old.epoch >= 0) pool.give(old.freeze(layout));
    // The slot's previous slice is at least `slices` slices old: it has left the window.
    if (block.epoch >= 0) pool.give(block.clear(layout));
    block.epoch = epoch;
    block.dense = pool.take();
    this.cur = block;
    return block;
  }

  /**
   * Releases slices that have left the window at slice `epoch` and freezes a slice that time has moved
   * past, so a key that went quiet keeps only small sparse slices, then nothing.
   */
  tidy(epoch: number, layout: HdrLayout, pool: DensePool): void {
    const oldest = epoch - this.#slots.length + 1;
    for (const block of this.#slots) {
      if (block === undefined || block.epoch < 0) continue;
      if (block.epoch < oldest) pool.give(block.clear(layout));
      else if (block.epoch < epoch && block.dense !== null) pool.give(block.freeze(layout));
    }
  }

  /** Calls `visit` with every non-empty slice still in the window at slice `epoch`, tidying first. */
  forEachLive(epoch: number, layout: HdrLayout, pool: DensePool, visit: (block: CountsBlock) => void): void {
    this.tidy(epoch, layout, pool);
    for (const block of this.#slots)
      if (block !== undefined && block.epoch >= 0 && block.count > 0) visit(block);
  }

  /** Forgets every slice. */
  clear(layout: HdrLayout, pool: DensePool): void {
    for (const block of this.#slots)
      if (block !== undefined && block.epoch >= 0) pool.give(block.clear(layout));
  }
}
