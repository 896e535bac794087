import type {
  ObservedCache,
  ObservedPool,
  ObservedService,
  TrackedDependency,
  TrackedPipeline,
} from '../dependencies/index.js';
import type { ServiceHealth } from '../health/index.js';
import type { CircuitBreaker } from '../resilience/index.js';
import type { SloTracker } from '../slo/index.js';
import { predictSignal } from './capacity-forecast.js';
import type { ForecastGates } from './forecast-gates.js';
import { MAX_SAMPLES } from './history.js';
import type { CapacityPrediction } from './report-schemas.js';

// The monitor's view of what the service depends on: tracked dependencies, connection pools, caches
// and pipelines. Each is a service of the health report, judged like a richer health check (its figures
// and reason shown with the registry's `exposeDetails`, as a check's observed value and output are); a
// cause in the performance analysis when its state explains the trouble seen; and (pools) a capacity
// signal forecast toward full through the same gates as every forecast.

/** The observed services the monitor was given, by kind. */
export interface ObservedServices {
  readonly dependencies: readonly TrackedDependency[];
  readonly pools: readonly ObservedPool[];
  readonly caches: readonly ObservedCache[];
  readonly pipelines: readonly TrackedPipeline[];
}

/** What an observed service is. */
export type ObservedKind = 'dependency' | 'pool' | 'cache' | 'pipeline';

/** One observed service as the monitor's judgments read it: its health report entry, read once. */
export interface ObservedView {
  readonly kind: ObservedKind;
  readonly name: string;
  /** Its entry in the health report: status, figures and, when not up, the reason. */
  readonly entry: ServiceHealth;
}

/** The SLO trackers and breakers the observed services bring, to watch beside the monitor's own. */
export function ownedPrimitives(services: ObservedServices): {
  readonly slos: SloTracker[];
  readonly breakers: CircuitBreaker[];
} {
  const slos: SloTracker[] = [];
  const breakers: CircuitBreaker[] = [];
  for (const dependency of services.dependencies) {
    slos.push(...dependency.slos);
    if (dependency.breaker !== undefined) breakers.push(dependency.breaker);
  }
  for (const pipeline of services.pipelines) if (pipeline.slo !== undefined) slos.push(pipeline.slo);
  return { slos, breakers };
}

function all(services: ObservedServices): Array<readonly [ObservedKind, ObservedService]> {
  return [
    ...services.dependencies.map((s) => ['dependency', s] as const),
    ...services.pools.map((s) => ['pool', s] as const),
    ...services.caches.map((s) => ['cache', s] as const),
    ...services.pipelines.map((s) => ['pipeline', s] as const),
  ];
}

/**
 * Reads every observed service once. One that throws is reported to `onError` and left out: a broken
 * reader must not take the report down with it.
 */
export function observedViews(
  services: ObservedServices,
  onError: (error: unknown, name: string) => void,
): ObservedView[] {
  const views: ObservedView[] = [];
  for (const [kind, service] of all(services)) {
    try {
      views.push({ kind, name: service.name, entry: service.serviceHealth() });
    } catch (error) {
      onError(error, service.name);
    }
  }
  return views;
}

/**
 * The health report's entries for the observed services, by name: with `exposeDetails` the whole
 * entry (figures and reason), otherwise only the status, as the renderer shows a check.
 */
export function serviceEntries(
  views: readonly ObservedView[],
  exposeDetails: boolean,
): Record<string, ServiceHealth> {
  const entries: Record<string, ServiceHealth> = {};
  for (const view of views) entries[view.name] = exposeDetails ? view.entry : { status: view.entry.status };
  return entries;
}

const NOUNS: Readonly<Record<ObservedKind, string>> = {
  dependency: 'dependency',
  pool: 'connection pool',
  cache: 'cache',
  pipeline: 'pipeline',
};

/**
 * An observed service in a phrase, like a check's: `dependency payments-api is down (12 of 40 calls
 * failed in 60 s)`; the reason only with `exposeDetails`.
 */
export function describeObserved(view: ObservedView, exposeDetails: boolean): string {
  const reason = view.entry.reason;
  const why = exposeDetails && typeof reason === 'string' ? ` (${reason})` : '';
  return `${NOUNS[view.kind]} ${view.name} is ${view.entry.status}${why}`;
}

/**
 * Whether a tracked dependency's state is its breaker's: an open, half-open or isolated breaker is a
 * cause of its own (with its counts), and the dependency only repeats it.
 */
export function speaksThroughBreaker(view: ObservedView): boolean {
  const breaker = view.entry.breaker;
  return (
    view.kind === 'dependency' && typeof breaker === 'string' && breaker !== 'closed' && breaker !== 'none'
  );
}

/** Whether an observed service needs action now: a dependency or pipeline down, a pool with waiters. */
export function isUrgent(view: ObservedView): boolean {
  if (view.kind === 'pool') return view.entry.status !== 'up' && Number(view.entry.waiting) > 0;
  return view.entry.status === 'down';
}

/** What to do about an observed service that is not up, after its description. */
export function observedAdvice(kind: ObservedKind): string {
  switch (kind) {
    case 'dependency':
      return 'requests that call it fail or wait: check it and keep a fallback serving';
    case 'pool':
      return 'requests queue for a connection: raise its size or cut query time';
    case 'cache':
      return 'misses send the load to its backing store: check its size and expiry';
    case 'pipeline':
      return 'data served from it is out of date: check its runs';
  }
}

/**
 * Pool utilization over time, sampled on the monitor's evaluation and forecast toward 100 % through
 * the forecast gates. Per pool a ring of {@link MAX_SAMPLES} samples at least `sampleGapMs` apart, as
 * the history keeps the saturation signals' (so the ring spans twice the gate's minimum span).
 */
export class PoolSeries {
  readonly #sampleGapMs: number;
  readonly #points = new Map<ObservedPool, Array<{ x: number; y: number }>>();

  constructor(sampleGapMs: number) {
    this.#sampleGapMs = sampleGapMs;
  }

  /** Takes one utilization reading per pool (skipped when unreadable, or too soon after the last). */
  sample(pools: readonly ObservedPool[], now: number, onError: (error: unknown, name: string) => void): void {
    for (const pool of pools) {
      let utilization: number | null;
      try {
        utilization = pool.status().utilization;
      } catch (error) {
        onError(error, pool.name);
        continue;
      }
      if (utilization === null || !Number.isFinite(now)) continue;
      let points = this.#points.get(pool);
      if (points === undefined) this.#points.set(pool, (points = []));
      const last = points[points.length - 1];
      if (last !== undefined && now - last.x < this.#sampleGapMs) continue;
      points.push({ x: now, y: utilization });
      if (points.length > MAX_SAMPLES) points.splice(0, points.length - MAX_SAMPLES);
    }
  }

  /**
   * Per pool with samples, the least-squares trend of its utilization toward 1 (every connection in
   * use): signal `pool:<name>`, stated only when its evidence passes `gates`.
   */
  predictions(pools: readonly ObservedPool[], now: number, gates: ForecastGates): CapacityPrediction[] {
    const out: CapacityPrediction[] = [];
    for (const pool of pools) {
      const points = this.#points.get(pool);
      if (points === undefined || points.length === 0) continue;
      out.push(predictSignal(`pool:${pool.name}`, points, 1, now, gates));
    }
    return out;
  }
}
