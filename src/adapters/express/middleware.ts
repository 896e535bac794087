import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Deps } from '../../core/index.js';
import {
  createGoldenSignals,
  traceIdFromTraceparent,
  type GoldenSignals,
  type GoldenSignalsOptions,
} from '../../signals/index.js';
import { wasThrottled } from './rate-limit.js';
import { expressRouteTemplate } from './route-template.js';

/** Options for {@link sreMiddleware}: the golden-signals options. */
export type SreMiddlewareOptions = GoldenSignalsOptions;

/** The Express middleware, carrying the golden-signals recorder it feeds (pass it to `metricsHandler`). */
export type SreMiddleware = RequestHandler & { readonly signals: GoldenSignals };

/** The JSON body of a shed request's 503. */
export const OVERLOADED_BODY = Object.freeze({
  status: 503,
  code: 'ERR_SRE_OVERLOADED',
  message: 'The service is overloaded; retry after the Retry-After delay.',
});

/**
 * Express 5 middleware for the golden signals: latency per route template, traffic and errors per
 * route, in-flight requests, client aborts, SLO events and load shedding. Mount it first with
 * `app.use()`; it never mutates `app`.
 *
 * @example
 * ```ts
 * const sre = sreMiddleware({ latency, slos: [availability], saturation, shedding: { retryAfterSeconds: 5 } });
 * app.use(sre);
 * app.get('/metrics', metricsHandler({ http: sre, latency, slos, saturation }));
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function sreMiddleware(options: SreMiddlewareOptions = {}, deps?: Deps): SreMiddleware {
  const signals = createGoldenSignals(options, deps);
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    if (signals.isIgnored(req.url)) return next();
    const shed = signals.admit();
    if (shed !== null) {
      res.status(shed.status).set('Retry-After', String(shed.retryAfterSeconds)).json(OVERLOADED_BODY);
      return;
    }
    const startedAt = signals.start();
    const finish = (): void => {
      const aborted = !res.writableFinished;
      const traceparent = req.headers.traceparent;
      // Only a 429 can be a throttle: the common path never looks the response up.
      const outcome = aborted
        ? 'aborted'
        : res.statusCode === 429 && wasThrottled(res)
          ? 'throttled'
          : 'completed';
      signals.finish(
        req.method,
        expressRouteTemplate(req),
        res.statusCode,
        startedAt,
        outcome,
        traceparent === undefined ? undefined : traceIdFromTraceparent(traceparent),
      );
    };
    // 'close' always fires, once, after 'finish' when the response went out; unfinished means the
    // client left first. `on`, not `once`: a response closes only once, and `once` would allocate a
    // wrapper and remove it again on every request (~130 ns).
    res.on('close', finish);
    next();
  };
  return Object.assign(handler, { signals });
}
