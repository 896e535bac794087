import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkUnique, type Deps } from '../../core/index.js';
import type { HealthRegistry } from '../../health/index.js';
import type { BreakerStatsSource, MetricsSource } from '../../metrics/index.js';
import {
  goldenSignalsOptionsShape,
  refineGoldenSignalsOptions,
  type GoldenSignalsOptions,
} from '../../signals/index.js';
import {
  agentMonitorSchema,
  agentRouteOptionsShape,
  type AgentMonitor,
  type AgentRouteOptions,
} from '../shared/agent-endpoint.js';
import { errorSinkSchema, type ErrorSink } from '../shared/error-capture.js';
import {
  alertmanagerRouteOptionsShape,
  refineAlertmanagerRouteOptions,
  type AlertmanagerRouteOptions,
} from '../shared/alertmanager-endpoint.js';
import { healthRoutesOptionsSchema, type HealthRoutesOptions } from '../shared/health-endpoints.js';
import { mcpInternals, type McpHttpServer } from '../../mcp/internals.js';
import { rateLimitOptionsSchema, type RateLimitOptions } from '../shared/rate-limit.js';
import {
  breakerSourceSchema,
  healthRegistrySchema,
  metricsSourceSchema,
  routePathSchema,
} from '../shared/option-schemas.js';

/** The plugin's agent route: the monitor that answers, where, and how large a request may be. */
export interface SreFastifyAgentOptions extends AgentRouteOptions {
  /** The monitor that answers: `createMonitor()` returns one. */
  readonly monitor: AgentMonitor;
  /** Where `POST` agent requests are served. @default '/agent' */
  readonly path?: string;
}

/** The plugin's MCP route: the server (from `createMcpServer`) and where it is served. */
export interface SreFastifyMcpOptions {
  /** The server: `createMcpServer(monitor, { token })` from `sre-kit/mcp` returns one. */
  readonly server: McpHttpServer;
  /** Where MCP's streamable HTTP transport is served (`POST`, `GET`, `DELETE`). @default '/mcp' */
  readonly path?: string;
}

/** The plugin's Alertmanager webhook route: who gets the alerts, the secret, where, and the size limit. */
export interface SreFastifyAlertmanagerOptions extends AlertmanagerRouteOptions {
  /** Where Alertmanager `POST`s its webhooks. @default '/alertmanager' */
  readonly path?: string;
}

/**
 * Options for {@link sreFastify}: the golden-signals options (shedding happens in `onRequest`, before
 * the handler; routes with `config: { sre: false }` are neither measured nor shed) plus the routes
 * the plugin adds. The plugin's own routes are neither measured nor shed, and answer with or without a
 * trailing slash, as Express does.
 */
