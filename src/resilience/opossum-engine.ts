// The one file that touches opossum. Nothing else imports it, no opossum type leaves this file, and
// opossum never throws or rejects through here (we never call `fire`).
import { EventEmitter } from 'node:events';
import OpossumCircuitBreaker from 'opossum';

// The longest delay Node's timers accept; longer ones fire after 1 ms instead.
const MAX_TIMER_MS = 2_147_483_647;

/** The gate a circuit breaker keeps in opossum: whether calls go through, and its open/close switch. */
export interface BreakerEngine {
  /** Whether calls may go straight through (opossum's `closed`). Read on every call. */
  readonly admitting: boolean;
  /** Stops admitting calls (`open()`). */
  open(): void;
  /** Admits calls again (`close()`). */
  close(): void;
  /** Shuts opossum down for good, clearing every timer it holds. */
  shutdown(): void;
}

const neverCalled = (): Promise<never> => Promise.reject(new Error('sre-kit never fires opossum'));

/**
 * Creates the opossum breaker that holds a circuit breaker's closed/open switch.
 *
 * opossum is driven only through `open()`, `close()` and `shutdown()`, with every part that is costly
 * or defective switched off or left unused, because each one is a measured defect of opossum 9:
 * - `fire()` is never called: it costs ~2.4 µs per success with default options, counts its own
 *   capacity rejections as failures, and its `errorFilter` counts an ignored error as a success. The
 *   breaker runs the work itself and keeps its own counts (consecutive, rate and slow-call windows in
 *   O(1) per call) and clears them whenever it closes, so failures from before recovery never re-open it.
 * - `rollingPercentilesEnabled: false`: otherwise every failure sorts every latency in the window.
 * - `timeout: false`: opossum's timeout is a setTimeout per call and aborts one shared AbortController
 *   for every call in flight; timeouts are sre-kit's own, one lazily created controller per call.
 * - `enableSnapshots: false` and a private `rotateBucketController` that never emits: no interval
 *   timers at all (its buckets stay empty since nothing is fired).
 * - `resetTimeout` at the timer maximum: the move to half-open is the breaker's, read lazily from the
 *   injected clock; opossum's own reset timer (real time) is cleared on every close and on shutdown.
 * - `healthCheck()` is never used: its interval survives `shutdown()` and re-opens the breaker.
 */
export function createOpossumEngine(name: string): BreakerEngine {
  const breaker = new OpossumCircuitBreaker(neverCalled, {
    name,
    timeout: false,
    resetTimeout: MAX_TIMER_MS,
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
    rotateBucketController: new EventEmitter(),
    volumeThreshold: Number.MAX_SAFE_INTEGER,
  });
  return {
    get admitting() {
      return breaker.closed;
    },
    open: () => breaker.open(),
    close: () => breaker.close(),
    shutdown: () => breaker.shutdown(),
  };
}
