import fc from 'fast-check';
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { createLatencyTracker, type LatencyTracker } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const HIGHEST_MS = 60_000;
const HIGHEST_US = HIGHEST_MS * 1000;
const toUs = (ms: number): number => Math.min(Math.round(ms * 1000), HIGHEST_US);

// Sample shapes that break histograms in different ways: a long right tail, a single repeated value,
// two far-apart modes, and values spread over the whole 1 µs .. 60 s range.
const gaussian = fc
  .tuple(fc.double({ min: 1e-12, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([u, v]) => Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
const lognormal = fc
  .tuple(fc.double({ min: -3, max: 8, noNaN: true }), fc.double({ min: 0.05, max: 2, noNaN: true }))
  .chain(([mu, sigma]) =>
    fc.array(
      gaussian.map((z) => Math.min(Math.exp(mu + sigma * z), HIGHEST_MS)),
      { minLength: 1, maxLength: 2_000 },
    ),
  );
const constant = fc
  .tuple(fc.double({ min: 0, max: HIGHEST_MS, noNaN: true }), fc.integer({ min: 1, max: 1_000 }))
  .map(([value, n]) => Array.from({ length: n }, () => value));
const bimodal = fc
  .tuple(
    fc.array(
      gaussian.map((z) => Math.exp(1.5 + 0.3 * z)),
      { minLength: 1, maxLength: 1_000 },
    ),
    fc.array(
      gaussian.map((z) => Math.min(Math.exp(7.5 + 0.2 * z), HIGHEST_MS)),
      { maxLength: 200 },
    ),
  )
  .map(([fast, slow]) => [...fast, ...slow]);
const hugeRange = fc.array(
  fc.double({ min: -3, max: Math.log10(HIGHEST_MS), noNaN: true }).map((e) => 10 ** e),
  { minLength: 1, maxLength: 2_000 },
);
const samples = fc.oneof(lognormal, constant, bimodal, hugeRange);
const digits = fc.integer({ min: 1, max: 4 });

function recorded(values: readonly number[], options: { significantDigits?: number } = {}): LatencyTracker {
  const latency = createLatencyTracker({ window: false, ...options });
  for (const value of values) latency.record(value);
  return latency;
}

// Nearest rank as HdrHistogram counts it: ceil(p% of n), with its guard against a one-ulp overshoot.
function nearestRankUs(sortedUs: readonly number[], p: number): number {
  const fp = (p / 100) * sortedUs.length;
  const ulp = Math.pow(2, Math.floor(Math.log2(fp)) - 52);
  const rank = Math.max(Math.ceil(fp - ulp), 1);
  return sortedUs[rank - 1] as number;
}

describe('latency tracker properties', () => {
  it('counts every valid record and drops every invalid one', () => {
    const invalid = fc.constantFrom(Number.NaN, -1, -1e-9, Infinity, -Infinity);
    fc.assert(
      fc.property(samples, fc.array(invalid, { maxLength: 20 }), (values, bad) => {
        const latency = createLatencyTracker();
        for (const value of values) latency.record(value, 'k');
        for (const value of bad) latency.record(value, 'k');
        expect(latency.summary('k').count).toBe(values.length);
        expect(latency.summary('k', { window: 'window' }).count).toBe(values.length);
        expect(latency.stats().invalid).toBe(bad.length);
      }),
    );
  });

  it('has an exact mean, min and max (at µs resolution)', () => {
    fc.assert(
      fc.property(samples, (values) => {
        const us = values.map(toUs);
        const summary = recorded(values).summary();
        expect(summary.min).toBe(Math.min(...us) / 1000);
        expect(summary.max).toBe(Math.max(...us) / 1000);
        expect(summary.mean).toBeCloseTo(us.reduce((a, b) => a + b, 0) / us.length / 1000, 9);
      }),
    );
  });

  it('reports percentiles monotone in p', () => {
    fc.assert(
      fc.property(
        samples,
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 2 }),
        (values, ps) => {
          const latency = recorded(values);
          const sorted = [...ps].sort((a, b) => a - b);
          const results = sorted.map((p) => latency.percentile(p));
          for (let k = 1; k < results.length; k++)
            expect(results[k]).toBeGreaterThanOrEqual(results[k - 1] as number);
          const s = latency.summary();
          expect([s.min, s.p50, s.p90, s.p95, s.p99, s.p999, s.max]).toEqual(
            [s.min, s.p50, s.p90, s.p95, s.p99, s.p999, s.max].sort((a, b) => a - b),
          );
        },
      ),
    );
  });

  it('keeps every percentile within the precision of the exact nearest-rank value', () => {
    fc.assert(
      fc.property(samples, digits, fc.double({ min: 0, max: 100, noNaN: true }), (values, d, p) => {
        const latency = recorded(values, { significantDigits: d });
        const sortedUs = values.map(toUs).sort((a, b) => a - b);
        for (const q of [p, 0, 50, 90, 95, 99, 99.9, 100]) {
          const exact = nearestRankUs(sortedUs, q);
          const got = Math.round(latency.percentile(q) * 1000);
          expect(Math.abs(got - exact)).toBeLessThanOrEqual(exact * 10 ** -d);
        }
      }),
    );
  });

  it('merges commutatively and associatively, the same as recording everything in one place', () => {
    fc.assert(
      fc.property(samples, samples, samples, (a, b, c) => {
        const [ea, eb, ec] = [a, b, c].map((values) => recorded(values).encode());
        const merged = (...encoded: string[]): string => {
          const target = createLatencyTracker({ window: false });
          for (const e of encoded) target.merge(e);
          return target.encode();
        };
        const ab = merged(ea!, eb!);
        expect(merged(eb!, ea!)).toBe(ab);
        expect(merged(ab, ec!)).toBe(merged(ea!, merged(eb!, ec!)));
        expect(merged(ab, ec!)).toBe(recorded([...a, ...b, ...c]).encode());
      }),
      { numRuns: 50 },
    );
  });

  it('encodes byte for byte like hdr-histogram-js, and decodes to the same counts', () => {
    fc.assert(
      fc.property(samples, digits, (values, d) => {
        const lib = build({
          autoResize: false,
          lowestDiscernibleValue: 1,
          highestTrackableValue: HIGHEST_US,
          numberOfSignificantValueDigits: d as 1 | 2 | 3 | 4,
        });
        for (const value of values) lib.recordValue(toUs(value));
        const encoded = recorded(values, { significantDigits: d }).encode();
        expect(encoded).toBe(encodeIntoCompressedBase64(lib));
        const decoded = decodeFromCompressedBase64(encoded);
        expect(decoded.totalCount).toBe(values.length);
        const libCounts = lib as unknown as { countsArrayLength: number; getCountAtIndex(i: number): number };
        const decodedCounts = decoded as unknown as { getCountAtIndex(i: number): number };
        for (let i = 0; i < libCounts.countsArrayLength; i++) {
          if (decodedCounts.getCountAtIndex(i) !== libCounts.getCountAtIndex(i))
            expect.fail(`count at index ${i}`);
        }
        const roundTrip = createLatencyTracker({ window: false, significantDigits: d });
        roundTrip.merge(encoded);
        expect(roundTrip.encode()).toBe(encoded);
      }),
      { numRuns: 50 },
    );
  });

  it('counts exactly at declared thresholds and keeps cumulative buckets monotone', () => {
    fc.assert(
      fc.property(
        samples,
        fc.uniqueArray(fc.integer({ min: 1, max: HIGHEST_US - 1 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.double({ min: 0, max: HIGHEST_MS * 2, noNaN: true }), { maxLength: 6 }),
        (values, thresholdsUs, extra) => {
          const thresholdsMs = thresholdsUs.map((us) => us / 1000);
          const latency = createLatencyTracker({ window: false, thresholdsMs });
          for (const value of values) latency.record(value);
          const us = values.map(toUs);
          for (const t of thresholdsMs) {
            const good = us.filter((v) => v <= Math.round(t * 1000)).length;
            expect(latency.countAtOrBelow(t)).toEqual({ good, total: values.length });
          }
          const boundaries = [...new Set([...thresholdsMs, ...extra])].sort((a, b) => a - b);
          const { buckets, count, sum } = latency.cumulativeBuckets(boundaries);
          expect(count).toBe(values.length);
          expect(sum).toBeCloseTo(us.reduce((a, b) => a + b, 0) / 1000, 6);
          expect(buckets.at(-1)).toEqual({ le: Infinity, count: values.length });
          for (let k = 1; k < buckets.length; k++) {
            expect(buckets[k]!.count).toBeGreaterThanOrEqual(buckets[k - 1]!.count);
          }
          for (const bucket of buckets.slice(0, -1)) {
            const exact = us.filter((v) => v <= Math.round(bucket.le * 1000)).length;
            if (thresholdsMs.includes(bucket.le)) expect(bucket.count).toBe(exact);
            // Elsewhere an estimate that never undercounts the values at or below le.
            else expect(bucket.count).toBeGreaterThanOrEqual(exact);
          }
        },
      ),
    );
  });

  it('corrects coordinated omission like hdr-histogram-js, with exact threshold counts', () => {
    fc.assert(
      fc.property(
        // The models below loop once per omitted value: keep that under 20,000 values.
        fc
          .integer({ min: 0, max: HIGHEST_US })
          .chain((value) =>
            fc.tuple(
              fc.constant(value),
              fc.integer({ min: Math.max(1, Math.ceil(value / 20_000)), max: 2_000_000 }),
            ),
          ),
        fc.integer({ min: 1, max: HIGHEST_US - 1 }),
        ([valueUs, intervalUs], thresholdUs) => {
          const latency = createLatencyTracker({ window: false, thresholdsMs: [thresholdUs / 1000] });
          latency.recordCorrected(valueUs / 1000, intervalUs / 1000);
          const lib = build({
            autoResize: false,
            highestTrackableValue: HIGHEST_US,
            numberOfSignificantValueDigits: 2,
          });
          lib.recordValueWithExpectedInterval(valueUs, intervalUs);
          expect(latency.encode()).toBe(encodeIntoCompressedBase64(lib));
          const all = [valueUs];
          for (let v = valueUs - intervalUs; v >= intervalUs; v -= intervalUs) all.push(v);
          expect(latency.countAtOrBelow(thresholdUs / 1000)).toEqual({
            good: all.filter((v) => v <= thresholdUs).length,
            total: all.length,
          });
          expect(latency.summary().mean).toBeCloseTo(all.reduce((a, b) => a + b, 0) / all.length / 1000, 6);
        },
      ),
    );
  });

  it('matches a model of the window under random records and clock steps', () => {
    const SLICE_MS = 10_000;
    const SLICES = 6;
    const op = fc.oneof(
      fc.record({ advance: fc.integer({ min: 0, max: 25_000 }) }),
      fc.record({
        key: fc.constantFrom('a', 'b', 'c'),
        value: fc.double({ min: 0, max: 1_000, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const clock = createFakeClock();
        const latency = createLatencyTracker(
          { window: { durationMs: SLICE_MS * SLICES, slices: SLICES }, thresholdsMs: [500] },
          { clock },
        );
        const model: { epoch: number; key: string; us: number }[] = [];
        for (const step of ops) {
          if ('advance' in step) clock.advance(step.advance);
          else {
            latency.record(step.value, step.key);
            model.push({ epoch: Math.floor(clock.now() / SLICE_MS), key: step.key, us: toUs(step.value) });
          }
          const oldest = Math.floor(clock.now() / SLICE_MS) - SLICES + 1;
          for (const key of ['a', 'b', 'c', undefined]) {
            const live = model.filter((m) => m.epoch >= oldest && (key === undefined || m.key === key));
            const summary = latency.summary(key, { window: 'window' });
            expect(summary.count).toBe(live.length);
            const sumUs = live.reduce((total, m) => total + m.us, 0);
            expect(summary.mean * summary.count).toBeCloseTo(sumUs / 1000, 6);
            expect(latency.countAtOrBelow(500, key, { window: 'window' }).good).toBe(
              live.filter((m) => m.us <= 500_000).length,
            );
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});
