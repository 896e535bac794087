// A past for the SLOs. A service restores its SLO counts from a snapshot at start (deps.snapshot), so its
// error budget remembers the weeks before; a demo that starts from nothing would blow a 99.9 % budget
// with its first injected error. This builds such a snapshot: seven quiet days (a little under target),
// replayed hour by hour on a fake clock, sized so the run's faults spend a visible share of the budget.
import { createSloTracker, type SloSnapshot, type SloTrackerOptions } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const HOUR_MS = 3_600_000;
/** How many days of past events each SLO is seeded with. */
export const SEEDED_DAYS = 7;

/**
 * The snapshot of `options`' SLO after `events` events spread over the last seven days, of which
 * `badShare` of the allowed budget went bad.
 */
export function pastWeek(options: SloTrackerOptions, events: number, badShare: number): SloSnapshot {
  const clock = createFakeClock({ start: Date.now() - SEEDED_DAYS * 24 * HOUR_MS });
  const tracker = createSloTracker(options, { clock });
  const hours = SEEDED_DAYS * 24;
  const perHour = Math.max(1, Math.round(events / hours));
  const badPerHour = perHour * (1 - options.objective.target) * badShare;
  let owedBad = 0;
  const threshold = options.objective.kind === 'latency' ? options.objective.thresholdMs : 0;
  for (let hour = 0; hour < hours; hour++) {
    owedBad += badPerHour;
    const bad = Math.floor(owedBad);
    owedBad -= bad;
    tracker.record({ ok: true, latencyMs: threshold / 4 }, perHour - bad);
    tracker.record({ ok: false, latencyMs: threshold * 2 }, bad);
    clock.advance(HOUR_MS);
  }
  const snapshot = tracker.snapshot();
  tracker.close();
  return snapshot;
}
