import { describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  createSloTracker,
  type SloAlertEvent,
  type SloBudgetExhaustedEvent,
  type SloTrackerOptions,
} from 'sre-kit/slo';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const START = '2026-03-02T00:00:00Z';

const availability: SloTrackerOptions = {
  name: 'api-availability',
  objective: { kind: 'availability', target: 0.999 },
};

function tracker(
  options: Partial<SloTrackerOptions> = {},
  clock: FakeClock = createFakeClock({ start: START }),
) {
  const slo = createSloTracker({ ...availability, ...options }, { clock });
  return { slo, clock };
}

// Records `perSecond` events each second for `seconds` seconds.
function run(
  slo: { record(ok: boolean, n?: number): void },
  clock: FakeClock,
  seconds: number,
  ok: boolean,
  perSecond = 10,
) {
  for (let i = 0; i < seconds; i++) {
    slo.record(ok, perSecond);
    clock.advance(SECOND);
  }
}

describe('createSloTracker status()', () => {
  it('answers no traffic with a null SLI, the whole budget and nothing burning', () => {
    const { slo } = tracker();
    expect(slo.status()).toEqual({
      name: 'api-availability',
      target: 0.999,
      sli: null,
      good: 0,
      total: 0,
      budget: { consumed: 0, remaining: 1 },
      burnRates: { '5m': 0, '30m': 0, '1h': 0, '2h': 0, '6h': 0, '1d': 0, '3d': 0, window: 0 },
      alerts: [
        { severity: 'page', longWindowMs: HOUR, shortWindowMs: 5 * MINUTE, burnRate: 14.4, firing: false },
        { severity: 'page', longWindowMs: 6 * HOUR, shortWindowMs: 30 * MINUTE, burnRate: 6, firing: false },
        { severity: 'ticket', longWindowMs: 3 * DAY, shortWindowMs: 6 * HOUR, burnRate: 1, firing: false },
      ],
      timeToExhaustionMs: Number.POSITIVE_INFINITY,
    });
  });

  it('counts good and total and reports the SLI over the window', () => {
    const { slo, clock } = tracker();
    slo.record(true);
    slo.record(false);
    slo.record({ ok: true, latencyMs: 5 });
    slo.record(true, 997);
    clock.advance(10 * SECOND);
    const status = slo.status();
    expect(status.good).toBe(999);
    expect(status.total).toBe(1000);
    expect(status.sli).toBe(0.999);
    expect(status.budget.consumed).toBe(1);
    expect(status.burnRates['5m']).toBe(1);
    expect(status.burnRates.window).toBe(1);
  });

  it('fires the 14.4x page ~52 s into a total outage and resets ~296 s after recovery', () => {
    const { slo, clock } = tracker();
    const events: SloAlertEvent[] = [];
    slo.on('alert', (e) => {
      events.push(e);
    });
    run(slo, clock, 2 * 3600, true); // two healthy hours fill the 1 h window
    const outageAt = clock.wallNow();
    let firedAfter = -1;
    for (let s = 0; s < 600; s++) {
      if (firedAfter < 0 && slo.status().alerts[0]!.firing) firedAfter = s;
      slo.record(false, 10);
      clock.advance(SECOND);
    }
    expect(firedAfter).toBeGreaterThanOrEqual(51);
    expect(firedAfter).toBeLessThanOrEqual(53);
    const recoveredAt = clock.wallNow();
    let resetAfter = -1;
    for (let s = 0; s < 600; s++) {
      if (resetAfter < 0 && !slo.status().alerts[0]!.firing) resetAfter = s;
      slo.record(true, 10);
      clock.advance(SECOND);
    }
    expect(resetAfter).toBeGreaterThanOrEqual(294);
    expect(resetAfter).toBeLessThanOrEqual(298);
    // The events tell the same story, with both burn rates at the change.
    const page = events.filter((e) => e.burnRate === 14.4);
    expect(page.map((e) => e.firing)).toEqual([true, false]);
    expect((page[0]!.atMs - outageAt) / SECOND).toBeCloseTo(52, -1);
    expect(page[0]!.longBurnRate).toBeGreaterThan(14.4);
    expect(page[0]!.shortBurnRate).toBeGreaterThan(14.4);
    expect((page[1]!.atMs - recoveredAt) / SECOND).toBeCloseTo(296, -1);
    expect(page[1]).toMatchObject({ name: 'api-availability', severity: 'page', shortWindowMs: 5 * MINUTE });
  });

  it('shows 2 % of a 30-day budget spent by one hour at 14.4x', () => {
    const { slo, clock } = tracker();
    // 2500 events a minute; the last hour fails 36 of them a minute: an error ratio of 14.4 × 0.001.
    for (let h = 0; h < 719; h++) {
      slo.record(true, 150_000);
      clock.advance(HOUR);
    }
    for (let m = 0; m < 59; m++) {
      slo.record(false, 36);
      slo.record(true, 2_500 - 36);
      clock.advance(MINUTE);
    }
    const status = slo.status();
    expect(status.burnRates['1h']).toBeCloseTo(14.4, 9);
    expect(status.budget.consumed).toBeCloseTo(0.02, 3);
    expect(slo.diagnostics().dropped).toBe(0);
  });

  it('extrapolates time to exhaustion from the last hour', () => {
    const { slo, clock } = tracker();
    slo.record(false, 600); // 60 % of the budget, long ago
    slo.record(true, 999_400);
    clock.advance(10 * DAY);
    for (let m = 0; m < 30; m++) {
      slo.record(false, 6);
      slo.record(true, 994);
      clock.advance(MINUTE);
    }
    const status = slo.status();
    expect(status.burnRates['1h']).toBeCloseTo(6, 9);
    expect(status.timeToExhaustionMs).toBeCloseTo((status.budget.remaining * 30 * DAY) / 6, 0);
  });
});

