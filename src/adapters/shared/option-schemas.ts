import { z } from 'zod';
import type { HealthRegistry } from '../../health/index.js';
import type { LatencyTracker } from '../../latency/index.js';
import type { BreakerStatsSource, MetricsSource } from '../../metrics/index.js';
import type { SaturationMonitor } from '../../saturation/index.js';
import type { SloTracker } from '../../slo/index.js';

// The live objects the adapters take, checked by the methods they call (z.custom keeps the caller's
// object, so nothing is copied or frozen). Shared by the Express factories and the Fastify plugin so
// both reject the same mistakes with the same words.

const withMethods = <T>(what: string, ...methods: string[]) =>
  z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    { message: `${what} (${methods.join(', ')})` },
  );

/** A metrics source: anything with `collect()`. */
export const metricsSourceSchema = withMethods<MetricsSource>('a metrics source', 'collect');
/** A circuit breaker as the metrics read it. */
export const breakerSourceSchema = withMethods<BreakerStatsSource>('a circuit breaker', 'stats');
/** An SLO tracker whose series can be rendered (a plain `record()` sink cannot). */
export const sloTrackerSchema = withMethods<SloTracker>('an SLO tracker', 'status', 'counts');
/** A saturation monitor whose gauges can be rendered (a plain `overloaded()` signal cannot). */
export const saturationMonitorSchema = withMethods<SaturationMonitor>(
  'a saturation monitor',
  'snapshot',
  'overloaded',
);
/** A latency tracker whose keys can be rendered. */
export const latencyTrackerSchema = withMethods<LatencyTracker>(
  'a latency tracker',
  'keys',
  'cumulativeBuckets',
);
/** A health registry. */
export const healthRegistrySchema = withMethods<HealthRegistry>('a health registry', 'check', 'names');

/**
 * A route path the adapters serve: `/`-separated segments of letters, digits, `.`, `_`, `~` and `-`.
 * Parameters (`:x`), wildcards, query strings and a trailing slash are refused: Fastify would read the
 * first two as route syntax, and Express' hand matching would never match the others.
 */
export const routePathSchema = z
  .string()
  .regex(/^(\/[\w.~-]+)+$/, 'a path such as /livez (segments of letters, digits, . _ ~ -)');
