import { z } from 'zod';
import { serviceHealthReportSchema } from '../health/index.js';

// The shapes the monitor's reports return and the agent protocol sends back. Each schema is exported so
// another agent can validate what it receives. The two shapes DESIGN.md fixes (the service health report
// and the incident report) keep its snake_case; the monitor's own reports use the camelCase of the rest
// of the JavaScript API. Times are ISO-8601 strings, durations milliseconds unless a name says otherwise.

const isoTime = z.iso.datetime({ offset: true });
/** A duration that may be unknown or unbounded (`null`), e.g. "never exhausts at the current burn". */
const maybeMs = z.number().min(0).nullable();

/** The schema of one SLO's budget exhaustion forecast. */
export const budgetPredictionSchema = z.object({
  slo: z.string(),
  /** Fraction of the error budget left, 0 to 1 (negative once overspent). */
  budgetRemaining: z.number(),
  /** The 1-hour burn rate the forecast extrapolates. */
  burnRate: z.number().min(0),
  /** Time until the budget runs out at that burn; `null` when it never does. */
  exhaustsInMs: maybeMs,
  /** When that is, or `null`. */
  exhaustsAt: isoTime.nullable(),
});

/** The schema of one saturation signal's capacity forecast: a least-squares trend toward its limit. */
export const capacityPredictionSchema = z.object({
  /** The saturation signal: `eventLoopUtilization`, `eventLoopDelayP99Ms`, `heapRatio`, `rssBytes`, `cpuRatio`. */
  signal: z.string(),
  /** The latest sample. */
  current: z.number(),
  /** The limit the signal is compared with (the saturation monitor's, or the forecast's default). */
  limit: z.number(),
  /** Change per hour of the fitted line. */
  slopePerHour: z.number(),
  /** Time until the fitted line reaches the limit; `null` when flat, falling, or too few samples. */
  reachesLimitInMs: maybeMs,
  /** When that is, or `null`. */
  reachesLimitAt: isoTime.nullable(),
  /** The fit's coefficient of determination r², 0 to 1: how far to trust the trend. */
  confidence: z.number().min(0).max(1),
  /** Samples the fit used. */
  samples: z.number().int().min(0),
});

/** The schema of `predictions` in the monitor's health report. */
export const predictionsSchema = z.object({
  budgetExhaustion: z.array(budgetPredictionSchema),
  capacity: z.array(capacityPredictionSchema),
});

/** The schema of one SLO in the monitor's health report. */
export const sloSummarySchema = z.object({
  name: z.string(),
  /** Target as a percentage, e.g. 99.9. */
  objective: z.number().min(0).max(100),
  /** Achieved over the SLO's window as a percentage, or `null` before any event. */
  achieved: z.number().min(0).max(100).nullable(),
  /** Fraction of the error budget left (negative once overspent). */
  budgetRemaining: z.number(),
  burnRate1h: z.number().min(0),
  /** The most severe burn-rate alert firing. */
  alert: z.enum(['none', 'ticket', 'page']),
});

/** The schema of one open incident as the monitor's reports list it. */
export const openIncidentSchema = z.object({
  id: z.string(),
  severity: z.enum(['P1', 'P2', 'P3', 'P4', 'P5']),
  title: z.string(),
  openedAt: isoTime,
  acknowledged: z.boolean(),
});

/**
 * The schema of `monitor.healthReport()`: DESIGN.md's service health report (`timestamp`, `status`,
 * `services`, `sla_compliance`) plus the monitor's view: SLOs, breakers, saturation, open incidents and,
 * when asked, predictions.
 */
export const monitorHealthReportSchema = serviceHealthReportSchema.extend({
  service: z.string(),
  slos: z.array(sloSummarySchema),
  /** Breaker name → state (`closed`, `open`, `halfOpen`, `isolated`). */
  breakers: z.record(z.string(), z.enum(['closed', 'open', 'halfOpen', 'isolated'])),
  /** The latest saturation sample, when a saturation monitor is wired. */
  saturation: z.record(z.string(), z.number()).optional(),
  openIncidents: z.array(openIncidentSchema),
  predictions: predictionsSchema.optional(),
});

/** The schema of one SLO in an SLA report. */
export const slaEntrySchema = z.object({
  slo: z.string(),
  /** Target as a percentage. */
  objective: z.number().min(0).max(100),
  /** Achieved over the period as a percentage, or `null` when the period saw no events. */
  achieved: z.number().min(0).max(100).nullable(),
  met: z.boolean(),
  good: z.number().int().min(0),
  total: z.number().int().min(0),
  /** Fraction of the period's error budget spent (above 1 once overspent). */
  budgetUsed: z.number().min(0),
  /** Incidents opened in the period for this SLO. */
  incidents: z.number().int().min(0),
  /** Mean time to resolve those incidents, in ms; `null` when none resolved. */
  mttrMs: maybeMs,
});

