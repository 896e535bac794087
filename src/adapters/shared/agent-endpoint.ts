import { z } from 'zod';
import type { InternalErrorHandler } from '../../core/index.js';
import type {
  AgentErrorCodeValue,
  AgentErrorResponse,
  AgentPermission,
  AgentRequestContext,
  AgentResponse,
} from '../../monitor/protocol/index.js';
import { parseAgentRequestText } from '../../monitor/protocol/request-text.js';
import {
  JSON_CONTENT_TYPE,
  isJsonMediaType,
  mediaTypeProblem,
  truncate,
  type JsonAnswer,
} from './request-body.js';

/** What the agent route needs of a monitor: `createMonitor()` returns one. */
export interface AgentMonitor {
  /**
   * Answers one agent request, running state-changing actions only as `context.allow` permits. Should
   * it reject, the route answers 500 and reports the error.
   */
  handle(request: unknown, context?: AgentRequestContext): Promise<AgentResponse>;
}

/** Options for the agent route of both adapters. */
export interface AgentRouteOptions {
  /**
   * The largest request body accepted, in bytes. A larger one is answered 413; its bytes are discarded
   * as they arrive, never buffered or parsed. Agent requests are small: a few hundred bytes.
   * @default 65_536
   */
  readonly maxBodyBytes?: number;
  /**
   * What callers of the route may do: `read` runs the reports; `act` also runs the actions that change
   * state (acknowledge, resolve or note an incident, and whatever the protocol marks `act`), recorded
   * as done by `agent-route`. The route does not authenticate: allow `act` only behind your own auth.
   * A forbidden action is answered 403 `ERR_SRE_FORBIDDEN`.
   * @default ['read']
   */
  readonly allow?: readonly AgentPermission[];
}

/** The default of {@link AgentRouteOptions.maxBodyBytes}: 64 KiB. */
export const DEFAULT_AGENT_MAX_BODY_BYTES = 65_536;

/** @internal The fields of {@link AgentRouteOptions}, for the schemas of both adapters. */
export const agentRouteOptionsShape = {
  maxBodyBytes: z
    .number()
    .int()
    .min(1)
    .max(16 * 1024 * 1024)
    .default(DEFAULT_AGENT_MAX_BODY_BYTES),
  // readonly: the Fastify plugin's nested `agent.allow` is a readonly array in its interface.
  allow: z
    .array(z.enum(['read', 'act']))
    .min(1)
    .readonly()
    .default(['read']),
};

/** Who the route's callers are, as state-changing actions record them. */
const ROUTE_CALLER = 'agent-route';

/** @internal A monitor, or anything with the agent protocol's `handle(request)`. */
export const agentMonitorSchema = z.custom<AgentMonitor>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AgentMonitor>).handle === 'function',
  { message: 'a monitor (handle): createMonitor() returns one' },
);

/** What the route sends: always `application/json`, the body an agent response envelope. */
export type AgentAnswer = JsonAnswer;

/** The response content type of every agent answer. */
export const AGENT_CONTENT_TYPE = JSON_CONTENT_TYPE;

// The protocol's names, spelled here so that loading an adapter does not load the protocol's schemas;
// `satisfies` keeps them in step with it.
const AGENT = 'sre-reliability' satisfies AgentErrorResponse['agent'];
const BAD_REQUEST = 'ERR_SRE_BAD_REQUEST' satisfies AgentErrorCodeValue;
const INTERNAL = 'ERR_SRE_INTERNAL' satisfies AgentErrorCodeValue;

/**
 * The HTTP status of each protocol error: the request was understood as JSON but is not a valid agent
 * request (422), names something the monitor does not hold (404), asks what the monitor refuses now (409:
 * a drill while a P1 is open), needs something it was not given (501), or the monitor failed (500).
 */
const STATUS_BY_CODE = {
  ERR_SRE_BAD_REQUEST: 422,
  ERR_SRE_WRONG_AGENT: 422,
  ERR_SRE_UNKNOWN_ACTION: 422,
  ERR_SRE_NOT_FOUND: 404,
  ERR_SRE_REFUSED: 409,
  ERR_SRE_NOT_CONFIGURED: 501,
  ERR_SRE_FORBIDDEN: 403,
  ERR_SRE_INTERNAL: 500,
} as const satisfies Record<AgentErrorCodeValue, number>;

