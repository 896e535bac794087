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
import type { CapacityPrediction, ServiceCause } from './report-schemas.js';

// The monitor's view of what the service depends on: tracked dependencies, connection pools, caches
// and pipelines. Each becomes a service of the health report, a cause in the performance analysis
// when it is not up, and (pools) a capacity signal forecast toward full.

/** Pool utilization samples kept per pool: a day at the default 10 s evaluation interval. */
const MAX_POOL_SAMPLES = 8_640;

/** The observed services the monitor was given, by kind. */
export interface ObservedServices {
  readonly dependencies: readonly TrackedDependency[];
  readonly pools: readonly ObservedPool[];
  readonly caches: readonly ObservedCache[];
  readonly pipelines: readonly TrackedPipeline[];
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

function all(services: ObservedServices): Array<[ServiceCause['kind'], ObservedService]> {
  return [
    ...services.dependencies.map((s) => ['dependency', s] as [ServiceCause['kind'], ObservedService]),
    ...services.pools.map((s) => ['pool', s] as [ServiceCause['kind'], ObservedService]),
    ...services.caches.map((s) => ['cache', s] as [ServiceCause['kind'], ObservedService]),
    ...services.pipelines.map((s) => ['pipeline', s] as [ServiceCause['kind'], ObservedService]),
  ];
}

/** Each observed service's entry in the health report, by name. */
export function serviceEntries(services: ObservedServices): Record<string, ServiceHealth> {
  const entries: Record<string, ServiceHealth> = {};
  for (const [, service] of all(services)) entries[service.name] = service.serviceHealth();
  return entries;
}

/** The observed services that are not up, with why: the causes a performance analysis names. */
export function serviceCauses(services: ObservedServices): ServiceCause[] {
  const causes: ServiceCause[] = [];
  for (const [kind, service] of all(services)) {
    const entry = service.serviceHealth();
    if (entry.status === 'up') continue;
    causes.push({
      service: service.name,
      kind,
      status: entry.status,
      reason: typeof entry.reason === 'string' ? entry.reason : entry.status,
    });
  }
  return causes;
}

/** The sentence a performance analysis gives for a cause. */
export function causeAdvice(cause: ServiceCause): string {
  switch (cause.kind) {
    case 'dependency':
      return `Dependency ${cause.service} is ${cause.status}: ${cause.reason}; requests that call it fail or wait, so check it and serve a fallback.`;
    case 'pool':
      return `Connection pool ${cause.service} is ${cause.status}: ${cause.reason}; requests queue for a connection, so raise its size or cut query time.`;
    case 'cache':
      return `Cache ${cause.service} is ${cause.status}: ${cause.reason}; misses send the load to its backing store.`;
    case 'pipeline':
      return `Pipeline ${cause.service} is ${cause.status}: ${cause.reason}; data served from it is out of date.`;
  }
}

/** Pool utilization over time, sampled on the monitor's evaluation, forecast toward 100 %. */
export class PoolSeries {
  readonly #points = new Map<ObservedPool, Array<{ x: number; y: number }>>();

  /** Takes one utilization reading per pool (skipped when unreadable). */
  sample(pools: readonly ObservedPool[], now: number): void {
    for (const pool of pools) {
      const utilization = pool.status().utilization;
      if (utilization === null) continue;
      let points = this.#points.get(pool);
      if (points === undefined) this.#points.set(pool, (points = []));
      points.push({ x: now, y: utilization });
      if (points.length > MAX_POOL_SAMPLES) points.splice(0, points.length - MAX_POOL_SAMPLES);
    }
  }

  /**
   * Per pool, the least-squares trend of its utilization toward 1 (every connection in use): signal
   * `pool:<name>`, with its samples and r². Silent (`reachesLimitInMs: null`) below 3 samples unless
   * the pool is full already.
   */
  predictions(pools: readonly ObservedPool[], now: number): CapacityPrediction[] {
    const out: CapacityPrediction[] = [];
    for (const pool of pools) {
      const points = this.#points.get(pool) ?? [];
      if (points.length === 0) continue;
      out.push(predictSignal(`pool:${pool.name}`, points, points[points.length - 1]!.y, 1, now));
    }
    return out;
  }
}
