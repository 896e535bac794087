import type { LatencyTracker } from '../latency/index.js';
import type { SaturationMonitor } from '../saturation/index.js';
import type { SloTracker } from '../slo/index.js';
import { breakerMetrics, type BreakerStatsSource } from './breaker-metrics.js';
import { latencyMetrics } from './latency-metrics.js';
import type { MetricsSource } from './metric-family.js';
import { saturationMetrics } from './saturation-metrics.js';
import { sloMetrics } from './slo-metrics.js';

/** The primitives whose metrics an adapter's `/metrics` route serves, each optional. */
export interface PrimitiveMetrics {
  /** SLO trackers: events, objective, budget, burn rates, alerts. Plain sinks without `status()` are skipped. */
  readonly slos?: readonly object[];
  /** Circuit breakers: state, calls by outcome, timeouts, slow calls. */
  readonly breakers?: readonly BreakerStatsSource[];
  /** The saturation monitor: event loop, heap, RSS, CPU, overload. Plain overload signals are skipped. */
  readonly saturation?: object;
  /** A latency tracker the HTTP middleware does not feed, as `sre_latency_seconds{key}`. */
  readonly latency?: LatencyTracker;
}

const isSloTracker = (value: object): value is SloTracker =>
  typeof (value as Partial<SloTracker>).status === 'function' &&
  typeof (value as Partial<SloTracker>).counts === 'function';

const isSaturationMonitor = (value: object): value is SaturationMonitor =>
  typeof (value as Partial<SaturationMonitor>).snapshot === 'function' &&
  typeof (value as Partial<SaturationMonitor>).overloaded === 'function';

/** The metrics sources of the given primitives, in exposition order. */
export function primitiveSources(primitives: PrimitiveMetrics): MetricsSource[] {
  const sources: MetricsSource[] = [];
  const slos = (primitives.slos ?? []).filter(isSloTracker);
  if (slos.length > 0) sources.push(sloMetrics(slos));
  if (primitives.breakers !== undefined && primitives.breakers.length > 0)
    sources.push(breakerMetrics(primitives.breakers));
  if (primitives.saturation !== undefined && isSaturationMonitor(primitives.saturation))
    sources.push(saturationMetrics(primitives.saturation));
  if (primitives.latency !== undefined) sources.push(latencyMetrics(primitives.latency));
  return sources;
}
