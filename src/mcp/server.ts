import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  ErrorCode as McpErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { bearerHolders } from '../core/bearer-token.js';
import {
  ConfigError,
  describeValue,
  parseOptions,
  resolveDeps,
  type Deps,
  type InternalErrorHandler,
} from '../core/index.js';
import {
  AGENT_NAME,
  AgentErrorCode,
  type AgentRequestContext,
  internalFailure,
  redactInternalError,
  summarizeAgentResponse,
  type AgentResponse,
} from '../monitor/protocol/index.js';
import { HttpSessions } from './http-sessions.js';
import { MCP_INTERNALS, type McpServerInternals } from './internals.js';
import { mcpServerOptionsSchema, type McpServerOptions, type ParsedMcpServerOptions } from './options.js';
import { listResources, readResource, ResourceUris, type McpResourceSource } from './resources.js';
import { agentTools, type McpToolDefinition } from './tools.js';

/** What {@link createMcpServer} needs of a monitor: `createMonitor()` returns one. */
export interface McpMonitor extends McpResourceSource {
  /** Answers one agent protocol request as `caller`, running state-changing actions only if allowed. */
  handle(request: unknown, context?: AgentRequestContext): Promise<AgentResponse>;
}

/** One client's connection to the server (a stdio process, or one HTTP session). */
export interface McpSession {
  /** The HTTP session id, or undefined for a transport without sessions (stdio). */
  readonly sessionId: string | undefined;
  /** Closes the connection. Idempotent. */
  close(): Promise<void>;
}

/** The SRE agent as a Model Context Protocol server; see {@link createMcpServer}. */
export interface SreMcpServer {
  /** The name clients see. */
  readonly name: string;
  /** The tools clients see: one per protocol action, the `act` ones only when allowed. */
  readonly tools: readonly McpToolDefinition[];
  /** The URIs of the standing resources, and the template of an incident's. */
  readonly resources: {
    readonly health: string;
    readonly sla: string;
    readonly openIncidents: string;
    readonly incidentTemplate: string;
  };
  /**
   * Serves one client over `transport` (e.g. the SDK's `StdioServerTransport`), until either side
   * closes it. Each call is a separate session; `mcpRoute` makes one per HTTP session.
   */
  connect(transport: Transport): Promise<McpSession>;
  /** Closes every session and stops listening to the monitor. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Most resources one session may subscribe to. */
const MAX_SUBSCRIPTIONS = 100;
/** Longest client name recorded with an act. */
const MAX_CLIENT_NAME = 64;
/** JSON-RPC's code for a resource that does not exist (MCP specification, resources). */
const RESOURCE_NOT_FOUND = -32002;

const monitorShape = (value: unknown): value is McpMonitor => {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<McpMonitor>;
  return (
    typeof m.service === 'string' &&
    typeof m.handle === 'function' &&
    typeof m.healthReport === 'function' &&
    typeof m.slaReport === 'function' &&
    typeof m.incidentReport === 'function' &&
    typeof m.incidents?.on === 'function'
  );
};

/**
 * Makes the SRE agent a Model Context Protocol server: one tool per agent protocol action (input
 * schemas generated from the protocol's zod schemas, results the protocol's JSON as structured content
 * plus a short summary), the health report, today's SLA report, the open incidents and each incident
 * as resources, with change notifications when incidents open, change or resolve. Tools that change
 * state are off unless `allow` includes `act`. Serve it over stdio with `connect`, or over streamable
 * HTTP with `mcpRoute` (bearer token required).
 *
 * @example
 * ```ts
 * import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
 * const server = createMcpServer(monitor, { name: 'checkout-sre', allow: ['read', 'act'] });
 * await server.connect(new StdioServerTransport());
 * ```
 * @throws {ConfigError} when `monitor` is not a monitor or the options are invalid.
 */
export function createMcpServer(
  monitor: McpMonitor,
  options: McpServerOptions = {},
  deps?: Deps,
): SreMcpServer {
  if (!monitorShape(monitor))
    throw new ConfigError('createMcpServer', [
      {
        field: 'monitor',
        received: describeValue(monitor),
        expected: 'a monitor: createMonitor() returns one',
      },
    ]);
  const parsed = parseOptions(mcpServerOptionsSchema, options, 'createMcpServer');
  const { onInternalError } = resolveDeps(deps);
  return new SreMcpServerImpl(monitor, parsed, onInternalError);
}

interface SessionState {
  readonly server: Server;
  readonly subscriptions: Set<string>;
  transport: Transport | undefined;
}

class SreMcpServerImpl implements SreMcpServer {
  readonly name: string;
  readonly tools: readonly McpToolDefinition[];
  readonly resources: SreMcpServer['resources'];
  readonly #monitor: McpMonitor;
  readonly #options: ParsedMcpServerOptions;
  readonly #onInternalError: InternalErrorHandler;
  readonly #uris: ResourceUris;
  readonly #toolsByName: ReadonlyMap<string, McpToolDefinition>;
  readonly #sessions = new Set<SessionState>();
  readonly #unsubscribe: Array<() => void> = [];
  readonly #http: HttpSessions | undefined;
  #closed = false;
  /** @internal For `mcpRoute` and the Fastify plugin. */
  readonly [MCP_INTERNALS]: McpServerInternals;

