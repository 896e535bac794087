// Issue 13: merging SLO snapshots across a fleet whose clocks disagree. Traffic is split at random
// over 2-5 trackers whose clocks are skewed by up to ±1 h; the first tracker merges the others'
// snapshots and keeps recording while its clock catches up with the faster ones.
//
// - Once its clock has passed every event (and, for calendar windows, every snapshot's time: a
//   snapshot carries only the calendar period its own clock was in), it reports exactly what one
//   tracker fed every event, each at the time its own clock stamped it, reports.
// - While it catches up, it never loses its own events and never counts another clock's future
//   early. Checked at the last millisecond of each hour, where every bucket of every tier closes, so
//   "its bucket was reached" and "it was stamped by now" mean the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSloTracker, type SloTracker, type SloTrackerOptions, type SloWindow } from 'sre-kit/slo';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';
import { SLO_WINDOWS } from '../helpers/slo-windows.js';

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const START = Date.parse('2026-01-31T22:30:00Z');

const windows = SLO_WINDOWS;
const options = (window: SloWindow): SloTrackerOptions => ({
  name: 'fleet',
  objective: { kind: 'latency', target: 0.99, thresholdMs: 250 },
  window,
});

// Time between events: mostly seconds, some minutes, a few hours (so skews and gaps both exceed the
// finer tiers).
const step = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 3 * SECOND }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 20 * MINUTE }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 * HOUR }) },
);
const event = fc.record({
  step,
  source: fc.nat(),
  ok: fc.boolean(),
  latencyMs: fc.integer({ min: 0, max: 500 }),
  count: fc.integer({ min: 1, max: 40 }),
});
const scenario = fc.record({
  window: fc.constantFrom(...windows),
  skews: fc.array(fc.integer({ min: -HOUR, max: HOUR }), { minLength: 2, maxLength: 5 }),
  before: fc.array(event, { maxLength: 80 }),
  after: fc.array(event, { maxLength: 30 }),
  waits: fc.array(fc.oneof(fc.integer({ min: 0, max: 10 * SECOND }), fc.integer({ min: 0, max: 2 * DAY })), {
    minLength: 1,
    maxLength: 3,
  }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

interface Stamped {
  readonly t: number;
  readonly local: boolean;
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly count: number;
}

// One tracker fed the given events at their stamps, read at `at`.
function oneTracker(window: SloWindow, events: readonly Stamped[], at: number): SloTracker {
  const clock = createFakeClock({ start: START - 2 * HOUR });
  const one = createSloTracker(options(window), { clock });
  for (const s of [...events].sort((a, b) => a.t - b.t)) {
    clock.advanceTo(s.t);
    one.record({ ok: s.ok, latencyMs: s.latencyMs }, s.count);
  }
  clock.advanceTo(at);
  return one;
}

interface Run {
  readonly local: SloTracker;
  readonly localClock: FakeClock;
  readonly stamped: readonly Stamped[];
  readonly latestSnapshot: number;
}

// Plays a scenario; `checkpoint` runs at the last millisecond of each of the first three hours after
// the merge, with the local tracker's clock there.
function play(s: Scenario, checkpoint: (run: Run, at: number) => void): Run {
  const clocks = s.skews.map((skew) => createFakeClock({ start: START + skew }));
  const trackers = clocks.map((clock) => createSloTracker(options(s.window), { clock }));
  const localClock = clocks[0]!;
  const stamped: Stamped[] = [];
  const tickTo = (localTime: number): void => {
    const by = localTime - localClock.wallNow();
    for (const clock of clocks) clock.advance(by);
  };
  const record = (i: number, e: { ok: boolean; latencyMs: number; count: number }): void => {
    trackers[i]!.record({ ok: e.ok, latencyMs: e.latencyMs }, e.count);
    stamped.push({
      t: clocks[i]!.wallNow(),
      local: i === 0,
      ok: e.ok,
      latencyMs: e.latencyMs,
      count: e.count,
    });
  };

  for (const e of s.before) {
    tickTo(localClock.wallNow() + e.step);
    record(e.source % trackers.length, e);
  }
  const local = trackers[0]!;
  let latestSnapshot = Number.NEGATIVE_INFINITY;
  for (const other of trackers.slice(1)) {
    const snapshot = other.snapshot();
    latestSnapshot = Math.max(latestSnapshot, snapshot.takenAtMs);
    local.merge(JSON.parse(JSON.stringify(snapshot)));
  }
  const run = (): Run => ({ local, localClock, stamped, latestSnapshot });
  const checkpoints = [1, 2, 3].map((k) => (Math.floor(localClock.wallNow() / HOUR) + k) * HOUR - 1);
  const passCheckpoints = (until: number): void => {
    while (checkpoints.length > 0 && (checkpoints[0] as number) <= until) {
      const at = checkpoints.shift() as number;
      tickTo(at);
      checkpoint(run(), at);
    }
  };
  // The local tracker keeps recording while the faster clocks' counts wait for it.
  for (const e of s.after) {
    const next = localClock.wallNow() + e.step;
    passCheckpoints(next);
    tickTo(next);
    record(0, e);
  }
  passCheckpoints(Number.POSITIVE_INFINITY);
  return run();
}

function windowCounts(tracker: SloTracker): { good: number; total: number } {
  const { good, total } = tracker.status();
  return { good, total };
}

describe('SLO snapshots merged across skewed clocks', () => {
  it('equal one tracker fed every event, once the local clock has passed the latest event', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { local, localClock, stamped, latestSnapshot } = play(s, () => undefined);
        const latestEvent = Math.max(Number.NEGATIVE_INFINITY, ...stamped.map((e) => e.t));
        const passed = s.window.kind === 'calendar' ? Math.max(latestEvent, latestSnapshot) : latestEvent;
        if (localClock.wallNow() < passed) localClock.advanceTo(passed);
        for (const wait of s.waits) {
          localClock.advance(wait);
          expect(local.status()).toEqual(oneTracker(s.window, stamped, localClock.wallNow()).status());
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keep counting local events while catching up, and count no future early', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        play(s, ({ local, stamped }, at) => {
          const merged = windowCounts(local);
          const ownSoFar = windowCounts(
            oneTracker(
              s.window,
              stamped.filter((e) => e.local && e.t <= at),
              at,
            ),
          );
          const everySoFar = windowCounts(
            oneTracker(
              s.window,
              stamped.filter((e) => e.t <= at),
              at,
            ),
          );
          expect(merged.total).toBeGreaterThanOrEqual(ownSoFar.total);
          expect(merged.good).toBeGreaterThanOrEqual(ownSoFar.good);
          expect(merged.total - merged.good).toBeGreaterThanOrEqual(ownSoFar.total - ownSoFar.good);
          // A calendar period is one bucket: a faster clock's events in this very period count at once.
          if (s.window.kind === 'rolling') {
            expect(merged.total).toBeLessThanOrEqual(everySoFar.total);
            expect(merged.good).toBeLessThanOrEqual(everySoFar.good);
          }
        });
      }),
      { numRuns: 150 },
    );
  });
});
