import { z } from 'zod';

// The shapes of what the monitor reports about errors and anomalies: its error groups, each golden
// signal's anomaly status, the detector's predictions, and the predictions other agents sent. Like the
// rest of the monitor's reports they are camelCase, times ISO-8601, durations milliseconds; a number
// that is not known yet is `null`.

const isoTime = z.iso.datetime({ offset: true });

/** The schema of one error group in the monitor's reports: which error, where, how often, since when. */
export const errorGroupReportSchema = z.object({
  /** 16 hex digits, stable for the same error type and call site. */
  fingerprint: z.string(),
  /** The error's name, e.g. `TypeError`. */
  type: z.string(),
  /** The error's (or its cause's) code, e.g. `ECONNREFUSED`, when it has one. */
  code: z.string().optional(),
  /** The message with ids, numbers and addresses replaced by placeholders. */
  message: z.string(),
  /** `file:function` of the top in-app frame, root-relative; `null` without a stack. */
  location: z.string().nullable(),
  /** Errors counted (Space-Saving: may include up to `countError` of groups it displaced). */
  count: z.number().int().min(0),
  /** The most `count` may overestimate by. */
  countError: z.number().int().min(0),
  /** Errors in the last 60 minutes. */
  lastHour: z.number().int().min(0),
  /** The routes with the most errors of this group. */
  routes: z.array(z.object({ route: z.string(), count: z.number().int().min(0) })),
  firstSeen: isoTime,
  lastSeen: isoTime,
  /** Whether it was first seen within the monitor's new-error window after it started. */
  new: z.boolean(),
});

/** The schema of the evidence an anomaly judgment rests on (numerator and denominator included). */
export const anomalyEvidenceReportSchema = z.object({
  /** Buckets learned from so far, and how many a judgment needs. */
  buckets: z.number().int().min(0),
  bucketsNeeded: z.number().int().min(0),
  /** From the first bucket to the judged one, ms. */
  historyMs: z.number().min(0),
  /** The seasonal (hour-of-week) model's share of the expectation, 0 to 1. */
  seasonalWeight: z.number().min(0).max(1),
  /** The scale the score divides by (robust sigma plus floors), in the signal's unit; `null` before any. */
  scale: z.number().min(0).nullable(),
  /** Anomalous buckets among the last `recentWindow` (k of n). */
  recentAnomalous: z.number().int().min(0),
  recentWindow: z.number().int().min(1),
});

/** The schema of one signal's anomaly status. */
export const anomalyStatusReportSchema = z.object({
  signal: z.string(),
  /** `insufficient_data` until enough buckets were learned, then `ok` or `anomalous` (an alert open). */
  state: z.enum(['insufficient_data', 'ok', 'anomalous']),
  /** The last closed bucket's value; `null` before the first. */
  value: z.number().nullable(),
  /** What the baseline expected for it; `null` while `insufficient_data`. */
  expected: z.number().nullable(),
  /** expected ± sensitivity × scale; `null` while `insufficient_data`. */
  band: z.tuple([z.number(), z.number()]).nullable(),
  /** (value − expected) / scale; `null` while `insufficient_data`. */
  score: z.number().nullable(),
  anomalous: z.boolean(),
  /** When the open alert started; `null` when none is open. */
  since: isoTime.nullable(),
  /** Start of the judged bucket; `null` before the first. */
  at: isoTime.nullable(),
  evidence: anomalyEvidenceReportSchema,
});

/** The schema of a signal the detector predicts will leave its band. */
export const anomalyPredictionReportSchema = z.object({
  signal: z.string(),
  /** When the score is expected to reach the band edge. */
  at: isoTime,
  direction: z.enum(['up', 'down']),
  /** erf(|t| / √2) of the trend's t statistic, 0 to 1. */
  confidence: z.number().min(0).max(1),
  evidence: z.object({
    score: z.number(),
    slopePerBucket: z.number(),
    tStatistic: z.number(),
    effectiveBuckets: z.number().min(0),
    bucketsAhead: z.number().min(0),
  }),
});

/** The schema of a prediction another agent sent (`monitor.ingestPrediction`, action `report_anomaly`). */
export const externalPredictionSchema = z.object({
  /** Who predicted it, e.g. `data-intelligence`. */
  source: z.string(),
  /** The signal it is about, e.g. `traffic`, `latency_p99`, or any name the sender uses. */
  signal: z.string(),
  /** When the sender expects it. */
  at: isoTime,
  severity: z.enum(['info', 'warning', 'critical']),
  /** The sender's confidence, 0 to 1. */
  confidence: z.number().min(0).max(1),
  summary: z.string(),
  /** When the monitor received it. */
  receivedAt: isoTime,
});

/** The schema of the `anomalies` agent action's result and of `monitor.anomalyReport()`. */
export const anomalyReportSchema = z.object({
  /** Whether an anomaly detector is wired (without one, `signals` and `predictions` are empty). */
  detector: z.boolean(),
  signals: z.array(anomalyStatusReportSchema),
  predictions: z.array(anomalyPredictionReportSchema),
  external: z.array(externalPredictionSchema),
});

/** One error group as the monitor reports it. */
export type ErrorGroupReport = z.infer<typeof errorGroupReportSchema>;
/** One signal's anomaly status as the monitor reports it. */
export type AnomalyStatusReport = z.infer<typeof anomalyStatusReportSchema>;
/** One anomaly prediction as the monitor reports it. */
export type AnomalyPredictionReport = z.infer<typeof anomalyPredictionReportSchema>;
/** A prediction another agent sent. */
export type ExternalPrediction = z.infer<typeof externalPredictionSchema>;
/** What the monitor knows about anomalies: statuses, predictions, external predictions. */
export type AnomalyReport = z.infer<typeof anomalyReportSchema>;
