import { z } from 'zod';
import { checkUnique } from '../core/index.js';

/** What every canary metric has: a name, its weight in the score, and whether it alone can fail. */
export interface CanaryMetricBase {
  /**
   * The metric's name, unique in the judge. It also names the arm field the metric reads when the arm
   * has one in `metrics` (else an error-rate metric reads `errors`, a latency metric `latency`).
   */
  readonly name: string;
  /** The metric's weight in the 0–100 score. @default 1 */
  readonly weight?: number;
  /** A critical metric that fails fails the canary whatever the score. @default false */
  readonly critical?: boolean;
}

/**
 * The canary's error rate against the baseline's, by an anytime-valid test (a mixture e-value), so the
 * judge can be asked every minute without raising its false-fail rate.
 */
export interface ErrorRateMetric extends CanaryMetricBase {
  /** Compares failed requests over requests. */
  readonly kind: 'error-rate';
  /**
   * The increase of the error rate tolerated, as a fraction (0.005 = half a percentage point): the
   * metric fails only when the increase is significant and above it, and passes once the interval's
   * upper end is within it.
   * @default 0.005
   */
  readonly maxIncrease?: number;
}

/**
 * The canary's latency against the baseline's: a Mann-Whitney rank test with the Hodges–Lehmann
 * ratio, plus a confidence-bounded ratio check of each quantile (which catches a longer tail that
 * leaves the median alone).
 */
export interface LatencyMetric extends CanaryMetricBase {
  /** Compares two latency histograms (`encode()` strings or `histogram()` values). */
  readonly kind: 'latency';
  /** The quantiles compared one by one, each in (0, 1). @default [0.5, 0.99] */
  readonly quantiles?: readonly number[];
  /**
   * How much slower the canary may be, as a ratio canary / baseline: of the typical latency (the
   * Hodges–Lehmann ratio) and of every quantile.
   * @default 1.2
   */
  readonly maxIncreaseRatio?: number;
  /** The fewest latency values per arm before the metric is judged. @default the judge's `minRequests` */
  readonly minSamples?: number;
}

/** One metric a canary judge compares. */
export type CanaryMetric = ErrorRateMetric | LatencyMetric;

/** Options for `createCanaryJudge`. */
export interface CanaryJudgeOptions {
  /**
   * The metrics compared, at most 32.
   * @default [{ name: 'errors', kind: 'error-rate', critical: true }, { name: 'latency', kind: 'latency' }]
   */
  readonly metrics?: readonly CanaryMetric[];
  /**
   * The probability that a canary as good as its baseline is failed, 0 to 0.2: split evenly over the
   * tests (one per error-rate metric, one plus one per quantile per latency metric). The error-rate
   * tests keep it however often the judge is asked; the latency tests keep it per evaluation.
   * @default 0.01
   */
  readonly falseFailRate?: number;
  /**
   * The fewest requests in each arm before anything is judged: below it, or when an arm has none, the
   * verdict is `inconclusive`, never `pass`.
   * @default 500
   */
  readonly minRequests?: number;
  /** The score (0–100) at or above which the canary passes. @default 95 */
  readonly passScore?: number;
  /** The score at or above which a canary that does not pass is `marginal` rather than `fail`. @default 75 */
  readonly marginalScore?: number;
}

const base = {
  name: z.string().min(1).max(64),
  weight: z.number().gt(0).max(1_000).default(1),
  critical: z.boolean().default(false),
};

const errorRateMetricSchema = z.strictObject({
  ...base,
  kind: z.literal('error-rate'),
  maxIncrease: z.number().gt(0).lt(1).default(0.005),
});

const latencyMetricSchema = z.strictObject({
  ...base,
  kind: z.literal('latency'),
  quantiles: z
    .array(z.number().gt(0).lt(1))
    .min(1)
    .max(8)
    .refine((qs) => new Set(qs).size === qs.length, 'distinct quantiles')
    .readonly()
    .default([0.5, 0.99]),
  maxIncreaseRatio: z.number().gt(1).max(100).default(1.2),
  minSamples: z.number().int().min(1).max(1e9).optional(),
});

/** @internal The schema {@link CanaryJudgeOptions} is checked against (bound by a type test). */
export const canaryJudgeOptionsSchema = z
  .strictObject({
    metrics: z
      .array(z.discriminatedUnion('kind', [errorRateMetricSchema, latencyMetricSchema]))
      .min(1)
      .max(32)
      // The error rate (critical) and the latency, each with its own defaults filled in.
      .prefault(() => [
        { name: 'errors', kind: 'error-rate' as const, critical: true },
        { name: 'latency', kind: 'latency' as const },
      ]),
    falseFailRate: z.number().gt(0).max(0.2).default(0.01),
    minRequests: z.number().int().min(1).max(1e9).default(500),
    passScore: z.number().min(0).max(100).default(95),
    marginalScore: z.number().min(0).max(100).default(75),
  })
  .superRefine((value, ctx) => {
    checkUnique(ctx, value.metrics, ['metrics'], { noun: 'metric' });
    if (value.marginalScore > value.passScore)
      ctx.addIssue({
        code: 'custom',
        path: ['marginalScore'],
        message: `a number <= passScore (${value.passScore})`,
      });
  });

/** Options after parsing: every default filled in. */
export type ParsedCanaryJudgeOptions = z.output<typeof canaryJudgeOptionsSchema>;
/** One metric after parsing. */
export type ParsedCanaryMetric = ParsedCanaryJudgeOptions['metrics'][number];
