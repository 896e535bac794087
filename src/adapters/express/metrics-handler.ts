import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { checkUnique, parseOptions } from '../../core/index.js';
import {
  METRICS_CONTENT_TYPE,
  negotiateMetricsFormat,
  primitiveSources,
  renderMetrics,
  type MetricsSource,
  type PrimitiveMetrics,
} from '../../metrics/index.js';
import type { SaturationMonitor } from '../../saturation/index.js';
import type { SloTracker } from '../../slo/index.js';
import {
  breakerSourceSchema,
  latencyTrackerSchema,
  metricsSourceSchema,
  saturationMonitorSchema,
  sloTrackerSchema,
} from '../shared/option-schemas.js';

/** Options for {@link metricsHandler}: the primitives to expose, each optional. */
export interface MetricsHandlerOptions extends PrimitiveMetrics {
  /** SLO trackers: events, objective, budget, burn rates, alerts. Names unique. @default [] */
  readonly slos?: readonly SloTracker[];
  /** The saturation monitor: event loop, heap, RSS, CPU, overload. @default none */
  readonly saturation?: SaturationMonitor;
  /**
   * The golden-signals middleware (or any source) whose traffic, errors and latency to expose; when the
   * middleware was given error groups (`errors`), their `sre_errors_total{type,route}` is served too.
   */
  readonly http?: MetricsSource | { readonly signals: MetricsSource; readonly errors?: unknown };
  /** More sources: your own, or any primitive's. Each once, and not the `http` one again. @default [] */
  readonly sources?: readonly MetricsSource[];
}

/** @internal The schema {@link MetricsHandlerOptions} is checked against (bound by a type test). */
export const metricsHandlerOptionsSchema = z
  .strictObject({
    // The middleware is a function carrying `signals`, so this is not a z.object.
    http: z
      .custom<MetricsHandlerOptions['http']>(
        (value) =>
          metricsSourceSchema.safeParse(value).success ||
          ((typeof value === 'function' || typeof value === 'object') &&
            value !== null &&
            metricsSourceSchema.safeParse((value as { signals?: unknown }).signals).success),
        { message: 'the sreMiddleware, or a metrics source (collect)' },
      )
      .optional(),
    sources: z.array(metricsSourceSchema).default([]),
    slos: z.array(sloTrackerSchema).optional(),
    breakers: z.array(breakerSourceSchema).optional(),
    saturation: saturationMonitorSchema.optional(),
    latency: latencyTrackerSchema.optional(),
  })
  .superRefine((value, ctx) => {
    // Two of one name, or one listed twice, render duplicate series: Prometheus keeps one of them.
    checkUnique(ctx, value.slos ?? [], ['slos'], { noun: 'SLO', thing: 'SLO tracker' });
    checkUnique(ctx, value.breakers ?? [], ['breakers'], { noun: 'breaker' });
    const http = value.http === undefined ? [] : httpSources(value.http);
    checkUnique(ctx, value.sources, ['sources'], { noun: 'source', nameOf: () => undefined });
    value.sources.forEach((source, i) => {
      if (http.includes(source))
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i],
          message: 'each source once (it is the `http` source already)',
        });
    });
  });

/** The middleware's golden signals, and its error groups when they are a metrics source. */
const httpSources = (http: NonNullable<MetricsHandlerOptions['http']>): MetricsSource[] => {
  if (!('signals' in http)) return [http];
  const errors = http.errors;
  return metricsSourceSchema.safeParse(errors).success
    ? [http.signals, errors as MetricsSource]
    : [http.signals];
};

/**
 * An Express handler serving `/metrics` as Prometheus text 0.0.4 or OpenMetrics 1.0, chosen by the
 * scraper's `Accept` header: HTTP golden signals, SLO events and burn rates, breaker states and
 * saturation. Rendering walks the series, never the requests seen.
 *
 * @example
 * ```ts
 * app.get('/metrics', metricsHandler({ http: sre, slos: [availability], breakers: [payments], saturation }));
 * ```
 * @throws {ConfigError} on an unknown option, a value it cannot render (a plain SLO sink, an overload
 *   signal without gauges), two SLOs or breakers of one name, or a source listed twice.
 */
export function metricsHandler(options: MetricsHandlerOptions): RequestHandler {
  const opts = parseOptions(metricsHandlerOptionsSchema, options, 'metricsHandler');
  const http = opts.http === undefined ? [] : httpSources(opts.http);
  const sources: MetricsSource[] = [...http, ...primitiveSources(opts as PrimitiveMetrics), ...opts.sources];
  return (req: Request, res: Response): void => {
    const format = negotiateMetricsFormat(req.headers.accept);
    res.setHeader('content-type', METRICS_CONTENT_TYPE[format]);
    res.setHeader('cache-control', 'no-store');
    res.end(renderMetrics(sources, { format }));
  };
}
