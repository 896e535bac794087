import {
  parseOptions,
  resolveDeps,
  SafeEmitter,
  startPoller,
  type Deps,
  type EventSource,
} from '../core/index.js';
import { saturationOptionsSchema, type SaturationOptions } from './options.js';
import { createProcessProbe, type SaturationProbe } from './process-probe.js';

/** The latest per-interval view of the process's saturation. */
export interface SaturationSnapshot {
  /** p99 event-loop delay over the last interval, in ms. */
  readonly eventLoopDelayP99Ms: number;
  /** Share of the last interval the event loop was busy, 0..1. */
  readonly eventLoopUtilization: number;
  /** V8 heap in use, in bytes. */
  readonly heapUsedBytes: number;
  /** Heap in use over V8's heap size limit, 0..1. */
  readonly heapRatio: number;
  /** Resident set size, in bytes. */
  readonly rssBytes: number;
  /** Process CPU time over wall time for the last interval. */
  readonly cpuRatio: number;
  /** Wall-clock time of the sample, epoch ms. */
  readonly sampledAt: number;
}

/** Which signal is over its limit, by how much. */
export interface Overload {
  readonly reason: 'eventLoopDelay' | 'eventLoopUtilization' | 'heapUsed' | 'rss';
  readonly value: number;
  readonly limit: number;
}

/** Events of a {@link SaturationMonitor}. */
export type SaturationEvents = {
  /** The process became overloaded (or the overloaded signal changed). */
  overloaded: Overload;
  /** Every signal fell below its recovery threshold. */
  recovered: { readonly overloadedForMs: number };
};

/** Deps of {@link createSaturationMonitor}: the usual clock and error hook, and the reading source. */
export interface SaturationDeps extends Deps {
  /** Where readings come from. @default this process (`createProcessProbe()`) */
  readonly probe?: SaturationProbe;
}

/** The configured limits, keyed by the {@link SaturationSnapshot} field each applies to. */
export type SaturationLimits = Readonly<
  Partial<Record<'eventLoopDelayP99Ms' | 'eventLoopUtilization' | 'heapRatio' | 'rssBytes', number>>
>;

