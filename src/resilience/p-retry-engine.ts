// The one file that touches p-retry. Nothing else imports it and no p-retry type leaves this file.
import pRetry, { type Options as PRetryOptions } from 'p-retry';

/** Decides, after a failed attempt, whether to retry: sleeps the delay and resolves true, or resolves false. */
export type RetryDecision<R> = (run: R, error: unknown, attempt: number) => Promise<boolean>;

/** Runs the retries of one call after its first attempt failed with `firstError`. */
export type RetryEngine<R> = <T>(
  run: R,
  firstError: unknown,
  attempt: (n: number) => Promise<T>,
) => Promise<T>;

// What p-retry sees as the attempt's error. p-retry's options are shared by every call, so the call's
// own state travels on the error; it also hides p-retry's special cases (it never retries a TypeError
// or a non-Error throw, and unwraps its own AbortError).
class AttemptFailure<R> extends Error {
  constructor(
    readonly run: R,
    readonly error: unknown,
  ) {
    super('attempt failed');
  }
}

/** What a run hands back when it decided not to retry: the error the call should reject with. */
export interface EngineRun {
  outcome: unknown;
}

/**
 * Creates the retry loop on p-retry. Its options are built once, here: p-retry's own delays, timer,
 * time limit and retry count are all off (minTimeout 0, retries and maxRetryTime infinite) because the
 * policy computes jittered delays, honours Retry-After and budgets, and sleeps on the injected clock
 * inside `decide`. p-retry drives the attempt loop. The first attempt runs outside p-retry, so the
 * success path never pays for it; its error is replayed as p-retry's attempt 1.
 */
export function createRetryEngine<R extends EngineRun>(decide: RetryDecision<R>): RetryEngine<R> {
  const options: PRetryOptions = Object.freeze({
    retries: Number.POSITIVE_INFINITY,
    factor: 1,
    minTimeout: 0,
    maxTimeout: 0,
    maxRetryTime: Number.POSITIVE_INFINITY,
    randomize: false,
    unref: false,
    onFailedAttempt: () => {},
    shouldConsumeRetry: () => true,
    shouldRetry: ({ error, attemptNumber }) => {
      const failure = error as AttemptFailure<R>;
      return decide(failure.run, failure.error, attemptNumber);
    },
  });
  return <T>(run: R, firstError: unknown, attempt: (n: number) => Promise<T>): Promise<T> =>
    pRetry(
      (n: number) =>
        n === 1
          ? Promise.reject(new AttemptFailure(run, firstError))
          : attempt(n).catch((error: unknown) => {
              throw new AttemptFailure(run, error);
            }),
      options,
    ).catch((error: unknown) => {
      throw error instanceof AttemptFailure ? run.outcome : error;
    });
}
