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
import type { AgentPermission } from '../../monitor/protocol/index.js';
import type { HealthRegistry } from '../../health/index.js';
import {
  METRICS_CONTENT_TYPE,
  negotiateMetricsFormat,
  renderMetrics,
  type MetricsSource,
} from '../../metrics/index.js';
import {
  answerAgent,
  internalError,
  tooLarge,
  unreadableBody,
  unsupportedMediaType,
  type AgentMonitor,
} from '../shared/agent-endpoint.js';
import {
  alertmanagerInternal,
  alertmanagerMediaType,
  alertmanagerTooLarge,
  alertmanagerUnreadable,
  answerAlertmanager,
  authorized,
  unauthorized,
  type AlertmanagerEndpoint,
} from '../shared/alertmanager-endpoint.js';
import { JSON_CONTENT_TYPE, type JsonAnswer } from '../shared/request-body.js';
import { mcpInternals, type McpHttpServer } from '../../mcp/internals.js';
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

/** A `POST` route reading its body as raw bytes, each failure answered in the route's own envelope. */
interface RawBodyRoute {
  readonly path: string;
  readonly maxBodyBytes: number;
  /** Checked before the body is read (credentials, content type): an answer here ends the request. */
  before(request: FastifyRequest): JsonAnswer | undefined;
  /** The answer for a body over the limit. */
  tooLarge(): JsonAnswer;
  /** The answer for a body that could not be read (aborted, shorter than its content-length). */
  unreadable(status: number): JsonAnswer;
  /** The answer when something failed inside; the error has gone to `onInternalError`. */
  internal(): JsonAnswer;
  /** Answers the body (the request gives its headers, e.g. a YAML content type). */
  answer(body: Uint8Array, request: FastifyRequest): Promise<JsonAnswer>;
  /** Names the route in `onInternalError` reports. */
  readonly source: string;
}

/** In `scope`, every body arrives as raw bytes, whatever its content type, up to `maxBodyBytes`. */
function acceptRawBodies(scope: FastifyInstance, maxBodyBytes: number): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_request, body, done) => {
    done(null, body);
  });
}

/**
 * Adds a raw-body `POST` route in a scope of its own, so its body parser (raw bytes up to
 * `maxBodyBytes`, any content type) and error handler never touch the host's routes.
 */
async function addRawBodyRoute(
  fastify: FastifyInstance,
  spec: RawBodyRoute,
  onInternalError: InternalErrorHandler,
): Promise<void> {
  const send = (reply: FastifyReply, answer: JsonAnswer): FastifyReply => {
    void reply.code(answer.status).type(JSON_CONTENT_TYPE).header('cache-control', 'no-store');
    if (answer.headers !== undefined) void reply.headers(answer.headers);
    return reply.send(answer.body);
  };

  await fastify.register(async (scope) => {
    acceptRawBodies(scope, spec.maxBodyBytes);
    const options: RouteShorthandOptions = {
      ...OWN_ROUTE,
      bodyLimit: spec.maxBodyBytes,
      // Before the body is read, as on Express: a refused request is answered whatever its size.
      onRequest: (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
        const refused = spec.before(request);
        if (refused === undefined) done();
        else void send(reply, refused);
      },
      // Fastify's own failures while reading the body, in the route's envelope like every answer.
      errorHandler: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
        const status = error.statusCode ?? 500;
        if (status === 413) void send(reply, spec.tooLarge());
        else if (status >= 400 && status < 500) void send(reply, spec.unreadable(status));
        else {
          onInternalError(error, { source: spec.source, task: 'answer' });
          void send(reply, spec.internal());
        }
      },
    };
    route(scope, 'POST', spec.path, options, async (request, reply) => {
      const body = request.body instanceof Uint8Array ? request.body : NO_BODY;
      return send(reply, await spec.answer(body, request));
    });
  });
}

