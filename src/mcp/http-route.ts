import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError, describeValue } from '../core/index.js';
import { mcpInternals } from './internals.js';
import type { SreMcpServer } from './server.js';

/**
 * A request handler serving `server` over MCP's streamable HTTP transport, for Express (`app.use`) or
 * a plain `node:http` server. Every request needs `Authorization: Bearer <token>` with a token from
 * the server's `token` option (compared in constant time; 401 otherwise). Sessions are kept per client
 * (`Mcp-Session-Id`), bound to the token that opened them, and capped by `maxSessions`. Mount it
 * before any body parser, or after `express.json()` (whose parsed body it then uses).
 *
 * @example
 * ```ts
 * const server = createMcpServer(monitor, { name: 'checkout-sre', token: process.env.MCP_TOKEN });
 * app.use('/mcp', mcpRoute(server));
 * ```
 * @throws {ConfigError} when `server` is not from `createMcpServer` or has no `token`.
 */
export function mcpRoute(server: SreMcpServer): (req: IncomingMessage, res: ServerResponse) => void {
  const internals = mcpInternals(server);
  if (internals === undefined)
    throw new ConfigError('mcpRoute', [
      { field: 'server', received: describeValue(server), expected: 'a server from createMcpServer()' },
    ]);
  if (!internals.hasToken)
    throw new ConfigError('mcpRoute', [
      {
        field: 'server.token',
        received: 'undefined',
        expected: 'a bearer token in createMcpServer options: HTTP clients must authenticate',
      },
    ]);
  return (req, res) => {
    // A JSON body parser mounted first has read the body: hand over what it parsed.
    const parsed = req.readableEnded ? (req as IncomingMessage & { body?: unknown }).body : undefined;
    void internals.handleHttp(req, res, parsed);
  };
}
