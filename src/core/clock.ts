import { performance } from 'node:perf_hooks';

// Every closeable primitive has `[Symbol.asyncDispose]` (and the shutdown handle `[Symbol.dispose]`).
// Both symbols exist at runtime on every Node sre-kit supports (>= 20.4), but TypeScript declares them
// only in lib `esnext.disposable` (or @types/node), which a consumer's `lib` may lack: TypeScript's
// default lib for target ES2022 does. Declared here, as @types/node does, so they reach every entry's
// declarations: each one includes the Clock. Identical `unique symbol` declarations merge with the lib's.
declare global {
  interface SymbolConstructor {
    /** The method `using` calls when leaving its scope. */
    readonly dispose: unique symbol;
    /** The method `await using` calls when leaving its scope. */
    readonly asyncDispose: unique symbol;
  }
}

/** Cancels a callback registered with {@link Clock.schedule}; calling it again does nothing. */
export type CancelScheduled = () => void;

/** Options for {@link Clock.schedule}. */
export interface ScheduleOptions {
  /**
   * Keep the process alive while the callback is pending. Background work leaves this off so a
   * forgotten monitor never holds a process open; a delay the caller awaits (a retry sleep) turns it on.
   * @default false
   */
  readonly ref?: boolean;
}

/**
 * The source of time for every sre-kit primitive, injected as `deps.clock` so tests can drive time
 * by hand (see `createFakeClock` in `sre-kit/testing`).
 */
export interface Clock {
  /** Monotonic milliseconds from an arbitrary origin: use for durations and window rotation. */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch: use for timestamps and calendar alignment. */
  wallNow(): number;
  /** Runs `callback` once after `delayMs`; the timer is unref'd unless `options.ref` is set. */
  schedule(delayMs: number, callback: () => void, options?: ScheduleOptions): CancelScheduled;
}

// Node clamps timers to a signed 32-bit millisecond count and fires at once past it.
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** The clock backed by `performance.now()`, `Date.now()` and Node's timers. */
export const systemClock: Clock = Object.freeze({
  now: () => performance.now(),
  wallNow: () => Date.now(),
  schedule(delayMs: number, callback: () => void, options?: ScheduleOptions): CancelScheduled {
    const delay = Number.isFinite(delayMs) ? Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY_MS) : 0;
    const timer = setTimeout(callback, delay);
    if (options?.ref !== true) timer.unref();
    return () => clearTimeout(timer);
  },
});
