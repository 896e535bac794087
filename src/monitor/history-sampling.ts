import type { InternalErrorHandler } from '../core/index.js';
import type { LatencyTracker } from '../latency/index.js';
import type { SaturationMonitor } from '../saturation/index.js';
import type { SloTracker } from '../slo/index.js';
import { HOUR_MS, LATENCY_BOUNDARIES_MS, type History } from './history.js';

// Feeding the hourly history from the live primitives (see history.ts for what each source means).
// Each reader reports its failure and moves on: one broken source must not stop the others.

/** Where a sampling failure is reported. */
export interface SamplingErrors {
  readonly onError: InternalErrorHandler;
  readonly source: string;
}

/**
 * Records the saturation monitor's latest sample unless it was already recorded; returns the
 * `sampledAt` now recorded (`lastSampledAt` when nothing new, or on failure).
 */
export function sampleSaturation(
  history: History,
  saturation: SaturationMonitor,
  lastSampledAt: number,
  errors: SamplingErrors,
): number {
  try {
    const s = saturation.snapshot();
    if (s.sampledAt === lastSampledAt) return lastSampledAt;
    history.recordSaturation({
      at: s.sampledAt,
      values: {
        eventLoopUtilization: s.eventLoopUtilization,
        eventLoopDelayP99Ms: s.eventLoopDelayP99Ms,
        heapRatio: s.heapRatio,
        rssBytes: s.rssBytes,
        cpuRatio: s.cpuRatio,
      },
    });
    return s.sampledAt;
  } catch (error) {
    errors.onError(error, { source: errors.source, task: 'saturation sample' });
    return lastSampledAt;
  }
}

/** Files the latency tracker's cumulative buckets (all routes) under the hour of `now`. */
export function sampleLatency(
  history: History,
  latency: LatencyTracker,
  now: number,
  errors: SamplingErrors,
): void {
  try {
    const { buckets, count } = latency.cumulativeBuckets(LATENCY_BOUNDARIES_MS);
    history.recordLatency(
      buckets.slice(0, LATENCY_BOUNDARIES_MS.length).map((b) => b.count),
      count,
      now,
    );
  } catch (error) {
    errors.onError(error, { source: errors.source, task: 'latency sample' });
  }
}

/** Recomputes each SLO's recent hours from its tracker's longest hour-aligned bucket tier. */
export function fileSlos(history: History, slos: readonly SloTracker[], errors: SamplingErrors): void {
  for (const slo of slos) {
    try {
      const snapshot = slo.snapshot();
      let tier: (typeof snapshot.tiers)[number] | undefined;
      for (const t of snapshot.tiers) {
        if (HOUR_MS % t.granularityMs !== 0) continue;
        const span = t.granularityMs * t.size;
        const best = tier === undefined ? -1 : tier.granularityMs * tier.size;
        if (span > best) tier = t;
      }
      if (tier === undefined) continue;
      const head = Math.floor(snapshot.takenAtMs / tier.granularityMs);
      const coveredFrom = (head - tier.size + 1) * tier.granularityMs;
      history.recordSlo(slo.name, tier.granularityMs, tier.buckets, coveredFrom);
    } catch (error) {
      errors.onError(error, { source: errors.source, task: `slo history ${slo.name}` });
    }
  }
}
