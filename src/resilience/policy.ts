/** What every wrapped function receives: the signal to pass on to the work it starts. */
export interface ExecuteContext {
  /**
   * Aborted when the work should stop: the caller's signal aborted, or a timeout expired; a timeout never
   * aborts it once the call has settled. When nothing can abort the call it is one shared signal that never
   * aborts and keeps no listeners (so work that adds one per call and never removes it, as Node's fetch
   * does, leaks nothing).
   */
  readonly signal: AbortSignal;
}

/** What a function run by a retry policy receives: the signal and which attempt this is. */
export interface RetryContext extends ExecuteContext {
  /** The attempt number, 1 for the first call. */
  readonly attempt: number;
}

/** Options accepted by every `execute`. */
export interface ExecuteOptions {
  /** Aborting it rejects the call at once with the signal's reason, wherever the call is waiting. */
  readonly signal?: AbortSignal | undefined;
}

/** The work a policy runs: called with the policy's context, returning a value or a promise. */
export type Work<T, C extends ExecuteContext = ExecuteContext> = (context: C) => T | PromiseLike<T>;

/** The key of {@link Policy}'s type-only marker; no value ever exists. */
export declare const extraResult: unique symbol;

/**
 * Anything that runs work under a rule (breaker, retry, timeout, bulkhead, fault injector, or a
 * composition of them). `C` is what the work receives; `X` is what the policy may resolve with instead
 * of the work's result (a breaker's fallback).
 */
export interface Policy<C extends ExecuteContext = ExecuteContext, X = never> {
  /** Runs `work` under this policy and resolves or rejects with its outcome. */
  execute<T>(work: Work<T, C>, options?: ExecuteOptions): Promise<T | X>;
  /** Type-only: what the policy may resolve with besides the work's result (never set at run time). */
  readonly [extraResult]?: () => X;
}