  constructor(monitor: McpMonitor, options: ParsedMcpServerOptions, onInternalError: InternalErrorHandler) {
    this.#monitor = monitor;
    this.#options = options;
    this.#onInternalError = onInternalError;
    this.name = options.name ?? `${monitor.service}-sre`;
    const all = agentTools();
    this.#toolsByName = new Map(all.map((tool) => [tool.name, tool]));
    this.tools = all.filter((tool) => options.allow.includes(tool.effect));
    this.#uris = new ResourceUris(monitor.service);
    const { health, sla, openIncidents, incidentTemplate } = this.#uris;
    this.resources = Object.freeze({ health, sla, openIncidents, incidentTemplate });
    const { token } = options;
    this.#http =
      token === undefined
        ? undefined
        : new HttpSessions({
            bearer: bearerHolders(token, 'http'),
            maxSessions: options.maxSessions,
            maxBodyBytes: options.maxBodyBytes,
            onInternalError,
            connect: (transport) => this.connect(transport),
            closed: () => this.#closed,
          });
    const http = this.#http;
    this[MCP_INTERNALS] = {
      hasToken: http !== undefined,
      maxBodyBytes: options.maxBodyBytes,
      handleHttp: (req, res, parsedBody) =>
        http === undefined ? Promise.reject(new Error('no token')) : http.handle(req, res, parsedBody),
    };

    // Incidents drive every resource: the open list, the incident itself, the health report (which
    // lists open incidents) and today's SLA report (which counts them).
    const recorder = monitor.incidents;
    const changed = (id: string, listChanged: boolean) => this.#changed(id, listChanged);
    this.#unsubscribe.push(
      recorder.on('opened', ({ incident }) => changed(incident.id, true)),
      recorder.on('reopened', ({ incident }) => changed(incident.id, true)),
      recorder.on('resolved', ({ incident }) => changed(incident.id, true)),
      recorder.on('acknowledged', ({ incident }) => changed(incident.id, false)),
      recorder.on('updated', ({ incident }) => changed(incident.id, false)),
    );
  }

