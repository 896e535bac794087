import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ErrorCode,
  LATENCY_DEFAULT_KEY,
  LATENCY_OTHER_KEY,
  createLatencyTracker,
  isSreError,
  type LatencyTrackerOptions,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const KEY = 'GET /users/:id';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('createLatencyTracker options', () => {
  it.each<[unknown, string]>([
    [{ significantDigits: 6 }, 'significantDigits: expected a number <= 5, received 6'],
    [{ significantDigits: 0 }, 'significantDigits: expected a number >= 1, received 0'],
    [{ highestTrackableMs: 0.5 }, 'highestTrackableMs: expected a number >= 1, received 0.5'],
    [{ highestTrackableMs: 1e9 }, 'highestTrackableMs: expected a number <= 86400000, received 1000000000'],
    [{ maxKeys: -5 }, 'maxKeys: expected a number >= 1, received -5'],
    [{ maxKeys: 2.5 }, 'maxKeys: expected an integer, received 2.5'],
    [{ window: true }, 'window: expected false or an object, received true'],
    [{ window: { durationMs: 60_000, slices: 0 } }, 'window.slices: expected a number >= 1, received 0'],
    [
      { window: { durationMs: 500, slices: 6 } },
      'window.durationMs: expected a number >= 100 * slices (600)',
    ],
    [{ thresholdsMs: [200, -1] }, 'thresholdsMs[1]: expected a number > 0, received -1'],
    [
      { thresholdsMs: [60_000] },
      'thresholdsMs[0]: expected a number < highestTrackableMs (60000), received 60000',
    ],
    [{ maxkeys: 5 }, 'maxkeys: expected no such option (unknown key), received 5'],
  ])('rejects %j naming the field', (options, message) => {
    const error = thrown(() => createLatencyTracker(options as LatencyTrackerOptions));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(message);
  });

  it('works with no options at all', () => {
    const latency = createLatencyTracker();
    latency.record(5);
    expect(latency.summary().count).toBe(1);
  });
});

describe('record and summary', () => {
  it('keeps an exact count, min, max and mean, and percentiles within the precision', () => {
    const latency = createLatencyTracker({ window: false });
    for (let ms = 1; ms <= 1000; ms++) latency.record(ms, KEY);
    const summary = latency.summary(KEY);
    expect(summary.count).toBe(1000);
    expect(summary.min).toBe(1);
    expect(summary.max).toBe(1000);
    expect(summary.mean).toBe(500.5);
    for (const [value, exact] of [
      [summary.p50, 500],
      [summary.p90, 900],
      [summary.p95, 950],
      [summary.p99, 990],
      [summary.p999, 999],
    ] as const) {
      expect(Math.abs(value - exact) / exact).toBeLessThanOrEqual(0.01);
    }
    expect(latency.percentile(100, KEY)).toBe(1000);
    expect(latency.percentile(0, KEY)).toBe(1);
  });

  it('keeps microseconds: a 12.5 ms value is exact at the bottom of the range', () => {
    const latency = createLatencyTracker();
    latency.record(0.125);
    latency.record(0.1254);
    expect(latency.summary()).toMatchObject({ count: 2, min: 0.125, max: 0.125, p50: 0.125 });
  });

  it('returns zeros for an empty or unknown key', () => {
    const latency = createLatencyTracker();
    const zero = { count: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0 };
    expect(latency.summary()).toEqual(zero);
    latency.record(3, 'a');
    expect(latency.summary('b')).toEqual(zero);
    expect(latency.percentile(99, 'b')).toBe(0);
    expect(latency.countAtOrBelow(10, 'b')).toEqual({ good: 0, total: 0 });
  });

  it('summarises every key together without a key', () => {
    const latency = createLatencyTracker();
    latency.record(10, 'a');
    latency.record(20, 'b');
    latency.record(30);
    expect(latency.keys()).toEqual(['a', 'b', LATENCY_DEFAULT_KEY]);
    expect(latency.summary()).toMatchObject({ count: 3, min: 10, max: 30, mean: 20 });
    expect(latency.summary(LATENCY_DEFAULT_KEY).count).toBe(1);
  });

  it('switches keys correctly through its last-key cache', () => {
    const latency = createLatencyTracker();
    for (let n = 0; n < 10; n++) {
      latency.record(1, 'a');
      latency.record(2, 'a');
      latency.record(3, 'b');
      latency.record(4);
    }
    expect(latency.summary('a').count).toBe(20);
    expect(latency.summary('b')).toMatchObject({ count: 10, mean: 3 });
    expect(latency.summary(LATENCY_DEFAULT_KEY)).toMatchObject({ count: 10, mean: 4 });
  });
});

