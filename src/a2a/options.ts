import { z } from 'zod';
import { bearerTokensSchema } from '../core/bearer-token.js';
import type { AgentPermission } from '../monitor/protocol/index.js';

/** Options for {@link a2aRouter}. */
export interface A2aOptions {
  /**
   * The absolute URL other agents reach the A2A endpoint at, as the agent card advertises it (behind a
   * proxy, the public one). The router serves JSON-RPC at this URL's path.
   * @example 'https://checkout.example.com/a2a'
   */
  readonly url: string;
  /**
   * The bearer token callers must send (`Authorization: Bearer <token>`), or one token per caller
   * (`{ 'orchestrator': '…', 'data-intel': '…' }`), whose name is then the identity timelines record.
   * At least 16 characters each. The agent card is public (agents read it to discover the endpoint and
   * its security scheme); every task request needs a token.
   */
  readonly token: string | Readonly<Record<string, string>>;
  /**
   * The agent's name on its card.
   * @default `${monitor.service}-sre`
   */
  readonly name?: string;
  /**
   * What the card says the agent does.
   * @default a sentence naming the service and what the agent answers
   */
  readonly description?: string;
  /** Your service's version, on the card. @default '1.0.0' */
  readonly version?: string;
  /**
   * What callers may do: `read` runs the reading actions; `act` adds the ones that change state
   * (acknowledge, resolve and note incidents, and every action the protocol marks `act`), each recorded
   * with the caller's identity. The card lists only the skills allowed.
   * @default ['read']
   */
  readonly allow?: readonly AgentPermission[];
  /**
   * Send callers the text of internal errors (a report that threw). Off, they get a generic message and
   * the error goes to `onInternalError`. Errors in the caller's own request are always explained.
   * @default false
   */
  readonly exposeDetails?: boolean;
}

/** @internal The schema {@link A2aOptions} is checked against (bound by a type test). */
export const a2aOptionsSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'an absolute http(s) URL' }).max(2_048),
  token: bearerTokensSchema,
  name: z.string().min(1).max(128).optional(),
  description: z.string().min(1).max(2_000).optional(),
  version: z.string().min(1).max(64).default('1.0.0'),
  allow: z
    .array(z.enum(['read', 'act']))
    .min(1)
    .default(['read']),
  exposeDetails: z.boolean().default(false),
});

/** The options after parsing. */
export type ParsedA2aOptions = z.output<typeof a2aOptionsSchema>;
