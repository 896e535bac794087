import { parseOptions, resolveDeps, SafeEmitter, type Deps, type EventSource } from '../core/index.js';
import { LocalTime } from './local-time.js';
import { anomalyDetectorOptionsSchema, SEASONALITY, type AnomalyDetectorOptions } from './options.js';
import { predictCrossing, type AnomalyPrediction } from './prediction.js';
import type { SlotPosition } from './seasonal-profile.js';
import { slotPosition } from './seasonal-profile.js';
import { SignalModel, type ModelConfig, type SignalConfig } from './signal-model.js';
import { readSnapshot, writeSnapshot, type AnomalyDetectorSnapshot } from './snapshot.js';

/** Why a signal is not judged yet, or how it is judged: see {@link AnomalyStatus}. */
export type AnomalyState = 'insufficient_data' | 'ok' | 'anomalous';

/** What a judgment rests on: how much data, how much of it seasonal, and the recent anomalous buckets. */
export interface AnomalyEvidence {
  /** Buckets learned from so far. */
  readonly buckets: number;
  /** Buckets needed before judging (`warmupBuckets` + 1). */
  readonly bucketsNeeded: number;
  /** From the first bucket to the judged one, in ms. */
  readonly historyMs: number;
  /** The seasonal model's share of the expectation, 0..1 (0 until `minHistory` of history). */
  readonly seasonalWeight: number;
  /** The scale the score divides by: 1.4826 × MAD (estimated robustly) plus the floors. */
  readonly scale: number;
  /** Anomalous buckets among the last `recentWindow` (the k-of-n numerator). */
  readonly recentAnomalous: number;
  /** The k-of-n denominator. */
  readonly recentWindow: number;
}

/** One signal's latest judgment, from {@link AnomalyDetector.status}; reading it changes nothing. */
export type AnomalyStatus =
  | {
      readonly signal: string;
      readonly state: 'insufficient_data';
      /** The last closed bucket's value (NaN before the first). */
      readonly value: number;
      /** Start of the last closed bucket, epoch ms (NaN before the first). */
      readonly at: number;
      readonly anomalous: false;
      readonly evidence: AnomalyEvidence;
    }
  | {
      readonly signal: string;
      readonly state: 'ok' | 'anomalous';
      /** The last closed bucket's value. */
      readonly value: number;
      /** What the baseline expected for that bucket. */
      readonly expected: number;
      /** expected ± sensitivity × scale: values outside are anomalous buckets. */
      readonly band: readonly [number, number];
      /** (value − expected) / scale, signed. */
      readonly score: number;
      /** Whether an anomaly alert is open (k of the last n buckets were anomalous, not yet cleared). */
      readonly anomalous: boolean;
      /** When the open alert started, epoch ms. */
      readonly since?: number;
      /** Start of the judged bucket, epoch ms. */
      readonly at: number;
      readonly evidence: AnomalyEvidence;
    };

/** Events of an {@link AnomalyDetector}, emitted when a bucket closes. */
export type AnomalyDetectorEvents = {
  /** An alert opened: k of the last n buckets of `signal` were anomalous. */
  anomalous: {
    readonly signal: string;
    readonly value: number;
    readonly expected: number;
    readonly band: readonly [number, number];
    readonly score: number;
    /** Start of the bucket that opened the alert, epoch ms. */
    readonly since: number;
  };
  /** An alert cleared after `clearAfter` normal buckets in a row. */
  recovered: {
    readonly signal: string;
    /** From the alert's start to the start of the bucket that cleared it. */
    readonly anomalousForMs: number;
    /** Start of the bucket that cleared it, epoch ms. */
    readonly at: number;
  };
};

/** Counters of what an {@link AnomalyDetector} took in and dropped. */
export interface AnomalyDetectorStats {
  readonly signals: number;
  readonly observations: number;
  /** Values dropped for not being finite numbers (NaN, ±Infinity) or a bad signal name. */
  readonly droppedValues: number;
  /** Observations dropped because `maxSignals` signals were already tracked. */
  readonly droppedSignals: number;
  /** Observations dropped because their bucket was already closed. */
  readonly lateValues: number;
  readonly bucketsClosed: number;
  /** An estimate of the memory held per signal, in bytes. */
  readonly bytesPerSignal: number;
}

