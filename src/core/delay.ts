import type { Clock } from './clock.js';

/**
 * Waits `ms` on `clock` with a ref'd timer (the caller is awaiting it). When `signal` aborts first,
 * rejects at once with its reason and cancels the timer; an already aborted signal rejects at once.
 */
export function delay(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- abort reasons are any value
  if (signal?.aborted === true) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      cancel();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- see above
      reject(signal?.reason);
    };
    const cancel = clock.schedule(
      ms,
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      { ref: true },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
