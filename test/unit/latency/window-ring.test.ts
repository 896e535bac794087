// The memory side of the window, which the public API cannot show: frozen slices go sparse, expired
// ones are released, dense arrays are recycled zeroed.
import { describe, expect, it } from 'vitest';
import { CountsBlock } from '../../../src/latency/counts-block.js';
import { HdrLayout } from '../../../src/latency/hdr-engine.js';
import { Accumulator } from '../../../src/latency/histogram-view.js';
import { DensePool, WindowRing } from '../../../src/latency/window-ring.js';

const layout = new HdrLayout(60_000_000, 2);

function fill(block: CountsBlock, values: number[]): void {
  for (const us of values) block.add(us, layout.indexOf(us), 0);
}

describe('CountsBlock.freeze', () => {
  it('stores a slice with few distinct buckets sparse, with the same content', () => {
    const block = new CountsBlock(1, new Uint32Array(layout.length));
    fill(block, [1_000, 1_000, 25_000, 3_000_000]);
    const before = new Accumulator(layout, 1);
    before.add(block);
    const expected = [...before.dense];
    const spare = block.freeze(layout);
    expect(spare).toBeInstanceOf(Uint32Array);
    expect(spare!.every((count) => count === 0)).toBe(true);
    expect(block.dense).toBeNull();
    expect(block.sparseIndex).toHaveLength(3);
    const after = new Accumulator(layout, 1);
    after.add(block);
    expect([...after.dense]).toEqual(expected);
  });

  it('keeps a slice dense when sparse would not be smaller', () => {
    const block = new CountsBlock(1, new Uint32Array(layout.length));
    const values: number[] = [];
    for (let index = 0; index < layout.highestIndex; index++) values.push(layout.lowestAt(index));
    fill(block, values);
    expect(block.freeze(layout)).toBeNull();
    expect(block.dense).not.toBeNull();
  });
});

describe('WindowRing', () => {
  it('rotates lazily, releases expired slices on tidy, and recycles dense arrays', () => {
    const pool = new DensePool(layout.length);
    const ring = new WindowRing(3, 1);
    for (let epoch = 0; epoch < 3; epoch++) {
      const slice = ring.rotate(epoch, layout, pool);
      fill(slice, [1_000 * (epoch + 1)]);
    }
    let live = 0;
    ring.forEachLive(2, layout, pool, () => live++);
    expect(live).toBe(3);
    // Epoch 2 is still written densely; the two before it were frozen sparse.
    expect(ring.cur.dense).not.toBeNull();
    const taken = pool.take();
    expect(taken.every((count) => count === 0)).toBe(true);
    pool.give(taken);
    // Long idle: everything expires and is released.
    ring.tidy(100, layout, pool);
    live = 0;
    ring.forEachLive(100, layout, pool, () => live++);
    expect(live).toBe(0);
    expect(ring.cur.dense).toBeNull();
    expect(ring.cur.sparseIndex).toBeNull();
  });
});
