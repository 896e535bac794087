import { z } from 'zod';
import { parseOptions, resolveDeps, startPoller, type Clock, type Deps, type Poller } from '../core/index.js';
import type { HealthCheckDefinition, ServiceHealth } from '../health/index.js';
import {
  functionField,
  rounded,
  parseServiceName,
  verdictCheck,
  type ObservedService,
  type ServiceVerdict,
} from './service.js';

/** How to read a cache: functions over its cumulative hit and miss counters. */
export interface ObserveCacheOptions {
  /** Hits since the cache (or its stats) started: a counter that only grows, except on a reset. */
  readonly hits: () => number;
  /** Misses since the cache started, likewise. */
  readonly misses: () => number;
  /**
   * Entries held now (`cache.size`).
   * @default undefined
   */
  readonly size?: () => number;
  /**
   * The most entries it holds (`cache.max`).
   * @default undefined
   */
  readonly max?: () => number;
  /**
   * The window the hit rate is computed over, in ms: the counters are sampled 10 times per window on
   * an unref'd timer, and the rate is the change since the oldest sample in the window.
   * @default 300_000
   */
  readonly windowMs?: number;
  /**
   * Requests (hits + misses) the window must hold before the hit rate judges the cache.
   * @default 20
   */
  readonly minRequests?: number;
  /**
   * The hit rate below which the cache is degraded, or `false` never to judge it by its hit rate.
   * @default false
   */
  readonly degradedHitRate?: number | false;
}

/** @internal The schema bound to {@link ObserveCacheOptions} by a type test. */
export const observeCacheOptionsSchema = z.strictObject({
  hits: functionField<() => number>(),
  misses: functionField<() => number>(),
  size: functionField<() => number>().optional(),
  max: functionField<() => number>().optional(),
  windowMs: z
    .number()
    .min(1_000)
    .max(7 * 86_400_000)
    .default(300_000),
  minRequests: z.number().int().min(1).max(1e9).default(20),
  degradedHitRate: z.union([z.literal(false), z.number().gt(0).max(1)]).default(false),
});

/** A cache's hit rate over its window, and its size. */
export interface CacheStatus {
  /** The cache's name. */
  readonly name: string;
  /** up, or degraded (hit rate under `degradedHitRate`, or counters unreadable). */
  readonly state: ServiceVerdict['state'];
  /** Why, with the figures. */
  readonly reason: string;
  /** Hits in the window. */
  readonly hits: number;
  /** Misses in the window. */
  readonly misses: number;
  /** hits ÷ (hits + misses) in the window; `null` with no request. */
  readonly hitRate: number | null;
  /** How much time the window's figures span, in ms (shorter than the window until it fills). */
  readonly spanMs: number;
  /** Entries held, when readable. */
  readonly size: number | null;
  /** The most entries, when readable. */
  readonly max: number | null;
}

/** A cache whose hit rate over a recent window feeds the health report. */
export interface ObservedCache extends ObservedService {
  /** Its hit rate over the window (reading changes nothing). */
  status(): CacheStatus;
  /** Samples the counters now (the timer does this every tenth of the window). */
  sample(): void;
  /** Stops sampling. Idempotent. */
  close(): void;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

interface Sample {
  readonly at: number;
  readonly hits: number;
  readonly misses: number;
}

const SAMPLES_PER_WINDOW = 10;

class Cache implements ObservedCache {
  readonly name: string;
  readonly #options: z.output<typeof observeCacheOptionsSchema>;
  readonly #clock: Clock;
  readonly #poller: Poller;
  // Oldest first; at most one window's worth plus the one just before it.
  #samples: Sample[] = [];
  #unreadable: string | undefined;

