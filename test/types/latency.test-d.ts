import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  createLatencyTracker,
  type LatencyBuckets,
  type LatencyCount,
  type LatencySummary,
  type LatencyTracker,
  type LatencyTrackerOptions,
  type LatencyWindowOptions,
} from 'sre-kit';
import type { latencyTrackerOptionsSchema } from '../../src/latency/options.js';

type SchemaInput = z.input<typeof latencyTrackerOptionsSchema>;

describe('latency types', () => {
  it('binds LatencyTrackerOptions to its zod schema', () => {
    expectTypeOf<LatencyTrackerOptions>().toEqualTypeOf<SchemaInput>();
    expectTypeOf<Exclude<LatencyTrackerOptions['window'], undefined>>().toEqualTypeOf<
      false | LatencyWindowOptions
    >();
  });

  it('returns the public interface and typed results', () => {
    const latency = createLatencyTracker({ thresholdsMs: [200] });
    expectTypeOf(latency).toEqualTypeOf<LatencyTracker>();
    expectTypeOf(latency.summary('k')).toEqualTypeOf<LatencySummary>();
    expectTypeOf(latency.countAtOrBelow(200)).toEqualTypeOf<LatencyCount>();
    expectTypeOf(latency.cumulativeBuckets([100, 200])).toEqualTypeOf<LatencyBuckets>();
    expectTypeOf(latency.startTimer()).toEqualTypeOf<() => number>();
    expectTypeOf(latency.close()).toEqualTypeOf<Promise<void>>();
  });

  it('rejects wrong options and views at compile time', () => {
    // @ts-expect-error window is false or an object
    createLatencyTracker({ window: true });
    // @ts-expect-error unknown option
    createLatencyTracker({ maxkeys: 5 });
    const latency = createLatencyTracker();
    // @ts-expect-error only 'lifetime' | 'window'
    latency.summary('k', { window: 'day' });
    // @ts-expect-error keys are strings
    latency.record(1, 42);
  });
});
