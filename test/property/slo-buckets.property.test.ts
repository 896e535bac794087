// Model-based checks of the tracker's storage: the bucket ring with its running-sum windows, and
// freshness slices, each against a brute-force model fed the same operations.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { burnRate, createSloTracker, type SloWindow } from 'sre-kit/slo';
import { createFakeClock } from 'sre-kit/testing';
import { BucketRing } from '../../src/slo/bucket-ring.js';

type Op =
  | { readonly op: 'add'; readonly index: number; readonly good: number; readonly bad: number }
  | { readonly op: 'moveTo'; readonly window: number; readonly end: number }
  | { readonly op: 'resetTo'; readonly window: number; readonly end: number };

const SIZE = 12;
const COUNTS = [1, 5, 12];
const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('add' as const),
        index: fc.integer({ min: 0, max: 60 }),
        good: fc.integer({ min: 0, max: 9 }),
        bad: fc.integer({ min: 0, max: 9 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('moveTo' as const),
        window: fc.integer({ min: 0, max: 2 }),
        end: fc.integer({ min: 0, max: 60 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('resetTo' as const),
        window: fc.integer({ min: 0, max: 2 }),
        end: fc.integer({ min: 0, max: 60 }),
      }),
    },
  ),
  { maxLength: 120 },
);

describe('BucketRing and its windows', () => {
  it('hold exactly what a brute-force model holds, in any order of adds, moves and resets', () => {
    fc.assert(
      fc.property(ops, (list) => {
        const ring = new BucketRing(1000, SIZE);
        const windows = COUNTS.map((count) => ring.window(count));
        // The model: every count that was kept, by index; the head; each window's end.
        const kept = new Map<number, [number, number]>();
        let head = Number.NEGATIVE_INFINITY;
        const ends = COUNTS.map(() => Number.NEGATIVE_INFINITY);
        const held = (k: number): boolean => k <= head && k > head - SIZE;
        const sum = (from: number, to: number): [number, number] => {
          let good = 0;
          let total = 0;
          for (const [k, [g, t]] of kept)
            if (k >= from && k <= to && held(k)) {
              good += g;
              total += t;
            }
          return [good, total];
        };
        for (const o of list) {
          if (o.op === 'add') {
            if (o.index > head) {
              ends.forEach((end, i) => (ends[i] = Math.max(end, o.index)));
              head = o.index;
            } else if (o.index <= head - SIZE) {
              ring.add(o.index, o.good, o.good + o.bad);
              continue;
            }
            const [g, t] = held(o.index) ? (kept.get(o.index) ?? [0, 0]) : [0, 0];
            kept.set(o.index, [g + o.good, t + o.good + o.bad]);
            ring.add(o.index, o.good, o.good + o.bad);
          } else if (o.op === 'moveTo') {
            windows[o.window]!.moveTo(o.end);
            ends[o.window] = Math.max(ends[o.window]!, o.end);
          } else {
            windows[o.window]!.resetTo(o.end);
            ends[o.window] = o.end;
          }
          // Rotation forgets what leaves the ring.
          for (const k of kept.keys()) if (!held(k)) kept.delete(k);
          const entries = [...kept].filter(([, [, t]]) => t !== 0).sort(([a], [b]) => a - b);
          expect(ring.entries()).toEqual(entries.map(([k, [g, t]]) => [k, g, t]));
          windows.forEach((w, i) => {
            const end = ends[i]!;
            expect(w.end).toBe(end);
            const [good, total] = end === Number.NEGATIVE_INFINITY ? [0, 0] : sum(end - COUNTS[i]! + 1, end);
            expect([w.good, w.total]).toEqual([good, total]);
          });
        }
      }),
      { numRuns: 500 },
    );
  });
});

const SECOND = 1000;
const MINUTE = 60_000;
const DAY = 86_400_000;
const MAX_LAG = 5 * MINUTE;
const STANDARD: Record<string, readonly [number, number]> = {
  '5m': [SECOND, 300],
  '30m': [10 * SECOND, 180],
  '1h': [10 * SECOND, 360],
  '2h': [MINUTE, 120],
  '6h': [MINUTE, 360],
  '1d': [5 * MINUTE, 288],
  '3d': [5 * MINUTE, 864],
};

describe('freshness slices', () => {
  it('count as a brute-force judgement of every slice since the first sample', () => {
    const sample = fc.record({
      dtMs: fc.oneof(fc.integer({ min: 0, max: 90 * SECOND }), fc.integer({ min: 0, max: 3 * 3_600_000 })),
      lagMs: fc.integer({ min: 0, max: 2 * MAX_LAG }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(SECOND, 7 * SECOND, SECOND * 30, MINUTE, 5 * MINUTE, 7 * MINUTE),
        fc.constantFrom<SloWindow>(
          { kind: 'rolling', durationMs: 30 * DAY },
          { kind: 'rolling', durationMs: 6 * 3_600_000 },
        ),
        fc.array(sample, { minLength: 1, maxLength: 150 }),
        fc.integer({ min: 0, max: DAY }),
        (sliceMs, window, samples, wait) => {
          const clock = createFakeClock({ start: '2026-06-01T00:00:17.250Z' });
          const slo = createSloTracker(
            {
              name: 'fresh',
              objective: { kind: 'freshness', target: 0.99, maxLagMs: MAX_LAG, sliceMs },
              window,
            },
            { clock },
          );
          const slices = new Map<number, boolean>(); // slice index → every sample fresh so far
          let first = Number.POSITIVE_INFINITY; // judging starts with the first sample's slice
          for (const s of samples) {
            clock.advance(s.dtMs);
            const now = clock.wallNow();
            slo.observeFreshness(now - s.lagMs);
            const slice = Math.floor(now / sliceMs);
            first = Math.min(first, slice);
            slices.set(slice, (slices.get(slice) ?? true) && s.lagMs <= MAX_LAG);
          }
          clock.advance(wait);
          const now = clock.wallNow();
          const current = Math.floor(now / sliceMs);
          const judged: Array<{ t: number; good: boolean }> = [];
          for (let k = first; k < current; k++) judged.push({ t: k * sliceMs, good: slices.get(k) === true });
          const recount = (g: number, n: number) => {
            let good = 0;
            let total = 0;
            for (const j of judged)
              if (Math.floor(j.t / g) > Math.floor(now / g) - n) {
                total++;
                if (j.good) good++;
              }
            return { good, total };
          };
          const status = slo.status();
          for (const [name, [g, n]] of Object.entries(STANDARD))
            expect(status.burnRates[name as keyof typeof status.burnRates]).toBe(
              burnRate({ target: 0.99, ...recount(g, n) }),
            );
          const period =
            window.kind === 'rolling' && window.durationMs === 30 * DAY
              ? recount(3_600_000, 720)
              : recount(MINUTE, 360);
          expect({ good: status.good, total: status.total }).toEqual(period);
        },
      ),
      { numRuns: 150 },
    );
  });
});
