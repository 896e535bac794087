import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { parseOptions, resolveDeps } from '../../core/index.js';
import { primitiveSources, type MetricsSource } from '../../metrics/index.js';
import { clientKey } from '../../ratelimit/index.js';
import { THROTTLED_BODY, createRateLimitGate, type RateLimitOptions } from '../shared/rate-limit.js';
import {
  createGoldenSignals,
  traceIdFromTraceparent,
  UNMATCHED_ROUTE,
  type GoldenSignals,
  type GoldenSignalsOptions,
} from '../../signals/index.js';
import type { ErrorSink } from '../shared/error-capture.js';
import { sreFastifyOptionsSchema, type SreFastifyOptions } from './options.js';
import type { HealthRoutesOptions } from '../shared/health-endpoints.js';
import { alertmanagerEndpoint } from '../shared/alertmanager-endpoint.js';
import {
  addAgentRoute,
  addAlertmanagerRoute,
  addHealthRoutes,
  addMcpRoute,
  addMetricsRoute,
} from './routes.js';

/** What the plugin decorates the Fastify instance with, as `fastify.sre`. */
export interface SreFastifyDecoration {
  /** The golden-signals recorder the hooks feed. */
  readonly signals: GoldenSignals;
  /** The error groups errors are captured into, when given. */
  readonly errors: ErrorSink | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** sre-kit's golden signals, added by the `sreFastify` plugin. */
    sre: SreFastifyDecoration;
  }
  interface FastifyRequest {
    /** Internal: when sre-kit started timing this request; -1 when not timed or already recorded. */
    sreStartedAt: number;
    /** Internal: the route template, read once in `onRequest` (Fastify builds `routeOptions` per read). */
    sreRoute: string | undefined;
    /** Internal: the error this request failed with, captured once its response has gone out. */
    sreError: unknown;
  }
  interface FastifyContextConfig {
    /** `false` opts a route out of sre-kit's measuring, load shedding and rate limiting. */
    sre?: boolean;
    /** `false` opts a route out of sre-kit's rate limiting alone. */
    rateLimit?: boolean;
  }
}

const NOT_TIMED = -1;

