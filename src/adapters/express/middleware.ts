import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { parseOptions, type Deps } from '../../core/index.js';
import {
  createGoldenSignals,
  traceIdFromTraceparent,
  UNMATCHED_ROUTE,
  type GoldenSignals,
  type GoldenSignalsOptions,
} from '../../signals/index.js';
import { errorSinkSchema, errorStatus, type ErrorSink } from '../shared/error-capture.js';
import { wasThrottled } from './rate-limit.js';
import { expressRouteTemplate } from './route-template.js';

/** Options for {@link sreMiddleware}: the golden-signals options, and where errors go. */
export interface SreMiddlewareOptions extends GoldenSignalsOptions {
  /**
   * Error groups (`createErrorGroups()`) that `errorHandler` captures thrown and `next(err)` errors
   * into, with the route template, the status sent and the trace id; only responses `isError` counts
   * (5xx by default) are captured. `metricsHandler({ http })` then serves `sre_errors_total` too.
   * @default undefined (errors are only counted per route and status)
   */
  readonly errors?: ErrorSink;
}

/**
 * The Express middleware, carrying the golden-signals recorder it feeds (pass it to `metricsHandler`),
 * the error groups it was given, and the error handler to mount after the routes.
 */
export type SreMiddleware = RequestHandler & {
  readonly signals: GoldenSignals;
  readonly errors: ErrorSink | undefined;
  /**
   * Error-handling middleware to mount after every route (`app.use(sre.errorHandler)`): it notes the
   * error of a request that failed (thrown, rejected or passed to `next(err)`) and passes it on
   * unchanged to your own error handler or Express's. The error is captured into `errors` once the
   * response has gone out, with the status actually sent. Express gives a middleware mounted first no
   * way to see errors raised after it; this is the one extra line.
   */
  readonly errorHandler: ErrorRequestHandler;
};

const errorsOptionSchema = z.strictObject({ errors: errorSinkSchema.optional() });

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
 * const sre = sreMiddleware({ latency, slos: [availability], saturation, errors, shedding: { retryAfterSeconds: 5 } });
 * app.use(sre);
 * app.get('/metrics', metricsHandler({ http: sre, latency, slos, saturation }));
 * // ... your routes ...
 * app.use(sre.errorHandler); // captures thrown and next(err) errors into `errors`
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function sreMiddleware(options: SreMiddlewareOptions = {}, deps?: Deps): SreMiddleware {
  const { errors, ...signalOptions } = options;
  const signals = createGoldenSignals(signalOptions, deps);
  parseOptions(errorsOptionSchema, errors === undefined ? {} : { errors }, 'sreMiddleware');
  const isError = signalOptions.isError ?? ((status: number) => status >= 500);
  // The error of each failed response still going out, captured when it has (with its final status).
  const failed = new WeakMap<Response, unknown>();
  const capture = (error: unknown, req: Request, status: number): void => {
    if (errors === undefined || !isError(status)) return;
    const route = expressRouteTemplate(req);
    const traceparent = req.headers.traceparent;
    const traceId = traceparent === undefined ? undefined : traceIdFromTraceparent(traceparent);
    errors.capture(error, {
      route: `${req.method} ${route ?? UNMATCHED_ROUTE}`,
      status,
      ...(traceId === undefined ? {} : { traceId }),
    });
  };
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
      if (errors !== undefined) {
        const error = failed.get(res);
        if (error !== undefined) capture(error, req, res.statusCode);
      }
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
  const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
    if (errors !== undefined) {
      // A timed request is captured when its response has gone out; an ignored path never will be.
      if (signals.isIgnored(req.url))
        capture(error, req, res.headersSent ? res.statusCode : errorStatus(error));
      else failed.set(res, error);
    }
    next(error);
  };
  return Object.assign(handler, { signals, errors, errorHandler });
}
