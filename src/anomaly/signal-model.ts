// Everything the detector knows about one signal, updated once per closed bucket in O(1) and without
// allocating: two robust baselines (a plain one, usable from the first buckets, and a seasonal one,
// blended in once enough history exists), the k-of-n alert state, and the trend of the score that
// predictions extrapolate. About 2 KB with hour-of-week slots (see `estimatedBytes`).

import { RobustLevel, type LevelRates } from './robust-level.js';
import { ScoreTrend } from './score-trend.js';
import { SeasonalProfile, type SlotPosition } from './seasonal-profile.js';

/** Detector-wide settings every signal model reads; resolved once from the options. */
export interface ModelConfig {
  /** How the plain level learns (with a damped trend, to follow a diurnal ramp without lagging). */
  readonly plainRates: LevelRates;
  /** How the deviation from the seasonal shape learns (no trend: the shape carries the ramps). */
  readonly seasonalRates: LevelRates;
  /** Weight of one bucket in a mature seasonal slot (split between the two slots it falls between). */
  readonly profileRate: number;
  /** What one bucket may teach a mature slot, in sigmas of the seasonal residual. */
  readonly profileClip: number;
  /** The interpolation weight a slot learns from in `minHistoryMs`; below it the slot takes the running mean. */
  readonly profileMatureWeight: number;
  /** |z| above this is an anomalous bucket. */
  readonly sensitivity: number;
  /** Buckets learned before any judgment. */
  readonly warmupBuckets: number;
  /** History needed before the seasonal model counts, in ms; Infinity without seasonality. */
  readonly minHistoryMs: number;
  /** Over how long the seasonal model's weight grows from 0 to 1 once `minHistoryMs` is reached. */
  readonly blendMs: number;
  /** Slots in the seasonal period; 0 without seasonality. */
  readonly slots: number;
  /** The k of k-of-n. */
  readonly alertAnomalous: number;
  /** The n of k-of-n (at most 30: the window is a bit mask). */
  readonly alertWindow: number;
  /** Normal buckets in a row that end an alert. */
  readonly clearAfter: number;
}

/** Per-signal settings. */
export interface SignalConfig {
  /** 1: only high values are anomalies; -1: only low ones; 0: both. */
  readonly direction: 1 | -1 | 0;
  /** Added to the scale, in the signal's unit. */
  readonly floor: number;
  /** Added to the scale, as a fraction of |expected|. */
  readonly relativeFloor: number;
}

/** What closing a bucket changed in the alert state: nothing, an alert opened, or one cleared. */
export type Transition = 0 | 1 | -1;
const NONE = 0;
const OPENED = 1;
const CLEARED = -1;

/** One signal's baselines, alert state and score trend. */
export class SignalModel {
  readonly plain = new RobustLevel();
  /** Its level is the current deviation from the seasonal shape; its scale the seasonal residual's. */
  readonly seasonal = new RobustLevel();
  readonly profile: SeasonalProfile | undefined;

  /** Start of the first bucket closed, wall ms. */
  firstBucketAt = Number.NaN;
  /** Buckets closed with a value. */
  buckets = 0;
  /** Index (`start / bucketMs`) of the last bucket closed. */
  lastBucket = Number.NaN;

  // The last closed bucket's judgment.
  value = Number.NaN;
  expected = Number.NaN;
  scale = Number.NaN;
  score = 0;
  seasonalWeight = 0;
  anomalous = false;

  // k-of-n: bit i set when the bucket i buckets ago was anomalous in the watched direction.
  flags = 0;
  flagCount = 0;
  alerting = false;
  /** When the current alert opened (start of the bucket that opened it), wall ms. */
  alertSince = Number.NaN;
  normalStreak = 0;

  /** The recent scores' line, which predictions extrapolate. */
  readonly trend = new ScoreTrend();

  /**
   * What one signal holds, in bytes: the fields of the model, its baselines, trend and map entry (8 bytes each
   * plus object headers) and 8 bytes per seasonal slot. The bench checks it against the heap.
   */
  static estimatedBytes(slots: number): number {
    return 6 * 64 + 50 * 8 + (slots > 0 ? 2 * 96 + 8 * slots : 0);
  }

  constructor(slots: number) {
    this.profile = slots > 0 ? new SeasonalProfile(slots) : undefined;
  }

  /** Whether enough buckets were seen to judge. */
  warm(config: ModelConfig): boolean {
    return this.buckets > config.warmupBuckets;
  }

