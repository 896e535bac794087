import { Router, type Request, type Response } from 'express';
import type { HealthRegistry } from '../../health/index.js';
import { healthRoutesFor, type HealthRoutesOptions } from '../shared/health-endpoints.js';

/**
 * An Express router serving `/livez`, `/readyz` (+ `/readyz/<check>`), `/startupz` and `/health` from a
 * health registry, with `?verbose` and `?exclude=a,b`. Mount it with `app.use(healthRoutes(health))`.
 *
 * @example
 * ```ts
 * app.use(healthRoutes(health));                       // before sreMiddleware's shedding matters: exempt by default
 * app.use('/internal', healthRoutes(health, { exposeDetails: true }));
 * ```
 */
export function healthRoutes(health: HealthRegistry, options: HealthRoutesOptions = {}): Router {
  const router = Router();
  for (const route of healthRoutesFor(health, options)) {
    router.get(route.path, (req: Request, res: Response, next: (err?: unknown) => void) => {
      const check = route.perCheck ? (req.params as Record<string, string>)['check'] : undefined;
      route.answer(req.query, check).then((answer) => {
        res
          .status(answer.status)
          .set('content-type', answer.contentType)
          .set('cache-control', 'no-store')
          .send(answer.body);
      }, next);
    });
  }
  return router;
}