  constructor(name: string, options: z.output<typeof observeCacheOptionsSchema>, deps: Deps | undefined) {
    this.name = name;
    this.#options = options;
    const { clock, onInternalError } = resolveDeps(deps);
    this.#clock = clock;
    this.sample();
    this.#poller = startPoller({
      clock,
      intervalMs: options.windowMs / SAMPLES_PER_WINDOW,
      task: () => this.sample(),
      onError: onInternalError,
      source: `observeCache:${name}`,
    });
  }

  sample(): void {
    const reading = this.#read();
    if (typeof reading === 'string') {
      this.#unreadable = reading;
      return;
    }
    this.#unreadable = undefined;
    const now = this.#clock.now();
    const last = this.#samples.at(-1);
    // Counters that went down were reset (a cleared cache): the older samples no longer compare.
    if (last !== undefined && (reading.hits < last.hits || reading.misses < last.misses)) this.#samples = [];
    this.#samples.push({ at: now, ...reading });
    const oldest = now - this.#options.windowMs;
    while (this.#samples.length > 1 && this.#samples[1]!.at <= oldest) this.#samples.shift();
  }

  status(): CacheStatus {
    const now = this.#clock.now();
    const size = this.#optional(this.#options.size);
    const max = this.#optional(this.#options.max);
    const reading = this.#read();
    const base = this.#base(now);
    if (
      typeof reading === 'string' ||
      base === undefined ||
      reading.hits < base.hits ||
      reading.misses < base.misses
    ) {
      const reason =
        typeof reading === 'string' ? reading : (this.#unreadable ?? 'counters were reset; no window yet');
      return {
        name: this.name,
        state: typeof reading === 'string' ? 'degraded' : 'up',
        reason,
        hits: 0,
        misses: 0,
        hitRate: null,
        spanMs: 0,
        size,
        max,
      };
    }
    const hits = reading.hits - base.hits;
    const misses = reading.misses - base.misses;
    const requests = hits + misses;
    const hitRate = requests === 0 ? null : rounded(hits / requests);
    const spanMs = now - base.at;
    const figures = `${hits} hits of ${requests} requests in ${Math.round(spanMs / 1000)} s`;
    const threshold = this.#options.degradedHitRate;
    const verdict: ServiceVerdict =
      threshold !== false && hitRate !== null && requests >= this.#options.minRequests && hitRate < threshold
        ? { state: 'degraded', reason: `hit rate ${hitRate} under ${threshold}: ${figures}` }
        : {
            state: 'up',
            reason: requests < this.#options.minRequests ? `${figures}: too few to judge` : figures,
          };
    return { name: this.name, ...verdict, hits, misses, hitRate, spanMs, size, max };
  }

  serviceHealth(): ServiceHealth {
    const status = this.status();
    const health: ServiceHealth = { status: status.state, hits: status.hits, misses: status.misses };
    if (status.hitRate !== null) health.hit_rate = status.hitRate;
    if (status.size !== null) health.size = status.size;
    if (status.max !== null) health.max = status.max;
    if (status.state !== 'up') health.reason = status.reason;
    return health;
  }

  healthCheck(): HealthCheckDefinition {
    return verdictCheck('hit_rate', 'ratio', () => {
      const status = this.status();
      return { verdict: status, value: status.hitRate };
    });
  }

  close(): void {
    this.#poller.stop();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  // The oldest sample inside the window: the figures are the change since then.
  #base(now: number): Sample | undefined {
    const oldest = now - this.#options.windowMs;
    return this.#samples.find((sample) => sample.at >= oldest) ?? this.#samples.at(-1);
  }

  #read(): { hits: number; misses: number } | string {
    try {
      const hits = this.#options.hits();
      const misses = this.#options.misses();
      if (!isCount(hits) || !isCount(misses))
        return `reading the cache gave ${String(hits)} hits, ${String(misses)} misses: not counts`;
      return { hits, misses };
    } catch (error) {
      return `reading the cache failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  #optional(reader: (() => number) | undefined): number | null {
    if (reader === undefined) return null;
    try {
      const value = reader();
      return isCount(value) ? value : null;
    } catch {
      return null;
    }
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * Observes a cache's hit rate over a recent window (not since boot) from its cumulative counters,
 * sampling them on an unref'd timer that `close()` stops.
 *
 * @example
 * ```ts
 * const stats = { hits: 0, misses: 0 };
 * const cache = observeCache('cache', { hits: () => stats.hits, misses: () => stats.misses,
 *   size: () => lru.size, max: () => lru.max });
 * ```
 * @throws {ConfigError} naming each bad option.
 */
export function observeCache(name: string, options: ObserveCacheOptions, deps?: Deps): ObservedCache {
  const parsedName = parseServiceName(name, 'observeCache');
  return new Cache(parsedName, parseOptions(observeCacheOptionsSchema, options, 'observeCache'), deps);
}
