import { z } from 'zod';
import { agentActionEffect, type AgentActionEffect } from './constants.js';
import { agentRequestSchema } from './request-schemas.js';

// The protocol's actions read off its own request schemas, for whatever publishes them to agents (MCP
// tools, A2A skills): an action added to the request union is listed with no change there.

/** One action of the agent protocol as a catalog lists it. */
export interface AgentActionEntry {
  /** The action's name, e.g. `deployment_readiness`. */
  readonly action: string;
  /** What it answers or does: its request schema's description. */
  readonly description: string;
  /** `read` or `act` (see `agentActionEffect`). */
  readonly effect: AgentActionEffect;
  /** The zod schema the protocol validates its requests with. */
  readonly requestSchema: z.ZodObject<z.ZodRawShape>;
}

/** The `action` literal of one member of the protocol's request or response unions. */
export function actionOfSchema(schema: z.ZodObject<z.ZodRawShape>): string {
  const literal = schema.shape['action'];
  if (!(literal instanceof z.ZodLiteral) || typeof literal.value !== 'string')
    throw new TypeError('every agent protocol schema has an `action` literal');
  return literal.value;
}

let cached: readonly AgentActionEntry[] | undefined;

/** Every protocol action, in the request union's order. Built once; frozen. */
export function agentActionCatalog(): readonly AgentActionEntry[] {
  cached ??= Object.freeze(
    (agentRequestSchema.options as readonly z.ZodObject<z.ZodRawShape>[]).map((requestSchema) => {
      const action = actionOfSchema(requestSchema);
      const description = requestSchema.description;
      return Object.freeze({
        action,
        description:
          description === undefined || description === ''
            ? `The sre-reliability agent's ${action} action.`
            : description,
        effect: agentActionEffect(action),
        requestSchema,
      });
    }),
  );
  return cached;
}
