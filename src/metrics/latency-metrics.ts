import { z } from 'zod';
import { parseOptions } from '../core/index.js';
import type { LatencyTracker } from '../latency/index.js';
import { histogramBucketsMsSchema } from './histogram-buckets.js';
import type { MetricSample, MetricsSource } from './metric-family.js';

/** Options for {@link latencyMetrics}. */
export interface LatencyMetricsOptions {
  /** The family name, before `_seconds`. @default 'sre_latency' */
  readonly name?: string;
  /** The HELP text. @default 'Latency by key.' */
  readonly help?: string;
  /** Histogram `le` bounds in ms, strictly increasing. @default Prometheus' defaults, 5 ms to 10 s */
  readonly bucketsMs?: readonly number[];
}

const optionsSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name')
    .default('sre_latency'),
  help: z.string().default('Latency by key.'),
  bucketsMs: histogramBucketsMsSchema,
});
/** The schema behind {@link LatencyMetricsOptions} (read by the docs' options-table check). */
export const latencyMetricsOptionsSchema = optionsSchema;

/**
 * Exposes every key of a latency tracker as a Prometheus histogram in seconds (`<name>_seconds` with
 * label `key`, exact `_sum` and `_count`). For a tracker the HTTP middleware does not feed, such as
 * database or downstream call timings: the middleware's own tracker is already exposed by route.
 *
 * @example
 * ```ts
 * const db = createLatencyTracker();
 * app.get('/metrics', metricsHandler({ http: sre, sources: [latencyMetrics(db, { name: 'db_query' })] }));
 * ```
 * @throws {ConfigError} when the name is not a metric name or the buckets are not increasing.
 */
export function latencyMetrics(tracker: LatencyTracker, options: LatencyMetricsOptions = {}): MetricsSource {
  const opts = parseOptions(optionsSchema, options, 'latencyMetrics');
  const name = `${opts.name}_seconds`;
  const les = [...opts.bucketsMs.map((ms) => String(ms / 1000)), '+Inf'];
  return {
    *collect() {
      const samples: MetricSample[] = [];
      for (const key of tracker.keys()) {
        const h = tracker.cumulativeBuckets(opts.bucketsMs, key);
        if (h.count === 0) continue;
        h.buckets.forEach((bucket, i) => {
          samples.push({ suffix: '_bucket', labels: { key, le: les[i] ?? '+Inf' }, value: bucket.count });
        });
        samples.push(
          { suffix: '_sum', labels: { key }, value: h.sum / 1000 },
          { suffix: '_count', labels: { key }, value: h.count },
        );
      }
      yield { name, help: opts.help, type: 'histogram', unit: 'seconds', samples };
    },
  };
}
