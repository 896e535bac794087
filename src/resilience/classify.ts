import { ErrorCode, isSreError } from '../core/index.js';

// sre-kit's own refusals: the downstream was never called (or the caller's policy gave up), so a
// breaker must not count them against the downstream and a retry must not hammer them by default.
const OWN_REJECTIONS: ReadonlySet<string> = new Set([
  ErrorCode.CIRCUIT_OPEN,
  ErrorCode.BULKHEAD_FULL,
  ErrorCode.RETRY_BUDGET_EXHAUSTED,
  ErrorCode.CLOSED,
  ErrorCode.RATE_LIMITED,
]);

/** Whether `error` is one of sre-kit's own rejections (open circuit, bulkhead full, budget exhausted, closed, rate limited). */
export function isOwnRejection(error: unknown): boolean {
  return isSreError(error) && OWN_REJECTIONS.has(error.code);
}

/** Calls a user predicate (truthy means yes); a throw counts as `fallback` and is reported, never thrown. */
export function safePredicate(
  predicate: () => boolean,
  fallback: boolean,
  report: (error: unknown) => void,
): boolean {
  try {
    return Boolean(predicate());
  } catch (error) {
    report(error);
    return fallback;
  }
}
