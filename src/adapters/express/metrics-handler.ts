import type { Request, RequestHandler, Response } from 'express';
import {
  METRICS_CONTENT_TYPE,
  negotiateMetricsFormat,
  primitiveSources,
  renderMetrics,
  type MetricsSource,
  type PrimitiveMetrics,
} from '../../metrics/index.js';

/** Options for {@link metricsHandler}: the primitives to expose, each optional. */
export interface MetricsHandlerOptions extends PrimitiveMetrics {
  /** The golden-signals middleware (or any source) whose traffic, errors and latency to expose. */
  readonly http?: MetricsSource | { readonly signals: MetricsSource };
  /** More sources: your own, or any primitive's. @default [] */
  readonly sources?: readonly MetricsSource[];
}

/**
 * An Express handler serving `/metrics` as Prometheus text 0.0.4 or OpenMetrics 1.0, chosen by the
 * scraper's `Accept` header: HTTP golden signals, SLO events and burn rates, breaker states and
 * saturation. Rendering walks the series, never the requests seen.
 *
 * @example
 * ```ts
 * app.get('/metrics', metricsHandler({ http: sre, slos: [availability], breakers: [payments], saturation }));
 * ```
 */
export function metricsHandler(options: MetricsHandlerOptions): RequestHandler {
  const http =
    options.http === undefined ? [] : ['signals' in options.http ? options.http.signals : options.http];
  const sources: MetricsSource[] = [...http, ...primitiveSources(options), ...(options.sources ?? [])];
  return (req: Request, res: Response): void => {
    const format = negotiateMetricsFormat(req.headers.accept);
    res.setHeader('content-type', METRICS_CONTENT_TYPE[format]);
    res.setHeader('cache-control', 'no-store');
    res.end(renderMetrics(sources, { format }));
  };
}
