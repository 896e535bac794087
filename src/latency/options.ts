import { z } from 'zod';

/** The sliding window of a latency tracker: `slices` slices of `durationMs / slices` each. */
export interface LatencyWindowOptions {
  /**
   * How much recent history the window holds, in milliseconds. A value stays in the window until its
   * slice expires: between `durationMs - durationMs / slices` and `durationMs` after it was recorded.
   * Each slice must last at least 100 ms.
   * @example 60_000
   */
  readonly durationMs: number;
  /**
   * How many slices the window is cut into: the window's granularity. More slices move more smoothly
   * but cost more memory per busy key (frozen slices are stored sparse).
   * @default 6
   */
  readonly slices?: number | undefined;
}

/** Options for `createLatencyTracker`. */
export interface LatencyTrackerOptions {
  /**
   * Significant decimal digits kept for every value (1 to 5): percentiles are within 10^-digits
   * relative error. Memory per key (lifetime histogram, 60 s range) grows fast with it: 1.4 KB, 10 KB,
   * 68 KB, 832 KB, 5 MB for 1 to 5 digits; mind `maxKeys` above 2.
   * @default 2
   */
  readonly significantDigits?: number | undefined;
  /**
   * The largest latency tracked, in milliseconds (at most one day). Larger values are recorded as this
   * value and counted in `stats().overflow`.
   * @default 60_000
   */
  readonly highestTrackableMs?: number | undefined;
  /**
   * The sliding window queried with `{ window: 'window' }`, or `false` for lifetime figures only.
   * With a window, each record also reads `deps.clock.now()` once.
   * @default { durationMs: 60_000, slices: 6 }
   */
  readonly window?: false | LatencyWindowOptions | undefined;
  /**
   * How many distinct keys get their own histogram. Records with further keys are folded into the
   * `'__other__'` key and counted in `stats().foldedKeys`, so user-controlled keys cannot exhaust memory.
   * @default 500
   */
  readonly maxKeys?: number | undefined;
  /**
   * Latency thresholds in milliseconds, below `highestTrackableMs`, whose "at or below" counts are kept
   * exactly (at microsecond resolution) by counters rather than estimated from buckets: use your SLO
   * thresholds and the `le` boundaries you export. Each costs one comparison per record.
   * @default []
   * @example [100, 200, 500]
   */
  readonly thresholdsMs?: readonly number[] | undefined;
}

/** Shortest slice a window may have: shorter slices would rotate (and compact) too often. */
export const MIN_SLICE_MS = 100;
const MAX_HIGHEST_TRACKABLE_MS = 86_400_000;

const windowSchema = z
  .strictObject({
    durationMs: z.number().positive(),
    slices: z.number().int().min(1).max(100).default(6),
  })
  .superRefine((window, ctx) => {
    if (window.durationMs / window.slices < MIN_SLICE_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['durationMs'],
        message: `a number >= ${MIN_SLICE_MS} * slices (${MIN_SLICE_MS * window.slices}): each slice lasts at least ${MIN_SLICE_MS} ms`,
      });
    }
  })
  .readonly();

/** The zod schema behind {@link LatencyTrackerOptions}; a type test keeps the two in step. */
export const latencyTrackerOptionsSchema = z
  .strictObject({
    significantDigits: z.number().int().min(1).max(5).default(2),
    highestTrackableMs: z.number().min(1).max(MAX_HIGHEST_TRACKABLE_MS).default(60_000),
    window: z.union([z.literal(false), windowSchema]).default({ durationMs: 60_000, slices: 6 }),
    maxKeys: z.number().int().min(1).max(100_000).default(500),
    thresholdsMs: z.array(z.number().positive()).readonly().default([]),
  })
  .superRefine((options, ctx) => {
    const highestUs = Math.round(options.highestTrackableMs * 1000);
    options.thresholdsMs.forEach((threshold, i) => {
      // Strictly below: a clamped overflow value must never count as "at or below" a threshold.
      if (Number.isFinite(threshold) && Math.round(threshold * 1000) >= highestUs) {
        ctx.addIssue({
          code: 'custom',
          path: ['thresholdsMs', i],
          message: `a number < highestTrackableMs (${options.highestTrackableMs})`,
        });
      }
    });
  })
  .readonly();

/** Options after parsing: every default filled in. */
export type ParsedLatencyTrackerOptions = z.output<typeof latencyTrackerOptionsSchema>;