describe('record() never throws on bad input', () => {
  it('judges latency objectives by ok and threshold (inclusive)', () => {
    const { slo } = tracker({ objective: { kind: 'latency', target: 0.95, thresholdMs: 200 } });
    slo.record({ ok: true, latencyMs: 200 });
    slo.record({ ok: true, latencyMs: 200.5 });
    slo.record({ ok: false, latencyMs: 10 });
    slo.record({ ok: false });
    slo.record({ ok: true, latencyMs: 0 }, 3);
    expect(slo.status()).toMatchObject({ good: 4, total: 7 });
    expect(slo.diagnostics().dropped).toBe(0);
  });

  it('counts and drops values it cannot judge', () => {
    const { slo } = tracker({ objective: { kind: 'latency', target: 0.95, thresholdMs: 200 } });
    const bad: unknown[][] = [
      [true], // a latency SLO needs the latency of a success
      [{ ok: true }],
      [{ ok: true, latencyMs: Number.NaN }],
      [{ ok: true, latencyMs: -1 }],
      [{ ok: true, latencyMs: Number.POSITIVE_INFINITY }],
      [{ ok: true, latencyMs: '5' }],
      [{ ok: 'yes' }],
      [null],
      [undefined],
      [1],
      [false, -1],
      [false, 1.5],
      [false, Number.NaN],
      [false, '2'],
      [false, Number.MAX_SAFE_INTEGER + 2],
    ];
    for (const args of bad) (slo.record as (...a: unknown[]) => void)(...args);
    expect(slo.diagnostics().dropped).toBe(bad.length);
    expect(slo.status().total).toBe(0);
  });

  it('records nothing for a count of 0, without counting it as bad input', () => {
    const { slo } = tracker();
    slo.record(false, 0);
    expect(slo.status().total).toBe(0);
    expect(slo.diagnostics().dropped).toBe(0);
  });

  it('drops observeFreshness on non-freshness objectives', () => {
    const { slo } = tracker();
    slo.observeFreshness(0);
    expect(slo.diagnostics().dropped).toBe(1);
  });
});

