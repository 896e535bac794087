import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from 'sre-kit/testing';

// A schedule: timers created up front, some cancelled, some scheduling a child when they fire; time
// then advances in random steps. The model is a plain sort by (due time, creation order).
const scheduleArb = fc.record({
  timers: fc.array(
    fc.record({
      delay: fc.nat({ max: 1_000 }),
      cancel: fc.boolean(),
      childDelay: fc.option(fc.nat({ max: 500 })),
    }),
    { maxLength: 40 },
  ),
  steps: fc.array(fc.nat({ max: 300 }), { minLength: 1, maxLength: 20 }),
});

describe('fake clock properties', () => {
  it('fires every live callback once, in time order, never early, at its due time', () => {
    fc.assert(
      fc.property(scheduleArb, ({ timers, steps }) => {
        const clock = createFakeClock();
        const fired: Array<{ id: string; dueAt: number; at: number }> = [];
        const expected: Array<{ id: string; dueAt: number }> = [];
        timers.forEach((timer, i) => {
          const id = `t${i}`;
          const cancel = clock.schedule(timer.delay, () => {
            fired.push({ id, dueAt: timer.delay, at: clock.now() });
            if (timer.childDelay !== null) {
              const childDue = clock.now() + timer.childDelay;
              clock.schedule(timer.childDelay, () =>
                fired.push({ id: `${id}c`, dueAt: childDue, at: clock.now() }),
              );
            }
          });
          if (timer.cancel) cancel();
          else expected.push({ id, dueAt: timer.delay });
        });
        for (const step of steps) clock.advance(step);
        const end = clock.now();

        // Never early, exactly on time, and in non-decreasing time order.
        for (const f of fired) expect(f.at).toBe(f.dueAt);
        for (let i = 1; i < fired.length; i++) expect(fired[i]!.at).toBeGreaterThanOrEqual(fired[i - 1]!.at);
        // Exactly once each.
        const ids = fired.map((f) => f.id);
        expect(new Set(ids).size).toBe(ids.length);
        // Every live top-level timer due by the end fired; none due later did.
        const dueTop = expected.filter((t) => t.dueAt <= end).map((t) => t.id);
        expect(ids.filter((id) => !id.endsWith('c')).sort()).toEqual(dueTop.sort());
        // Whatever has not fired is still pending, and nothing pending is overdue.
        for (const t of clock.timers()) expect(t.dueAt).toBeGreaterThan(end);
      }),
      { numRuns: 300 },
    );
  });
});