  /**
   * Scores one closed bucket against the baselines, then learns from it (unless it is anomalous) and
   * moves the alert state. `position` is where the bucket falls in the seasonal period (ignored
   * without seasonality).
   */
  close(
    value: number,
    bucket: number,
    bucketStartMs: number,
    position: SlotPosition,
    config: ModelConfig,
    signal: SignalConfig,
  ): Transition {
    const gap = Number.isNaN(this.lastBucket) ? 0 : Math.max(0, bucket - this.lastBucket - 1);
    this.lastBucket = bucket;
    if (this.buckets === 0) this.begin(value, bucketStartMs);
    this.buckets++;
    const judging = this.warm(config);

    // The plain model: where the signal has been lately.
    const plainExpected = this.plain.expected(config.plainRates);
    const plainSigma = this.plain.sigma();
    // The seasonal model: what this time of the period usually shows, plus the current deviation
    // from it.
    let seasonalExpected = Number.NaN;
    const profile = this.profile;
    if (profile !== undefined)
      seasonalExpected = profile.valueAt(position, value - this.seasonal.level) + this.seasonal.level;
    const weight = profile === undefined ? 0 : this.blendWeight(bucketStartMs, config);
    const expected = weight === 0 ? plainExpected : (1 - weight) * plainExpected + weight * seasonalExpected;
    const sigma = weight === 0 ? plainSigma : (1 - weight) * plainSigma + weight * this.seasonal.sigma();
    const scale = sigma + signal.floor + signal.relativeFloor * Math.abs(expected);
    const z = zScore(value - expected, scale);

    this.value = value;
    this.expected = expected;
    this.scale = scale;
    this.score = judging ? z : 0;
    this.seasonalWeight = weight;
    this.anomalous =
      judging && Math.abs(z) > config.sensitivity && (signal.direction === 0 || signal.direction * z > 0);

    // Each model learns from its own residual and judges for itself whether the bucket may teach it;
    // nothing is judged anomalous during warm-up.
    const plainResidual = value - plainExpected;
    const plainZ = judging ? zScore(plainResidual, this.floored(plainSigma, plainExpected, signal)) : 0;
    this.plain.learn(plainResidual, plainZ, config.plainRates);
    if (profile !== undefined) {
      const deviation = this.seasonal.level;
      const seasonalResidual = value - seasonalExpected;
      const sigma = this.seasonal.sigma();
      const seasonalZ = judging ? zScore(seasonalResidual, this.floored(sigma, seasonalExpected, signal)) : 0;
      const learned = this.seasonal.learn(seasonalResidual, seasonalZ, config.seasonalRates);
      // The shape learns towards the winsorised value: the deviation it does not show yet plus this
      // bucket's clipped surprise (see SeasonalProfile.learn for how young and mature slots differ).
      if (!Number.isNaN(learned))
        profile.learn(
          position,
          deviation + learned,
          config.profileRate,
          config.profileMatureWeight,
          config.profileClip * sigma,
        );
    }
    if (!judging) return NONE;
    this.trend.add(Number.isFinite(z) ? z : Math.sign(z) * 1e6);
    return this.moveAlert(this.anomalous, gap, bucketStartMs, config);
  }

  private begin(value: number, bucketStartMs: number): void {
    this.firstBucketAt = bucketStartMs;
    this.plain.start(value);
    this.seasonal.start(0);
  }

  private floored(sigma: number, expected: number, signal: SignalConfig): number {
    return sigma + signal.floor + signal.relativeFloor * Math.abs(expected);
  }

  /** The seasonal model's share: 0 until `minHistoryMs` of history, then growing to 1 over `blendMs`. */
  blendWeight(atMs: number, config: ModelConfig): number {
    const beyond = atMs - this.firstBucketAt - config.minHistoryMs;
    if (!(beyond >= 0)) return 0;
    return config.blendMs <= 0 ? 1 : Math.min(1, beyond / config.blendMs);
  }

  private moveAlert(anomalous: boolean, gap: number, bucketStartMs: number, config: ModelConfig): Transition {
    const n = config.alertWindow;
    const mask = n >= 31 ? 0x7fffffff : (1 << n) - 1;
    // Missing buckets count as normal ones.
    const shift = Math.min(gap, n) + 1;
    for (let i = 0; i < shift; i++) {
      if (((this.flags >>> (n - 1)) & 1) === 1) this.flagCount--;
      this.flags = (this.flags << 1) & mask;
    }
    this.normalStreak = anomalous ? 0 : this.normalStreak + gap + 1;
    if (anomalous) {
      this.flags |= 1;
      this.flagCount++;
    }
    if (!this.alerting && this.flagCount >= config.alertAnomalous) {
      this.alerting = true;
      this.alertSince = bucketStartMs;
      return OPENED;
    }
    if (this.alerting && this.normalStreak >= config.clearAfter) {
      this.alerting = false;
      return CLEARED;
    }
    return NONE;
  }
}

/** (x − expected) / scale, with a zero scale meaning "any difference is infinitely far". */
export function zScore(residual: number, scale: number): number {
  if (scale > 0) return residual / scale;
  return residual === 0 ? 0 : residual > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}
