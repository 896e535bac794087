import { CountsBlock } from './counts-block.js';
import type { HdrLayout } from './hdr-engine.js';
import { WindowRing, type DensePool } from './window-ring.js';

/** Everything kept for one key: its lifetime histogram and, when windows are on, its window ring. */
export class Series {
  readonly name: string;
  readonly life: CountsBlock;
  readonly ring: WindowRing | null;

  constructor(name: string, layout: HdrLayout, bandCount: number, slices: number) {
    this.name = name;
    this.life = new CountsBlock(bandCount, new Uint32Array(layout.length));
    this.ring = slices > 0 ? new WindowRing(slices, bandCount) : null;
  }

  /** Hands the window's dense arrays back to the pool before the series is dropped. */
  release(layout: HdrLayout, pool: DensePool): void {
    this.ring?.clear(layout, pool);
  }
}
