import type { InternalErrorHandler } from '../../core/index.js';
import { AGENT_NAME, AgentErrorCode } from './constants.js';
import type { AgentResponse } from './response-schemas.js';

// What a server facing other agents (MCP, A2A) answers when the monitor itself fails: the protocol's
// INTERNAL envelope, whose text (which may name hosts, paths or addresses) stays on the server unless
// the host chose to expose it.

const MAX_MESSAGE = 400;

/**
 * The protocol's INTERNAL error response when `monitor.handle` itself threw, for `action` when the
 * caller knows which one it asked for.
 */
export function internalFailure(action: string | undefined, error: unknown): AgentResponse {
  const message = error instanceof Error ? error.message : String(error);
  const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
  return {
    ok: false,
    agent: AGENT_NAME,
    ...(action === undefined ? {} : { action: action as never }),
    error: {
      code: AgentErrorCode.INTERNAL,
      message: `${action ?? 'The request'} failed: ${text}`,
      issues: [],
    },
  };
}

/**
 * `response` as a remote caller may see it: an INTERNAL error's text is replaced by a generic message
 * and reported to `onInternalError` unless `exposeDetails`. Other responses are returned unchanged.
 */
export function redactInternalError(
  response: AgentResponse,
  options: {
    readonly exposeDetails: boolean;
    readonly onInternalError: InternalErrorHandler;
    readonly source: string;
  },
): AgentResponse {
  if (response.ok || response.error.code !== AgentErrorCode.INTERNAL || options.exposeDetails)
    return response;
  options.onInternalError(new Error(response.error.message), {
    source: options.source,
    task: response.action ?? 'request',
  });
  return {
    ...response,
    error: {
      code: response.error.code,
      message: `The ${response.action ?? 'request'} action failed; the server has logged why`,
      issues: [],
    },
  };
}
