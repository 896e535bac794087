// The counts one snapshot holds beyond an earlier one of the same tracker: what a process ships to a
// collector each interval so that merging every shipment counts each event exactly once.
import { ConfigError } from '../core/index.js';
import { checkSnapshot, type SloSnapshot, type SloSnapshotPeriod, type SloSnapshotTier } from './snapshot.js';

/**
 * The counts `current` holds beyond `previous`: two snapshots of one tracker, `previous` taken first.
 * Merge the result into a collector's tracker (`merge()`) each interval, and every event the process
 * recorded is counted there once, in its own time bucket. Buckets that have left the ring since
 * `previous` add nothing (their counts were in `previous`); a calendar period that began since counts
 * whole. Freshness snapshots are refused, as `merge()` refuses them.
 *
 * @example
 * ```ts
 * let shipped = slo.snapshot();
 * collector.merge(shipped);                   // the first shipment: everything so far
 * // ... one interval later ...
 * const now = slo.snapshot();
 * collector.merge(sloSnapshotDelta(now, shipped)); // only what happened in between
 * shipped = now;
 * ```
 * @throws {ConfigError} when either snapshot is malformed, they belong to different SLOs, their tiers
 *   differ, or they are freshness snapshots.
 */
export function sloSnapshotDelta(current: SloSnapshot, previous: SloSnapshot): SloSnapshot {
  const where = 'sloSnapshotDelta';
  const now = checkSnapshot(current, current.name, where, 'current');
  const before = checkSnapshot(previous, now.name, where, 'previous');
  if (now.freshness !== null || before.freshness !== null)
    throw new ConfigError(where, [
      {
        field: 'current.freshness',
        received: 'a freshness SLO snapshot',
        expected: 'an availability or latency SLO (freshness snapshots are never merged)',
      },
    ]);
  const sameTiers =
    now.tiers.length === before.tiers.length &&
    now.tiers.every(
      (tier, i) =>
        tier.granularityMs === before.tiers[i]?.granularityMs && tier.size === before.tiers[i]?.size,
    );
  if (!sameTiers)
    throw new ConfigError(where, [
      {
        field: 'previous.tiers',
        received: 'tiers of another window',
        expected: 'a snapshot of the same tracker (the same tiers as current)',
      },
    ]);
  return {
    version: 1,
    name: now.name,
    takenAtMs: now.takenAtMs,
    tiers: now.tiers.map((tier, i) => tierDelta(tier, before.tiers[i] as SloSnapshotTier)),
    period: periodDelta(now.period, before.period),
    ...aheadDelta(now.periodsAhead, before.periodsAhead),
    freshness: null,
    dropped: Math.max(0, now.dropped - before.dropped),
    clockBackwards: Math.max(0, now.clockBackwards - before.clockBackwards),
  };
}

function tierDelta(now: SloSnapshotTier, before: SloSnapshotTier): SloSnapshotTier {
  const earlier = new Map<number, readonly [number, number, number]>();
  for (const bucket of before.buckets) earlier.set(bucket[0], bucket);
  const buckets: Array<readonly [number, number, number]> = [];
  for (const [index, good, total] of now.buckets) {
    const old = earlier.get(index);
    // Counts only grow; max() keeps a bucket the ring recycled from turning negative.
    const addedGood = Math.max(0, good - (old?.[1] ?? 0));
    const addedTotal = Math.max(0, total - (old?.[2] ?? 0));
    if (addedTotal > 0) buckets.push([index, Math.min(addedGood, addedTotal), addedTotal]);
  }
  return { granularityMs: now.granularityMs, size: now.size, buckets };
}

function periodDelta(
  now: SloSnapshotPeriod | null,
  before: SloSnapshotPeriod | null,
): SloSnapshotPeriod | null {
  if (now === null) return null;
  if (before === null || before.startMs !== now.startMs) return now;
  return {
    startMs: now.startMs,
    endMs: now.endMs,
    good: Math.max(0, now.good - before.good),
    total: Math.max(0, now.total - before.total),
  };
}

// Periods a faster clock began, held by the tracker: each one's growth since `before`, like the rest.
function aheadDelta(
  now: readonly SloSnapshotPeriod[] | undefined,
  before: readonly SloSnapshotPeriod[] | undefined,
): { periodsAhead?: SloSnapshotPeriod[] } {
  if (now === undefined) return {};
  const earlier = new Map((before ?? []).map((period) => [period.startMs, period]));
  const periods = now
    .map((period) => periodDelta(period, earlier.get(period.startMs) ?? null))
    .filter((period): period is SloSnapshotPeriod => period !== null && period.total > 0);
  return periods.length === 0 ? {} : { periodsAhead: periods };
}
