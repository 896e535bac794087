import { z } from 'zod';

/** Options for {@link createSaturationMonitor}. Every limit is optional: a signal without one is measured but never sheds. */
export interface SaturationOptions {
  /**
   * How often the process is sampled. Each sample covers the interval since the previous one, so
   * readings are per interval, never cumulative since start.
   * @default 1000
   */
  readonly sampleIntervalMs?: number;
  /** Overloaded when the event loop's p99 delay over the last interval exceeds `maxP99Ms`. */
  readonly eventLoopDelay?: { readonly maxP99Ms: number };
  /** Overloaded when the event loop was busy more than `max` (0..1) of the last interval. */
  readonly eventLoopUtilization?: { readonly max: number };
  /** Overloaded when used heap exceeds `maxRatio` of V8's heap size limit. */
  readonly heapUsed?: { readonly maxRatio: number };
  /** Overloaded when the resident set size exceeds `maxBytes`. */
  readonly rss?: { readonly maxBytes: number };
  /**
   * Once overloaded, a signal must fall below `recoverBelow` × its limit before the monitor recovers,
   * so a value hovering at the limit does not flap between shedding and serving. Before that, limits
   * must be exceeded in `tripAfter` samples in a row: one stall (start-up, a long GC pause) is over by
   * the time it is measured, and shedding the next interval's traffic for it would only add errors.
   * @default { recoverBelow: 0.8, tripAfter: 2 }
   */
  readonly hysteresis?: { readonly recoverBelow?: number; readonly tripAfter?: number };
}

export const saturationOptionsSchema = z.strictObject({
  sampleIntervalMs: z.number().int().min(10).max(3_600_000).default(1_000),
  eventLoopDelay: z.strictObject({ maxP99Ms: z.number().positive() }).optional(),
  eventLoopUtilization: z.strictObject({ max: z.number().gt(0).max(1) }).optional(),
  heapUsed: z.strictObject({ maxRatio: z.number().gt(0).max(1) }).optional(),
  rss: z.strictObject({ maxBytes: z.number().int().positive() }).optional(),
  hysteresis: z
    .strictObject({
      recoverBelow: z.number().gt(0).max(1).default(0.8),
      tripAfter: z.number().int().min(1).max(1_000).default(2),
    })
    .default({ recoverBelow: 0.8, tripAfter: 2 }),
});
