/** Where an internal error came from: the primitive, and the event or task that failed. */
export interface InternalErrorContext {
  /** The primitive that reported it, e.g. `circuitBreaker:payments`. */
  readonly source: string;
  /** The event whose listener threw, when a listener threw. */
  readonly event?: string;
  /** The background task that failed, when one did. */
  readonly task?: string;
}

/**
 * Receives failures that have no caller to throw to: a throwing event listener, a background check
 * that rejected, a torn record found on replay. It must not throw.
 */
export type InternalErrorHandler = (error: unknown, context: InternalErrorContext) => void;

/** The default handler: a process warning, so failures are visible without crashing the service. */
export const warnInternalError: InternalErrorHandler = (error, context) => {
  const what = context.event ?? context.task;
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`${context.source}${what === undefined ? '' : ` (${what})`}: ${message}`, {
    type: 'SreKitWarning',
    code: 'ERR_SRE_INTERNAL',
  });
};

/** Wraps a user-supplied handler so that a throw inside it cannot escape into sre-kit's own code. */
export function guardInternalErrorHandler(handler: InternalErrorHandler | undefined): InternalErrorHandler {
  if (handler === undefined) return warnInternalError;
  return (error, context) => {
    try {
      handler(error, context);
    } catch (handlerError) {
      warnInternalError(handlerError, { ...context, task: 'onInternalError' });
    }
  };
}
