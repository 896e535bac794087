import type { CancelScheduled, Clock } from './clock.js';
import type { InternalErrorHandler } from './internal-error.js';

/** A background task run every `intervalMs`, re-armed only after the previous run settles. */
export interface Poller {
  /** Whether the poller is still scheduled. */
  readonly running: boolean;
  /** Stops it; a run in progress finishes but is not re-armed. Idempotent. */
  stop(): void;
}

/** Options for {@link startPoller}. */
export interface PollerOptions {
  readonly clock: Clock;
  readonly intervalMs: number;
  /** The work; may be async. Failures go to `onError`. */
  readonly task: () => unknown;
  readonly onError: InternalErrorHandler;
  /** Names the poller in error reports. */
  readonly source: string;
  /** Run once at once instead of waiting one interval first. @default false */
  readonly immediate?: boolean;
}

/**
 * Starts a poller on unref'd timers. Because the next run is scheduled only when the previous one has
 * settled, a slow task never piles up overlapping runs (the approach of @fastify/under-pressure).
 */
export function startPoller(options: PollerOptions): Poller {
  const { clock, intervalMs, task, onError, source } = options;
  let cancel: CancelScheduled | undefined;
  let stopped = false;

  const report = (error: unknown): void => onError(error, { source, task: 'poll' });
  const arm = (): void => {
    if (!stopped) cancel = clock.schedule(intervalMs, run);
  };
  function run(): void {
    cancel = undefined;
    if (stopped) return;
    let result: unknown;
    try {
      result = task();
    } catch (error) {
      report(error);
      arm();
      return;
    }
    if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as Promise<unknown>).then === 'function'
    ) {
      (result as Promise<unknown>).then(arm, (error: unknown) => {
        report(error);
        arm();
      });
    } else {
      arm();
    }
  }

  if (options.immediate === true) run();
  else arm();

  return {
    get running() {
      return !stopped;
    },
    stop() {
      stopped = true;
      cancel?.();
      cancel = undefined;
    },
  };
}
