import { z } from 'zod';
import type { ErrorContext } from '../../errors/index.js';

// What both adapters hand a failed request's error to, and how they read the status it will be
// answered with. The error is captured when the response has gone out, with the status actually sent:
// an error an application handler turns into a 404 is not a server error.

/** Where the adapters capture errors: `createErrorGroups()` satisfies it. */
export interface ErrorSink {
  capture(error: unknown, context?: ErrorContext): unknown;
}

/** @internal An error sink, checked by the method the adapters call. */
export const errorSinkSchema = z.custom<ErrorSink>(
  (value) =>
    typeof value === 'object' && value !== null && typeof (value as ErrorSink).capture === 'function',
  { message: 'error groups (capture)' },
);

/**
 * The status an error is answered with when nothing else decides: its own `statusCode` or `status`
 * between 400 and 599 (the http-errors convention Express and Fastify both follow), else 500.
 */
export function errorStatus(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 500;
  const { statusCode, status } = error as { statusCode?: unknown; status?: unknown };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode <= 599) return statusCode;
  if (typeof status === 'number' && status >= 400 && status <= 599) return status;
  return 500;
}