/** An error answer in the protocol's own envelope, so a client parses every answer one way. */
export function agentError(status: number, code: AgentErrorCodeValue, message: string): AgentAnswer {
  const response: AgentErrorResponse = { ok: false, agent: AGENT, error: { code, message, issues: [] } };
  return { status, body: JSON.stringify(response) };
}

/** The 500 answer when answering failed; what failed goes to `onInternalError`, never to the client. */
export function internalError(message = 'The agent failed to answer'): AgentAnswer {
  return agentError(500, INTERNAL, message);
}

/** A 4xx answer for a body the server could not read (aborted, shorter than its content-length). */
export function unreadableBody(status: number): AgentAnswer {
  return agentError(status, BAD_REQUEST, 'The request body could not be read');
}

/** The 413 answer for a body over `maxBodyBytes`. */
export function tooLarge(maxBodyBytes: number): AgentAnswer {
  return agentError(413, BAD_REQUEST, `The request body is larger than ${maxBodyBytes} bytes`);
}

// `fatal`: bytes that are not UTF-8 are a malformed body, not text to guess at. Stateless per decode().
const utf8 = new TextDecoder('utf-8', { fatal: true });

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

/** The media type of a content-type header, lowercased, without parameters. */
function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/** Whether a lowercased media type is YAML (`application/yaml`, `text/yaml`, their `x-` forms, `+yaml`). */
function isYamlMediaType(type: string): boolean {
  return YAML_TYPES.has(type) || (type.startsWith('application/') && type.endsWith('+yaml'));
}

/** Whether a content type is YAML. */
function isYaml(contentType: string | undefined): boolean {
  return isYamlMediaType(mediaTypeOf(contentType));
}

/**
 * The 415 answer when the request is neither JSON nor YAML: its media type must be `application/json`
 * (or `application/<x>+json`) or a YAML type (`application/yaml`, `text/yaml`, …), any charset UTF-8,
 * and its body not compressed. Undefined when it is fine.
 */
export function unsupportedMediaType(
  contentType: string | undefined,
  contentEncoding: string | undefined,
): AgentAnswer | undefined {
  const problem = mediaTypeProblem(
    contentType,
    contentEncoding,
    (type) => isJsonMediaType(type) || isYamlMediaType(type),
    'application/json or application/yaml',
  );
  return problem === undefined ? undefined : agentError(415, BAD_REQUEST, problem);
}

/**
 * Answers one agent request from its raw body: 400 when the body is not UTF-8 JSON (or, with a YAML
 * content type, not YAML the protocol's parser accepts: no tags, few aliases), otherwise the monitor's
 * answer with the status its code maps to (200 for an answer). A monitor that throws gets a 500 with a
 * coded message and the error goes to `onInternalError`; no stack ever reaches the client.
 */
export async function answerAgent(
  monitor: AgentMonitor,
  body: Uint8Array,
  contentType: string | undefined,
  allow: readonly AgentPermission[],
  onInternalError: InternalErrorHandler,
): Promise<AgentAnswer> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return agentError(400, BAD_REQUEST, 'The request body is not valid UTF-8');
  }
  let request: unknown;
  if (isYaml(contentType)) {
    // The body is already held to maxBodyBytes; the parser adds its tag and alias limits.
    const parsed = parseAgentRequestText(text, { maxLength: Number.MAX_SAFE_INTEGER });
    if (!parsed.ok) return agentError(400, BAD_REQUEST, truncate(parsed.message));
    request = parsed.value;
  } else {
    try {
      request = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof SyntaxError ? error.message : 'it could not be parsed';
      return agentError(400, BAD_REQUEST, truncate(`The request body is not valid JSON: ${reason}`));
    }
  }
  return answerParsed(monitor, request, allow, onInternalError);
}

/** {@link answerAgent} for a body a body parser has already parsed. */
export async function answerParsed(
  monitor: AgentMonitor,
  request: unknown,
  allow: readonly AgentPermission[],
  onInternalError: InternalErrorHandler,
): Promise<AgentAnswer> {
  try {
    const response = await monitor.handle(request, { allow, caller: ROUTE_CALLER });
    const status = response.ok
      ? 200
      : ((STATUS_BY_CODE as Record<string, number>)[response.error.code] ?? 500);
    return { status, body: JSON.stringify(response) };
  } catch (error) {
    onInternalError(error, { source: 'agentRoute', task: 'handle' });
    return internalError();
  }
}
