import type { CancelScheduled, Clock } from '../core/index.js';

/** One call waiting on a deadline; `expire` runs if it is still pending when the deadline passes. */
export interface DeadlineEntry {
  dueAt: number;
  next: DeadlineEntry | undefined;
  done: boolean;
  expire(): void;
}

/**
 * Deadlines for calls that share one time limit, on one re-armed timer instead of a timer per call.
 *
 * Every deadline is `now + timeoutMs` with the same `timeoutMs` and a monotonic clock, so deadlines
 * arrive in order and a FIFO list is a priority queue: add and settle are O(1). Settled calls are
 * dropped from the head as they finish (calls mostly finish in order); one settled out of order waits
 * behind the pending ones. The timer stays armed (unref'd) while anything may be pending, and is
 * re-armed from the head when it fires, so a steady stream of calls costs about one timer per
 * `timeoutMs` rather than a setTimeout and clearTimeout per call.
 */
export class DeadlineQueue {
  readonly timeoutMs: number;
  readonly #clock: Clock;
  #head: DeadlineEntry | undefined = undefined;
  #tail: DeadlineEntry | undefined = undefined;
  #cancelTimer: CancelScheduled | undefined = undefined;
  readonly #onTimer = (): void => this.#fire();

  constructor(clock: Clock, timeoutMs: number) {
    this.#clock = clock;
    this.timeoutMs = timeoutMs;
  }

  /** Sets `entry.dueAt` and queues it. */
  add(entry: DeadlineEntry): void {
    entry.dueAt = this.#clock.now() + this.timeoutMs;
    if (this.#tail === undefined) this.#head = entry;
    else this.#tail.next = entry;
    this.#tail = entry;
    if (this.#cancelTimer === undefined) this.#arm(this.timeoutMs);
  }

  /** Marks `entry` settled; it will never expire. */
  settle(entry: DeadlineEntry): void {
    entry.done = true;
    let head = this.#head;
    while (head !== undefined && head.done) head = head.next;
    this.#head = head;
    if (head === undefined) this.#tail = undefined;
  }

  #arm(delayMs: number): void {
    this.#cancelTimer = this.#clock.schedule(delayMs, this.#onTimer);
  }

  #fire(): void {
    this.#cancelTimer = undefined;
    const now = this.#clock.now();
    let head = this.#head;
    while (head !== undefined && (head.done || head.dueAt <= now)) {
      const entry = head;
      head = head.next;
      this.#head = head;
      if (head === undefined) this.#tail = undefined;
      if (!entry.done) {
        entry.done = true;
        entry.expire();
        // expire() may have queued or settled entries; continue from the current head.
        head = this.#head;
      }
    }
    if (head !== undefined && this.#cancelTimer === undefined) this.#arm(head.dueAt - now);
  }
}
