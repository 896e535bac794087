// One robust streaming estimate of "what this signal should be now" and how far from it is normal:
// an exponentially weighted level (with an optional damped trend) and an exponentially weighted mean
// absolute deviation, both updated with winsorised residuals; anomalous buckets do not move the level
// and move the scale only a little; a persistent shift is accepted as the new normal. Both the plain
// and the seasonal model of a signal are built on it.

/** How much an anomalous bucket weighs in the scale, relative to a normal one. */
const ANOMALOUS_SCALE_SHARE = 0.25;

/** Mean absolute deviation → standard deviation for normally distributed residuals (√(π/2)). */
export const ABS_DEV_TO_SIGMA = 1.2533141373155001;

/** How a {@link RobustLevel} learns; fixed per detector, shared by every signal. */
export interface LevelRates {
  /** Weight of one normal bucket in the level. */
  readonly level: number;
  /** Weight of one normal bucket's residual in the trend (Holt's α·β); 0 for a level without trend. */
  readonly trend: number;
  /** How much of the trend carries to the next bucket (damped trend, < 1 so a forecast levels off). */
  readonly damping: number;
  /** Weight of one normal bucket in the deviation. */
  readonly deviation: number;
  /** Residuals are clipped at ± this many sigmas before they move the level (and trend). */
  readonly clipLevel: number;
  /** Residuals are clipped at ± this many sigmas before they move the deviation. */
  readonly clipDeviation: number;
  /** A run of this many anomalous buckets on one side is a shift: the level jumps to it. */
  readonly adaptAfter: number;
  /** |z| above this is an anomalous bucket, which teaches nothing. */
  readonly sensitivity: number;
  /** A run of anomalous buckets lasts until one is back within this many sigmas (or on the other side). */
  readonly holdBelow: number;
}

/**
 * A level and a scale that anomalies do not move. Plain fields only: one per signal and model, updated
 * once per bucket, never allocating.
 */
export class RobustLevel {
  /** The level (EWMA of the accepted values); NaN until the first value. */
  level = Number.NaN;
  /** The level's change per bucket (damped Holt trend); stays 0 when the rates have no trend. */
  trend = 0;
  /** Exponentially weighted mean absolute deviation of the residuals. */
  absDev = 0;
  /** Buckets that updated the level. */
  updates = 0;
  // The current run of anomalous residuals on one side: its sign, length and sum.
  runSign = 0;
  runLength = 0;
  runSum = 0;

  /** What the next bucket should show: the level moved on by the damped trend. */
  expected(rates: LevelRates): number {
    return this.level + rates.damping * this.trend;
  }

  /** Starts the level at the first value seen. */
  start(value: number): void {
    this.level = value;
    this.trend = 0;
    this.absDev = 0;
    this.updates = 0;
    this.resetRun();
  }

  /** The residual's scale in sigmas: √(π/2) × the mean absolute deviation. */
  sigma(): number {
    return ABS_DEV_TO_SIGMA * this.absDev;
  }

  /**
   * Learns from one bucket whose residual against {@link RobustLevel.expected} is `residual`, at `z`
   * sigmas. A normal bucket moves the level by `level × residual` and the deviation towards |residual|,
   * clipped at `clipLevel` and `clipDeviation` sigmas, so one wild value moves neither far. An anomalous
   * bucket (|z| over the sensitivity) does not move the level and starts a run; the buckets after it on the same side stay
   * in the run until one comes back within `holdBelow` sigmas, so the tail of a spike does not teach
   * either. `adaptAfter` buckets in a run are a shift: the level jumps by their mean residual and the
   * shift is the new normal. Returns the clipped residual learned from, or NaN when the bucket taught
   * nothing.
   */
  learn(residual: number, z: number, rates: LevelRates): number {
    // The level moves on by the trend whether or not this bucket teaches anything.
    this.trend *= rates.damping;
    this.level += this.trend;
    const sign = residual > 0 ? 1 : residual < 0 ? -1 : 0;
    const distance = Math.abs(z);
    const inRun = this.runLength > 0 && sign === this.runSign && distance > rates.holdBelow;
    if (distance > rates.sensitivity || inRun) {
      // The scale still hears of it, at a quarter of the weight and clipped: a model that has gone
      // wrong (every bucket anomalous) must widen its band, not narrow it on the few buckets it fits.
      const limit = rates.clipDeviation * this.sigma();
      this.absDev +=
        ANOMALOUS_SCALE_SHARE * rates.deviation * (Math.abs(clip(residual, limit)) - this.absDev);
      if (!inRun) {
        this.runSign = sign;
        this.runLength = 0;
        this.runSum = 0;
      }
      this.runLength++;
      this.runSum += residual;
      if (this.runLength >= rates.adaptAfter) {
        this.level += this.runSum / this.runLength;
        this.resetRun();
      }
      return Number.NaN;
    }
    this.resetRun();
    const sigma = this.sigma();
    const clipped = clip(residual, rates.clipLevel * sigma);
    // Early on plain means of what was seen (the first value started the level, so the n-th update
    // averages n + 1 values and n residuals), so the first buckets are not weighted down to nothing.
    const n = ++this.updates;
    this.level += Math.max(rates.level, 1 / (n + 1)) * clipped;
    this.trend += rates.trend * clipped;
    this.absDev +=
      Math.max(rates.deviation, 1 / n) *
      (Math.abs(clip(residual, rates.clipDeviation * sigma)) - this.absDev);
    return clipped;
  }

  resetRun(): void {
    this.runSign = 0;
    this.runLength = 0;
    this.runSum = 0;
  }
}

// A zero limit (no scale learned yet) clips nothing.
function clip(value: number, limit: number): number {
  return limit > 0 ? Math.max(-limit, Math.min(limit, value)) : value;
}
