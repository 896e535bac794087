import type { Clock } from '../core/index.js';
import type { CallScope } from './call-scope.js';
import { neverAborted } from './call-scope.js';
import { rejectWith } from './invoke.js';

/**
 * Waits `ms` on the injected clock with a ref'd timer (the caller is awaiting it). If the scope aborts
 * first, rejects at once with the abort reason and cancels the timer.
 */
export function sleep(clock: Clock, ms: number, scope: CallScope): Promise<void> {
  if (scope.aborted) return rejectWith(scope.abortReason);
  return new Promise<void>((resolve, reject) => {
    const signal = scope.signal;
    const watch = signal !== neverAborted();
    const onAbort = (): void => {
      cancel();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- abort reasons are any value
      reject(signal.reason);
    };
    const cancel = clock.schedule(
      ms,
      () => {
        if (watch) signal.removeEventListener('abort', onAbort);
        resolve();
      },
      { ref: true },
    );
    if (watch) signal.addEventListener('abort', onAbort, { once: true });
  });
}
