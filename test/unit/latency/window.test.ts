import { describe, expect, it } from 'vitest';
import { createLatencyTracker, type LatencyTracker } from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

const WINDOW = { window: 'window' } as const;
const KEY = 'GET /orders';

// 60 s in 6 slices of 10 s, aligned to multiples of 10 s on the monotonic clock (which starts at 0).
function setup(slices = 6, durationMs = 60_000): { clock: FakeClock; latency: LatencyTracker } {
  const clock = createFakeClock();
  return {
    clock,
    latency: createLatencyTracker({ window: { durationMs, slices }, thresholdsMs: [50] }, { clock }),
  };
}

describe('sliding window', () => {
  it('keeps a value until its slice expires, then drops it at exactly that instant', () => {
    const { clock, latency } = setup();
    clock.advance(3_000); // t = 3 s: slice 0, [0, 10 s)
    latency.record(10, KEY);
    clock.advanceTo(59_999); // still within slices 0..5
    expect(latency.summary(KEY, WINDOW).count).toBe(1);
    clock.advance(1); // t = 60 s: slice 6 begins, slice 0 leaves
    expect(latency.summary(KEY, WINDOW).count).toBe(0);
    expect(latency.summary(KEY).count).toBe(1); // lifetime keeps it
  });

  it('holds between durationMs - sliceMs and durationMs of history', () => {
    const { clock, latency } = setup();
    clock.advanceTo(9_999); // the last instant of slice 0
    latency.record(1, KEY);
    clock.advance(1); // t = 10 s: slice 1
    latency.record(2, KEY);
    clock.advanceTo(59_999);
    expect(latency.summary(KEY, WINDOW)).toMatchObject({ count: 2, min: 1, max: 2 });
    clock.advanceTo(60_000); // the first value leaves after 50.001 s
    expect(latency.summary(KEY, WINDOW)).toMatchObject({ count: 1, min: 2, max: 2 });
    clock.advanceTo(69_999); // the second stays 59.999 s
    expect(latency.summary(KEY, WINDOW).count).toBe(1);
    clock.advanceTo(70_000);
    expect(latency.summary(KEY, WINDOW).count).toBe(0);
  });

  it('sums slices for every query: percentiles, exact thresholds, buckets, encodings', () => {
    const { clock, latency } = setup();
    for (let s = 0; s < 12; s++) {
      // Slice s holds s+1 values of (s + 1) * 10 ms.
      for (let n = 0; n <= s; n++) latency.record((s + 1) * 10, KEY);
      clock.advance(10_000);
    }
    // t = 120 s: slices 7..12 are live, 12 is empty.
    // Live: slices 7..11 hold 8..12 values of 80..120 ms.
    const summary = latency.summary(KEY, WINDOW);
    expect(summary).toMatchObject({ count: 8 + 9 + 10 + 11 + 12, min: 80, max: 120 });
    expect(summary.mean).toBeCloseTo((8 * 80 + 9 * 90 + 10 * 100 + 11 * 110 + 12 * 120) / 50, 9);
    expect(latency.countAtOrBelow(50, KEY, WINDOW)).toEqual({ good: 0, total: 50 });
    expect(latency.countAtOrBelow(50, KEY)).toEqual({ good: 15, total: 78 });
    expect(latency.cumulativeBuckets([90], KEY, WINDOW).buckets[0]).toEqual({ le: 90, count: 17 });
    expect(Math.abs(latency.percentile(50, KEY, WINDOW) / 100 - 1)).toBeLessThanOrEqual(0.01);
    const other = createLatencyTracker({ window: false });
    other.merge(latency.encode(KEY, WINDOW));
    expect(other.summary().count).toBe(50);
  });

  it('empties completely after a long idle period and fills again', () => {
    const { clock, latency } = setup();
    latency.record(5, KEY);
    clock.advance(3_600_000);
    expect(latency.summary(KEY, WINDOW).count).toBe(0);
    latency.record(7, KEY);
    expect(latency.summary(KEY, WINDOW)).toMatchObject({ count: 1, max: 7 });
  });

  it('tidies quiet keys on later records without corrupting any key', () => {
    const { clock, latency } = setup();
    for (let k = 0; k < 20; k++) latency.record(k + 1, `quiet-${k}`);
    // One busy key keeps recording across boundaries, driving the round-robin tidying.
    for (let s = 0; s < 10; s++) {
      clock.advance(10_000);
      for (let n = 0; n < 30; n++) latency.record(100, KEY);
      if (s === 3) expect(latency.summary('quiet-7', WINDOW).count).toBe(1);
    }
    for (let k = 0; k < 20; k++) {
      expect(latency.summary(`quiet-${k}`, WINDOW).count).toBe(0);
      expect(latency.summary(`quiet-${k}`)).toMatchObject({ count: 1, max: k + 1 });
    }
    expect(latency.summary(KEY, WINDOW).count).toBe(6 * 30);
    expect(latency.summary(undefined, WINDOW).count).toBe(6 * 30);
  });

  it('works with a single slice: the window is the current slice', () => {
    const { clock, latency } = setup(1, 1_000);
    latency.record(1, KEY);
    clock.advance(999);
    latency.record(2, KEY);
    expect(latency.summary(KEY, WINDOW).count).toBe(2);
    clock.advance(1);
    latency.record(3, KEY);
    expect(latency.summary(KEY, WINDOW)).toMatchObject({ count: 1, max: 3 });
  });

  it('never moves backwards if the clock does', () => {
    const clock = createFakeClock();
    let offset = 0;
    const jumpy = { ...clock, now: () => clock.now() + offset };
    const latency = createLatencyTracker({ window: { durationMs: 60_000, slices: 6 } }, { clock: jumpy });
    clock.advance(25_000);
    latency.record(1, KEY);
    offset = -20_000; // the clock steps back two slices
    latency.record(2, KEY);
    expect(latency.summary(KEY, WINDOW).count).toBe(2);
    offset = 0;
    clock.advance(54_999); // t = 79.999 s: slice 7, slices 2..7 live, both values in slice 2
    expect(latency.summary(KEY, WINDOW).count).toBe(2);
    clock.advance(1); // t = 80 s: slice 8, slice 2 has left
    expect(latency.summary(KEY, WINDOW).count).toBe(0);
  });

  it('reads the window of every key together, keys recorded in different slices', () => {
    const { clock, latency } = setup();
    latency.record(1, 'a');
    clock.advance(30_000);
    latency.record(2, 'b');
    clock.advance(30_000); // t = 60 s: 'a' (slice 0) has left, 'b' (slice 3) stays
    expect(latency.summary(undefined, WINDOW)).toMatchObject({ count: 1, min: 2 });
    expect(latency.summary()).toMatchObject({ count: 2, min: 1 });
  });

  it('puts corrected and merged values in the current slice', () => {
    const { clock, latency } = setup();
    latency.recordCorrected(100, 25, KEY); // 100, 75, 50, 25
    const source = createLatencyTracker({ window: false });
    source.record(40);
    latency.merge(source.encode(), KEY);
    expect(latency.summary(KEY, WINDOW).count).toBe(5);
    expect(latency.countAtOrBelow(50, KEY, WINDOW)).toEqual({ good: 3, total: 5 });
    clock.advance(60_000);
    expect(latency.summary(KEY, WINDOW).count).toBe(0);
  });

  it('forgets a reset key window and all windows on reset()', () => {
    const { latency } = setup();
    latency.record(1, 'a');
    latency.record(1, 'b');
    latency.reset('a');
    expect(latency.summary(undefined, WINDOW).count).toBe(1);
    latency.reset();
    expect(latency.summary(undefined, WINDOW).count).toBe(0);
    latency.record(1, 'a');
    expect(latency.summary('a', WINDOW).count).toBe(1);
  });
});