describe('bad input', () => {
  it('drops NaN, negatives, ±Infinity and non-numbers, counting them, and clamps overflow', () => {
    const latency = createLatencyTracker({ highestTrackableMs: 60_000 });
    const bad: unknown[] = [Number.NaN, -1, -0.0001, Infinity, -Infinity, '5', null, undefined, {}, 5n];
    for (const value of bad) {
      expect(() => latency.record(value as number, KEY)).not.toThrow();
      expect(() => latency.recordCorrected(value as number, 10, KEY)).not.toThrow();
    }
    latency.record(1e12, KEY);
    latency.record(60_000, KEY); // the highest trackable value itself is not an overflow
    latency.record(7, KEY);
    expect(latency.stats()).toEqual({ keys: 1, foldedKeys: 0, invalid: 2 * bad.length, overflow: 1 });
    expect(latency.summary(KEY)).toMatchObject({ count: 3, min: 7, max: 60_000 });
    expect(latency.summary(KEY).mean).toBeCloseTo((7 + 60_000 + 60_000) / 3, 9);
  });

  it('records -0 as 0', () => {
    const latency = createLatencyTracker();
    latency.record(-0);
    expect(latency.summary()).toMatchObject({ count: 1, max: 0 });
    expect(latency.stats().invalid).toBe(0);
  });

  it('folds 10,000 distinct keys into __other__ past maxKeys: 500, with bounded bookkeeping', () => {
    const latency = createLatencyTracker({ maxKeys: 500 });
    for (let k = 0; k < 10_000; k++) latency.record(k % 100, `route-${k}`);
    // A second pass over the same keys must not count them as new folded keys.
    for (let k = 0; k < 10_000; k++) latency.record(1, `route-${k}`);
    expect(latency.keys()).toHaveLength(501);
    expect(latency.keys().at(-1)).toBe(LATENCY_OTHER_KEY);
    expect(latency.stats()).toEqual({ keys: 501, foldedKeys: 9_500, invalid: 0, overflow: 0 });
    expect(latency.summary(LATENCY_OTHER_KEY).count).toBe(19_000);
    expect(latency.summary('route-9999').count).toBe(0); // folded names have no histogram of their own
    expect(latency.summary().count).toBe(20_000);
    // Past 10,000 remembered folded names, new names still fold and nothing more is remembered.
    for (let k = 10_000; k < 30_000; k++) latency.record(1, `route-${k}`);
    expect(latency.stats()).toMatchObject({ keys: 501, foldedKeys: 10_000 });
    expect(latency.summary(LATENCY_OTHER_KEY).count).toBe(39_000);
  });
});

