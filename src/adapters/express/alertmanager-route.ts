import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { parseOptions, resolveDeps, type Deps } from '../../core/index.js';
import {
  alertmanagerEndpoint,
  alertmanagerInternal,
  alertmanagerMediaType,
  alertmanagerRouteOptionsShape,
  alertmanagerTooLarge,
  answerAlertmanager,
  authorized,
  refineAlertmanagerRouteOptions,
  unauthorized,
  type AlertmanagerRouteOptions,
} from '../shared/alertmanager-endpoint.js';
import { JSON_CONTENT_TYPE, readBody, TOO_LARGE, type JsonAnswer } from '../shared/request-body.js';

/** @internal The schema {@link AlertmanagerRouteOptions} is checked against (bound by a type test). */
export const alertmanagerRouteOptionsSchema = z
  .strictObject(alertmanagerRouteOptionsShape)
  .superRefine((value, ctx) => refineAlertmanagerRouteOptions(value, ctx));

/**
 * An Express handler for Alertmanager's webhook receiver (JSON version 4): each alert goes to the
 * responder (firing opens or deduplicates an incident, resolved resolves it), and the answer is 200 only
 * once every alert of the batch is durable in the incident store — runbooks run on after it. A store
 * failure is 503, so Alertmanager sends the batch again. Wrong or missing credentials are 401 before the
 * body is read (nothing is recorded); a body that is not JSON, or not Alertmanager's format, is 400;
 * over `maxBodyBytes` 413; another content type 415. It reads the body itself: mount it before any body
 * parser, and add its path to `sreMiddleware`'s `ignore`.
 *
 * @example
 * ```ts
 * app.post('/alertmanager', alertmanagerRoute({ monitor, token: process.env.ALERTMANAGER_TOKEN ?? '' }));
 * // alertmanager.yml: webhook_configs: [{ url: http://svc:3000/alertmanager,
 * //                     http_config: { authorization: { credentials_file: /etc/am/token } } }]
 * ```
 * @throws {ConfigError} when neither (or both) of `responder` and `monitor` is given, the token is
 *   shorter than 16 characters, or another option is invalid.
 */
export function alertmanagerRoute(options: AlertmanagerRouteOptions, deps?: Deps): RequestHandler {
  const parsed = parseOptions(alertmanagerRouteOptionsSchema, options, 'alertmanagerRoute');
  // The caller's own responder and monitor objects, not zod's output.
  const endpoint = alertmanagerEndpoint({
    responder: options.responder,
    monitor: options.monitor,
    token: parsed.token,
    maxBodyBytes: parsed.maxBodyBytes,
  });
  const { onInternalError } = resolveDeps(deps);

  const send = (res: Response, answer: JsonAnswer): void => {
    res.status(answer.status).set('content-type', JSON_CONTENT_TYPE).set('cache-control', 'no-store');
    if (answer.headers !== undefined) res.set(answer.headers);
    res.send(answer.body);
  };

  const answer = async (req: Request): Promise<JsonAnswer | undefined> => {
    if (!authorized(req.headers.authorization, endpoint.secrets)) {
      if (!req.readableEnded) req.resume(); // drain, never read
      return unauthorized();
    }
    const unsupported = alertmanagerMediaType(req.headers['content-type'], req.headers['content-encoding']);
    if (unsupported !== undefined) return unsupported;
    if (req.readableEnded) {
      // A body parser mounted before this route read the body: nothing is left to check exactly.
      onInternalError(new Error('The request body was read before alertmanagerRoute; mount it first'), {
        source: 'alertmanagerRoute',
        task: 'read body',
      });
      return alertmanagerInternal();
    }
    if (Number(req.headers['content-length']) > endpoint.maxBodyBytes)
      return alertmanagerTooLarge(endpoint.maxBodyBytes);
    const body = await readBody(req, endpoint.maxBodyBytes);
    if (body === undefined) return undefined; // the client left: nobody to answer
    if (body === TOO_LARGE) return alertmanagerTooLarge(endpoint.maxBodyBytes);
    return answerAlertmanager(endpoint, body, onInternalError);
  };

  return (req: Request, res: Response): void => {
    answer(req).then(
      (result) => {
        if (result !== undefined && !res.headersSent) send(res, result);
      },
      (error: unknown) => {
        onInternalError(error, { source: 'alertmanagerRoute', task: 'answer' });
        if (!res.headersSent) send(res, alertmanagerInternal());
      },
    );
  };
}