/** Samples event-loop delay and utilization, heap, RSS and CPU, and says when the process is overloaded. */
export interface SaturationMonitor extends EventSource<SaturationEvents> {
  /** The limits set in the options (a signal without one is absent): what capacity forecasts aim at. */
  readonly limits: SaturationLimits;
  /** The latest sample; cheap (no sampling happens on call). */
  snapshot(): SaturationSnapshot;
  /** `false`, or the signal that is over its limit; O(1), safe to call on every request. */
  overloaded(): false | Overload;
  /** Takes a sample now instead of waiting for the next interval, and returns it. */
  sample(): SaturationSnapshot;
  /** Stops sampling and releases the probe. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Creates a saturation monitor sampling on an unref'd timer, for golden-signal gauges and load shedding.
 *
 * @example
 * ```ts
 * const saturation = createSaturationMonitor({ eventLoopDelay: { maxP99Ms: 200 }, heapUsed: { maxRatio: 0.9 } });
 * if (saturation.overloaded()) respond503();
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function createSaturationMonitor(
  options: SaturationOptions = {},
  deps?: SaturationDeps,
): SaturationMonitor {
  const opts = parseOptions(saturationOptionsSchema, options, 'createSaturationMonitor');
  const { clock, onInternalError } = resolveDeps(deps);
  const probe = deps?.probe ?? createProcessProbe();
  const events = new SafeEmitter<SaturationEvents>('saturation', onInternalError);
  const { recoverBelow, tripAfter } = opts.hysteresis;
  // Signals with a limit, checked in this order: the event loop first, as it is what requests feel.
  const limits: Array<[Overload['reason'], number, (s: SaturationSnapshot) => number]> = [];
  if (opts.eventLoopDelay)
    limits.push(['eventLoopDelay', opts.eventLoopDelay.maxP99Ms, (s) => s.eventLoopDelayP99Ms]);
  if (opts.eventLoopUtilization) {
    limits.push(['eventLoopUtilization', opts.eventLoopUtilization.max, (s) => s.eventLoopUtilization]);
  }
  if (opts.heapUsed) limits.push(['heapUsed', opts.heapUsed.maxRatio, (s) => s.heapRatio]);
  if (opts.rss) limits.push(['rss', opts.rss.maxBytes, (s) => s.rssBytes]);

  let latest: SaturationSnapshot;
  let state: false | Overload = false;
  let overloadedSince = 0;
  let samplesOverLimit = 0;
  let closed = false;

  const evaluate = (s: SaturationSnapshot): void => {
    let next: false | Overload = false;
    // Stay on the current reason until it falls below its recovery threshold (hysteresis).
    if (state !== false) {
      const current = limits.find(([reason]) => reason === (state as Overload).reason);
      if (current !== undefined && current[2](s) >= current[1] * recoverBelow) {
        next = { reason: current[0], value: current[2](s), limit: current[1] };
      }
    }
    if (next === false) {
      let over: false | Overload = false;
      for (const [reason, limit, read] of limits) {
        const value = read(s);
        if (value > limit) {
          over = { reason, value, limit };
          break;
        }
      }
      // While not yet overloaded, a limit must be exceeded `tripAfter` samples in a row; once
      // overloaded, moving to another signal is immediate.
      samplesOverLimit = over === false ? 0 : samplesOverLimit + 1;
      if (over !== false && (state !== false || samplesOverLimit >= tripAfter)) next = over;
    }
    const previous = state;
    state = next;
    if (next !== false && (previous === false || previous.reason !== next.reason)) {
      if (previous === false) overloadedSince = clock.now();
      if (events.has('overloaded')) events.emit('overloaded', next);
    } else if (next === false && previous !== false && events.has('recovered')) {
      events.emit('recovered', { overloadedForMs: clock.now() - overloadedSince });
    }
  };

  const sample = (): SaturationSnapshot => {
    const r = probe.read();
    latest = Object.freeze({
      eventLoopDelayP99Ms: r.eventLoopDelayP99Ms,
      eventLoopUtilization: r.eventLoopUtilization,
      heapUsedBytes: r.heapUsedBytes,
      heapRatio: r.heapLimitBytes > 0 ? r.heapUsedBytes / r.heapLimitBytes : 0,
      rssBytes: r.rssBytes,
      cpuRatio: r.cpuRatio,
      sampledAt: clock.wallNow(),
    });
    evaluate(latest);
    return latest;
  };

  latest = sample();
  const poller = startPoller({
    clock,
    intervalMs: opts.sampleIntervalMs,
    task: sample,
    onError: onInternalError,
    source: 'saturation',
  });

  const close = (): Promise<void> => {
    if (!closed) {
      closed = true;
      poller.stop();
      probe.close();
      events.clear();
    }
    return Promise.resolve();
  };

  const configured: Partial<Record<keyof SaturationLimits, number>> = {};
  if (opts.eventLoopDelay) configured.eventLoopDelayP99Ms = opts.eventLoopDelay.maxP99Ms;
  if (opts.eventLoopUtilization) configured.eventLoopUtilization = opts.eventLoopUtilization.max;
  if (opts.heapUsed) configured.heapRatio = opts.heapUsed.maxRatio;
  if (opts.rss) configured.rssBytes = opts.rss.maxBytes;

  return {
    limits: Object.freeze(configured),
    snapshot: () => latest,
    overloaded: () => state,
    sample,
    close,
    [Symbol.asyncDispose]: close,
    on: (event, listener) => events.on(event, listener),
    once: (event, listener) => events.once(event, listener),
    off: (event, listener) => events.off(event, listener),
  };
}