describe('thresholds', () => {
  it('counts at or below a declared threshold exactly, to the microsecond', () => {
    const latency = createLatencyTracker({ thresholdsMs: [200], window: false });
    latency.record(200, KEY);
    latency.record(200.0004, KEY); // rounds to 200.000 ms
    latency.record(200.001, KEY);
    latency.record(199.9, KEY);
    latency.record(250, KEY);
    expect(latency.countAtOrBelow(200, KEY)).toEqual({ good: 3, total: 5 });
    // Undeclared: the whole bucket holding 200.2 ms (199.680..200.703 at 2 digits) counts as at or below.
    expect(latency.countAtOrBelow(200.2, KEY)).toEqual({ good: 4, total: 5 });
    expect(latency.countAtOrBelow(0, KEY)).toEqual({ good: 0, total: 5 });
    expect(latency.countAtOrBelow(1e9, KEY)).toEqual({ good: 5, total: 5 });
  });

  it('rejects a threshold that is not a finite number >= 0', () => {
    const latency = createLatencyTracker();
    for (const bad of [Number.NaN, -1, Infinity, '5']) {
      expect(
        isSreError(
          thrown(() => latency.countAtOrBelow(bad as number)),
          ErrorCode.INVALID_OPTIONS,
        ),
      ).toBe(true);
    }
  });
});

describe('cumulativeBuckets', () => {
  it('returns cumulative counts at each le, +Inf, the exact sum and the count', () => {
    const latency = createLatencyTracker({ thresholdsMs: [100] });
    for (const ms of [5, 20, 99.9995, 100, 100.0006, 300, 2_000]) latency.record(ms, KEY);
    const result = latency.cumulativeBuckets([10, 100, 250, 1_000], KEY);
    expect(result).toEqual({
      buckets: [
        { le: 10, count: 1 },
        { le: 100, count: 4 },
        { le: 250, count: 5 },
        { le: 1_000, count: 6 },
        { le: Infinity, count: 7 },
      ],
      sum: 5 + 20 + 100 + 100 + 100.001 + 300 + 2_000,
      count: 7,
    });
  });

  it('accepts a trailing Infinity and keeps estimates under the exact counts that follow', () => {
    const latency = createLatencyTracker({ thresholdsMs: [200] });
    latency.record(200.5, KEY); // in the bucket of 199.9 ms, above the declared 200
    const { buckets } = latency.cumulativeBuckets([199.9, 200, Infinity], KEY);
    expect(buckets).toEqual([
      { le: 199.9, count: 0 },
      { le: 200, count: 0 },
      { le: Infinity, count: 1 },
    ]);
  });

  it.each<[unknown, string]>([
    [[10, 5], 'boundariesMs[1]: expected a number > 10 (boundaries increase), received 5'],
    [[10, 10], 'boundariesMs[1]: expected a number > 10'],
    [[-1], 'boundariesMs[0]: expected a finite number >= 0, received -1'],
    [[Number.NaN], 'boundariesMs[0]: expected a finite number >= 0, received NaN'],
    [[Infinity, 5], 'boundariesMs[0]: expected a finite number >= 0, received Infinity'],
    ['10', 'boundariesMs: expected an array of numbers'],
  ])('rejects boundaries %j', (boundaries, message) => {
    const latency = createLatencyTracker();
    const error = thrown(() => latency.cumulativeBuckets(boundaries as number[]));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
  });

  it('gives +Inf only for no boundaries', () => {
    const latency = createLatencyTracker();
    latency.record(1);
    expect(latency.cumulativeBuckets([]).buckets).toEqual([{ le: Infinity, count: 1 }]);
  });
});

describe('percentile', () => {
  it.each([-1, 101, Number.NaN, '50'])('rejects p = %j', (p) => {
    const latency = createLatencyTracker();
    const error = thrown(() => latency.percentile(p as number));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('p: expected a number from 0 to 100');
  });

  it('never reports a percentile above the max or below the min', () => {
    const latency = createLatencyTracker();
    latency.record(1_001);
    latency.record(1_002);
    expect(latency.percentile(99.999)).toBe(1_002);
    expect(latency.percentile(0)).toBe(1_001);
  });
});

