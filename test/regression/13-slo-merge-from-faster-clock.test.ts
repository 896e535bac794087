// Issue 13, item 13: merging a snapshot from a process whose clock ran 1 h ahead moved every bucket
// ring an hour forward. The local buckets were cleared and every local event was dropped, uncounted,
// until the local clock caught up: during a total outage the 5 m burn read 0 and the page never
// fired. The merged buckets from the future are held aside and count once this clock reaches them.
import { describe, expect, it } from 'vitest';
import { createSloTracker, type SloTrackerOptions } from 'sre-kit/slo';
import { createFakeClock } from 'sre-kit/testing';

const HOUR = 3_600_000;
const START = Date.parse('2026-03-10T12:00:00.000Z');
const availability: SloTrackerOptions = {
  name: 'api',
  objective: { kind: 'availability', target: 0.999 },
};

describe('regression #13 (13): a merge from a faster clock never blinds the tracker', () => {
  it('keeps counting local events and pages during an outage; the future counts when reached', () => {
    const ours = createFakeClock({ start: START });
    const theirs = createFakeClock({ start: START + HOUR });
    const here = createSloTracker(availability, { clock: ours });
    const there = createSloTracker(availability, { clock: theirs });
    here.record(true, 500);
    there.record(false, 100);
    ours.advance(1_000);
    here.merge(there.snapshot());

    const pages: boolean[] = [];
    here.on('alert', (e) => {
      if (e.severity === 'page') pages.push(e.firing);
    });
    for (let s = 0; s < 120; s++) {
      here.record(false, 10);
      ours.advance(1_000);
    }
    const during = here.evaluate();
    expect(during.burnRates['5m']).toBeCloseTo((1200 / 1700) * 1000, 9);
    expect(during.total).toBe(1700); // 500 + 1200 of ours; their 100 lie an hour ahead
    expect(pages).toContain(true);
    expect(here.diagnostics().clockBackwards).toBe(0);

    ours.advanceTo(START + HOUR + 30_000);
    const after = here.status();
    expect(after.total).toBe(1800);
    expect(after.burnRates['5m']).toBe(1000); // only their 100 bad events, now in our last 5 minutes
  });

  it('holds a calendar period from the future aside instead of leaving the current one', () => {
    const day: SloTrackerOptions = { ...availability, window: { kind: 'calendar', unit: 'day' } };
    const ours = createFakeClock({ start: '2026-03-10T23:30:00.000Z' });
    const theirs = createFakeClock({ start: '2026-03-11T00:30:00.000Z' });
    const here = createSloTracker(day, { clock: ours });
    const there = createSloTracker(day, { clock: theirs });
    here.record(false, 50);
    there.record(false, 10);
    here.merge(there.snapshot());
    here.record(true, 5);
    ours.advance(60_000);
    expect(here.status()).toMatchObject({ good: 5, total: 55 });
    expect(here.currentWindow().startMs).toBe(Date.parse('2026-03-10T00:00:00.000Z'));

    ours.advanceTo('2026-03-11T00:45:00.000Z');
    expect(here.status()).toMatchObject({ good: 0, total: 10 });
  });
});