/** The schema of `monitor.slaReport()`: per SLO, target against achieved over a calendar period. */
export const slaReportSchema = z.object({
  service: z.string(),
  period: z.enum(['day', 'week', 'month']),
  from: isoTime,
  to: isoTime,
  slos: z.array(slaEntrySchema),
  incidents: z.object({
    total: z.number().int().min(0),
    bySeverity: z.record(z.string(), z.number().int().min(0)),
    /** Mean time to resolve over every incident resolved in the period, or `null`. */
    mttrMs: maybeMs,
  }),
  traffic: z.object({ requests: z.number().int().min(0), errors: z.number().int().min(0) }),
});

/** The schema of one bottleneck in a performance analysis: a route by its share of slow traffic. */
export const bottleneckSchema = z.object({
  route: z.string(),
  p95Ms: z.number().min(0),
  p99Ms: z.number().min(0),
  /** Fraction of the timeframe's requests this route served, 0 to 1. */
  share: z.number().min(0).max(1),
  /** The latency SLO's threshold this route is judged by, or `null` when none applies. */
  budgetMs: z.number().min(0).nullable(),
});

/** The schema of a cause in a performance analysis: a dependency, pool, cache or pipeline not up. */
export const serviceCauseSchema = z.object({
  service: z.string(),
  kind: z.enum(['dependency', 'pool', 'cache', 'pipeline']),
  status: z.enum(['degraded', 'down']),
  /** Why, with the figures it rests on. */
  reason: z.string(),
});

/** The schema of `monitor.performanceAnalysis()`. */
export const performanceAnalysisSchema = z.object({
  timeframe: z.enum(['last_hour', 'last_24_hours', 'last_7_days']),
  from: isoTime,
  to: isoTime,
  focusAreas: z.array(z.string()),
  bottlenecks: z.array(bottleneckSchema),
  /** The observed dependencies, pools, caches and pipelines that are not up. */
  causes: z.array(serviceCauseSchema),
  /** Actions to take now, most urgent first. */
  immediate: z.array(z.string()),
  /** Improvements to plan. */
  planned: z.array(z.string()),
  metrics: z.object({
    requests: z.number().int().min(0),
    requestsPerSecond: z.number().min(0),
    errorRate: z.number().min(0).max(1),
    p50Ms: z.number().min(0).nullable(),
    p95Ms: z.number().min(0).nullable(),
    p99Ms: z.number().min(0).nullable(),
  }),
});

/** The schema of `monitor.capacityForecast()`. */
export const capacityForecastSchema = z.object({
  horizonMs: z.number().min(0),
  /** Signals expected to reach their limit within the horizon. */
  atRisk: z.array(z.string()),
  signals: z.array(capacityPredictionSchema),
});

/** The schema of `monitor.deploymentReadiness()`. */
export const deploymentReadinessSchema = z.object({
  ready: z.boolean(),
  /** Why not, one sentence each; empty when ready. */
  reasons: z.array(z.string()),
  checkedAt: isoTime,
});

/** The monitor's health report. */
export type MonitorHealthReport = z.infer<typeof monitorHealthReportSchema>;
/** Budget and capacity predictions. */
export type Predictions = z.infer<typeof predictionsSchema>;
/** One SLO's budget exhaustion forecast. */
export type BudgetPrediction = z.infer<typeof budgetPredictionSchema>;
/** One saturation signal's capacity forecast. */
export type CapacityPrediction = z.infer<typeof capacityPredictionSchema>;
/** One SLO in the health report. */
export type SloSummary = z.infer<typeof sloSummarySchema>;
/** One open incident in a report. */
export type OpenIncidentSummary = z.infer<typeof openIncidentSchema>;
/** An SLA report. */
export type SlaReport = z.infer<typeof slaReportSchema>;
/** One SLO in an SLA report. */
export type SlaEntry = z.infer<typeof slaEntrySchema>;
/** A performance analysis. */
export type PerformanceAnalysis = z.infer<typeof performanceAnalysisSchema>;
/** One cause in a performance analysis: an observed service that is not up. */
export type ServiceCause = z.infer<typeof serviceCauseSchema>;
/** One bottleneck in a performance analysis. */
export type Bottleneck = z.infer<typeof bottleneckSchema>;
/** A capacity forecast. */
export type CapacityForecast = z.infer<typeof capacityForecastSchema>;
/** A deployment readiness verdict. */
export type DeploymentReadiness = z.infer<typeof deploymentReadinessSchema>;
