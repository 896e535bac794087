import type { InternalErrorHandler } from '../core/index.js';
import { signalStepOf, type Change, type SignalStep, type WindowCounts } from '../changes/index.js';
import type { SloSnapshot, SloSnapshotTier, SloTracker } from '../slo/index.js';

// Whether a golden signal stepped up after a change, read from the SLO trackers' own buckets: an
// availability SLO's bad events are errors, a latency SLO's are slow requests. Each SLO compares the
// 30 minutes before the change ended with the time from then until the incident opened (30 minutes at
// most), in its finest bucket tier that still holds both.

/** How long before and after a change its signals are compared. */
export const STEP_WINDOW_MS = 30 * 60_000;

/**
 * A reader for `changes.correlate()`: per change, the strongest step any SLO shows after it; not
 * stepped when SLOs were readable and none stepped; `undefined` when no SLO holds enough events.
 * Snapshots are taken once per reader (one correlation), lazily.
 */
export function sloSignalReader(
  slos: readonly SloTracker[],
  openedAt: number,
  onError: InternalErrorHandler,
  source: string,
): (change: Change) => SignalStep | undefined {
  let snapshots: SloSnapshot[] | undefined;
  const read = (): SloSnapshot[] => {
    if (snapshots !== undefined) return snapshots;
    snapshots = [];
    for (const slo of slos) {
      try {
        snapshots.push(slo.snapshot());
      } catch (error) {
        onError(error, { source, task: `slo evidence ${slo.name}` });
      }
    }
    return snapshots;
  };
  return (change) => {
    const end = Math.min(change.finishedAt ?? change.startedAt, openedAt);
    const afterEnd = Math.min(end + STEP_WINDOW_MS, openedAt);
    let best: SignalStep | undefined;
    for (const snapshot of read()) {
      const tier = finestHolding(snapshot, end - STEP_WINDOW_MS);
      if (tier === undefined) continue;
      const step = signalStepOf(
        `SLO ${snapshot.name}`,
        sum(tier, end - STEP_WINDOW_MS, end),
        sum(tier, end, afterEnd),
      );
      if (step === undefined) continue;
      if (best === undefined || (step.stepped && (!best.stepped || step.strength > best.strength)))
        best = step;
    }
    return best;
  };
}

// The finest tier whose buckets still reach back to `from`.
function finestHolding(snapshot: SloSnapshot, from: number): SloSnapshotTier | undefined {
  let best: SloSnapshotTier | undefined;
  for (const tier of snapshot.tiers) {
    const head = Math.floor(snapshot.takenAtMs / tier.granularityMs);
    const oldest = (head - tier.size + 1) * tier.granularityMs;
    if (oldest > from) continue;
    if (best === undefined || tier.granularityMs < best.granularityMs) best = tier;
  }
  return best;
}

// Bad and total events in the buckets that start in [from, to).
function sum(tier: SloSnapshotTier, from: number, to: number): WindowCounts {
  const first = Math.ceil(from / tier.granularityMs);
  const last = Math.ceil(to / tier.granularityMs);
  let good = 0;
  let total = 0;
  for (const [index, g, t] of tier.buckets) {
    if (index < first || index >= last) continue;
    good += g;
    total += t;
  }
  return { bad: total - good, total };
}
