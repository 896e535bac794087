// active() answers from memos (each window's current span, and the last answer while no window opens or
// closes); whatever order times are asked in, it must agree with the occurrences computed afresh.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMaintenanceCalendar } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const DAY = 86_400_000;
const START = Date.parse('2026-03-20T00:00:00Z');
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const hhmm = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

const windowArb = fc.record({
  weekdays: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 3 }),
  // Quarter hours, so starts and ends fall in and around the DST hours too.
  start: fc.integer({ min: 0, max: 95 }).map((q) => q * 15),
  length: fc.integer({ min: 1, max: 40 }).map((q) => q * 15),
  timeZone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'UTC'),
});

describe('maintenance calendar (property)', () => {
  it('active(t) is exactly the windows with an occurrence containing t, in any order of asking', () => {
    fc.assert(
      fc.property(
        fc.array(windowArb, { minLength: 1, maxLength: 6 }),
        // Times across both March transitions (Berlin 29th, New York 8th is before START) and back again.
        fc.array(fc.integer({ min: 0, max: 14 * DAY }), { minLength: 1, maxLength: 40 }),
        (windows, offsets) => {
          const clock = createFakeClock({ start: START - DAY });
          const calendar = createMaintenanceCalendar({}, { clock });
          windows.forEach((w, i) =>
            calendar.add({
              id: `w${i}`,
              title: 'w',
              matchers: ['service="x"'],
              recurring: {
                weekdays: w.weekdays,
                times: [{ start: hhmm(w.start), end: hhmm((w.start + w.length) % 1_440) }],
                timeZone: w.timeZone,
              },
              createdBy: 'test',
            }),
          );
          for (const offset of offsets) {
            const t = START + offset;
            const expected = new Set(
              calendar
                .occurrences(t - 2 * DAY, t + 2 * DAY)
                .filter((o) => o.startsAt <= t && t < o.endsAt)
                .map((o) => o.window.id),
            );
            const active = calendar.active(t);
            expect(new Set(active.map((a) => a.window.id))).toEqual(expected);
            for (const open of active) expect(open.startsAt <= t && t < open.endsAt).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