export interface SreFastifyOptions extends GoldenSignalsOptions {
  /**
   * Serve `GET /metrics` (or the given path) in Prometheus text or OpenMetrics, chosen by `Accept`.
   * @default false
   */
  readonly metrics?: boolean | { readonly path?: string };
  /**
   * Circuit breakers whose state and calls the metrics route serves (the `slos` and `saturation`
   * given above are served too). Names unique; needs `metrics`. @default []
   */
  readonly breakers?: readonly BreakerStatsSource[];
  /** More metric families to serve on the metrics route: your own, or any primitive's. Needs `metrics`. @default [] */
  readonly sources?: readonly MetricsSource[];
  /**
   * Serve `/livez`, `/readyz` (+ `/readyz/:check`), `/startupz` and `/health` from this registry.
   * @default undefined (no health routes)
   */
  readonly health?: HealthRegistry;
  /** Paths and detail level of the health routes; needs `health`. @default the defaults of each */
  readonly healthRoutes?: HealthRoutesOptions;
  /**
   * Serve the agent protocol at `POST /agent` (or `path`), answered by `monitor`, exactly as
   * `agentRoute` does on Express.
   * @default undefined (no agent route)
   */
  readonly agent?: SreFastifyAgentOptions;
  /**
   * Serve an MCP server (`createMcpServer` from `sre-kit/mcp`, with a `token`) over streamable HTTP at
   * `/mcp` (or `path`), as `mcpRoute` does on Express: bearer token required, sessions per client.
   * @default undefined (no MCP route)
   */
  readonly mcp?: SreFastifyMcpOptions;
  /**
   * Error groups (`createErrorGroups()`) the plugin captures every thrown or sent error into (an
   * `onError` hook), with the route template, the status sent and the trace id; only responses
   * `isError` counts (5xx by default) are captured. With `metrics`, `sre_errors_total{type,route}` is
   * served too.
   * @default undefined (errors are only counted per route and status)
   */
  readonly errors?: ErrorSink;
  /**
   * Serve Alertmanager's webhook receiver at `POST /alertmanager` (or `path`), feeding a responder,
   * exactly as `alertmanagerRoute` does on Express.
   * @default undefined (no Alertmanager route)
   */
  readonly alertmanager?: SreFastifyAlertmanagerOptions;
  /**
   * Rate-limit every measured route (routes with `config: { rateLimit: false }`, health, metrics, agent,
   * MCP and Alertmanager routes are exempt): a refused request is answered 429 with `Retry-After` in `onRequest`,
   * before the handler, and counted as throttling, never as an SLO error. The key defaults to
   * `clientKey` of the raw request.
   * @default false
   */
  readonly rateLimit?: RateLimitOptions<FastifyRequest> | false;
  /** The clock and error hook, as every factory takes them. @default the system clock, a process warning */
  readonly deps?: Deps;
}

/** An option that does nothing without another one: silently unused is a ConfigError. */
const unused = (field: string, needed: string) => ({
  code: 'custom' as const,
  path: [field],
  message: `${needed} as well (without it nothing uses ${field})`,
});

/** @internal The schema {@link SreFastifyOptions} is checked against (bound by a type test). */
export const sreFastifyOptionsSchema = z
  .strictObject({
    ...goldenSignalsOptionsShape,
    metrics: z.union([z.boolean(), z.strictObject({ path: routePathSchema.optional() })]).default(false),
    breakers: z.array(breakerSourceSchema).optional(),
    sources: z.array(metricsSourceSchema).optional(),
    health: healthRegistrySchema.optional(),
    healthRoutes: healthRoutesOptionsSchema.optional(),
    agent: z
      .strictObject({
        monitor: agentMonitorSchema,
        path: routePathSchema.default('/agent'),
        ...agentRouteOptionsShape,
      })
      .optional(),
    mcp: z
      .strictObject({
        server: z.custom<McpHttpServer>((value) => mcpInternals(value)?.hasToken === true, {
          message: 'a server from createMcpServer() with a token (HTTP clients must authenticate)',
        }),
        path: routePathSchema.default('/mcp'),
      })
      .optional(),
    errors: errorSinkSchema.optional(),
    alertmanager: z
      .strictObject({ ...alertmanagerRouteOptionsShape, path: routePathSchema.default('/alertmanager') })
      .optional(),
    rateLimit: z.union([z.literal(false), rateLimitOptionsSchema]).default(false),
    deps: z
      .custom<Deps>((value) => typeof value === 'object' && value !== null, { message: 'an object' })
      .optional(),
  })
  .superRefine((value, ctx) => {
    refineGoldenSignalsOptions(value, ctx);
    checkUnique(ctx, value.breakers ?? [], ['breakers'], { noun: 'breaker' });
    if (value.metrics === false) {
      if (value.breakers !== undefined) ctx.addIssue(unused('breakers', '`metrics`'));
      if (value.sources !== undefined) ctx.addIssue(unused('sources', '`metrics`'));
    }
    if (value.alertmanager !== undefined)
      refineAlertmanagerRouteOptions(value.alertmanager, ctx, ['alertmanager']);
    if (value.health === undefined && value.healthRoutes !== undefined)
      ctx.addIssue(unused('healthRoutes', 'a registry in `health`'));
  });
