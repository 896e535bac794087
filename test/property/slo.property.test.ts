import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  budgetRemaining,
  burnRate,
  calendarPeriod,
  createSloTracker,
  type SloTrackerOptions,
  type SloWindow,
} from 'sre-kit/slo';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';
import { SLO_WINDOWS } from '../helpers/slo-windows.js';

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const START = Date.parse('2026-01-30T22:00:00Z');

// A target with 1 to 5 decimals, as people write them: 0.9, 0.95, 0.999, 0.99995 ...
const decimalTarget = fc
  .integer({ min: 1, max: 5 })
  .chain((decimals) =>
    fc
      .integer({ min: 1, max: 10 ** decimals - 1 })
      .map((k) => ({ decimals, k, target: Number((1 - k / 10 ** decimals).toFixed(decimals)) })),
  );

describe('pure budget math', () => {
  it('remaining never rises as bad events are added', () => {
    fc.assert(
      fc.property(
        decimalTarget,
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        ({ target }, good, bad, more) => {
          const before = budgetRemaining({ target, good, total: good + bad });
          const after = budgetRemaining({ target, good, total: good + bad + more });
          expect(after.remaining).toBeLessThanOrEqual(before.remaining);
          expect(after.consumed).toBeGreaterThanOrEqual(before.consumed);
        },
      ),
    );
  });

  it('burn rate is exactly 1 when, and only when, the error ratio equals the budget', () => {
    fc.assert(
      fc.property(
        decimalTarget,
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 2000 }),
        ({ decimals, k, target }, total, m) => {
          // Exactly on budget: m × 10^d events of which m × k are bad.
          expect(burnRate({ target, good: m * 10 ** decimals - m * k, total: m * 10 ** decimals })).toBe(1);
          // Any other ratio: compare bad/total with k/10^d in exact integer arithmetic.
          const bad = (total * 7919) % (total + 1);
          const onBudget = BigInt(bad) * 10n ** BigInt(decimals) === BigInt(total) * BigInt(k);
          expect(burnRate({ target, good: total - bad, total }) === 1).toBe(onBudget);
        },
      ),
    );
  });
});

// How time moves before an event: mostly sub-second, some minutes, a few days (every tier rotates,
// some idle gaps outlast the tiers they cross), and jumps to just before or after a bucket or
// midnight boundary, where off-by-one errors live.
type Step = { readonly by: number } | { readonly toBoundaryOf: number; readonly offset: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2 * SECOND }).map((by) => ({ by })) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 20 * MINUTE }).map((by) => ({ by })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 * DAY }).map((by) => ({ by })) },
  {
    weight: 3,
    arbitrary: fc.record({
      toBoundaryOf: fc.constantFrom(SECOND, 10 * SECOND, MINUTE, 5 * MINUTE, HOUR, DAY),
      offset: fc.integer({ min: -1500, max: 1500 }),
    }),
  },
);
// A look at the tracker one window length (give or take two buckets) after an event, so that event
// sits at the window's oldest edge.
const probe = fc
  .constantFrom<[number, number]>(
    [5 * MINUTE, SECOND],
    [10 * MINUTE, 10 * SECOND],
    [30 * MINUTE, 10 * SECOND],
    [HOUR, 10 * SECOND],
    [2 * HOUR, MINUTE],
    [6 * HOUR, MINUTE],
    [DAY, 5 * MINUTE],
    [2 * DAY, 5 * MINUTE],
    [3 * DAY, 5 * MINUTE],
    [30 * DAY, HOUR],
  )
  .chain(([w, g]) => fc.integer({ min: w - 2 * g, max: w + 2 * g }));
const events = fc.array(
  fc.record({
    step,
    ok: fc.boolean(),
    count: fc.integer({ min: 1, max: 50 }),
    source: fc.integer({ min: 0, max: 2 }),
    probe: fc.option(probe, { freq: 6 }),
  }),
  { maxLength: 200 },
);
// The final look: right after the last event, a window length later, or days later.
const tail = fc.oneof(fc.integer({ min: 0, max: 10 * SECOND }), probe, fc.integer({ min: 0, max: 3 * DAY }));

function move(clock: FakeClock, s: Step): void {
  if ('by' in s) return clock.advance(s.by);
  const now = clock.wallNow();
  const target = Math.ceil(now / s.toBoundaryOf) * s.toBoundaryOf + s.offset;
  clock.advance(Math.max(0, target - now));
}
const windows = SLO_WINDOWS;
const options = (window: SloWindow): SloTrackerOptions => ({
  name: 'prop',
  objective: { kind: 'availability', target: 0.999 },
  window,
});