  async connect(transport: Transport): Promise<McpSession> {
    if (this.#closed)
      throw new ConfigError('createMcpServer', [
        { field: 'server', received: 'closed', expected: 'a server that is not closed' },
      ]);
    const subscriptions = new Set<string>();
    const state: SessionState = { server: this.#newServer(subscriptions), subscriptions, transport };
    this.#sessions.add(state);
    state.server.onclose = () => {
      this.#sessions.delete(state);
      state.transport = undefined;
    };
    await state.server.connect(transport);
    return {
      get sessionId() {
        return transport.sessionId;
      },
      close: async () => {
        this.#sessions.delete(state);
        await state.server.close();
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    await this.#http?.closeAll();
    const sessions = [...this.#sessions];
    this.#sessions.clear();
    await Promise.all(sessions.map((s) => s.server.close().catch(() => undefined)));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #changed(id: string, listChanged: boolean): void {
    const uris = [this.#uris.incident(id), this.#uris.openIncidents, this.#uris.health, this.#uris.sla];
    for (const session of this.#sessions) {
      if (session.transport === undefined) continue;
      // A session whose client left may fail to send; it is closing anyway.
      for (const uri of uris)
        if (session.subscriptions.has(uri))
          session.server.sendResourceUpdated({ uri }).catch(() => undefined);
      if (listChanged) session.server.sendResourceListChanged().catch(() => undefined);
    }
  }

  #newServer(subscriptions: Set<string>): Server {
    const service = this.#monitor.service;
    const server = new Server(
      { name: this.name, version: this.#options.version, title: `${service} reliability agent` },
      {
        capabilities: { tools: {}, resources: { subscribe: true, listChanged: true } },
        instructions: this.#options.instructions ?? this.#instructions(),
      },
    );

    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: this.tools.map((tool) => ({
        name: tool.name,
        description: tool.effect === 'act' ? `${tool.description} (changes state)` : tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: {
          readOnlyHint: tool.effect === 'read',
          destructiveHint: false,
          idempotentHint: tool.effect === 'read',
          openWorldHint: false,
        },
      })),
    }));
    server.setRequestHandler(CallToolRequestSchema, async ({ params }, extra) =>
      this.#callTool(params.name, params.arguments, callerOf(extra.authInfo?.clientId, server)),
    );
    server.setRequestHandler(ListResourcesRequestSchema, () =>
      this.#guard('resources/list', async () => ({
        resources: await listResources(this.#monitor, this.#uris),
      })),
    );
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
      resourceTemplates: [
        {
          uriTemplate: this.#uris.incidentTemplate,
          name: 'incident',
          title: `${service} incident`,
          description: "One incident's report and timeline, by id (e.g. INC-2026-001).",
          mimeType: 'application/json',
        },
      ],
    }));
    server.setRequestHandler(ReadResourceRequestSchema, async ({ params }) => {
      const text = await this.#guard('resources/read', () =>
        readResource(this.#monitor, this.#uris, params.uri),
      );
      if (text === undefined)
        throw new McpError(RESOURCE_NOT_FOUND, 'Resource not found', { uri: params.uri });
      return { contents: [{ uri: params.uri, mimeType: 'application/json', text }] };
    });
    server.setRequestHandler(SubscribeRequestSchema, ({ params }) => {
      if (!subscriptions.has(params.uri) && subscriptions.size >= MAX_SUBSCRIPTIONS)
        throw new McpError(
          McpErrorCode.InvalidRequest,
          `At most ${MAX_SUBSCRIPTIONS} subscriptions per session`,
        );
      subscriptions.add(params.uri);
      return {};
    });
    server.setRequestHandler(UnsubscribeRequestSchema, ({ params }) => {
      subscriptions.delete(params.uri);
      return {};
    });
    return server;
  }

  async #callTool(
    name: string,
    args: Record<string, unknown> | undefined,
    caller: string,
  ): Promise<CallToolResult> {
    const tool = this.#toolsByName.get(name);
    if (tool === undefined)
      throw new McpError(McpErrorCode.InvalidParams, `Unknown tool: ${truncate(name, 64)}`);
    const request = { agent: AGENT_NAME, ...args, action: tool.name };
    let response: AgentResponse;
    if (args !== undefined && args['action'] !== undefined && args['action'] !== tool.name) {
      const message = `This tool is ${tool.name}: action must be '${tool.name}' or left out`;
      response = {
        ok: false,
        agent: AGENT_NAME,
        action: tool.name as never,
        error: { code: AgentErrorCode.BAD_REQUEST, message, issues: [{ path: ['action'], message }] },
      };
    } else {
      response = await this.#monitor
        .handle(request, { allow: this.#options.allow, caller })
        .catch((error: unknown) => internalFailure(tool.name, error));
    }
    const shown = redactInternalError(response, {
      exposeDetails: this.#options.exposeDetails,
      onInternalError: this.#onInternalError,
      source: 'mcp',
    });
    return {
      content: [
        { type: 'text', text: summarizeAgentResponse(shown) },
        { type: 'text', text: JSON.stringify(shown) },
      ],
      structuredContent: shown as unknown as Record<string, unknown>,
      isError: !shown.ok,
    };
  }

  /** Runs a resource handler; an internal error becomes a generic JSON-RPC error unless `exposeDetails`. */
  async #guard<T>(task: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof McpError) throw error;
      this.#onInternalError(error, { source: 'mcp', task });
      const detail = this.#options.exposeDetails && error instanceof Error ? `: ${error.message}` : '';
      throw new McpError(McpErrorCode.InternalError, `Internal error${detail}`);
    }
  }

  #instructions(): string {
    const service = this.#monitor.service;
    const act = this.#options.allow.includes('act')
      ? ' Tools marked (changes state) are recorded in the incident timeline under your identity.'
      : '';
    return (
      `The reliability agent of the ${service} service. Ask deployment_readiness before a deploy, ` +
      `health_check for the current state, slo_status for error budgets, analyze_performance for ` +
      `slowness, incident_report for incidents, capacity_plan for saturation forecasts. Every verdict ` +
      `carries its evidence; forecasts say insufficient_data rather than guess. Resources hold the ` +
      `health report, today's SLA report and the open incidents.${act}`
    );
  }
}

/** Who is calling, as timelines record it: the token's identity (or `local`) and the client's name. */
function callerOf(identity: string | undefined, server: Server): string {
  const client = server.getClientVersion()?.name;
  const who = `mcp:${identity ?? 'local'}`;
  return client === undefined || client === '' ? who : `${who} via ${truncate(client, MAX_CLIENT_NAME)}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