const plugin: FastifyPluginAsync<SreFastifyOptions> = async (
  fastify: FastifyInstance,
  options: SreFastifyOptions,
) => {
  const opts = parseOptions(sreFastifyOptionsSchema, options, 'sreFastify');
  const {
    metrics,
    sources = [],
    breakers,
    deps,
    health,
    healthRoutes,
    agent,
    mcp,
    errors,
    alertmanager,
    rateLimit,
    ...parsedSignals
  } = opts;
  const signalOptions = parsedSignals as GoldenSignalsOptions;
  const signals = createGoldenSignals(signalOptions, deps);
  const gate =
    rateLimit === false
      ? undefined
      : createRateLimitGate(
          rateLimit as RateLimitOptions<FastifyRequest>,
          (request: FastifyRequest) => clientKey(request.raw),
          'sreFastify rateLimit',
        );
  fastify.decorate('sre', { signals, errors });
  fastify.decorateRequest('sreStartedAt', NOT_TIMED);
  fastify.decorateRequest('sreRoute', undefined);
  fastify.decorateRequest('sreError', undefined);

  // Same test as Fastify's `onRequestAbort`: Node marks a request aborted when its connection closes
  // before the response finished; a request whose response did finish is not.
  const abandoned = (request: FastifyRequest): void => {
    const startedAt = request.sreStartedAt;
    if (startedAt !== NOT_TIMED && request.raw.aborted) {
      request.sreStartedAt = NOT_TIMED;
      signals.finish(request.method, request.sreRoute, 0, startedAt, 'aborted');
    }
  };

  // The timed requests in flight on each HTTP/1 socket. A client that goes away closes its socket, so
  // one `close` listener per connection finds its aborted requests: cheaper than the per-request
  // `req.on('close')` an `onRequestAbort` hook makes Fastify add (keep-alive connections carry many
  // requests each). A WeakMap, not a property on the socket: Node's sockets keep the shape Node's own
  // hot paths are optimised for. HTTP/2 streams share a session socket, so they keep a per-request
  // listener.
  const inFlight = new WeakMap<Socket, FastifyRequest[]>();

  const watch = (request: FastifyRequest): void => {
    const raw = request.raw;
    const socket = raw.socket as Socket | null;
    if (raw.httpVersionMajor !== 1 || socket === null) {
      raw.once('close', () => abandoned(request));
      return;
    }
    let open = inFlight.get(socket);
    if (open === undefined) {
      const requests: FastifyRequest[] = [];
      open = requests;
      inFlight.set(socket, requests);
      socket.once('close', () => {
        for (const r of requests) abandoned(r);
        requests.length = 0;
      });
    }
    open.push(request);
  };

  const unwatch = (request: FastifyRequest): void => {
    const socket = request.raw.socket as Socket | null;
    const open = socket === null ? undefined : inFlight.get(socket);
    if (open === undefined) return;
    // One request at a time per connection unless the client pipelines.
    if (open.length === 1 && open[0] === request) open.pop();
    else {
      const i = open.indexOf(request);
      if (i !== -1) open.splice(i, 1);
    }
  };

  // Fastify answers a malformed URL (400) or an over-long parameter (414) itself, before any hook runs:
  // Express's middleware sees and counts those, so this does too. Fastify's own request listener runs
  // first and writes those answers synchronously; this one, right after, counts a response that ended
  // without passing `onRequest` (where `routed` is set).
  let routed: IncomingMessage | undefined;
  const countUnrouted = (req: IncomingMessage, res: ServerResponse): void => {
    const seen = routed === req;
    routed = undefined;
    if (seen || !res.writableEnded || signals.isIgnored(req.url ?? '/')) return;
    signals.finish(req.method ?? 'GET', undefined, res.statusCode, signals.start(), 'completed');
  };
  fastify.server.on('request', countUnrouted);
  fastify.addHook('onClose', (_instance, done) => {
    fastify.server.off('request', countUnrouted);
    done();
  });

  fastify.addHook(
    'onRequest',
    (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      routed = request.raw;
      // `routeOptions` is a getter that builds a fresh object: read it once per request.
      const route = request.routeOptions;
      if (route.config.sre === false || signals.isIgnored(request.url)) return done();
      const shed = signals.admit();
      if (shed !== null) {
        void reply.code(shed.status).header('retry-after', String(shed.retryAfterSeconds)).send({
          status: 503,
          code: 'ERR_SRE_OVERLOADED',
          message: 'The service is overloaded; retry after the Retry-After delay.',
        });
        return;
      }
      if (gate !== undefined && route.config.rateLimit !== false) {
        if (!gate.admit(request, (name, value) => reply.header(name, value))) {
          signals.finish(request.method, route.url, 429, signals.start(), 'throttled');
          void reply.code(429).send(THROTTLED_BODY);
          return;
        }
      }
      request.sreRoute = route.url;
      request.sreStartedAt = signals.start();
      watch(request);
      done();
    },
  );

  if (errors !== undefined) {
    const isError = signalOptions.isError ?? ((status: number) => status >= 500);
    // Noted here, captured in onResponse with the status actually sent (an error handler may turn it
    // into a 404).
    fastify.addHook('onError', (request: FastifyRequest, _reply, error: unknown, done: () => void) => {
      request.sreError = error;
      done();
    });
    fastify.addHook(
      'onResponse',
      (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
        const error = request.sreError;
        if (error !== undefined && isError(reply.statusCode)) {
          const traceparent = request.headers.traceparent;
          const traceId = traceparent === undefined ? undefined : traceIdFromTraceparent(traceparent);
          const route = request.sreRoute ?? request.routeOptions.url ?? UNMATCHED_ROUTE;
          errors.capture(error, {
            route: `${request.method} ${route}`,
            status: reply.statusCode,
            ...(traceId === undefined ? {} : { traceId }),
          });
        }
        done();
      },
    );
  }

  fastify.addHook(
    'onResponse',
    (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      const startedAt = request.sreStartedAt;
      if (startedAt !== NOT_TIMED) {
        request.sreStartedAt = NOT_TIMED;
        unwatch(request);
        const traceparent = request.headers.traceparent;
        signals.finish(
          request.method,
          request.sreRoute,
          reply.statusCode,
          startedAt,
          'completed',
          traceparent === undefined ? undefined : traceIdFromTraceparent(traceparent),
        );
      }
      done();
    },
  );

  if (health !== undefined) addHealthRoutes(fastify, health, healthRoutes as HealthRoutesOptions | undefined);

  if (metrics !== false) {
    const all: MetricsSource[] = [
      signals,
      ...primitiveSources({
        ...(signalOptions.slos === undefined ? {} : { slos: signalOptions.slos }),
        ...(signalOptions.saturation === undefined ? {} : { saturation: signalOptions.saturation }),
        ...(breakers === undefined ? {} : { breakers }),
      }),
      ...(errors !== undefined && typeof (errors as Partial<MetricsSource>).collect === 'function'
        ? [errors as unknown as MetricsSource]
        : []),
      ...sources,
    ];
    addMetricsRoute(fastify, typeof metrics === 'object' ? (metrics.path ?? '/metrics') : '/metrics', all);
  }

  const { onInternalError } = resolveDeps(deps);
  if (agent !== undefined) await addAgentRoute(fastify, agent, onInternalError);
  if (mcp !== undefined) await addMcpRoute(fastify, mcp, onInternalError);
  if (alertmanager !== undefined) {
    // The caller's own responder and monitor objects, not zod's output.
    const given = options.alertmanager;
    const endpoint = alertmanagerEndpoint({
      responder: given?.responder,
      monitor: given?.monitor,
      token: alertmanager.token,
      maxBodyBytes: alertmanager.maxBodyBytes,
    });
    await addAlertmanagerRoute(fastify, alertmanager.path, endpoint, onInternalError);
  }
};

// fastify-plugin's conventions, without the dependency: skip encapsulation so the hooks see every
// route, and declare the plugin's name and the Fastify major it supports.
Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'sre-kit',
  [Symbol.for('plugin-meta')]: { name: 'sre-kit', fastify: '5.x' },
});

/**
 * The Fastify 5 plugin: golden signals for every route (latency by route template, traffic, errors,
 * aborts, in-flight), SLO events, load shedding, and optional `/metrics`, health, agent and
 * Alertmanager webhook routes.
 *
 * @example
 * ```ts
 * await fastify.register(sreFastify, {
 *   latency, slos: [availability], saturation, shedding: true, metrics: true, health, errors,
 *   agent: { monitor },                                 // POST /agent
 *   mcp: { server: createMcpServer(monitor, { token }) }, // MCP at /mcp (sre-kit/mcp)
 *   alertmanager: { monitor, token: alertmanagerToken }, // POST /alertmanager
 * });
 * ```
 * @throws {ConfigError} (at registration) when options are invalid, or an option would go unused.
 */
export const sreFastify: FastifyPluginAsync<SreFastifyOptions> = plugin;
