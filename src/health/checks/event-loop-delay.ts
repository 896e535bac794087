import { monitorEventLoopDelay } from 'node:perf_hooks';
import { z } from 'zod';
import { parseOptions } from '../../core/index.js';
import type { HealthCheckDefinition } from '../types.js';
import { round, statusAbove } from './shared.js';

/** Options for {@link eventLoopDelay}. */
export interface EventLoopDelayCheckOptions {
  /**
   * Warn when the p99 event-loop delay since the previous run reaches this many milliseconds.
   * @default 100
   */
  readonly warnMs?: number;
  /**
   * Fail when the p99 event-loop delay since the previous run reaches this many milliseconds.
   * @default 1000
   */
  readonly failMs?: number;
  /**
   * The sampling period of `perf_hooks.monitorEventLoopDelay`; smaller is finer and costs more.
   * @default 10
   */
  readonly resolutionMs?: number;
}

/** The schema behind the options interface (bound to it by a type test). */
export const eventLoopDelayOptionsSchema = z
  .strictObject({
    warnMs: z.number().gt(0).default(100),
    failMs: z.number().gt(0).default(1000),
    resolutionMs: z.number().int().min(1).max(1000).default(10),
  })
  .refine((o) => o.warnMs < o.failMs, { path: ['warnMs'], message: 'a number < failMs' });

/**
 * A check of the event loop's p99 delay since its previous run (`perf_hooks.monitorEventLoopDelay`),
 * reported in `ms`. A blocked loop answers every request late, so this suits the liveness probe.
 * Holds a histogram: the registry releases it on unregister and close.
 *
 * @example
 * ```ts
 * health.register('eventLoop', checks.eventLoopDelay({ warnMs: 100, failMs: 500 }), { probes: ['liveness'] });
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function eventLoopDelay(options: EventLoopDelayCheckOptions = {}): HealthCheckDefinition {
  const { warnMs, failMs, resolutionMs } = parseOptions(
    eventLoopDelayOptionsSchema,
    options,
    'checks.eventLoopDelay',
  );
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  return {
    componentType: 'system',
    measurement: 'eventLoopDelay',
    run() {
      // With no sample yet (a run right after creation) there is no delay to report.
      const p99Ms = histogram.count === 0 ? 0 : round(histogram.percentile(99) / 1e6, 2);
      histogram.reset();
      const status = statusAbove(p99Ms, warnMs, failMs);
      return status === 'pass'
        ? { status, observedValue: p99Ms, observedUnit: 'ms' }
        : {
            status,
            observedValue: p99Ms,
            observedUnit: 'ms',
            output: `event loop p99 delay ${p99Ms} ms (warn at ${warnMs} ms, fail at ${failMs} ms)`,
          };
    },
    close() {
      histogram.disable();
    },
  };
}
