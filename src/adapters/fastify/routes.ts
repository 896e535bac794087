import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HTTPMethods,
  RouteHandlerMethod,
  RouteShorthandOptions,
} from 'fastify';
import type { InternalErrorHandler } from '../../core/index.js';
import type { HealthRegistry } from '../../health/index.js';
import {
  METRICS_CONTENT_TYPE,
  negotiateMetricsFormat,
  renderMetrics,
  type MetricsSource,
} from '../../metrics/index.js';
import {
  AGENT_CONTENT_TYPE,
  answerAgent,
  internalError,
  tooLarge,
  unreadableBody,
  unsupportedMediaType,
  type AgentAnswer,
  type AgentMonitor,
} from '../shared/agent-endpoint.js';
import { healthRoutesFor, type HealthQuery, type HealthRoutesOptions } from '../shared/health-endpoints.js';

// The routes the plugin adds. None is measured or shed (`config: { sre: false }`), and each answers
// with or without a trailing slash, as Express's default non-strict routing and the Kubernetes API
// server do, unless the instance already ignores trailing slashes.

const OWN_ROUTE = { config: { sre: false } } as const;
const NO_BODY = new Uint8Array(0);

function route(
  fastify: FastifyInstance,
  method: HTTPMethods,
  path: string,
  options: RouteShorthandOptions,
  handler: RouteHandlerMethod,
): void {
  fastify.route({ ...options, method, url: path, handler });
  const slashed = `${path}/`;
  if (!fastify.hasRoute({ method, url: slashed }))
    fastify.route({ ...options, method, url: slashed, handler });
}

/** `/livez`, `/readyz` (+ `/readyz/:check`), `/startupz`, `/health` from `health`. */
export function addHealthRoutes(
  fastify: FastifyInstance,
  health: HealthRegistry,
  options: HealthRoutesOptions | undefined,
): void {
  for (const endpoint of healthRoutesFor(health, options, 'sreFastify')) {
    route(fastify, 'GET', endpoint.path, OWN_ROUTE, async (request, reply) => {
      const check = endpoint.perCheck ? (request.params as Record<string, string>)['check'] : undefined;
      const answer = await endpoint.answer(request.query as HealthQuery, check);
      return reply
        .code(answer.status)
        .type(answer.contentType)
        .header('cache-control', 'no-store')
        .send(answer.body);
    });
  }
}

/** The metrics route: every source, in the format the scraper's `Accept` asks for. */
export function addMetricsRoute(fastify: FastifyInstance, path: string, sources: MetricsSource[]): void {
  route(fastify, 'GET', path, OWN_ROUTE, async (request, reply) => {
    const format = negotiateMetricsFormat(request.headers.accept);
    return reply
      .type(METRICS_CONTENT_TYPE[format])
      .header('cache-control', 'no-store')
      .send(renderMetrics(sources, { format }));
  });
}

/**
 * `POST` agent requests, answered as Express's `agentRoute` answers them. The route lives in a scope
 * of its own so its body parser (raw bytes up to `maxBodyBytes`, any content type) and error handler
 * never touch the host's routes.
 */
export async function addAgentRoute(
  fastify: FastifyInstance,
  agent: { readonly monitor: AgentMonitor; readonly path: string; readonly maxBodyBytes: number },
  onInternalError: InternalErrorHandler,
): Promise<void> {
  const { monitor, path, maxBodyBytes } = agent;
  const send = (reply: FastifyReply, answer: AgentAnswer): FastifyReply =>
    reply.code(answer.status).type(AGENT_CONTENT_TYPE).header('cache-control', 'no-store').send(answer.body);

  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: maxBodyBytes },
      (_request, body, done) => {
        done(null, body);
      },
    );
    const options: RouteShorthandOptions = {
      ...OWN_ROUTE,
      bodyLimit: maxBodyBytes,
      // Before the body is read, as on Express: a wrong content type is 415 whatever its size.
      onRequest: (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
        const unsupported = unsupportedMediaType(
          request.headers['content-type'],
          request.headers['content-encoding'],
        );
        if (unsupported === undefined) done();
        else void send(reply, unsupported);
      },
      // Fastify's own failures while reading the body, in the protocol's envelope like every answer.
      errorHandler: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
        const status = error.statusCode ?? 500;
        if (status === 413) void send(reply, tooLarge(maxBodyBytes));
        else if (status >= 400 && status < 500) void send(reply, unreadableBody(status));
        else {
          onInternalError(error, { source: 'agentRoute', task: 'answer' });
          void send(reply, internalError());
        }
      },
    };
    route(scope, 'POST', path, options, async (request, reply) => {
      const body = request.body instanceof Uint8Array ? request.body : NO_BODY;
      return send(reply, await answerAgent(monitor, body, onInternalError));
    });
  });
}
