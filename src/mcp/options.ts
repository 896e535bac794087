import { z } from 'zod';
import { bearerTokensSchema } from '../core/bearer-token.js';
import type { AgentPermission } from '../monitor/protocol/index.js';

/** Options for {@link createMcpServer}. */
export interface McpServerOptions {
  /**
   * The server's name, as MCP clients show it (e.g. in a tool picker).
   * @default `${monitor.service}-sre`
   */
  readonly name?: string;
  /** Your service's version, sent to clients with the name. @default '1.0.0' */
  readonly version?: string;
  /**
   * What clients may do: `read` lists and runs the reading tools; `act` adds the tools that change
   * state (acknowledge, resolve and note incidents, and every action the protocol marks `act`). Each
   * act is recorded with the caller's identity.
   * @default ['read']
   */
  readonly allow?: readonly AgentPermission[];
  /**
   * The bearer token HTTP clients must send (`Authorization: Bearer <token>`), or one token per caller
   * (`{ 'ops-bot': '…', 'alice': '…' }`), whose name is then the identity timelines record. At least 16
   * characters each. `mcpRoute` refuses to start without one; stdio needs none (whoever can start the
   * process already holds its rights).
   * @default none (no HTTP)
   */
  readonly token?: string | Readonly<Record<string, string>>;
  /**
   * Send clients the text of internal errors (a report that threw). Off, they get a generic message and
   * the error goes to `onInternalError`. Errors in the client's own request are always explained.
   * @default false
   */
  readonly exposeDetails?: boolean;
  /**
   * The most HTTP sessions kept at once; past it the least recently used session is closed.
   * @default 100
   */
  readonly maxSessions?: number;
  /**
   * The largest HTTP request body accepted, in bytes; a larger one is answered 413 unread.
   * @default 65_536
   */
  readonly maxBodyBytes?: number;
  /**
   * What the server tells the model about itself when a client connects.
   * @default a paragraph naming the service, the tools and the resources
   */
  readonly instructions?: string;
}

/** @internal The schema {@link McpServerOptions} is checked against (bound by a type test). */
export const mcpServerOptionsSchema = z.strictObject({
  name: z.string().min(1).max(128).optional(),
  version: z.string().min(1).max(64).default('1.0.0'),
  allow: z
    .array(z.enum(['read', 'act']))
    .min(1)
    .default(['read']),
  token: bearerTokensSchema.optional(),
  exposeDetails: z.boolean().default(false),
  maxSessions: z.number().int().min(1).max(10_000).default(100),
  maxBodyBytes: z
    .number()
    .int()
    .min(1_024)
    .max(16 * 1024 * 1024)
    .default(65_536),
  instructions: z.string().min(1).max(10_000).optional(),
});

/** The options after parsing. */
export type ParsedMcpServerOptions = z.output<typeof mcpServerOptionsSchema>;
