import { z } from 'zod';
import { parseOptions, resolveDeps, type Deps } from '../core/index.js';
import { scopeOf } from './call-scope.js';
import { rejectWith } from './invoke.js';
import { DeadlineQueue } from './deadline-queue.js';
import type { ExecuteContext, ExecuteOptions, Policy, Work } from './policy.js';
import { runWithDeadline } from './with-deadline.js';

/** Options for {@link createTimeout}. */
export interface TimeoutOptions {
  /**
   * How long the work may run, in milliseconds. When it passes, the call rejects with a `TimeoutError`
   * and the work's `signal` aborts with that error.
   */
  readonly timeoutMs: number;
}

/** @internal The schema bound to {@link TimeoutOptions} by a type test. */
export const timeoutOptionsSchema = z.strictObject({
  timeoutMs: z.number().gt(0).max(2_147_483_647),
});

/** A policy that rejects work still running after a time limit, and aborts its signal. */
export interface Timeout extends Policy<ExecuteContext> {
  /** The limit, in milliseconds. */
  readonly timeoutMs: number;
}

/**
 * Creates a timeout: `execute` rejects with `TimeoutError` once `timeoutMs` pass, even if the work
 * ignores its signal, and aborts the signal the work received. The AbortController is created only if
 * the work reads `signal`, one per call; a call that finishes in time is never aborted. Aborting the
 * caller's signal rejects at once with its reason.
 *
 * @example
 * ```ts
 * const timeout = createTimeout(2_000);
 * const body = await timeout.execute(({ signal }) => fetch(url, { signal }).then((r) => r.text()));
 * ```
 * @throws {ConfigError} when `timeoutMs` is not a number > 0.
 */
export function createTimeout(options: number | TimeoutOptions, deps?: Deps): Timeout {
  // Anything but an options object is taken as the limit itself, so errors name `timeoutMs`.
  const input = typeof options === 'object' && options !== null ? options : { timeoutMs: options };
  const { timeoutMs } = parseOptions(timeoutOptionsSchema, input, 'createTimeout');
  const { clock } = resolveDeps(deps);
  const queue = new DeadlineQueue(clock, timeoutMs);
  return {
    timeoutMs,
    execute<T>(work: Work<T>, executeOptions?: ExecuteOptions): Promise<T> {
      const scope = scopeOf(executeOptions);
      if (scope.aborted) return rejectWith(scope.abortReason);
      return runWithDeadline(queue, scope, undefined, work);
    },
  };
}
