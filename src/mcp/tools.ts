import { z } from 'zod';
import {
  actionOfSchema,
  agentActionCatalog,
  agentErrorResponseSchema,
  agentSuccessResponseSchema,
  type AgentActionEffect,
} from '../monitor/protocol/index.js';

// One MCP tool per agent protocol action, read off the protocol's own schemas: the request union's
// members give the names, descriptions and input schemas, the success union's members the output
// schemas. An action added to the protocol becomes a tool with no change here; one whose effect the
// protocol does not declare `read` is an `act` tool, listed only for servers allowed to act.

/** A JSON Schema object as MCP tools carry it. */
export type JsonSchemaObject = { readonly type: 'object' } & Readonly<Record<string, unknown>>;

/** One tool of the MCP server: an agent protocol action. */
export interface McpToolDefinition {
  /** The tool's name: the protocol action, e.g. `deployment_readiness`. */
  readonly name: string;
  /** What the action answers or does, from its request schema's description. */
  readonly description: string;
  /** Whether it only reads (`read`) or changes state (`act`). */
  readonly effect: AgentActionEffect;
  /**
   * The arguments, as JSON Schema generated from the protocol's request schema (zod's
   * `z.toJSONSchema`, input side: fields with defaults are optional). `agent` and `action` are
   * optional and fixed: the tool supplies them.
   */
  readonly inputSchema: JsonSchemaObject;
  /** The structured result: the protocol's success response for this action, or its error response. */
  readonly outputSchema: JsonSchemaObject;
}

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  // `$schema` is dropped: MCP reads a schema without one as JSON Schema 2020-12, which is what zod
  // writes, and some validators refuse a dialect URI they were not built with.
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return json;
}

function inputSchemaOf(schema: ObjectSchema): JsonSchemaObject {
  const json = toJsonSchema(schema, 'input');
  const required = Array.isArray(json['required']) ? (json['required'] as string[]) : [];
  // The tool says which action it is; a caller may still send the seed's full request.
  const rest = required.filter((key) => key !== 'agent' && key !== 'action');
  const { description: _description, required: _required, ...body } = json;
  return { ...body, type: 'object', ...(rest.length > 0 ? { required: rest } : {}) };
}

function outputSchemaOf(action: string): JsonSchemaObject {
  const success = (agentSuccessResponseSchema.options as readonly ObjectSchema[]).find(
    (member) => actionOfSchema(member) === action,
  );
  const union =
    success === undefined ? agentErrorResponseSchema : z.union([success, agentErrorResponseSchema]);
  return { type: 'object', ...toJsonSchema(union, 'output') };
}

let cached: readonly McpToolDefinition[] | undefined;

/** Every protocol action as an MCP tool, in the protocol's order. Built once; frozen. */
export function agentTools(): readonly McpToolDefinition[] {
  cached ??= Object.freeze(
    agentActionCatalog().map(({ action, description, effect, requestSchema }) =>
      Object.freeze({
        name: action,
        description,
        effect,
        inputSchema: inputSchemaOf(requestSchema),
        outputSchema: outputSchemaOf(action),
      }),
    ),
  );
  return cached;
}
