import { z } from 'zod';
import { checkUnique, type UniqueIssueSink } from '../core/index.js';
import { histogramBucketsMsSchema } from '../metrics/index.js';

/** The latency tracker surface golden signals feed and read; `createLatencyTracker()` satisfies it. */
export interface LatencySink {
  /** `atMs` is the finish time's `clock.now()`, so a windowed tracker need not read the clock again. */
  record(valueMs: number, key?: string, atMs?: number): void;
  /** When present, metrics render a latency histogram per route from it. */
  cumulativeBuckets?(
    boundariesMs: readonly number[],
    key?: string,
  ): {
    readonly buckets: readonly { readonly le: number; readonly count: number }[];
    readonly sum: number;
    readonly count: number;
  };
  /** When present, metrics render p50/p90/p95/p99 per route from it. */
  summary?(key?: string): {
    readonly count: number;
    readonly p50: number;
    readonly p90: number;
    readonly p95: number;
    readonly p99: number;
  };
}

/** The SLO tracker surface golden signals feed; `createSloTracker()` satisfies it. */
export interface SloSink {
  record(event: { readonly ok: boolean; readonly latencyMs: number }): void;
}

/** The saturation surface load shedding reads; `createSaturationMonitor()` satisfies it. */
export interface OverloadSignal {
  overloaded(): false | { readonly reason: string; readonly value: number; readonly limit: number };
}

/** Options for {@link createGoldenSignals} and the HTTP adapters built on it. */
export interface GoldenSignalsOptions {
  /** Where request latency goes, keyed by `METHOD /route/:template`. Optional: traffic and errors are counted anyway. */
  readonly latency?: LatencySink;
  /**
   * SLO trackers every response feeds: `ok` is "not an error" (see `isError`), `latencyMs` the duration,
   * so an availability SLO counts errors and a latency SLO counts slow or failed requests. Aborted
   * requests feed none (the client left); shed requests feed them as not ok. Each tracker once, names
   * unique (a ConfigError otherwise).
   * @default []
   */
  readonly slos?: readonly SloSink[];
  /** What `shedding` reads overload from; required with `shedding`. */
  readonly saturation?: OverloadSignal;
  /**
   * Load shedding: answer 503 with `Retry-After` before the handler runs while `saturation` reports
   * overload. Ignored paths (health, metrics) are never shed. `true` means the defaults. Needs
   * `saturation`: without it nothing could ever be shed, so that is a ConfigError.
   * @default false
   */
  readonly shedding?: boolean | { readonly retryAfterSeconds?: number };
  /**
   * The most distinct `METHOD route` pairs tracked; later ones share the key `METHOD __other__` and are
   * counted in `stats().overflowRoutes`, so a scanner cannot grow memory or series.
   * @default 200
   */
  readonly maxRoutes?: number;
  /**
   * URL paths that are neither measured nor shed, with everything under them (`/readyz` covers
   * `/readyz/database`); the query string is ignored.
   * @default ['/livez', '/readyz', '/startupz', '/health', '/metrics']
   */
  readonly ignore?: readonly string[];
  /**
   * Upper bounds (ms) of the latency histogram buckets rendered per route, ascending; `+Inf` is added.
   * @default [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] (Prometheus' defaults)
   */
  readonly histogramBucketsMs?: readonly number[];
  /**
   * Which responses count as errors for the error signal and SLOs.
   * @default status >= 500
   */
  readonly isError?: (status: number) => boolean;
}

const sinkSchema = (method: string, name: string) =>
  z.custom<unknown>(
    (v) =>
      typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[method] === 'function',
    { message: `${name} (an object with a ${method}() method)` },
  );

/** The paths the adapters neither measure nor shed by default: the health probes and the metrics scrape. */
export const DEFAULT_IGNORED_PATHS: readonly string[] = Object.freeze([
  '/livez',
  '/readyz',
  '/startupz',
  '/health',
  '/metrics',
]);

/** @internal The fields of {@link goldenSignalsOptionsSchema}, for adapters whose options extend them. */
export const goldenSignalsOptionsShape = {
  latency: sinkSchema('record', 'a latency tracker').optional(),
  slos: z.array(sinkSchema('record', 'an SLO tracker')).default([]),
  saturation: sinkSchema('overloaded', 'a saturation monitor').optional(),
  shedding: z
    .union([
      z.boolean(),
      z.strictObject({ retryAfterSeconds: z.number().int().min(0).max(86_400).optional() }),
    ])
    .default(false),
  maxRoutes: z.number().int().min(1).max(100_000).default(200),
  ignore: z.array(z.string().startsWith('/')).default([...DEFAULT_IGNORED_PATHS]),
  histogramBucketsMs: histogramBucketsMsSchema,
  isError: z
    .custom<(status: number) => boolean>((v) => typeof v === 'function', { message: 'a function' })
    .optional(),
};

/**
 * @internal The checks across fields of {@link GoldenSignalsOptions}: each SLO tracker fed once, and
 * shedding only with something to read overload from.
 */
export function refineGoldenSignalsOptions(
  value: { readonly slos: readonly unknown[]; readonly saturation?: unknown; readonly shedding: unknown },
  ctx: UniqueIssueSink,
): void {
  // The same tracker twice would count every event twice; two of one name render series Prometheus drops.
  checkUnique(ctx, value.slos, ['slos'], { noun: 'SLO', thing: 'SLO tracker' });
  if (value.shedding !== false && value.saturation === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['shedding'],
      message:
        'a saturation monitor in `saturation` to read overload from (without one nothing is ever shed)',
    });
}

/** @internal The schema {@link GoldenSignalsOptions} is checked against. */
export const goldenSignalsOptionsSchema = z
  .strictObject(goldenSignalsOptionsShape)
  .superRefine(refineGoldenSignalsOptions);
