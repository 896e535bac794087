// The detector's learned state as plain JSON (NaN and infinities as null), and its validated way back.
// Restoring is a cold path, so it is checked with zod: a snapshot comes from a file another process
// wrote and may be damaged.

import { z } from 'zod';
import { ErrorCode, SreError } from '../core/index.js';
import type { RobustLevel } from './robust-level.js';
import type { ScoreTrend } from './score-trend.js';
import type { SignalModel } from './signal-model.js';

/** One baseline's state. */
export interface AnomalyLevelSnapshot {
  readonly level: number | null;
  readonly trend: number | null;
  readonly absDev: number | null;
  readonly updates: number;
  readonly runSign: number;
  readonly runLength: number;
  readonly runSum: number | null;
}

/** One signal's state. */
export interface AnomalySignalSnapshot {
  readonly name: string;
  readonly plain: AnomalyLevelSnapshot;
  readonly seasonal: AnomalyLevelSnapshot;
  /** Seasonal slot values (null: not seen yet) and the weight each learned from; null without seasonality. */
  readonly profile: {
    readonly values: readonly (number | null)[];
    readonly weights: readonly number[];
  } | null;
  readonly firstBucketAt: number | null;
  readonly buckets: number;
  readonly lastBucket: number | null;
  readonly value: number | null;
  readonly expected: number | null;
  readonly scale: number | null;
  readonly score: number | null;
  readonly seasonalWeight: number;
  readonly anomalous: boolean;
  readonly flags: number;
  readonly flagCount: number;
  readonly alerting: boolean;
  readonly alertSince: number | null;
  readonly normalStreak: number;
  /** The running sums of the score trend's weighted regression. */
  readonly trend: Readonly<Record<(typeof TREND_SUMS)[number], number | null>> & { readonly count: number };
  /** The bucket still open when the snapshot was taken. */
  readonly open: {
    readonly bucket: number;
    readonly sum: number;
    readonly count: number;
    readonly max: number | null;
    readonly last: number;
  } | null;
}

/** Everything an anomaly detector learned, from `snapshot()`, for `restore()`. */
export interface AnomalyDetectorSnapshot {
  readonly version: 1;
  readonly bucketMs: number;
  readonly seasonality: 'hour-of-week' | 'hour-of-day' | 'none';
  readonly signals: readonly AnomalySignalSnapshot[];
}

/** The parts of a detector's per-signal entry a snapshot reads and writes. */
export interface SnapshotEntry {
  readonly name: string;
  readonly model: SignalModel;
  bucket: number;
  sum: number;
  count: number;
  max: number;
  last: number;
}

/** The sums a {@link ScoreTrend} keeps. */
const TREND_SUMS = ['w', 't', 'tt', 'z', 'tz', 'zz', 'w2', 'w2t', 'w2tt'] as const satisfies ReadonlyArray<
  keyof ScoreTrend
>;

const toJson = (value: number): number | null => (Number.isFinite(value) ? value : null);
const fromJson = (value: number | null, missing = Number.NaN): number => value ?? missing;

function writeLevel(level: RobustLevel): AnomalyLevelSnapshot {
  return {
    level: toJson(level.level),
    trend: toJson(level.trend),
    absDev: toJson(level.absDev),
    updates: level.updates,
    runSign: level.runSign,
    runLength: level.runLength,
    runSum: toJson(level.runSum),
  };
}

function readLevel(into: RobustLevel, from: AnomalyLevelSnapshot): void {
  into.level = fromJson(from.level);
  into.trend = fromJson(from.trend, 0);
  into.absDev = fromJson(from.absDev, 0);
  into.updates = from.updates;
  into.runSign = from.runSign;
  into.runLength = from.runLength;
  into.runSum = fromJson(from.runSum, 0);
}

/** The snapshot of every entry. */
export function writeSnapshot(
  bucketMs: number,
  seasonality: AnomalyDetectorSnapshot['seasonality'],
  entries: Iterable<SnapshotEntry>,
): AnomalyDetectorSnapshot {
  const signals: AnomalySignalSnapshot[] = [];
  for (const entry of entries) {
    const m = entry.model;
    signals.push({
      name: entry.name,
      plain: writeLevel(m.plain),
      seasonal: writeLevel(m.seasonal),
      profile:
        m.profile === undefined
          ? null
          : { values: Array.from(m.profile.values, toJson), weights: Array.from(m.profile.weights) },
      firstBucketAt: toJson(m.firstBucketAt),
      buckets: m.buckets,
      lastBucket: toJson(m.lastBucket),
      value: toJson(m.value),
      expected: toJson(m.expected),
      scale: toJson(m.scale),
      score: toJson(m.score),
      seasonalWeight: m.seasonalWeight,
      anomalous: m.anomalous,
      flags: m.flags,
      flagCount: m.flagCount,
      alerting: m.alerting,
      alertSince: toJson(m.alertSince),
      normalStreak: m.normalStreak,
      trend: {
        ...(Object.fromEntries(TREND_SUMS.map((k) => [k, toJson(m.trend[k])])) as Record<
          (typeof TREND_SUMS)[number],
          number | null
        >),
        count: m.trend.count,
      },
      open:
        entry.count === 0
          ? null
          : {
              bucket: entry.bucket,
              sum: entry.sum,
              count: entry.count,
              max: toJson(entry.max),
              last: entry.last,
            },
    });
  }
  return { version: 1, bucketMs, seasonality, signals };
}