describe('queries and the window option', () => {
  it('rejects a window query on a tracker without a window, and unknown views', () => {
    const latency = createLatencyTracker({ window: false });
    const error = thrown(() => latency.summary(undefined, { window: 'window' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('the tracker was created with window: false');
    const other = createLatencyTracker();
    expect(thrown(() => other.summary(undefined, { window: 'day' as 'window' }))).toBeInstanceOf(ConfigError);
  });
});

describe('startTimer', () => {
  it('records the elapsed time on the injected clock, once', () => {
    const clock = createFakeClock();
    const latency = createLatencyTracker({}, { clock });
    const stop = latency.startTimer(KEY);
    clock.advance(42.5);
    expect(stop()).toBe(42.5);
    clock.advance(100);
    expect(stop()).toBe(42.5);
    expect(latency.summary(KEY)).toMatchObject({ count: 1, max: 42.5 });
    expect(latency.summary(KEY, { window: 'window' }).count).toBe(1);
  });
});

describe('recordCorrected', () => {
  it('adds the values a stalled generator omitted, as hdr-histogram-js does', () => {
    const latency = createLatencyTracker({ thresholdsMs: [35] });
    latency.recordCorrected(100, 10, KEY);
    const lib = build({
      autoResize: false,
      highestTrackableValue: 60_000_000,
      numberOfSignificantValueDigits: 2,
    });
    lib.recordValueWithExpectedInterval(100_000, 10_000);
    expect(latency.encode(KEY)).toBe(encodeIntoCompressedBase64(lib));
    // 100, 90, ..., 10: ten values, mean 55, three of them (10, 20, 30) at or below 35 ms.
    expect(latency.summary(KEY)).toMatchObject({ count: 10, min: 10, max: 100, mean: 55 });
    expect(latency.countAtOrBelow(35, KEY)).toEqual({ good: 3, total: 10 });
  });

  it('costs buckets, not values, for a tiny interval', () => {
    const latency = createLatencyTracker();
    latency.recordCorrected(60_000, 0.001, KEY); // 60 million omitted values
    expect(latency.summary(KEY).count).toBe(60_000_000);
    expect(latency.summary(KEY).mean).toBeCloseTo(30_000.0005, 6);
  });

  it('records just the value when the interval is not positive or finite', () => {
    const latency = createLatencyTracker();
    for (const interval of [0, -5, Number.NaN, Infinity, 0.0001]) latency.recordCorrected(100, interval, KEY);
    expect(latency.summary(KEY).count).toBe(5);
  });
});

describe('encode and merge', () => {
  it('round-trips through another tracker and through hdr-histogram-js', () => {
    const a = createLatencyTracker();
    for (let ms = 0.5; ms < 5_000; ms *= 1.1) a.record(ms, KEY);
    const encoded = a.encode(KEY);
    const decoded = decodeFromCompressedBase64(encoded);
    expect(decoded.totalCount).toBe(a.summary(KEY).count);

    const b = createLatencyTracker();
    b.merge(encoded, KEY);
    b.merge(encoded, KEY);
    expect(b.summary(KEY).count).toBe(2 * a.summary(KEY).count);
    // Merged data has no exact max: percentiles clamp to the top of the max's bucket instead.
    for (const p of [50, 90, 99, 100]) {
      expect(Math.abs(b.percentile(p, KEY) / a.percentile(p, KEY) - 1)).toBeLessThanOrEqual(0.01);
    }
    // Merged values count as recorded now: they are in the window too.
    expect(b.summary(KEY, { window: 'window' }).count).toBe(2 * a.summary(KEY).count);
  });

  it('merges a histogram built by hdr-histogram-js in µs', () => {
    const lib = build();
    lib.recordValueWithCount(1_500, 3); // 1.5 ms
    lib.recordValue(90_000_000); // 90 s: above the default 60 s, clamped
    const latency = createLatencyTracker({ thresholdsMs: [2] });
    latency.merge(encodeIntoCompressedBase64(lib));
    expect(latency.summary()).toMatchObject({ count: 4, max: 60_000 });
    expect(latency.stats().overflow).toBe(1);
    expect(latency.countAtOrBelow(2)).toEqual({ good: 3, total: 4 });
  });

  it('encodes every key together, and the window alone', () => {
    const clock = createFakeClock();
    const latency = createLatencyTracker({}, { clock });
    latency.record(1, 'a');
    clock.advance(60_000);
    latency.record(2, 'b');
    expect(decodeFromCompressedBase64(latency.encode()).totalCount).toBe(2);
    expect(decodeFromCompressedBase64(latency.encode(undefined, { window: 'window' })).totalCount).toBe(1);
    expect(decodeFromCompressedBase64(latency.encode('nope')).totalCount).toBe(0);
  });

  it('switches to 64-bit counts before a bucket could wrap at 2^32', () => {
    const lib = build({ bitBucketSize: 64 });
    lib.recordValueWithCount(1_000, 3e9);
    const encoded = encodeIntoCompressedBase64(lib);
    const latency = createLatencyTracker({ window: false });
    latency.merge(encoded, KEY);
    latency.merge(encoded, KEY);
    latency.record(1, KEY);
    expect(latency.summary(KEY).count).toBe(6e9 + 1);
    expect(decodeFromCompressedBase64(latency.encode(KEY), 64).totalCount).toBe(6e9 + 1);
  });

  it('throws ERR_SRE_INVALID_ENCODING for garbage and leaves the data alone', () => {
    const latency = createLatencyTracker();
    latency.record(1, KEY);
    expect(
      isSreError(
        thrown(() => latency.merge('garbage', KEY)),
        ErrorCode.INVALID_ENCODING,
      ),
    ).toBe(true);
    expect(latency.summary(KEY).count).toBe(1);
  });
});

describe('reset and close', () => {
  it('forgets one key, freeing its place under maxKeys', () => {
    const latency = createLatencyTracker({ maxKeys: 1 });
    latency.record(1, 'a');
    latency.record(1, 'b'); // folded
    latency.reset('a');
    latency.record(2, 'c');
    expect(latency.keys()).toEqual([LATENCY_OTHER_KEY, 'c']);
    latency.reset(LATENCY_OTHER_KEY);
    expect(latency.stats()).toMatchObject({ keys: 1, foldedKeys: 0 });
    latency.reset('c');
    latency.record(3, 'b'); // b was folded before: now it can have its own place
    expect(latency.keys()).toEqual(['b']);
    latency.reset('never-seen');
    expect(latency.summary('b').count).toBe(1);
  });

  it('forgets everything, counters included', () => {
    const latency = createLatencyTracker();
    latency.record(Number.NaN);
    latency.record(1, 'a');
    latency.reset();
    expect(latency.keys()).toEqual([]);
    expect(latency.stats()).toEqual({ keys: 0, foldedKeys: 0, invalid: 0, overflow: 0 });
    latency.record(2, 'a');
    expect(latency.summary('a')).toMatchObject({ count: 1, max: 2 });
  });

  it('ignores records after close, throws ERR_SRE_CLOSED on queries, and closes idempotently', async () => {
    const latency = createLatencyTracker();
    const stop = latency.startTimer();
    await latency.close();
    await latency.close();
    expect(() => latency.record(1)).not.toThrow();
    expect(() => latency.record(Number.NaN)).not.toThrow();
    expect(() => stop()).not.toThrow();
    expect(() => latency.recordCorrected(100, 1)).not.toThrow();
    for (const query of [
      () => latency.summary(),
      () => latency.percentile(50),
      () => latency.encode(),
      () => latency.merge(''),
      () => latency.cumulativeBuckets([1]),
      () => latency.countAtOrBelow(1),
    ]) {
      expect(isSreError(thrown(query), ErrorCode.CLOSED)).toBe(true);
    }
    expect(latency.stats()).toEqual({ keys: 0, foldedKeys: 0, invalid: 0, overflow: 0 });
  });

  it('supports await using', async () => {
    let closed: ReturnType<typeof createLatencyTracker> | undefined;
    {
      await using latency = createLatencyTracker();
      latency.record(1);
      closed = latency;
    }
    expect(
      isSreError(
        thrown(() => closed.summary()),
        ErrorCode.CLOSED,
      ),
    ).toBe(true);
  });
});
