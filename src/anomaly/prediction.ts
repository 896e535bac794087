// Predictions: a signal still inside its band whose score is heading for the edge. The weighted line
// through the recent scores (kept by the signal model) is extrapolated; a prediction is made only when
// its slope is significant and the crossing falls within the horizon.

import type { SignalConfig, SignalModel } from './signal-model.js';

/** A signal predicted to leave its band, from {@link AnomalyDetector.predictions}. */
export interface AnomalyPrediction {
  readonly signal: string;
  /** When the score is expected to reach the band edge, epoch ms. */
  readonly at: number;
  /** Which edge: above the band (`up`) or below it (`down`). */
  readonly direction: 'up' | 'down';
  /** 0..1: the significance of the trend, erf(|t| / √2) for its t statistic (0.997 at t = 3). */
  readonly confidence: number;
  /** What the prediction rests on. */
  readonly evidence: {
    /** The fitted score now (signed sigmas). */
    readonly score: number;
    /** The fitted change of the score per bucket (signed). */
    readonly slopePerBucket: number;
    /** The slope over its standard error. */
    readonly tStatistic: number;
    /** How many buckets the weighted fit rests on, (Σw)² / Σw² (about 19 at most). */
    readonly effectiveBuckets: number;
    /** How many buckets ahead the crossing is. */
    readonly bucketsAhead: number;
  };
}

/** Settings {@link predictCrossing} reads. */
export interface PredictionSettings {
  readonly sensitivity: number;
  readonly horizonBuckets: number;
  readonly bucketMs: number;
  /** Judged buckets before a trend counts. */
  readonly minTrendBuckets: number;
}

/** Below this t statistic a slope is noise (one-sided p ≈ 0.001). */
const MIN_T = 3;
/** The fitted score must already be this many sigmas towards the edge: a trend from the middle of the band is not heading out yet. */
const MIN_SCORE = 1;

/** The crossing `model`'s score trend predicts, or undefined when there is none to predict. */
export function predictCrossing(
  signal: string,
  model: SignalModel,
  config: SignalConfig,
  settings: PredictionSettings,
): AnomalyPrediction | undefined {
  if (model.trend.count < settings.minTrendBuckets) return undefined;
  const fit = model.trend.fit();
  if (fit === undefined || fit.slope === 0) return undefined;
  // The side it is heading for, if that side is watched.
  const side = fit.slope > 0 ? 1 : -1;
  if (config.direction !== 0 && config.direction !== side) return undefined;
  const toward = side * fit.now;
  if (toward < MIN_SCORE || toward >= settings.sensitivity || side * fit.t < MIN_T) return undefined;
  const bucketsAhead = (settings.sensitivity - toward) / (side * fit.slope);
  if (bucketsAhead > settings.horizonBuckets) return undefined;
  return {
    signal,
    at: Math.round((model.lastBucket + 1 + bucketsAhead) * settings.bucketMs),
    direction: side > 0 ? 'up' : 'down',
    confidence: erf(Math.abs(fit.t) / Math.SQRT2),
    evidence: {
      score: fit.now,
      slopePerBucket: fit.slope,
      tStatistic: fit.t,
      effectiveBuckets: fit.effectiveBuckets,
      bucketsAhead,
    },
  };
}

/** The error function, Abramowitz & Stegun 7.1.26 (absolute error under 1.5e-7). */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}
