import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Deps } from '../../core/index.js';
import { createStatusPage, type StatusPageMonitor, type StatusPageOptions } from '../../status/index.js';

/**
 * An Express middleware serving a monitor's status page: `GET /status` (HTML, no JavaScript),
 * `/status/summary.json` (Atlassian Statuspage v2 shape plus `x_sre`) and `/status/badge/<id>.svg`
 * (`?metric=uptime` for the uptime badge, `_overall` for the whole page); any other request passes
 * through. `/status` is in `sreMiddleware`'s default `ignore`: page views are not service traffic.
 *
 * @example
 * ```ts
 * app.use(statusPage(monitor, { title: 'Checkout', components: { names: { db: 'Database' } } }));
 * ```
 * @throws {ConfigError} when `monitor` is not a monitor or the options are invalid.
 */
export function statusPage(
  monitor: StatusPageMonitor,
  options: StatusPageOptions,
  deps?: Deps,
): RequestHandler {
  const page = createStatusPage(monitor, options, deps);
  return (req: Request, res: Response, next: NextFunction): void => {
    const metric = req.query['metric'];
    const answer = page.answer({
      method: req.method,
      path: req.path,
      metric: typeof metric === 'string' ? metric : undefined,
      ifNoneMatch: req.headers['if-none-match'],
    });
    if (answer === undefined) return next();
    res.status(answer.status).set(answer.headers);
    // Express would compute its own ETag and answer 304 by itself; the page's are already set.
    if (answer.status === 304 || req.method === 'HEAD') res.end();
    else res.end(answer.body);
  };
}
