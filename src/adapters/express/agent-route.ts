import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { ConfigError, describeValue, parseOptions, resolveDeps, type Deps } from '../../core/index.js';
import {
  AGENT_CONTENT_TYPE,
  agentMonitorSchema,
  agentRouteOptionsShape,
  answerAgent,
  answerParsed,
  internalError,
  tooLarge,
  unsupportedMediaType,
  type AgentAnswer,
  type AgentMonitor,
  type AgentRouteOptions,
} from '../shared/agent-endpoint.js';
import { readBody, TOO_LARGE } from '../shared/request-body.js';

/** @internal The schema {@link AgentRouteOptions} is checked against (bound by a type test). */
export const agentRouteOptionsSchema = z.strictObject(agentRouteOptionsShape);

/**
 * An Express handler for the agent protocol: `POST` an agent request as JSON or YAML (the seed's
 * `request: { agent: sre-reliability, action: … }` form included), get the monitor's answer. It reads
 * the body itself (no `express.json()` needed, and express is never loaded), up to `maxBodyBytes`, and
 * answers every outcome as JSON in the protocol's envelope: 200 for an answer, 400 for a body that is
 * not JSON or YAML (a YAML tag or an alias bomb included), 413 over the limit, 415 for another content
 * type, 422 for a request the protocol rejects (bad shape, wrong agent, unknown action), 403 for an
 * action that changes state unless `allow` includes `act`, 404 for an unknown incident, SLO or check,
 * 500 when the monitor fails (never a stack). Add its path to `sreMiddleware`'s `ignore` to keep agent
 * questions out of the traffic numbers and away from load shedding.
 *
 * @example
 * ```ts
 * app.post('/agent', agentRoute(monitor));
 * // curl -H 'content-type: application/json' -d '{"agent":"sre-reliability","action":"slo_status"}' …/agent
 * ```
 * @throws {ConfigError} when `monitor` has no `handle()` or the options are invalid.
 */
export function agentRoute(
  monitor: AgentMonitor,
  options: AgentRouteOptions = {},
  deps?: Deps,
): RequestHandler {
  if (!agentMonitorSchema.safeParse(monitor).success)
    throw new ConfigError('agentRoute', [
      { field: 'monitor', received: describeValue(monitor), expected: 'a monitor (handle)' },
    ]);
  const { maxBodyBytes, allow } = parseOptions(agentRouteOptionsSchema, options, 'agentRoute');
  const { onInternalError } = resolveDeps(deps);

  const send = (res: Response, answer: AgentAnswer): void => {
    res
      .status(answer.status)
      .set('content-type', AGENT_CONTENT_TYPE)
      .set('cache-control', 'no-store')
      .send(answer.body);
  };

  const answer = async (req: Request): Promise<AgentAnswer | undefined> => {
    const unsupported = unsupportedMediaType(req.headers['content-type'], req.headers['content-encoding']);
    if (unsupported !== undefined) return unsupported;
    if (req.readableEnded) {
      // A JSON body parser mounted before this route has read the body: use what it parsed. Anything
      // else that read it kept nothing usable, and waiting for the stream would wait forever.
      if (req.body !== undefined) return answerParsed(monitor, req.body, allow, onInternalError);
      return internalError('The request body was read before agentRoute; mount it before body parsers');
    }
    if (Number(req.headers['content-length']) > maxBodyBytes) return tooLarge(maxBodyBytes);
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) return undefined; // the client left: nobody to answer
    if (body === TOO_LARGE) return tooLarge(maxBodyBytes);
    return answerAgent(monitor, body, req.headers['content-type'], allow, onInternalError);
  };

  return (req: Request, res: Response): void => {
    answer(req).then(
      (result) => {
        if (result !== undefined && !res.headersSent) send(res, result);
      },
      (error: unknown) => {
        onInternalError(error, { source: 'agentRoute', task: 'answer' });
        if (!res.headersSent) send(res, internalError());
      },
    );
  };
}
