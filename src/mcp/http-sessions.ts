import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { matchBearer, type BearerIdentity } from '../core/bearer-token.js';
import type { InternalErrorHandler } from '../core/index.js';
import type { McpSession } from './server.js';

// Streamable HTTP sessions of one MCP server. Every request must carry a bearer token (compared in
// constant time); a session belongs to the identity that opened it, so another token cannot ride on
// it. Sessions are capped: past the cap the least recently used one is closed (Map order is use
// order). Nothing here runs on a timer.

interface Entry {
  readonly identity: string;
  readonly transport: StreamableHTTPServerTransport;
  session: McpSession | undefined;
}

/** What the sessions need of their server. */
export interface HttpSessionsOptions {
  readonly bearer: readonly BearerIdentity[];
  readonly maxSessions: number;
  readonly maxBodyBytes: number;
  readonly onInternalError: InternalErrorHandler;
  readonly connect: (transport: StreamableHTTPServerTransport) => Promise<McpSession>;
  readonly closed: () => boolean;
}

/** JSON-RPC's "server error" range; MCP clients show the message. */
const UNAUTHORIZED = -32001;

export class HttpSessions {
  readonly #options: HttpSessionsOptions;
  readonly #sessions = new Map<string, Entry>();

  constructor(options: HttpSessionsOptions) {
    this.#options = options;
  }

  async handle(
    req: IncomingMessage & { auth?: AuthInfo },
    res: ServerResponse,
    parsedBody?: unknown,
  ): Promise<void> {
    try {
      await this.#handle(req, res, parsedBody);
    } catch (error) {
      this.#options.onInternalError(error, { source: 'mcpRoute', task: 'handle' });
      if (!res.headersSent) reject(res, 500, -32603, 'Internal error');
      else res.end();
    }
  }

  async closeAll(): Promise<void> {
    const entries = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(entries.map((entry) => entry.transport.close().catch(() => undefined)));
  }

  async #handle(
    req: IncomingMessage & { auth?: AuthInfo },
    res: ServerResponse,
    parsedBody: unknown,
  ): Promise<void> {
    if (this.#options.closed()) return reject(res, 503, -32603, 'The MCP server is closed');
    const identity = matchBearer(req.headers.authorization, this.#options.bearer);
    if (identity === undefined) {
      res.setHeader('www-authenticate', 'Bearer realm="sre-kit", error="invalid_token"');
      return reject(res, 401, UNAUTHORIZED, 'Unauthorized: send Authorization: Bearer <token>');
    }
    // What the tools read as the caller: the token's holder, never the token itself.
    req.auth = { token: '', clientId: identity, scopes: [] };

    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const entry = this.#sessions.get(sessionId);
      if (entry === undefined || entry.identity !== identity)
        return reject(res, 404, -32001, 'Session not found: initialize a new one');
      this.#sessions.delete(sessionId);
      this.#sessions.set(sessionId, entry);
      return entry.transport.handleRequest(req, res, parsedBody);
    }
    if (req.method !== 'POST')
      return reject(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');

    // No session yet: this should be an `initialize`. The transport checks that and answers otherwise.
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      maxRequestBodySize: this.#options.maxBodyBytes,
      onsessioninitialized: (id) => {
        this.#sessions.set(id, entry);
        this.#evict();
      },
      onsessionclosed: (id) => {
        this.#sessions.delete(id);
      },
    });
    const entry: Entry = { identity, transport, session: undefined };
    transport.onclose = () => {
      if (transport.sessionId !== undefined) this.#sessions.delete(transport.sessionId);
    };
    entry.session = await this.#options.connect(transport);
    await transport.handleRequest(req, res, parsedBody);
    if (transport.sessionId === undefined) await entry.session.close();
  }

  #evict(): void {
    while (this.#sessions.size > this.#options.maxSessions) {
      const [oldest] = this.#sessions;
      if (oldest === undefined) return;
      const [id, entry] = oldest;
      this.#sessions.delete(id);
      void (entry.session?.close() ?? entry.transport.close()).catch(() => undefined);
    }
  }
}

function reject(res: ServerResponse, status: number, code: number, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
