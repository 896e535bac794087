import type { CancelScheduled, Clock, ScheduleOptions } from '../core/index.js';

/** Options for {@link createFakeClock}. */
export interface FakeClockOptions {
  /**
   * The wall-clock time the fake clock starts at, as epoch milliseconds, a `Date` or an ISO string.
   * The monotonic `now()` always starts at 0.
   * @default 0 (1970-01-01T00:00:00Z)
   */
  readonly start?: number | Date | string;
}

/** A pending callback, as {@link FakeClock.timers} lists it. */
export interface FakeTimerInfo {
  /** The monotonic time it is due at. */
  readonly dueAt: number;
  /** Whether it would keep a real process alive. */
  readonly ref: boolean;
}

/** A {@link Clock} that only moves when told to, for deterministic tests that never sleep. */
export interface FakeClock extends Clock {
  /**
   * Moves time forward by `ms`, running every callback that falls due, in due-time order (ties in
   * scheduling order), each exactly once and with `now()` equal to its due time. Callbacks scheduled
   * while advancing run too if they fall due within the step. A throwing callback stops the advance
   * at its due time and the error propagates.
   */
  advance(ms: number): void;
  /** Like {@link FakeClock.advance}, up to a wall-clock time (epoch ms, `Date` or ISO string). */
  advanceTo(wallTime: number | Date | string): void;
  /**
   * Like {@link FakeClock.advance}, but lets pending promise callbacks run before and after each timer,
   * so async code that awaits, then schedules (a retry loop), is driven through.
   */
  advanceAsync(ms: number): Promise<void>;
  /** Steps the wall clock alone, as an NTP correction does; monotonic time and timers do not move. */
  setWallTime(wallTime: number | Date | string): void;
  /** The callbacks still pending, soonest first. */
  timers(): readonly FakeTimerInfo[];
  /** How many callbacks are still pending. */
  readonly pendingCount: number;
}

interface Entry {
  readonly dueAt: number;
  readonly seq: number;
  readonly callback: () => void;
  readonly ref: boolean;
  cancelled: boolean;
}

/**
 * Creates a fake clock to pass as `deps.clock` in tests: time stands still until `advance()` moves it.
 *
 * @example
 * ```ts
 * const clock = createFakeClock({ start: '2026-01-01T00:00:00Z' });
 * const tracker = createLatencyTracker({}, { clock });
 * clock.advance(60_000);
 * ```
 * @throws {RangeError} when `start` is not a valid time.
 */
export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  let elapsed = 0;
  let wallOrigin = toEpochMs(options.start ?? 0, 'start');
  let seq = 0;
  // A binary min-heap ordered by (dueAt, seq): O(log n) schedule and fire.
  const heap: Entry[] = [];
  let pending = 0;

  const before = (a: Entry, b: Entry): boolean => a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
  const push = (entry: Entry): void => {
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Entry, heap[parent] as Entry)) break;
      [heap[i], heap[parent]] = [heap[parent] as Entry, heap[i] as Entry];
      i = parent;
    }
  };
  const pop = (): Entry | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l] as Entry, heap[m] as Entry)) m = l;
        if (r < heap.length && before(heap[r] as Entry, heap[m] as Entry)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as Entry, heap[i] as Entry];
        i = m;
      }
    }
    return top;
  };
  const peekLive = (): Entry | undefined => {
    while (heap.length > 0 && (heap[0] as Entry).cancelled) pop();
    return heap[0];
  };
  const fireNextDue = (target: number): boolean => {
    const next = peekLive();
    if (next === undefined || next.dueAt > target) return false;
    pop();
    next.cancelled = true;
    pending--;
    elapsed = next.dueAt;
    next.callback();
    return true;
  };
  const checkStep = (ms: number): number => {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`advance expects a finite ms >= 0, received ${ms}`);
    return elapsed + ms;
  };

  return {
    now: () => elapsed,
    wallNow: () => wallOrigin + elapsed,
    schedule(delayMs: number, callback: () => void, scheduleOptions?: ScheduleOptions): CancelScheduled {
      const delay = Number.isFinite(delayMs) ? Math.max(0, delayMs) : 0;
      const entry: Entry = {
        dueAt: elapsed + delay,
        seq: seq++,
        callback,
        ref: scheduleOptions?.ref === true,
        cancelled: false,
      };
      push(entry);
      pending++;
      return () => {
        if (entry.cancelled) return;
        entry.cancelled = true;
        pending--;
      };
    },
    advance(ms: number): void {
      const target = checkStep(ms);
      while (fireNextDue(target));
      elapsed = target;
    },
    advanceTo(wallTime: number | Date | string): void {
      const target = toEpochMs(wallTime, 'advanceTo') - wallOrigin;
      if (target < elapsed) throw new RangeError(`advanceTo cannot move time backwards (use setWallTime)`);
      this.advance(target - elapsed);
    },
    async advanceAsync(ms: number): Promise<void> {
      const target = checkStep(ms);
      await flushPromises();
      while (fireNextDue(target)) await flushPromises();
      elapsed = target;
      await flushPromises();
    },
    setWallTime(wallTime: number | Date | string): void {
      wallOrigin = toEpochMs(wallTime, 'setWallTime') - elapsed;
    },
    timers(): readonly FakeTimerInfo[] {
      return heap
        .filter((entry) => !entry.cancelled)
        .sort((a, b) => (before(a, b) ? -1 : 1))
        .map(({ dueAt, ref }) => ({ dueAt, ref }));
    },
    get pendingCount() {
      return pending;
    },
  };
}

// setImmediate runs after the microtask queue has drained, so every settled promise's callbacks run.
function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function toEpochMs(value: number | Date | string, what: string): number {
  const ms =
    typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid time: ${String(value)}`);
  return ms;
}
