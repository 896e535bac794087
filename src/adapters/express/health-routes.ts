import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { HealthRegistry } from '../../health/index.js';
import { healthRoutesFor, type HealthRoute, type HealthRoutesOptions } from '../shared/health-endpoints.js';

/**
 * An Express middleware serving `/livez`, `/readyz` (+ `/readyz/<check>`), `/startupz` and `/health` from
 * a health registry, with `?verbose` and `?exclude=a,b`; any other path passes through. Mount it with
 * `app.use(healthRoutes(health))`.
 *
 * @example
 * ```ts
 * app.use(healthRoutes(health));                       // before sreMiddleware's shedding matters: exempt by default
 * app.use('/internal', healthRoutes(health, { exposeDetails: true }));
 * ```
 * @throws {ConfigError} when `health` is not a registry (every probe would answer 503 forever) or the
 *   options are invalid (unknown keys, a path that is not `/a/b`, two endpoints on one path).
 */
export function healthRoutes(health: HealthRegistry, options: HealthRoutesOptions = {}): RequestHandler {
  // Matched by hand rather than with express.Router so that loading sre-kit/express never imports express:
  // it stays an optional peer, and the host's own copy is the only one in the process.
  const exact = new Map<string, HealthRoute>();
  let perCheck: { prefix: string; route: HealthRoute } | undefined;
  for (const route of healthRoutesFor(health, options)) {
    if (route.perCheck) perCheck = { prefix: route.path.slice(0, -':check'.length), route };
    else exact.set(route.path, route);
  }

  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // Express routes are not strict by default: `/livez/` is `/livez`.
    const path = req.path.length > 1 && req.path.endsWith('/') ? req.path.slice(0, -1) : req.path;
    let route = exact.get(path);
    let check: string | undefined;
    if (route === undefined && perCheck !== undefined && path.startsWith(perCheck.prefix)) {
      const rest = path.slice(perCheck.prefix.length);
      if (rest === '' || rest.includes('/')) return next();
      try {
        check = decodeURIComponent(rest);
      } catch {
        return next();
      }
      route = perCheck.route;
    }
    if (route === undefined) return next();
    route.answer(req.query, check).then((answer) => {
      res
        .status(answer.status)
        .set('content-type', answer.contentType)
        .set('cache-control', 'no-store')
        .send(answer.body);
    }, next);
  };
}
