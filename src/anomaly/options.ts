import { z } from 'zod';

/** How one signal is judged. */
export interface AnomalySignalOptions {
  /**
   * Which side of the band is an anomaly: `up` for signals where only high is bad (error rate,
   * latency), `down` where only low is (throughput of a queue worker), `both` for traffic.
   * @default 'both'
   */
  readonly direction?: 'up' | 'down' | 'both';
  /**
   * Added to the scale, in the signal's own unit, so a signal that has been flat (a zero error rate)
   * does not call its first small move an anomaly: with `floor: 0.01` an error rate must move by more
   * than `sensitivity` percentage points.
   * @default 0
   */
  readonly floor?: number;
  /**
   * Added to the scale as a fraction of the expected value (0.05: moves under 5 % × sensitivity are
   * never anomalies).
   * @default 0
   */
  readonly relativeFloor?: number;
  /**
   * How several `observe()` calls in one bucket combine: `mean` (latency samples), `sum` (counts:
   * one call per request), `max`, or `last` (a gauge read once per bucket).
   * @default 'mean'
   */
  readonly aggregate?: 'mean' | 'sum' | 'max' | 'last';
}

/** Options for {@link createAnomalyDetector}. */
export interface AnomalyDetectorOptions {
  /**
   * The bucket width in ms: values observed within one bucket combine into one point, and the score,
   * the baselines and the alert state move once per bucket. At most one hour with seasonality.
   * @default 60000
   */
  readonly bucketMs?: number;
  /**
   * The period of the seasonal shape: `hour-of-week` (168 slots: Tuesday night differs from Saturday
   * night), `hour-of-day` (24 slots) or `none` (the plain baseline only).
   * @default 'hour-of-week'
   */
  readonly seasonality?: 'hour-of-week' | 'hour-of-day' | 'none';
  /**
   * The score (robust z: sigmas from the expected value) beyond which a bucket is anomalous; the
   * band is expected ± sensitivity × scale.
   * @default 3
   */
  readonly sensitivity?: number;
  /**
   * History needed before the seasonal shape is trusted, as ms or a duration such as `'2w'`, `'10d'`,
   * `'36h'`; at least one period. Before it the plain baseline alone judges; then the seasonal one is
   * blended in over one day.
   * @default '2w' with hour-of-week seasonality, '2d' with hour-of-day
   */
  readonly minHistory?: number | string;
  /**
   * Buckets learned before a signal is judged at all; until then its status says `insufficient_data`.
   * @default 30
   */
  readonly warmupBuckets?: number;
  /**
   * An alert opens when `anomalous` of the last `of` buckets were anomalous (on the watched side), so
   * one stray bucket never alerts; at most 30 buckets.
   * @default { anomalous: 3, of: 5 }
   */
  readonly alertAfter?: { readonly anomalous: number; readonly of: number };
  /**
   * Normal buckets in a row that clear an open alert (hysteresis: a value hovering at the band edge
   * does not flap).
   * @default the `of` of `alertAfter`
   */
  readonly clearAfter?: number;
  /**
   * Anomalous buckets in a row on one side after which the change is accepted as the new normal (a
   * level shift); until then anomalies do not move the baseline at all.
   * @default 30
   */
  readonly adaptAfter?: number;
  /**
   * The IANA time zone the seasonal slots follow, so "Monday 9:00" stays at local 9:00 across
   * daylight-saving changes.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * The most signals tracked; observations of further signal names are counted in
   * `stats().droppedSignals` and dropped.
   * @default 64
   */
  readonly maxSignals?: number;
  /**
   * How far ahead `predictions()` looks for a signal trending out of its band, in buckets.
   * @default 60
   */
  readonly predictionHorizonBuckets?: number;
  /** How each signal is judged, by name; signals not listed get the defaults of {@link AnomalySignalOptions}. */
  readonly signals?: Readonly<Record<string, AnomalySignalOptions>>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
const DURATION_UNITS: Readonly<Record<string, number>> = { m: 60_000, h: HOUR_MS, d: DAY_MS, w: WEEK_MS };

/** The period of each seasonality and its number of slots. */
export const SEASONALITY = Object.freeze({
  'hour-of-week': { periodMs: WEEK_MS, slots: 168, defaultMinHistoryMs: 2 * WEEK_MS },
  'hour-of-day': { periodMs: DAY_MS, slots: 24, defaultMinHistoryMs: 2 * DAY_MS },
  none: { periodMs: 0, slots: 0, defaultMinHistoryMs: Number.POSITIVE_INFINITY },
});

const durationSchema = z.union([
  z.number().int().min(0),
  z
    .string()
    .regex(/^\d+(\.\d+)?[mhdw]$/, 'a duration such as "2w", "10d", "36h" or "90m"')
    .transform((text) => Number.parseFloat(text) * (DURATION_UNITS[text.slice(-1)] as number)),
]);

const signalSchema = z.strictObject({
  direction: z.enum(['up', 'down', 'both']).default('both'),
  floor: z.number().min(0).max(Number.MAX_VALUE).default(0),
  relativeFloor: z.number().min(0).max(100).default(0),
  aggregate: z.enum(['mean', 'sum', 'max', 'last']).default('mean'),
});

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** @internal The schema {@link AnomalyDetectorOptions} is checked against (bound by a type test). */
export const anomalyDetectorOptionsSchema = z
  .strictObject({
    bucketMs: z.number().int().min(1_000).max(DAY_MS).default(60_000),
    seasonality: z.enum(['hour-of-week', 'hour-of-day', 'none']).default('hour-of-week'),
    sensitivity: z.number().gt(0).max(100).default(3),
    minHistory: durationSchema.optional(),
    warmupBuckets: z.number().int().min(1).max(100_000).default(30),
    alertAfter: z
      .strictObject({ anomalous: z.number().int().min(1).max(30), of: z.number().int().min(1).max(30) })
      .default({ anomalous: 3, of: 5 }),
    clearAfter: z.number().int().min(1).max(10_000).optional(),
    adaptAfter: z.number().int().min(1).max(100_000).default(30),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as "Europe/Berlin"').default('UTC'),
    maxSignals: z.number().int().min(1).max(10_000).default(64),
    predictionHorizonBuckets: z.number().int().min(1).max(100_000).default(60),
    signals: z
      .record(z.string().min(1).max(200), signalSchema)
      .refine((record) => Object.keys(record).length <= 10_000, 'at most 10000 signals')
      .default({}),
  })
  .superRefine((value, ctx) => {
    if (value.alertAfter.anomalous > value.alertAfter.of)
      ctx.addIssue({
        code: 'custom',
        path: ['alertAfter', 'anomalous'],
        message: `at most alertAfter.of (${value.alertAfter.of})`,
      });
    const season = SEASONALITY[value.seasonality];
    if (season.slots > 0 && value.bucketMs > HOUR_MS)
      ctx.addIssue({
        code: 'custom',
        path: ['bucketMs'],
        message: `at most 3600000 (one hour) with ${value.seasonality} seasonality`,
      });
    if (season.slots > 0 && value.minHistory !== undefined && value.minHistory < season.periodMs)
      ctx.addIssue({
        code: 'custom',
        path: ['minHistory'],
        message: `at least one ${value.seasonality === 'hour-of-week' ? 'week' : 'day'} (${season.periodMs} ms): every slot must have been seen`,
      });
  });
