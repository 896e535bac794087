import type { InternalErrorHandler } from '../core/index.js';
import type { LatencyBuckets, LatencyTracker } from '../latency/index.js';
import type { SaturationMonitor } from '../saturation/index.js';
import type { SloTracker } from '../slo/index.js';
import { HOUR_MS, type History, type RouteLatencyDelta } from './history.js';
import { BUCKETS, LATENCY_BOUNDARIES_MS, toBucketCounts } from './latency-buckets.js';

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

/** The most latency keys sampled (a tracker holds 500 by default); keys past it are not filed. */
export const MAX_SAMPLED_KEYS = 10_000;

interface Cumulative {
  counts: Float64Array;
  total: number;
  sum: number;
}

/**
 * Turns the latency tracker's lifetime counts, key by key, into the values seen since the previous
 * evaluation, and files them per route and summed service-wide. The service's own routes (`isIgnored`)
 * are left out of both: a health probe or a metrics scrape says nothing about the service's users. A
 * key whose count went down was reset: everything it holds now is new.
 */
export class LatencySampler {
  readonly #isIgnored: (route: string) => boolean;
  readonly #last = new Map<string, Cumulative>();

  constructor(isIgnored: (route: string) => boolean) {
    this.#isIgnored = isIgnored;
  }

  /** Files the latency values `latency` gained since the last call under the hour of `now`. */
  sample(history: History, latency: LatencyTracker, now: number, errors: SamplingErrors): void {
    try {
      const service = new Float64Array(BUCKETS);
      const routes: RouteLatencyDelta[] = [];
      const seen = new Set<string>();
      for (const key of latency.keys()) {
        if (seen.size >= MAX_SAMPLED_KEYS) break;
        seen.add(key);
        // Not the service's traffic: out of the service-wide figures too.
        if (this.#isIgnored(key)) continue;
        const delta = this.#delta(key, latency.cumulativeBuckets(LATENCY_BOUNDARIES_MS, key));
        if (delta === undefined) continue;
        for (let i = 0; i < BUCKETS; i++) service[i]! += delta.counts[i]!;
        routes.push({ route: key, counts: delta.counts, sum: delta.sum });
      }
      // Keys the tracker forgot (reset) are forgotten here too, so the map stays bounded by its keys.
      for (const key of this.#last.keys()) if (!seen.has(key)) this.#last.delete(key);
      history.recordLatency(now, service, routes);
    } catch (error) {
      errors.onError(error, { source: errors.source, task: 'latency sample' });
    }
  }

  #delta(key: string, buckets: LatencyBuckets): { counts: Float64Array; sum: number } | undefined {
    const current: Cumulative = {
      counts: toBucketCounts(
        buckets.buckets.slice(0, LATENCY_BOUNDARIES_MS.length).map((b) => b.count),
        buckets.count,
      ),
      total: buckets.count,
      sum: buckets.sum,
    };
    const last = this.#last.get(key);
    this.#last.set(key, current);
    if (current.total === 0) return undefined;
    if (last === undefined || current.total < last.total) return { counts: current.counts, sum: current.sum };
    if (current.total === last.total) return undefined;
    const counts = new Float64Array(BUCKETS);
    for (let i = 0; i < BUCKETS; i++) counts[i] = Math.max(0, current.counts[i]! - last.counts[i]!);
    return { counts, sum: Math.max(0, current.sum - last.sum) };
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