describe('time', () => {
  it('ignores a wall clock stepping backwards, counts it, and keeps counting events', () => {
    const { slo, clock } = tracker();
    run(slo, clock, 5, true);
    clock.setWallTime(Date.parse(START) - HOUR);
    slo.record(false, 3);
    slo.record(false, 2);
    clock.advance(SECOND);
    slo.record(false);
    expect(slo.diagnostics().clockBackwards).toBe(1);
    const status = slo.status();
    expect(status.total).toBe(56);
    expect(status.good).toBe(50);
    // Once the clock is past the last second seen again, time moves on normally.
    clock.setWallTime(Date.parse(START) + 10 * SECOND);
    slo.record(true);
    expect(slo.status().total).toBe(57);
    expect(slo.diagnostics().clockBackwards).toBe(1);
  });

  it('lets events age out of each window at its granularity', () => {
    const { slo, clock } = tracker();
    slo.record(false);
    clock.advance(5 * MINUTE - SECOND);
    expect(slo.status().burnRates['5m']).toBe(1000);
    clock.advance(SECOND);
    expect(slo.status().burnRates['5m']).toBe(0);
    expect(slo.status().burnRates['30m']).toBe(1000);
    clock.advance(3 * DAY);
    expect(slo.status().burnRates['3d']).toBe(0);
    expect(slo.status().total).toBe(1);
    clock.advance(27 * DAY);
    expect(slo.status().total).toBe(0);
  });

  it('rotates lazily across a long idle gap', () => {
    const { slo, clock } = tracker();
    run(slo, clock, 3, false);
    clock.advance(400 * DAY);
    run(slo, clock, 3, true);
    expect(slo.status()).toMatchObject({ good: 30, total: 30 });
  });

  it('keeps a 30-day SLO within 64 KB of counts', () => {
    const { slo } = tracker();
    expect(slo.diagnostics().memoryBytes).toBeLessThanOrEqual(64 * 1024);
    const year = tracker({ window: { kind: 'rolling', durationMs: 366 * DAY } }).slo;
    expect(year.diagnostics().memoryBytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('works for very short windows: a 1-minute SLO has no preset alerts', () => {
    const { slo, clock } = tracker({ window: { kind: 'rolling', durationMs: MINUTE } });
    run(slo, clock, 30, false, 1);
    run(slo, clock, 30, true, 1);
    // The window is the current second and the 59 before it: second 0 (bad) has just left.
    const status = slo.status();
    expect(status.alerts).toEqual([]);
    expect(status).toMatchObject({ good: 30, total: 59 });
    clock.advance(30 * SECOND);
    expect(slo.status()).toMatchObject({ good: 29, total: 29 });
  });
});

describe('events', () => {
  it('emits budgetExhausted once when the window budget runs out, and again after it recovered', () => {
    const { slo, clock } = tracker({ window: { kind: 'rolling', durationMs: HOUR }, alerts: false });
    const seen: SloBudgetExhaustedEvent[] = [];
    slo.on('budgetExhausted', (e) => {
      seen.push(e);
    });
    run(slo, clock, 10, true, 100);
    slo.record(false, 2); // 2 of 1002: just over the 0.1 % budget
    clock.advance(SECOND);
    slo.record(true);
    clock.advance(SECOND);
    slo.record(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ name: 'api-availability' });
    expect(seen[0]!.consumed).toBeGreaterThanOrEqual(1);
    expect(seen[0]!.remaining).toBeLessThanOrEqual(0);
    slo.evaluate();
    expect(seen).toHaveLength(1);
    clock.advance(2 * HOUR); // the bad event leaves the window: the budget is back
    slo.evaluate();
    slo.record(false);
    expect(slo.status().budget.remaining).toBeLessThan(0);
    expect(seen).toHaveLength(1); // a read judges nothing
    expect(slo.evaluate().budget.remaining).toBeLessThan(0);
    expect(seen).toHaveLength(2);
  });

  it('isolates a throwing listener and reports it to onInternalError', () => {
    const clock = createFakeClock({ start: START });
    const onInternalError = vi.fn();
    const slo = createSloTracker(
      { ...availability, window: { kind: 'rolling', durationMs: HOUR } },
      { clock, onInternalError },
    );
    slo.on('budgetExhausted', () => {
      throw new Error('listener bug');
    });
    slo.record(false);
    clock.advance(SECOND);
    expect(() => slo.record(true)).not.toThrow();
    expect(onInternalError).toHaveBeenCalledTimes(1);
    expect(onInternalError.mock.calls[0]![1]).toEqual({
      source: 'sloTracker:api-availability',
      event: 'budgetExhausted',
    });
  });

  it('stops emitting after off() and after close()', () => {
    const { slo, clock } = tracker();
    const listener = vi.fn();
    const unsubscribe = slo.on('alert', listener);
    unsubscribe();
    run(slo, clock, 120, false);
    expect(listener).not.toHaveBeenCalled();
    slo.once('alert', listener);
    slo.close();
    run(slo, clock, 3600, true);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('snapshots', () => {
  it('restores to the same status, through JSON', () => {
    const clock = createFakeClock({ start: START });
    const first = createSloTracker(availability, { clock });
    run(first, clock, 3 * 3600, true);
    run(first, clock, 90, false);
    first.record('nonsense' as never);
    const json = JSON.stringify(first.snapshot());
    const second = createSloTracker(availability, { clock, snapshot: JSON.parse(json) });
    expect(second.status()).toEqual(first.status());
    expect(second.diagnostics().dropped).toBe(1);
    clock.advance(HOUR);
    expect(second.status()).toEqual(first.status());
  });

  it('merges another process: the result equals one tracker fed everything', () => {
    const clock = createFakeClock({ start: START });
    const [a, b, all] = [0, 1, 2].map(() => createSloTracker(availability, { clock }));
    for (let s = 0; s < 5000; s++) {
      const ok = s % 97 !== 0;
      (s % 3 === 0 ? a : b)!.record(ok, 1 + (s % 5));
      all!.record(ok, 1 + (s % 5));
      clock.advance(700);
    }
    b!.merge(a!.snapshot());
    expect(b!.status()).toEqual(all!.status());
  });

  it('merges a snapshot from a process whose clock runs ahead without counting its future early', () => {
    const ours = createFakeClock({ start: START });
    const theirs = createFakeClock({ start: Date.parse(START) + 2 * MINUTE });
    const here = createSloTracker(availability, { clock: ours });
    const there = createSloTracker(availability, { clock: theirs });
    here.record(true, 10);
    there.record(false, 10);
    here.merge(there.snapshot());
    expect(here.status().burnRates['5m']).toBe(0); // their events lie two minutes in our future
    ours.advance(2 * MINUTE);
    expect(here.status().burnRates['5m']).toBe(500);
  });

  it('carries counts held for a faster clock through its own snapshot and a restart', () => {
    const day: SloTrackerOptions = { ...availability, window: { kind: 'calendar', unit: 'day' } };
    const ours = createFakeClock({ start: '2026-03-10T23:30:00.000Z' });
    const theirs = createFakeClock({ start: '2026-03-11T00:30:00.000Z' });
    const here = createSloTracker(day, { clock: ours });
    const there = createSloTracker(day, { clock: theirs });
    here.record(true, 50);
    there.record(false, 10);
    here.merge(there.snapshot());
    const saved = JSON.parse(JSON.stringify(here.snapshot()));
    expect(saved.periodsAhead).toEqual([
      {
        startMs: Date.parse('2026-03-11T00:00:00.000Z'),
        endMs: Date.parse('2026-03-12T00:00:00.000Z'),
        good: 0,
        total: 10,
      },
    ]);
    const restarted = createSloTracker(day, { clock: ours, snapshot: saved });
    expect(restarted.status()).toEqual(here.status());
    ours.advanceTo('2026-03-11T00:31:00.000Z');
    expect(restarted.status()).toEqual(here.status());
    expect(here.status()).toMatchObject({ good: 0, total: 10 });
    expect(here.status().burnRates['5m']).toBe(1000);
  });

  it('refuses counts more than a day ahead of its clock, naming them, and changes nothing', () => {
    const { slo } = tracker();
    slo.record(true, 3);
    const far = createSloTracker(availability, {
      clock: createFakeClock({ start: Date.parse(START) + 2 * DAY }),
    });
    far.record(false);
    const before = slo.snapshot();
    expect(() => slo.merge(far.snapshot())).toThrow(ConfigError);
    expect(() => slo.merge(far.snapshot())).toThrow(
      /tiers\[0\]\.buckets\[0\]: expected counts at most 1 day ahead of this tracker's clock/,
    );
    expect(slo.snapshot()).toEqual(before);
    // A bucket index no Date can show is still a ConfigError, not a RangeError.
    const forged = { ...before, tiers: [{ granularityMs: 1000, size: 300, buckets: [[2 ** 52, 1, 1]] }] };
    expect(() => slo.merge(forged as never)).toThrow(/received 4503599627370496000/);
  });

  it('rejects a malformed snapshot or one of another SLO, naming the field', () => {
    const { slo } = tracker();
    const other = createSloTracker({ ...availability, name: 'other' }, { clock: createFakeClock() });
    expect(() => slo.merge(other.snapshot())).toThrow(ConfigError);
    expect(() => slo.merge(other.snapshot())).toThrow(
      /name: expected the name of this SLO \("api-availability"\)/,
    );
    expect(() => slo.merge({ ...slo.snapshot(), version: 2 } as never)).toThrow(/version/);
    expect(() =>
      createSloTracker(availability, {
        snapshot: { ...slo.snapshot(), tiers: [{ granularityMs: 1000, size: 10, buckets: [[1, 5, 2]] }] },
      }),
    ).toThrow(/tiers\[0\]\.buckets\[0\]: expected a bucket with good <= total/);
  });

  it('restores into a tracker with another window, keeping what the snapshot tiers can rebuild', () => {
    const clock = createFakeClock({ start: START });
    const rolling = createSloTracker(availability, { clock });
    run(rolling, clock, 600, true);
    rolling.record(false, 4);
    clock.advance(SECOND);
    const week = createSloTracker(
      { ...availability, window: { kind: 'rolling', durationMs: 7 * DAY } },
      { clock, snapshot: rolling.snapshot() },
    );
    expect(week.status().burnRates).toEqual(rolling.status().burnRates);
    expect(week.status()).toMatchObject({ good: 6000, total: 6004 });
    // A calendar period's running total cannot be rebuilt from a rolling snapshot: it starts afresh.
    const month = createSloTracker(
      { ...availability, window: { kind: 'calendar', unit: 'month' } },
      { clock, snapshot: rolling.snapshot() },
    );
    expect(month.status().burnRates['5m']).toBe(rolling.status().burnRates['5m']);
    expect(month.status().total).toBe(0);
  });

  it('carries the freshness slice across a restart', () => {
    const clock = createFakeClock({ start: START });
    const options: SloTrackerOptions = {
      name: 'sync',
      objective: { kind: 'freshness', target: 0.99, maxLagMs: 5 * MINUTE },
    };
    const first = createSloTracker(options, { clock });
    first.observeFreshness(clock.wallNow());
    const second = createSloTracker(options, { clock, snapshot: first.snapshot() });
    clock.advance(MINUTE);
    expect(second.status()).toMatchObject({ good: 1, total: 1 });
  });
});

describe('calendar windows', () => {
  it('budgets February at 99.9 % as 40.32 minutes and resets at the month boundary', () => {
    const { slo, clock } = tracker(
      { window: { kind: 'calendar', unit: 'month', timeZone: 'UTC' } },
      createFakeClock({ start: '2026-02-27T23:00:00Z' }),
    );
    expect(slo.currentWindow()).toEqual({
      startMs: Date.parse('2026-02-01T00:00:00Z'),
      endMs: Date.parse('2026-03-01T00:00:00Z'),
      durationMs: 28 * DAY,
      allowedDowntimeMs: 40.32 * MINUTE,
    });
    slo.record(false, 5);
    clock.advanceTo('2026-02-28T23:59:59Z');
    slo.record(true, 5);
    expect(slo.status()).toMatchObject({ good: 5, total: 10 });
    clock.advance(SECOND);
    expect(slo.status()).toMatchObject({ good: 0, total: 0, sli: null });
    expect(slo.currentWindow().durationMs).toBe(31 * DAY);
    // Burn windows do not reset with the period: 3 d still sees February's bad events.
    expect(slo.status().burnRates['3d']).toBeGreaterThan(0);
  });

  it('starts periods at local midnight in the time zone', () => {
    const { slo, clock } = tracker(
      { window: { kind: 'calendar', unit: 'day', timeZone: 'Asia/Kolkata' } },
      createFakeClock({ start: '2026-05-10T18:29:00Z' }), // 23:59 in India
    );
    slo.record(false);
    clock.advance(MINUTE); // 00:00 IST
    slo.record(true);
    expect(slo.status()).toMatchObject({ good: 1, total: 1 });
    expect(slo.currentWindow().startMs).toBe(Date.parse('2026-05-10T18:30:00Z'));
  });

  it('uses ISO weeks starting on Monday', () => {
    const { slo } = tracker(
      { window: { kind: 'calendar', unit: 'week', timeZone: 'UTC' } },
      createFakeClock({ start: '2026-03-08T12:00:00Z' }), // a Sunday
    );
    expect(slo.currentWindow().startMs).toBe(Date.parse('2026-03-02T00:00:00Z'));
    expect(slo.currentWindow().durationMs).toBe(7 * DAY);
  });
});

describe('freshness objectives', () => {
  const options: SloTrackerOptions = {
    name: 'sync-lag',
    objective: { kind: 'freshness', target: 0.99, maxLagMs: 5 * MINUTE },
  };

  it('judges whole slices: fresh, stale, and empty slices once judging started', () => {
    const clock = createFakeClock({ start: START });
    const slo = createSloTracker(options, { clock });
    clock.advance(10 * MINUTE); // nothing judged before the first sample
    expect(slo.status().total).toBe(0);
    slo.observeFreshness(clock.wallNow() - MINUTE); // fresh
    clock.advance(MINUTE);
    slo.observeFreshness(clock.wallNow() - 10 * MINUTE); // stale
    slo.observeFreshness(clock.wallNow()); // a fresh sample does not redeem the slice
    clock.advance(MINUTE);
    clock.advance(2 * MINUTE); // two slices without a sample
    slo.record(true); // a sample judged by the caller
    expect(slo.status()).toMatchObject({ good: 1, total: 4 });
    clock.advance(MINUTE);
    expect(slo.status()).toMatchObject({ good: 2, total: 5 });
    expect(slo.status().sli).toBe(0.4);
  });

  it('counts missing slices in a calendar period arithmetically across a long gap', () => {
    const clock = createFakeClock({ start: '2026-04-01T00:00:00Z' });
    const slo = createSloTracker({ ...options, window: { kind: 'calendar', unit: 'month' } }, { clock });
    slo.observeFreshness(clock.wallNow());
    clock.advance(10 * DAY);
    const status = slo.status();
    expect(status.total).toBe(10 * 24 * 60);
    expect(status.good).toBe(1);
    expect(status.burnRates['1d']).toBe(100);
  });
});

describe('lifecycle and options', () => {
  it('close() is idempotent; record after close is ignored; status stays readable', async () => {
    const { slo } = tracker();
    slo.record(true);
    slo.close();
    slo.close();
    slo.record(false);
    slo.observeFreshness(0);
    expect(slo.status()).toMatchObject({ good: 1, total: 1 });
    await slo[Symbol.asyncDispose]();
  });

  it.each([
    [
      { objective: { kind: 'availability', target: 1 } },
      'objective.target: expected a number < 1, received 1',
    ],
    [
      { objective: { kind: 'availability', target: 0 } },
      'objective.target: expected a number > 0, received 0',
    ],
    [{ objective: { kind: 'latency', target: 0.9 } }, 'objective.thresholdMs'],
    [{ objective: { kind: 'errors', target: 0.9 } }, 'objective.kind'],
    [
      { window: { kind: 'rolling', durationMs: 30 * SECOND } },
      'window.durationMs: expected a number >= 60000',
    ],
    [{ window: { kind: 'rolling', durationMs: 90_500 } }, 'window.durationMs: expected a multiple of 1000'],
    [
      { window: { kind: 'calendar', unit: 'month', timeZone: 'Mars/Olympus' } },
      'window.timeZone: expected an IANA time zone',
    ],
    [{ window: { kind: 'calendar', unit: 'year' } }, 'window.unit'],
    [{ name: 'has space' }, 'name:'],
    [{ alerts: 'pyrra' }, 'alerts'],
    [
      { alerts: [{ severity: 'page', longWindowMs: HOUR, shortWindowMs: 2 * HOUR, burnRate: 2 }] },
      'alerts[0].shortWindowMs',
    ],
    [
      { alerts: [{ severity: 'page', longWindowMs: HOUR, shortWindowMs: MINUTE }] },
      'alerts[0].burnRate: expected exactly one of',
    ],
    [
      {
        window: { kind: 'rolling', durationMs: 2 * DAY },
        alerts: [{ severity: 'page', longWindowMs: 5 * DAY, shortWindowMs: HOUR, burnRate: 2 }],
      },
      'alerts[0].longWindowMs: expected at most',
    ],
  ])('rejects %j', (patch, message) => {
    const options: unknown = { ...availability, ...patch };
    expect(() => createSloTracker(options as SloTrackerOptions)).toThrow(message);
  });

  it('accepts custom alert windows given by burn rate or budget share', () => {
    const { slo } = tracker({
      window: { kind: 'rolling', durationMs: 7 * DAY },
      alerts: [
        { severity: 'page', longWindowMs: 30 * MINUTE, shortWindowMs: 2 * MINUTE, burnRate: 20 },
        { severity: 'ticket', longWindowMs: 7 * DAY, shortWindowMs: DAY, budgetConsumed: 0.5 },
      ],
    });
    expect(slo.status().alerts.map((a) => a.burnRate)).toEqual([20, 0.5]);
  });
});
