// The trend of a signal's score, for predictions: an exponentially weighted least-squares line through
// the recent scores (weights halve every 6.6 buckets), kept as running weighted sums so each bucket costs O(1).
// Time is counted in buckets back from the latest score (the latest is t = 0), so the sums stay bounded.

/** Weight of a score one bucket older than another: an effective window of about 19 buckets ((1 + d) / (1 − d)). */
const DECAY = 0.9;

/** A weighted line through the recent scores. */
export interface TrendFit {
  /** The fitted score now. */
  readonly now: number;
  /** The fitted change of the score per bucket. */
  readonly slope: number;
  /** The slope over its standard error. */
  readonly t: number;
  /** The effective number of scores in the fit, (Σw)² / Σw². */
  readonly effectiveBuckets: number;
}

/** Running sums of a weighted linear regression of the score on time. */
export class ScoreTrend {
  // Σw, Σw·t, Σw·t², Σw·z, Σw·t·z, Σw·z², and Σw², Σw²·t, Σw²·t² for the slope's variance.
  w = 0;
  t = 0;
  tt = 0;
  z = 0;
  tz = 0;
  zz = 0;
  w2 = 0;
  w2t = 0;
  w2tt = 0;
  /** Scores added. */
  count = 0;

  /** Adds the latest score: every earlier one moves a bucket back and loses weight. */
  add(score: number): void {
    const d = DECAY;
    const d2 = DECAY * DECAY;
    // Σw(t−1) = Σwt − Σw; Σw(t−1)² = Σwt² − 2Σwt + Σw; Σw(t−1)z = Σwtz − Σwz (and likewise for w²).
    this.tt = d * (this.tt - 2 * this.t + this.w);
    this.t = d * (this.t - this.w);
    this.tz = d * (this.tz - this.z);
    this.w2tt = d2 * (this.w2tt - 2 * this.w2t + this.w2);
    this.w2t = d2 * (this.w2t - this.w2);
    // The new score sits at t = 0 with weight 1.
    this.w = d * this.w + 1;
    this.w2 = d2 * this.w2 + 1;
    this.z = d * this.z + score;
    this.zz = d * this.zz + score * score;
    this.count++;
  }

  /** The current fit; undefined until the scores determine a line with an error estimate. */
  fit(): TrendFit | undefined {
    const { w, t, tt, z, tz, zz, w2, w2t, w2tt } = this;
    if (!(w > 0)) return undefined;
    const effectiveBuckets = (w * w) / w2;
    if (effectiveBuckets <= 3) return undefined;
    const meanT = t / w;
    const meanZ = z / w;
    const sxx = tt - meanT * t; // Σw(t − t̄)²
    if (!(sxx > 0)) return undefined;
    const slope = (tz - meanT * z) / sxx;
    const now = meanZ - slope * meanT;
    // Weighted residual variance, corrected for the two fitted parameters.
    const rss = Math.max(0, zz - meanZ * z - slope * (tz - meanT * z));
    const residualVariance = rss / w / (1 - 2 / effectiveBuckets);
    // Var(slope) = σ² Σw²(t − t̄)² / (Σw(t − t̄)²)²
    const spread2 = w2tt - 2 * meanT * w2t + meanT * meanT * w2;
    const se = Math.sqrt((residualVariance * Math.max(0, spread2)) / (sxx * sxx));
    const tStatistic = se > 0 ? slope / se : slope === 0 ? 0 : Math.sign(slope) * Number.POSITIVE_INFINITY;
    return { now, slope, t: tStatistic, effectiveBuckets };
  }
}