/**
 * Learns a robust baseline per signal, bucket by bucket, and says when a signal leaves it: anomalies
 * relative to what this signal usually does at this hour of the week, not just "high".
 */
export interface AnomalyDetector extends EventSource<AnomalyDetectorEvents> {
  /** The bucket width in ms (from the options). */
  readonly bucketMs: number;
  /**
   * Adds a value to `signal`'s current bucket (`atMs` epoch ms, default now). Reaching a new bucket
   * closes the previous one: it is scored, learned from and may open or clear an alert. O(1), no
   * allocation; bad values are counted and dropped, never thrown.
   */
  observe(signal: string, value: number, atMs?: number): void;
  /** Closes every signal's bucket whose end has passed; call once per bucket (the monitor does). */
  evaluate(): void;
  /** Each signal's latest judgment, in the order signals were first seen. */
  status(): AnomalyStatus[];
  /**
   * Signals that are inside their band but trending out of it within `predictionHorizonBuckets`: when
   * the score's smoothed trend reaches the band edge, with the trend's significance as confidence.
   * Signals without a significant trend (t < 2) are left out.
   */
  predictions(): AnomalyPrediction[];
  stats(): AnomalyDetectorStats;
  /** Everything learned, as plain JSON, to survive a restart. */
  snapshot(): AnomalyDetectorSnapshot;
  /**
   * Replaces the learned state with a snapshot's (validated; signals beyond `maxSignals` are dropped).
   * @throws {SreError} `ERR_SRE_INVALID_INPUT` when it is malformed or was taken with another `bucketMs` or seasonality.
   */
  restore(snapshot: unknown): void;
}

interface SignalEntry {
  readonly name: string;
  readonly model: SignalModel;
  readonly config: SignalConfig;
  readonly aggregate: 'mean' | 'sum' | 'max' | 'last';
  /** Index of the open bucket, NaN when none is open. */
  bucket: number;
  sum: number;
  count: number;
  max: number;
  last: number;
}

// Rates per bucket, tuned on the synthetic benchmark (test/property/anomaly-benchmark.property.test.ts).
// The plain level follows about 10 buckets and carries a damped trend, so a diurnal ramp does not
// leave it behind; the deviation from the seasonal shape follows about 5 buckets (the shape carries
// the ramps); scales follow about 50; a shape slot moves by at most 2.5 % of 2.5 sigmas a bucket.
const PLAIN_RATES = { level: 0.1, trend: 0.01, damping: 0.98 } as const;
const SEASONAL_RATES = { level: 0.2, trend: 0, damping: 1 } as const;
const DEVIATION_RATE = 0.02;
const CLIP_LEVEL_SIGMAS = 2.5;
const CLIP_DEVIATION_SIGMAS = 3;
const HOLD_BELOW_SIGMAS = 1;
const PROFILE_RATE = 0.05;
const PROFILE_CLIP_SIGMAS = 2.5;
const DAY_MS = 86_400_000;
const BLEND_MS = DAY_MS;
/** Judged buckets before a score trend may predict anything. */
const MIN_TREND_BUCKETS = 10;

