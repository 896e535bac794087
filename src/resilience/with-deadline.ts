import { TimeoutError } from '../core/index.js';
import { CallScope } from './call-scope.js';
import type { DeadlineEntry, DeadlineQueue } from './deadline-queue.js';

/**
 * One call racing its deadline (and the caller's signal). Settles once: with the work's outcome, a
 * TimeoutError when the deadline passes first, or the caller's abort reason.
 */
class DeadlineCall<T> implements DeadlineEntry {
  dueAt = 0;
  next: DeadlineEntry | undefined = undefined;
  done = false;
  readonly #queue: DeadlineQueue;
  readonly #scope: CallScope;
  readonly #resolve: (value: T) => void;
  readonly #reject: (error: unknown) => void;
  #caller: AbortSignal | undefined = undefined;
  #settled = false;

  constructor(
    queue: DeadlineQueue,
    scope: CallScope,
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
  ) {
    this.#queue = queue;
    this.#scope = scope;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  // Only a caller's own signal needs a listener: an outer policy's scope settles its own promise when
  // its deadline passes, and reaches this call through the lazily linked signal if the work uses it.
  watch(caller: AbortSignal): void {
    this.#caller = caller;
    caller.addEventListener('abort', this, { once: true });
  }

  handleEvent(): void {
    if (this.#settled) return;
    const reason: unknown = this.#caller?.reason;
    this.#end();
    this.#queue.settle(this);
    this.#scope.expire(reason);
    this.#reject(reason);
  }

  expire(): void {
    if (this.#settled) return;
    const error = new TimeoutError(this.#queue.timeoutMs);
    this.#end();
    this.#scope.expire(error);
    this.#reject(error);
  }

  ok(value: T): void {
    if (this.#settled) return;
    this.#end();
    this.#queue.settle(this);
    this.#scope.finish();
    this.#resolve(value);
  }

  fail(error: unknown): void {
    if (this.#settled) return;
    this.#end();
    this.#queue.settle(this);
    this.#scope.finish();
    this.#reject(error);
  }

  #end(): void {
    this.#settled = true;
    if (this.#caller !== undefined) this.#caller.removeEventListener('abort', this);
  }
}

/**
 * Runs `work` in a child scope of `parent` that aborts when the queue's deadline passes, and settles
 * at the deadline even if the work ignores its signal. The AbortController exists only if the work
 * reads `signal`; on success nothing is aborted.
 */
export function runWithDeadline<T, C>(
  queue: DeadlineQueue,
  parent: CallScope,
  attempt: number | undefined,
  work: (context: C) => T | PromiseLike<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const scope = CallScope.child(parent, attempt, true);
    const call = new DeadlineCall<T>(queue, scope, resolve, reject);
    queue.add(call);
    const caller = parent.callerSignal;
    if (caller !== undefined) call.watch(caller);
    let result: T | PromiseLike<T>;
    try {
      result = work(scope as unknown as C);
    } catch (error) {
      call.fail(error);
      return;
    }
    if (isThenable(result)) {
      result.then(
        (value) => call.ok(value),
        (error: unknown) => call.fail(error),
      );
    } else {
      call.ok(result);
    }
  });
}

/** Whether `value` is a promise or promise-like. */
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<T>).then === 'function';
}
