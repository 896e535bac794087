import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { clientKey } from '../../ratelimit/index.js';
import { THROTTLED_BODY, createRateLimitGate, type RateLimitOptions } from '../shared/rate-limit.js';

/** Options for {@link rateLimit}. */
export type RateLimitMiddlewareOptions = RateLimitOptions<Request>;

// Responses this middleware answered 429, so `sreMiddleware` (mounted before it) counts them as
// throttling rather than as traffic and SLO events.
const throttled = new WeakSet<Response>();

/** @internal Whether `rateLimit` answered this response. */
export function wasThrottled(res: Response): boolean {
  return throttled.has(res);
}

const defaultKey = (req: Request): string => clientKey(req);

/**
 * Express 5 middleware that rate-limits requests per key: an admitted request goes on with the
 * `RateLimit` header fields set, a refused one is answered 429 with `Retry-After` and a JSON body
 * that names neither the key nor its state. Mount it after `sreMiddleware` so refusals are counted as
 * throttling (`sre_http_requests_throttled_total`), never as SLO errors.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter({ rate: 100, perMs: 60_000, burst: 20 });
 * app.use(sre);
 * app.use(rateLimit({ limiter, key: (req) => clientKey(req), headers: 'draft-11' }));
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function rateLimit(options: RateLimitMiddlewareOptions): RequestHandler {
  const gate = createRateLimitGate(options, defaultKey, 'rateLimit');
  return (req: Request, res: Response, next: NextFunction): void => {
    if (gate.admit(req, (name, value) => res.setHeader(name, value))) return next();
    throttled.add(res);
    res.status(429).json(THROTTLED_BODY);
  };
}