const num = z.number().nullable();
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const levelSchema = z.strictObject({
  level: num,
  trend: num,
  absDev: num,
  updates: count,
  runSign: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
  runLength: count,
  runSum: num,
});
const signalSchema = z.strictObject({
  name: z.string().min(1).max(200),
  plain: levelSchema,
  seasonal: levelSchema,
  profile: z
    .strictObject({ values: z.array(num).max(168), weights: z.array(z.number().min(0)).max(168) })
    .refine((p) => p.values.length === p.weights.length, 'as many weights as values')
    .nullable(),
  firstBucketAt: num,
  buckets: count,
  lastBucket: num,
  value: num,
  expected: num,
  scale: num,
  score: num,
  seasonalWeight: z.number().min(0).max(1),
  anomalous: z.boolean(),
  flags: z.number().int().min(0).max(0x7fffffff),
  flagCount: z.number().int().min(0).max(31),
  alerting: z.boolean(),
  alertSince: num,
  normalStreak: count,
  trend: z.strictObject({
    ...(Object.fromEntries(TREND_SUMS.map((k) => [k, num])) as Record<
      (typeof TREND_SUMS)[number],
      typeof num
    >),
    count,
  }),
  open: z
    .strictObject({ bucket: z.number().int(), sum: z.number(), count: count, max: num, last: z.number() })
    .nullable(),
});
const snapshotSchema = z.strictObject({
  version: z.literal(1),
  bucketMs: z.number().int().positive(),
  seasonality: z.enum(['hour-of-week', 'hour-of-day', 'none']),
  signals: z.array(signalSchema).max(10_000),
});

/**
 * Validates a snapshot against this detector's settings and returns, per signal, a function that
 * writes its state into a fresh entry.
 * @throws {SreError} `ERR_SRE_INVALID_INPUT` when it is malformed or taken with other settings.
 */
export function readSnapshot(
  input: unknown,
  bucketMs: number,
  seasonality: AnomalyDetectorSnapshot['seasonality'],
  slots: number,
): Array<readonly [string, (entry: SnapshotEntry) => void]> {
  const parsed = snapshotSchema.safeParse(input);
  if (!parsed.success)
    throw new SreError(
      ErrorCode.INVALID_INPUT,
      `Invalid anomaly detector snapshot: ${parsed.error.issues[0]?.message ?? 'malformed'} at ${parsed.error.issues[0]?.path.join('.') ?? '(root)'}`,
    );
  const snapshot = parsed.data;
  if (snapshot.bucketMs !== bucketMs || snapshot.seasonality !== seasonality)
    throw new SreError(
      ErrorCode.INVALID_INPUT,
      `Anomaly detector snapshot was taken with bucketMs ${snapshot.bucketMs} and ${snapshot.seasonality} seasonality; this detector uses ${bucketMs} and ${seasonality}`,
    );
  return snapshot.signals.map((s) => {
    const slotsGiven = s.profile?.values.length ?? 0;
    if (slotsGiven !== slots)
      throw new SreError(
        ErrorCode.INVALID_INPUT,
        `Anomaly detector snapshot: signal ${s.name} has ${slotsGiven} seasonal slots, expected ${slots}`,
      );
    const apply = (entry: SnapshotEntry): void => {
      const m = entry.model;
      readLevel(m.plain, s.plain);
      readLevel(m.seasonal, s.seasonal);
      if (m.profile !== undefined && s.profile !== null) {
        m.profile.values.set(s.profile.values.map((v) => fromJson(v)));
        m.profile.weights.set(s.profile.weights);
      }
      m.firstBucketAt = fromJson(s.firstBucketAt);
      m.buckets = s.buckets;
      m.lastBucket = fromJson(s.lastBucket);
      m.value = fromJson(s.value);
      m.expected = fromJson(s.expected);
      m.scale = fromJson(s.scale);
      m.score = fromJson(s.score, 0);
      m.seasonalWeight = s.seasonalWeight;
      m.anomalous = s.anomalous;
      m.flags = s.flags;
      m.flagCount = s.flagCount;
      m.alerting = s.alerting;
      m.alertSince = fromJson(s.alertSince);
      m.normalStreak = s.normalStreak;
      for (const k of TREND_SUMS) m.trend[k] = fromJson(s.trend[k], 0);
      m.trend.count = s.trend.count;
      if (s.open !== null) {
        entry.bucket = s.open.bucket;
        entry.sum = s.open.sum;
        entry.count = s.open.count;
        entry.max = fromJson(s.open.max, Number.NEGATIVE_INFINITY);
        entry.last = s.open.last;
      }
    };
    return [s.name, apply] as const;
  });
}