/**
 * Creates an anomaly detector: per signal, an EWMA level with an exponentially weighted MAD scale
 * (winsorised, frozen through anomalies, re-based after `adaptAfter` anomalous buckets in a row), an
 * hour-of-week seasonal shape blended in once `minHistory` exists, and k-of-n alerting with hysteresis.
 * O(1) per bucket and about 2 KB per signal.
 *
 * @example
 * ```ts
 * const anomalies = createAnomalyDetector({ bucketMs: 60_000, seasonality: 'hour-of-week', sensitivity: 3 });
 * anomalies.observe('latency_p99', 182);
 * anomalies.on('anomalous', (e) => console.warn(e.signal, e.value, e.band));
 * anomalies.status(); // [{ signal, state, value, expected, band, score, anomalous, since, evidence }]
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function createAnomalyDetector(options: AnomalyDetectorOptions = {}, deps?: Deps): AnomalyDetector {
  const opts = parseOptions(anomalyDetectorOptionsSchema, options, 'createAnomalyDetector');
  const { clock, onInternalError } = resolveDeps(deps);
  const events = new SafeEmitter<AnomalyDetectorEvents>('anomalyDetector', onInternalError);
  const season = SEASONALITY[opts.seasonality];
  const bucketMs = opts.bucketMs;
  const shared = {
    deviation: DEVIATION_RATE,
    clipLevel: CLIP_LEVEL_SIGMAS,
    clipDeviation: CLIP_DEVIATION_SIGMAS,
    adaptAfter: opts.adaptAfter,
    sensitivity: opts.sensitivity,
    holdBelow: Math.min(HOLD_BELOW_SIGMAS, opts.sensitivity),
  };
  const config: ModelConfig = Object.freeze({
    plainRates: Object.freeze({ ...shared, ...PLAIN_RATES }),
    seasonalRates: Object.freeze({ ...shared, ...SEASONAL_RATES }),
    profileRate: PROFILE_RATE,
    profileClip: PROFILE_CLIP_SIGMAS,
    profileMatureWeight:
      season.slots > 0 ? (opts.minHistory ?? season.defaultMinHistoryMs) / opts.bucketMs / season.slots : 0,
    sensitivity: opts.sensitivity,
    warmupBuckets: opts.warmupBuckets,
    minHistoryMs: opts.minHistory ?? season.defaultMinHistoryMs,
    blendMs: BLEND_MS,
    slots: season.slots,
    alertAnomalous: opts.alertAfter.anomalous,
    alertWindow: opts.alertAfter.of,
    clearAfter: opts.clearAfter ?? opts.alertAfter.of,
  });
  const slotMs = season.slots > 0 ? season.periodMs / season.slots : 0;
  const localTime = new LocalTime(opts.timeZone);
  const position: SlotPosition = { left: 0, right: 0, frac: 0 };
  const signals = new Map<string, SignalEntry>();
  const defaults = { direction: 'both', floor: 0, relativeFloor: 0, aggregate: 'mean' } as const;
  let observations = 0;
  let droppedValues = 0;
  let droppedSignals = 0;
  let lateValues = 0;
  let bucketsClosed = 0;

  const entryFor = (name: string): SignalEntry | undefined => {
    let entry = signals.get(name);
    if (entry !== undefined) return entry;
    if (signals.size >= opts.maxSignals) return undefined;
    const o = opts.signals[name] ?? defaults;
    entry = {
      name,
      model: new SignalModel(config.slots),
      config: {
        direction: o.direction === 'up' ? 1 : o.direction === 'down' ? -1 : 0,
        floor: o.floor,
        relativeFloor: o.relativeFloor,
      },
      aggregate: o.aggregate,
      bucket: Number.NaN,
      sum: 0,
      count: 0,
      max: Number.NEGATIVE_INFINITY,
      last: 0,
    };
    signals.set(name, entry);
    return entry;
  };

  const closeBucket = (entry: SignalEntry): void => {
    if (entry.count === 0) return;
    const value =
      entry.aggregate === 'sum'
        ? entry.sum
        : entry.aggregate === 'max'
          ? entry.max
          : entry.aggregate === 'last'
            ? entry.last
            : entry.sum / entry.count;
    const startMs = entry.bucket * bucketMs;
    if (slotMs > 0) slotPosition(localTime.toLocal(startMs), slotMs, config.slots, position);
    const model = entry.model;
    const transition = model.close(value, entry.bucket, startMs, position, config, entry.config);
    bucketsClosed++;
    entry.count = 0;
    entry.sum = 0;
    entry.max = Number.NEGATIVE_INFINITY;
    if (transition === 1 && events.has('anomalous')) {
      events.emit('anomalous', {
        signal: entry.name,
        value: model.value,
        expected: model.expected,
        band: band(model),
        score: model.score,
        since: model.alertSince,
      });
    } else if (transition === -1 && events.has('recovered')) {
      events.emit('recovered', {
        signal: entry.name,
        anomalousForMs: startMs - model.alertSince,
        at: startMs,
      });
    }
  };

  const band = (model: SignalModel): readonly [number, number] => [
    model.expected - opts.sensitivity * model.scale,
    model.expected + opts.sensitivity * model.scale,
  ];

  const statusOf = (entry: SignalEntry): AnomalyStatus => {
    const m = entry.model;
    const startMs = m.lastBucket * bucketMs;
    const evidence: AnomalyEvidence = {
      buckets: m.buckets,
      bucketsNeeded: config.warmupBuckets + 1,
      historyMs: m.buckets === 0 ? 0 : startMs - m.firstBucketAt,
      seasonalWeight: m.seasonalWeight,
      scale: m.scale,
      recentAnomalous: m.flagCount,
      recentWindow: config.alertWindow,
    };
    if (!m.warm(config))
      return {
        signal: entry.name,
        state: 'insufficient_data',
        value: m.value,
        at: startMs,
        anomalous: false,
        evidence,
      };
    return {
      signal: entry.name,
      state: m.alerting ? 'anomalous' : 'ok',
      value: m.value,
      expected: m.expected,
      band: band(m),
      score: m.score,
      anomalous: m.alerting,
      ...(m.alerting ? { since: m.alertSince } : {}),
      at: startMs,
      evidence,
    };
  };

  return {
    bucketMs,
    observe(signal: string, value: number, atMs?: number): void {
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        typeof signal !== 'string' ||
        signal === ''
      ) {
        droppedValues++;
        return;
      }
      const at = atMs ?? clock.wallNow();
      if (!Number.isFinite(at)) {
        droppedValues++;
        return;
      }
      const entry = entryFor(signal);
      if (entry === undefined) {
        droppedSignals++;
        return;
      }
      const bucket = Math.floor(at / bucketMs);
      if (bucket !== entry.bucket) {
        if (bucket < entry.bucket || bucket <= entry.model.lastBucket) {
          lateValues++;
          return;
        }
        closeBucket(entry);
        entry.bucket = bucket;
      }
      observations++;
      entry.count++;
      entry.sum += value;
      entry.last = value;
      if (value > entry.max) entry.max = value;
    },

    evaluate(): void {
      const current = Math.floor(clock.wallNow() / bucketMs);
      for (const entry of signals.values()) if (entry.bucket < current) closeBucket(entry);
    },

    status: () => [...signals.values()].map(statusOf),

    predictions(): AnomalyPrediction[] {
      const out: AnomalyPrediction[] = [];
      for (const entry of signals.values()) {
        const m = entry.model;
        if (!m.warm(config) || m.alerting) continue;
        const p = predictCrossing(entry.name, m, entry.config, {
          sensitivity: opts.sensitivity,
          horizonBuckets: opts.predictionHorizonBuckets,
          bucketMs,
          minTrendBuckets: MIN_TREND_BUCKETS,
        });
        if (p !== undefined) out.push(p);
      }
      return out.sort((a, b) => a.at - b.at);
    },

    stats: () => ({
      signals: signals.size,
      observations,
      droppedValues,
      droppedSignals,
      lateValues,
      bucketsClosed,
      bytesPerSignal: SignalModel.estimatedBytes(config.slots),
    }),

    snapshot: () => writeSnapshot(bucketMs, opts.seasonality, signals.values()),

    restore(snapshot: unknown): void {
      const restored = readSnapshot(snapshot, bucketMs, opts.seasonality, config.slots);
      signals.clear();
      for (const [name, apply] of restored) {
        const entry = entryFor(name);
        if (entry === undefined) break;
        apply(entry);
      }
    },

    on: (event, listener) => events.on(event, listener),
    once: (event, listener) => events.once(event, listener),
    off: (event, listener) => events.off(event, listener),
  };
}
