import type { IncomingMessage, ServerResponse } from 'node:http';

// What the HTTP routes need from an MCP server, reachable without loading the MCP SDK: the Fastify
// plugin reaches it through this key and so never imports `sre-kit/mcp` itself. `Symbol.for` keeps it
// working across two loaded copies (an ESM and a CJS build).

/** @internal The key of a server's {@link McpServerInternals}. */
export const MCP_INTERNALS = Symbol.for('sre-kit.mcp.internals');

/** @internal What the HTTP routes use of a server made by `createMcpServer`. */
export interface McpServerInternals {
  /** Whether a bearer token is configured: the HTTP routes refuse to start without one. */
  readonly hasToken: boolean;
  /** The largest request body accepted, in bytes. */
  readonly maxBodyBytes: number;
  /**
   * Serves one streamable HTTP request: checks the bearer token, then hands it to its session's
   * transport (or a new session's, for an `initialize`). `parsedBody` is the body a body parser has
   * already read. Never rejects: failures are answered 500 and reported.
   */
  handleHttp(req: IncomingMessage, res: ServerResponse, parsedBody?: unknown): Promise<void>;
}

/** @internal The internals of a server made by `createMcpServer`, or undefined for anything else. */
export function mcpInternals(server: unknown): McpServerInternals | undefined {
  if (typeof server !== 'object' || server === null) return undefined;
  const value = (server as { [MCP_INTERNALS]?: unknown })[MCP_INTERNALS];
  return typeof value === 'object' && value !== null ? (value as McpServerInternals) : undefined;
}

/**
 * An MCP server as the Fastify plugin takes it: what `createMcpServer` (from `sre-kit/mcp`) returns.
 * Typed by its name alone so that the plugin's types never need the MCP SDK's.
 */
export interface McpHttpServer {
  /** The name MCP clients see. */
  readonly name: string;
}
