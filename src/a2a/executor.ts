import { randomUUID } from 'node:crypto';
import { Role, type Message, type Part } from '@a2a-js/sdk';
import {
  AgentEvent,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
} from '@a2a-js/sdk/server';
import type { InternalErrorHandler } from '../core/index.js';
import {
  internalFailure,
  redactInternalError,
  summarizeAgentResponse,
  type AgentPermission,
  type AgentRequestContext,
  type AgentResponse,
} from '../monitor/protocol/index.js';

// A2A messages to agent protocol requests. The request is the message's first data part (the protocol
// request as JSON, envelope or not) or else its text (YAML or JSON, as the seed's agents write it);
// the monitor parses and validates either. Every action answers at once, so the answer is a Message,
// never a Task: the request handler then stores nothing, and a task's lifecycle (working, cancel, push
// notifications) has nothing to describe.

/** What the A2A endpoint needs of a monitor. */
export interface A2aMonitor {
  /** The service's name. */
  readonly service: string;
  /** Answers one agent protocol request as `caller`, running state-changing actions only if allowed. */
  handle(request: unknown, context?: AgentRequestContext): Promise<AgentResponse>;
}

/** The request a message carries: its first data part, else its text parts joined, else undefined. */
export function requestOf(message: Message): unknown {
  const data = message.parts.find((part) => part.content?.$case === 'data');
  if (data?.content?.$case === 'data') return data.content.value as unknown;
  const texts = message.parts.flatMap((part) => (part.content?.$case === 'text' ? [part.content.value] : []));
  return texts.length > 0 ? texts.join('\n') : undefined;
}

function textPart(text: string): Part {
  return {
    content: { $case: 'text', value: text },
    mediaType: 'text/plain',
    filename: '',
    metadata: undefined,
  };
}

function dataPart(value: unknown): Part {
  return {
    content: { $case: 'data', value },
    mediaType: 'application/json',
    filename: '',
    metadata: undefined,
  };
}

/** The executor behind the A2A request handler: one protocol request per message, answered at once. */
export class MonitorAgentExecutor implements AgentExecutor {
  readonly #monitor: A2aMonitor;
  readonly #allow: readonly AgentPermission[];
  readonly #exposeDetails: boolean;
  readonly #onInternalError: InternalErrorHandler;

  constructor(
    monitor: A2aMonitor,
    options: { readonly allow: readonly AgentPermission[]; readonly exposeDetails: boolean },
    onInternalError: InternalErrorHandler,
  ) {
    this.#monitor = monitor;
    this.#allow = options.allow;
    this.#exposeDetails = options.exposeDetails;
    this.#onInternalError = onInternalError;
  }

  async execute(context: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const message = context.userMessage;
    const caller = `a2a:${context.context.user?.userName ?? 'unknown'}`;
    const response = await this.#monitor
      .handle(requestOf(message), { allow: this.#allow, caller })
      .catch((error: unknown) => internalFailure(undefined, error));
    const shown = redactInternalError(response, {
      exposeDetails: this.#exposeDetails,
      onInternalError: this.#onInternalError,
      source: 'a2a',
    });
    bus.publish(
      AgentEvent.message({
        messageId: randomUUID(),
        contextId: context.contextId,
        taskId: '',
        role: Role.ROLE_AGENT,
        parts: [textPart(summarizeAgentResponse(shown)), dataPart(shown)],
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      }),
    );
    bus.finished();
  }

  // No task ever exists (every answer is a message), so the handler finds nothing to cancel before it
  // gets here; closing the bus is all there is to do.
  cancelTask(_taskId: string, bus: ExecutionEventBus): Promise<void> {
    bus.finished();
    return Promise.resolve();
  }
}
