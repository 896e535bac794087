// Issue 13, item 14: a freshness SLO judges time slices, and one slice is fresh only when every
// sample in it was. Two processes watching the same data each judged their own slices, so summing
// their counts double-counted time: A fresh, B stale for 5 of 10 minutes merged to 15/20 (0.75)
// where one tracker fed every sample says 5/10 (0.5). A snapshot keeps counts per bucket, not which
// slices were stale, so no merge of them can be exact: merge() refuses freshness snapshots with a
// ConfigError naming the objective, and leaves the tracker as it was. Restoring one's own snapshot
// after a restart (one timeline, nothing to combine) still works.
import { describe, expect, it } from 'vitest';
import { ConfigError, createSloTracker, isSreError, type SloTrackerOptions } from 'sre-kit/slo';
import { createFakeClock } from 'sre-kit/testing';

const MINUTE = 60_000;
const freshness: SloTrackerOptions = {
  name: 'replica-lag',
  objective: { kind: 'freshness', target: 0.9, maxLagMs: 30_000 },
};

describe('regression #13 (14): freshness snapshots are never summed', () => {
  it('refuses to merge them, naming the objective, and changes nothing', () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    const a = createSloTracker(freshness, { clock });
    const b = createSloTracker(freshness, { clock });
    const one = createSloTracker(freshness, { clock });
    for (let minute = 0; minute < 10; minute++) {
      const now = clock.wallNow();
      a.observeFreshness(now);
      one.observeFreshness(now);
      const lag = minute < 5 ? 5 * MINUTE : 0;
      b.observeFreshness(now - lag);
      one.observeFreshness(now - lag);
      clock.advance(MINUTE);
    }
    expect(one.status()).toMatchObject({ good: 5, total: 10 });
    const before = a.status();
    expect(before).toMatchObject({ good: 10, total: 10 });

    let thrown: unknown;
    try {
      a.merge(b.snapshot());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(isSreError(thrown, 'ERR_SRE_INVALID_OPTIONS')).toBe(true);
    expect(String(thrown)).toContain('objective.kind');
    expect(a.status()).toEqual(before);

    // A restart restores its own snapshot: one timeline, exact.
    const restored = createSloTracker(freshness, { clock, snapshot: b.snapshot() });
    expect(restored.status()).toEqual(b.status());
  });
});
