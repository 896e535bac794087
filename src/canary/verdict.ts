import { z } from 'zod';

// The shape of a canary verdict, with its zod schema so an agent receiving one can validate it. Every
// metric says why, with its statistic, its effect and interval, and the counts it rests on.

/** The schema of a metric's or a canary's verdict before scoring. */
export const canaryCheckVerdictSchema = z.enum(['pass', 'fail', 'inconclusive']);

// `[low, high]` as a two-item array, not a tuple: a tuple's JSON Schema (`prefixItems`) is read by
// draft-07 validators, the MCP SDK's among them, as an array allowed no items at all.
const interval = z.array(z.number().nullable()).length(2);

/** The schema of one statistical check inside a metric. */
export const canaryCheckSchema = z.object({
  /** `e-value` (error rate, anytime-valid), `mann-whitney` (latency shift) or `quantile`. */
  test: z.enum(['e-value', 'mann-whitney', 'quantile']),
  /** The quantile compared, for a `quantile` check. */
  quantile: z.number().gt(0).lt(1).optional(),
  verdict: canaryCheckVerdictSchema,
  /** The test's statistic: the e-value, the standardised U, or the quantile ratio. */
  statistic: z.number(),
  /** The p-value (for the e-value test, the anytime-valid min(1, 1 / e)), or `null` where none. */
  pValue: z.number().min(0).max(1).nullable(),
  /** The e-value, for the error-rate test. */
  eValue: z.number().min(0).nullable(),
  /** The effect: the error rate's increase (a fraction), or the latency ratio canary / baseline. */
  effect: z.number(),
  /** The effect's interval, `[low, high]`; an end is `null` where the data cannot bound it. */
  confidenceInterval: interval,
  /** The false-fail rate this check is held to (the judge's, split over its tests). */
  alpha: z.number().gt(0).lt(1),
  /** One sentence: what was compared and why this verdict. */
  why: z.string(),
});

/** The schema of one metric's result in a canary verdict. */
export const canaryMetricResultSchema = z.object({
  name: z.string(),
  kind: z.enum(['error-rate', 'latency']),
  verdict: canaryCheckVerdictSchema,
  critical: z.boolean(),
  weight: z.number().gt(0),
  /** The deciding check's statistic, p-value, e-value, effect and interval (the first failing one). */
  statistic: z.number().nullable(),
  pValue: z.number().min(0).max(1).nullable(),
  eValue: z.number().min(0).nullable(),
  effect: z.number().nullable(),
  confidenceInterval: interval.nullable(),
  /** Values per arm the metric read: requests for an error rate, latency values for a latency. */
  n: z.object({ baseline: z.number().min(0), canary: z.number().min(0) }),
  why: z.string(),
  checks: z.array(canaryCheckSchema),
});

/** The schema of `judge.evaluate()`'s verdict. */
export const canaryVerdictSchema = z.object({
  /** `pass`, `marginal` or `fail` from the score; `inconclusive` without enough data (never a pass). */
  verdict: z.enum(['pass', 'marginal', 'fail', 'inconclusive']),
  /** 100 × the weight of the metrics that passed over all metrics' weight; `null` below minRequests. */
  score: z.number().min(0).max(100).nullable(),
  /** One sentence: the verdict's reason. */
  why: z.string(),
  /** The judge's false-fail rate. */
  falseFailRate: z.number(),
  /** Requests per arm judged. */
  requests: z.object({ baseline: z.number().min(0), canary: z.number().min(0) }),
  metrics: z.array(canaryMetricResultSchema),
});

/** One statistical check inside a metric's result. */
export type CanaryCheck = z.infer<typeof canaryCheckSchema>;
/** One metric's result in a canary verdict. */
export type CanaryMetricResult = z.infer<typeof canaryMetricResultSchema>;
/** A canary verdict: pass, marginal, fail or inconclusive, its score and every metric's reasons. */
export type CanaryVerdict = z.infer<typeof canaryVerdictSchema>;