// The documented granularity of each window: [bucket ms, buckets]. A window covers its current bucket
// and the buckets before it, so an event at t counts while floor(t/g) > floor(now/g) - buckets.
const STANDARD: Record<string, readonly [number, number]> = {
  '5m': [SECOND, 300],
  '30m': [10 * SECOND, 180],
  '1h': [10 * SECOND, 360],
  '2h': [MINUTE, 120],
  '6h': [MINUTE, 360],
  '1d': [5 * MINUTE, 288],
  '3d': [5 * MINUTE, 864],
};
function rollingGranularity(durationMs: number): readonly [number, number] {
  if (durationMs <= 5 * MINUTE) return [SECOND, durationMs / SECOND];
  if (durationMs <= HOUR) return [10 * SECOND, Math.floor(durationMs / (10 * SECOND))];
  if (durationMs <= 6 * HOUR) return [MINUTE, Math.floor(durationMs / MINUTE)];
  if (durationMs <= 3 * DAY) return [5 * MINUTE, Math.floor(durationMs / (5 * MINUTE))];
  return [HOUR, Math.floor(durationMs / HOUR)]; // 30 d: 720 hourly buckets
}

function count(
  recorded: ReadonlyArray<{ t: number; ok: boolean; count: number }>,
  keep: (t: number) => boolean,
) {
  let good = 0;
  let total = 0;
  for (const e of recorded)
    if (keep(e.t)) {
      total += e.count;
      if (e.ok) good += e.count;
    }
  return { good, total };
}

describe('the tracker', () => {
  it('reports window sums equal to a brute-force recount of the same events', () => {
    fc.assert(
      fc.property(fc.constantFrom(...windows), events, tail, (window, evs, wait) => {
        const clock = createFakeClock({ start: START });
        const slo = createSloTracker(options(window), { clock });
        const recorded: Array<{ t: number; ok: boolean; count: number }> = [];
        const compare = (): void => {
          const now = clock.wallNow();
          const status = slo.status();
          for (const [name, [g, n]] of Object.entries(STANDARD)) {
            const { good, total } = count(recorded, (t) => Math.floor(t / g) > Math.floor(now / g) - n);
            expect(status.burnRates[name as keyof typeof status.burnRates]).toBe(
              burnRate({ target: 0.999, good, total }),
            );
          }
          let expected;
          if (window.kind === 'rolling') {
            const [g, n] = rollingGranularity(window.durationMs);
            expected = count(recorded, (t) => Math.floor(t / g) > Math.floor(now / g) - n);
          } else {
            const period = calendarPeriod({ unit: window.unit, timeZone: window.timeZone ?? 'UTC', at: now });
            expected = count(recorded, (t) => t >= period.startMs);
          }
          expect({ good: status.good, total: status.total }).toEqual(expected);
          expect(status.burnRates.window).toBe(burnRate({ target: 0.999, ...expected }));
        };
        for (const e of evs) {
          move(clock, e.step);
          slo.record(e.ok, e.count);
          recorded.push({ t: clock.wallNow(), ok: e.ok, count: e.count });
          if (e.probe !== null) {
            clock.advance(e.probe);
            compare();
          }
        }
        clock.advance(wait);
        compare();
      }),
      { numRuns: 150 },
    );
  });

  it('never lets remaining rise when only bad events are added at one instant', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...windows),
        events,
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 20 }),
        (window, evs, bads) => {
          const clock = createFakeClock({ start: START });
          const slo = createSloTracker(options(window), { clock });
          for (const e of evs) {
            move(clock, e.step);
            slo.record(e.ok, e.count);
          }
          let last = slo.status().budget.remaining;
          for (const n of bads) {
            slo.record(false, n);
            const now = slo.status().budget.remaining;
            expect(now).toBeLessThanOrEqual(last);
            last = now;
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('merging snapshots equals recording everything in one tracker (and restoring is lossless)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...windows), events, tail, (window, evs, wait) => {
        const clock = createFakeClock({ start: START });
        const parts = [0, 1, 2].map(() => createSloTracker(options(window), { clock }));
        const all = createSloTracker(options(window), { clock });
        for (const e of evs) {
          move(clock, e.step);
          parts[e.source]!.record(e.ok, e.count);
          all.record(e.ok, e.count);
        }
        clock.advance(wait);
        const [a, b, c] = parts as [typeof all, typeof all, typeof all];
        c.merge(JSON.parse(JSON.stringify(a.snapshot())));
        c.merge(b.snapshot());
        expect(c.status()).toEqual(all.status());
        const restored = createSloTracker(options(window), {
          clock,
          snapshot: JSON.parse(JSON.stringify(c.snapshot())),
        });
        expect(restored.status()).toEqual(all.status());
      }),
      { numRuns: 100 },
    );
  });
});