/** `POST` agent requests, answered as Express's `agentRoute` answers them. */
export async function addAgentRoute(
  fastify: FastifyInstance,
  agent: {
    readonly monitor: AgentMonitor;
    readonly path: string;
    readonly maxBodyBytes: number;
    readonly allow: readonly AgentPermission[];
  },
  onInternalError: InternalErrorHandler,
): Promise<void> {
  const { monitor, path, maxBodyBytes, allow } = agent;
  await addRawBodyRoute(
    fastify,
    {
      path,
      maxBodyBytes,
      source: 'agentRoute',
      before: (request) =>
        unsupportedMediaType(request.headers['content-type'], request.headers['content-encoding']),
      tooLarge: () => tooLarge(maxBodyBytes),
      unreadable: unreadableBody,
      internal: () => internalError(),
      answer: (body, request) =>
        answerAgent(monitor, body, request.headers['content-type'], allow, onInternalError),
    },
    onInternalError,
  );
}

/** `POST` Alertmanager webhooks, answered as Express's `alertmanagerRoute` answers them. */
export async function addAlertmanagerRoute(
  fastify: FastifyInstance,
  path: string,
  endpoint: AlertmanagerEndpoint,
  onInternalError: InternalErrorHandler,
): Promise<void> {
  await addRawBodyRoute(
    fastify,
    {
      path,
      maxBodyBytes: endpoint.maxBodyBytes,
      source: 'alertmanagerRoute',
      before: (request) =>
        authorized(request.headers.authorization, endpoint.secrets)
          ? alertmanagerMediaType(request.headers['content-type'], request.headers['content-encoding'])
          : unauthorized(),
      tooLarge: () => alertmanagerTooLarge(endpoint.maxBodyBytes),
      unreadable: alertmanagerUnreadable,
      internal: alertmanagerInternal,
      answer: (body) => answerAlertmanager(endpoint, body, onInternalError),
    },
    onInternalError,
  );
}

/**
 * MCP's streamable HTTP transport for `server` at `path`, as `mcpRoute` serves it on Express. The body
 * is read as bytes (up to the server's `maxBodyBytes`) in a scope of its own, parsed as JSON, and the
 * exchange handed to the server's session, which writes the reply (plain JSON or an event stream).
 */
export async function addMcpRoute(
  fastify: FastifyInstance,
  mcp: { readonly server: McpHttpServer; readonly path: string },
  onInternalError: InternalErrorHandler,
): Promise<void> {
  const internals = mcpInternals(mcp.server);
  if (internals === undefined) return;
  const { maxBodyBytes } = internals;
  const rpcError = (reply: FastifyReply, status: number, code: number, message: string): FastifyReply =>
    reply.code(status).type('application/json').send({ jsonrpc: '2.0', error: { code, message }, id: null });

  await fastify.register(async (scope) => {
    acceptRawBodies(scope, maxBodyBytes);
    const options: RouteShorthandOptions = {
      ...OWN_ROUTE,
      bodyLimit: maxBodyBytes,
      errorHandler: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
        const status = error.statusCode ?? 500;
        if (status === 413)
          void rpcError(reply, 413, -32000, `The request body is larger than ${maxBodyBytes} bytes`);
        else if (status >= 400 && status < 500)
          void rpcError(reply, status, -32000, 'The request body could not be read');
        else {
          onInternalError(error, { source: 'mcpRoute', task: 'read' });
          void rpcError(reply, 500, -32603, 'Internal error');
        }
      },
    };
    const handler: RouteHandlerMethod = async (request, reply) => {
      let parsed: unknown;
      if (request.body instanceof Uint8Array && request.body.length > 0) {
        try {
          parsed = JSON.parse(Buffer.from(request.body).toString('utf8'));
        } catch {
          return rpcError(reply, 400, -32700, 'Parse error: the body is not JSON');
        }
      }
      // The transport writes the response itself, possibly as a long-lived event stream.
      reply.hijack();
      await internals.handleHttp(request.raw, reply.raw, parsed);
      return reply;
    };
    for (const method of ['GET', 'POST', 'DELETE'] as const) route(scope, method, mcp.path, options, handler);
  });
}
