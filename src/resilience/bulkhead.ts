import { z } from 'zod';
import { parseOptions, resolveDeps, type CancelScheduled, type Clock, type Deps } from '../core/index.js';
import { BulkheadFullError } from '../core/errors.js';
import { neverAborted, scopeOf, type CallScope } from './call-scope.js';
import { invoke, rejectWith } from './invoke.js';
import type { ExecuteContext, ExecuteOptions, Policy, Work } from './policy.js';

/** Options for {@link createBulkhead}. */
export interface BulkheadOptions {
  /** Calls allowed to run at once. */
  readonly maxConcurrent: number;
  /**
   * Calls allowed to wait for a slot; past that, calls reject with `BulkheadFullError` at once.
   * @default 0
   */
  readonly maxQueued?: number;
  /**
   * How long a call may wait in the queue, in ms, before rejecting with `BulkheadFullError`; `false`
   * to wait as long as it takes (or until the caller's signal aborts).
   * @default false
   */
  readonly queueTimeoutMs?: number | false;
}

/** @internal The schema bound to {@link BulkheadOptions} by a type test. */
export const bulkheadOptionsSchema = z.strictObject({
  maxConcurrent: z.number().int().min(1).max(1_000_000_000),
  maxQueued: z.number().int().min(0).max(1_000_000_000).default(0),
  queueTimeoutMs: z.union([z.literal(false), z.number().gt(0).max(2_147_483_647)]).default(false),
});

/** A bulkhead's occupancy and refusals. */
export interface BulkheadStats {
  readonly maxConcurrent: number;
  readonly maxQueued: number;
  /** Calls running now. */
  readonly active: number;
  /** Calls waiting now. */
  readonly queued: number;
  /** Calls refused since creation (full, or waited past `queueTimeoutMs`). */
  readonly rejected: number;
}

/** A policy that limits how many calls run at once, with a bounded wait queue. */
export interface Bulkhead extends Policy<ExecuteContext> {
  /** Current occupancy and refusals. */
  stats(): BulkheadStats;
}

interface Waiter {
  readonly work: Work<unknown>;
  readonly scope: CallScope;
  readonly resolve: (value: Promise<unknown>) => void;
  readonly reject: (error: unknown) => void;
  next: Waiter | undefined;
  waiting: boolean;
  cleanup: (() => void) | undefined;
}

class Limiter implements Bulkhead {
  readonly #clock: Clock;
  readonly #max: number;
  readonly #maxQueued: number;
  readonly #queueTimeoutMs: number | false;
  #active = 0;
  #queued = 0;
  #rejected = 0;
  #head: Waiter | undefined = undefined;
  #tail: Waiter | undefined = undefined;
  readonly #release = (): void => {
    this.#active--;
    this.#drain();
  };

  constructor(options: z.output<typeof bulkheadOptionsSchema>, clock: Clock) {
    this.#clock = clock;
    this.#max = options.maxConcurrent;
    this.#maxQueued = options.maxQueued;
    this.#queueTimeoutMs = options.queueTimeoutMs;
  }

  execute<T>(work: Work<T>, options?: ExecuteOptions): Promise<T> {
    const scope = scopeOf(options);
    if (scope.aborted) return rejectWith(scope.abortReason);
    if (this.#active < this.#max) return this.#run(work, scope);
    if (this.#queued >= this.#maxQueued) {
      this.#rejected++;
      return Promise.reject(new BulkheadFullError(this.#max, this.#maxQueued));
    }
    return new Promise<T>((resolve, reject) => this.#enqueue(work, scope, resolve as never, reject));
  }

  stats(): BulkheadStats {
    return {
      maxConcurrent: this.#max,
      maxQueued: this.#maxQueued,
      active: this.#active,
      queued: this.#queued,
      rejected: this.#rejected,
    };
  }

  #run<T>(work: Work<T>, scope: CallScope): Promise<T> {
    this.#active++;
    return invoke(work, scope).then(
      (value) => {
        this.#release();
        return value;
      },
      (error: unknown) => {
        this.#release();
        throw error;
      },
    );
  }

  #enqueue(
    work: Work<unknown>,
    scope: CallScope,
    resolve: (value: Promise<unknown>) => void,
    reject: (error: unknown) => void,
  ): void {
    const waiter: Waiter = {
      work,
      scope,
      resolve,
      reject,
      next: undefined,
      waiting: true,
      cleanup: undefined,
    };
    if (this.#tail === undefined) this.#head = waiter;
    else this.#tail.next = waiter;
    this.#tail = waiter;
    this.#queued++;
    let cancelTimer: CancelScheduled | undefined;
    if (this.#queueTimeoutMs !== false) {
      const waitedMs = this.#queueTimeoutMs;
      cancelTimer = this.#clock.schedule(
        waitedMs,
        () => {
          if (!this.#leave(waiter)) return;
          this.#rejected++;
          reject(
            new BulkheadFullError(this.#max, this.#maxQueued, `Waited ${waitedMs} ms for a bulkhead slot`),
          );
        },
        { ref: true },
      );
    }
    const signal = scope.signal;
    const onAbort = (): void => {
      if (this.#leave(waiter)) reject(signal.reason as unknown);
    };
    const watch = signal !== neverAborted();
    if (watch) signal.addEventListener('abort', onAbort, { once: true });
    waiter.cleanup = () => {
      cancelTimer?.();
      if (watch) signal.removeEventListener('abort', onAbort);
    };
  }

  // Takes a waiter out of the queue (it stays linked, skipped by drain); false if it already left.
  #leave(waiter: Waiter): boolean {
    if (!waiter.waiting) return false;
    waiter.waiting = false;
    this.#queued--;
    waiter.cleanup?.();
    return true;
  }

  #drain(): void {
    while (this.#active < this.#max && this.#head !== undefined) {
      const waiter = this.#head;
      this.#head = waiter.next;
      if (this.#head === undefined) this.#tail = undefined;
      if (this.#leave(waiter)) waiter.resolve(this.#run(waiter.work, waiter.scope));
    }
  }
}

/**
 * Creates a bulkhead: at most `maxConcurrent` calls run at once, up to `maxQueued` more wait in order,
 * and the rest reject at once with `BulkheadFullError` (which breakers never count as a failure and
 * retries never retry by default). A waiting call leaves the queue when its signal aborts or after
 * `queueTimeoutMs`.
 *
 * @example
 * ```ts
 * const bulkhead = createBulkhead({ maxConcurrent: 10, maxQueued: 100, queueTimeoutMs: 1_000 });
 * const report = await bulkhead.execute(({ signal }) => renderReport(signal));
 * ```
 * @throws {ConfigError} naming each bad option.
 */
export function createBulkhead(options: BulkheadOptions, deps?: Deps): Bulkhead {
  const parsed = parseOptions(bulkheadOptionsSchema, options, 'createBulkhead');
  return new Limiter(parsed, resolveDeps(deps).clock);
}
