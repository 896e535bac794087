import type { IncomingMessage } from 'node:http';
import { AgentCard } from '@a2a-js/sdk';
import { DefaultRequestHandler, InMemoryTaskStore, type User } from '@a2a-js/sdk/server';
import { jsonRpcHandler } from '@a2a-js/sdk/server/express';
import express, { type Router } from 'express';
import { matchBearer, bearerHolders } from '../core/bearer-token.js';
import { ConfigError, describeValue, parseOptions, resolveDeps, type Deps } from '../core/index.js';
import { buildAgentCard } from './card.js';
import { MonitorAgentExecutor, type A2aMonitor } from './executor.js';
import { a2aOptionsSchema, type A2aOptions } from './options.js';

/** Where agents look for the card (A2A's well-known path). */
export const AGENT_CARD_PATH = '/.well-known/agent-card.json';

const monitorShape = (value: unknown): value is A2aMonitor =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Partial<A2aMonitor>).service === 'string' &&
  typeof (value as Partial<A2aMonitor>).handle === 'function';

/** A caller whose bearer token matched: its name is the identity timelines record. */
class TokenHolder implements User {
  readonly #name: string;
  constructor(name: string) {
    this.#name = name;
  }
  get isAuthenticated(): boolean {
    return true;
  }
  get userName(): string {
    return this.#name;
  }
}

/**
 * An Express router making the monitor an Agent2Agent (A2A) agent. It serves the agent card at
 * `/.well-known/agent-card.json` (one skill per agent protocol action it may run, a JSON-RPC
 * interface at `url`, a bearer security scheme) and the JSON-RPC endpoint at `url`'s path, where each
 * message is one protocol request (a data part, or YAML or JSON text) answered at once with a message
 * holding a short summary and the protocol's JSON. Task requests need `Authorization: Bearer <token>`
 * (compared in constant time; 401 otherwise); actions that change state run only if `allow` has `act`
 * and are recorded as `a2a:<caller>`.
 *
 * @example
 * ```ts
 * app.use(a2aRouter(monitor, { url: 'https://checkout.example.com/a2a', token: process.env.A2A_TOKEN }));
 * ```
 * @throws {ConfigError} when `monitor` is not a monitor or the options are invalid.
 */
export function a2aRouter(monitor: A2aMonitor, options: A2aOptions, deps?: Deps): Router {
  if (!monitorShape(monitor))
    throw new ConfigError('a2aRouter', [
      {
        field: 'monitor',
        received: describeValue(monitor),
        expected: 'a monitor: createMonitor() returns one',
      },
    ]);
  const parsed = parseOptions(a2aOptionsSchema, options, 'a2aRouter');
  const { onInternalError } = resolveDeps(deps);
  const card = buildAgentCard(monitor.service, parsed);
  const cardJson = JSON.stringify(AgentCard.toJSON(card));
  const executor = new MonitorAgentExecutor(monitor, parsed, onInternalError);
  // Answers are messages, never tasks, so this store stays empty (a test holds it to that).
  const requestHandler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
  const holders = bearerHolders(parsed.token, 'a2a');
  const callers = new WeakMap<IncomingMessage, string>();

  const router = express.Router();
  router.get(AGENT_CARD_PATH, (_req, res) => {
    res.type('application/json').send(cardJson);
  });
  const path = new URL(parsed.url).pathname;
  router.use(path, (req, res, next) => {
    const caller = matchBearer(req.headers.authorization, holders);
    if (caller === undefined) {
      res.setHeader('www-authenticate', 'Bearer realm="sre-kit", error="invalid_token"');
      res.status(401).json({ error: 'Unauthorized: send Authorization: Bearer <token>' });
      return;
    }
    callers.set(req, caller);
    next();
  });
  router.use(
    path,
    jsonRpcHandler({
      requestHandler,
      userBuilder: (req) => Promise.resolve(new TokenHolder(callers.get(req) ?? 'unknown')),
    }),
  );
  return router;
}
