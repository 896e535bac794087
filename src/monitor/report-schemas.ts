import { z } from 'zod';
import { performanceBudgetReportSchema } from '../canary/index.js';
import { doraReportSchema } from '../changes/index.js';
import { serviceHealthReportSchema } from '../health/index.js';
import {
  anomalyPredictionReportSchema,
  anomalyStatusReportSchema,
  errorGroupReportSchema,
  externalPredictionSchema,
} from './insight-schemas.js';

// The shapes the monitor's reports return and the agent protocol sends back. Each schema is exported so
// another agent can validate what it receives. The two shapes DESIGN.md fixes (the service health report
// and the incident report) keep its snake_case; the monitor's own reports use the camelCase of the rest
// of the JavaScript API. Times are ISO-8601 strings, durations milliseconds unless a name says otherwise.

const isoTime = z.iso.datetime({ offset: true });
/** A duration that may be unknown or unbounded (`null`), e.g. "never exhausts at the current burn". */
const maybeMs = z.number().min(0).nullable();

/**
 * The schema of the evidence a forecast rests on. Every forecast states it, stated or not: a forecast
 * below the monitor's `forecast` gates is `insufficient_data`, and the evidence says how far off it is.
 */
export const forecastEvidenceSchema = z.object({
  /** Time between the oldest and the newest observation used, ms. */
  spanMs: z.number().min(0),
  /** Observations used: finite samples of a saturation signal, events of an SLO in the last hour. */
  samples: z.number().int().min(0),
  /** The fit's coefficient of determination r², 0 to 1; `null` where no line is fitted (SLO burn). */
  fitR2: z.number().min(0).max(1).nullable(),
  /** The change per hour the forecast extrapolates (signal units, or share of the error budget). */
  slopePerHour: z.number(),
});

/**
 * The schema of a forecast's verdict: `ok` when its evidence passes every gate (minimum span, samples
 * and fit), else `insufficient_data`, and then its times are `null` and it is never an action.
 */
export const forecastStatusSchema = z.enum(['ok', 'insufficient_data']);

/** What a forecast lacks, one phrase per gate not met (`span 10 s of 1 h`, `10 of 12 samples`). */
const missingSchema = z.array(z.string());

/** The schema of one SLO's budget exhaustion forecast. */
export const budgetPredictionSchema = z.object({
  slo: z.string(),
  /** Fraction of the error budget left, 0 to 1 (negative once overspent). */
  budgetRemaining: z.number(),
  /** The 1-hour burn rate the forecast extrapolates. */
  burnRate: z.number().min(0),
  /**
   * Time until the budget runs out at that burn; `null` when it never does, when that is past
   * 9999-12-31, or when the forecast is `insufficient_data`.
   */
  exhaustsInMs: maybeMs,
  /** When that is, or `null`. */
  exhaustsAt: isoTime.nullable(),
  /** Whether the forecast passed its gates. */
  status: forecastStatusSchema,
  /** What it lacks when `insufficient_data`; empty when `ok`. */
  missing: missingSchema,
  /** The data it rests on: the tracker's data span, the last hour's events, the budget spent per hour. */
  evidence: forecastEvidenceSchema,
});

/** The schema of one saturation signal's capacity forecast: a least-squares trend toward its limit. */
export const capacityPredictionSchema = z.object({
  /**
   * The saturation signal (`eventLoopUtilization`, `eventLoopDelayP99Ms`, `heapRatio`, `rssBytes`,
   * `cpuRatio`), or `pool:<name>` for an observed connection pool's utilization (limit 1).
   */
  signal: z.string(),
  /** The latest sample. */
  current: z.number(),
  /** The limit the signal is compared with (the saturation monitor's, or the forecast's default). */
  limit: z.number(),
  /** Change per hour of the fitted line. */
  slopePerHour: z.number(),
  /**
   * Time until the fitted line reaches the limit; `null` when flat or falling, past 9999-12-31, or
   * when the forecast is `insufficient_data`.
   */
  reachesLimitInMs: maybeMs,
  /** When that is, or `null`. */
  reachesLimitAt: isoTime.nullable(),
  /** The fit's coefficient of determination r², 0 to 1: how far to trust the trend. */
  confidence: z.number().min(0).max(1),
  /** Samples the fit used. */
  samples: z.number().int().min(0),
  /** Whether the forecast passed its gates. */
  status: forecastStatusSchema,
  /** What it lacks when `insufficient_data`; empty when `ok`. */
  missing: missingSchema,
  /** The data it rests on: span and count of the samples, the fit's r² and slope. */
  evidence: forecastEvidenceSchema,
});

/** The schema of `predictions` in the monitor's health report. */
export const predictionsSchema = z.object({
  budgetExhaustion: z.array(budgetPredictionSchema),
  capacity: z.array(capacityPredictionSchema),
  /** Golden signals the anomaly detector expects to leave their band (empty without a detector). */
  anomalies: z.array(anomalyPredictionReportSchema),
  /** Predictions other agents sent, still current (`monitor.ingestPrediction`, `report_anomaly`). */
  external: z.array(externalPredictionSchema),
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
 * The schema of `monitor.healthReport()`: the service health report (`timestamp`, `status`,
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
  /** Every open incident's verdict counts; the list holds the most severe first, at most 100. */
  openIncidents: z.array(openIncidentSchema),
  /** Open incidents left out of `openIncidents` by its bound (they still count in `status`). */
  openIncidentsOmitted: z.number().int().min(0),
  /** The top error groups (most errors first, at most 10), when error groups are wired. */
  errors: z.array(errorGroupReportSchema).optional(),
  /** Each golden signal's anomaly status, when an anomaly detector is wired. */
  anomalies: z.array(anomalyStatusReportSchema).optional(),
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
  /**
   * Events maintenance windows left out (see `maintenance.rule`): they are in neither `good` nor
   * `total`, and so in neither `achieved` nor `budgetUsed`.
   */
  excluded: z.object({ good: z.number().int().min(0), total: z.number().int().min(0) }),
  /** Incidents opened in the period for this SLO. */
  incidents: z.number().int().min(0),
  /** Mean time to resolve those incidents resolved before the period ended, in ms; `null` when none. */
  mttrMs: maybeMs,
});

/**
 * The schema of `monitor.slaReport()`: per SLO, target against achieved over a calendar period. A
 * period's report counts only what happened inside it (see `incidents.rule`), so once the period has
 * ended (`final`) the report run on any later day says the same.
 */
export const slaReportSchema = z.object({
  service: z.string(),
  period: z.enum(['day', 'week', 'month']),
  from: isoTime,
  to: isoTime,
  /** When the report was made. */
  asOf: isoTime,
  /** Whether the period had ended when the report was made: its figures no longer change. */
  final: z.boolean(),
  slos: z.array(slaEntrySchema),
  incidents: z.object({
    total: z.number().int().min(0),
    bySeverity: z.record(z.string(), z.number().int().min(0)),
    /** Mean time to resolve over the period's incidents resolved before it ended, or `null`. */
    mttrMs: maybeMs,
    /** Incident frequency: the period's incidents over its days. */
    frequency: z.object({
      incidents: z.number().int().min(0),
      days: z.number().gt(0),
      perDay: z.number().min(0),
      perWeek: z.number().min(0),
    }),
    /** The counting rule, in one sentence. */
    rule: z.string(),
  }),
  traffic: z.object({ requests: z.number().int().min(0), errors: z.number().int().min(0) }),
  /** The maintenance windows open during the period (at most 100), and the SLO exclusion rule. */
  maintenance: z.object({
    windows: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        from: isoTime,
        to: isoTime,
        silence: z.boolean(),
        excludeFromSlo: z.union([z.boolean(), z.array(z.string())]),
      }),
    ),
    /** How many spans there were, when more than listed. */
    total: z.number().int().min(0),
    rule: z.string(),
  }),
  /** The drills started in the period: how many, by verdict, and each run (at most 100, oldest first). */
  drills: z.object({
    total: z.number().int().min(0),
    byVerdict: z.object({
      passed: z.number().int().min(0),
      deviated: z.number().int().min(0),
      aborted: z.number().int().min(0),
    }),
    runs: z.array(
      z.object({
        id: z.string(),
        drill: z.string(),
        kind: z.enum(['chaos', 'backup']),
        startedAt: isoTime,
        verdict: z.enum(['passed', 'deviated', 'aborted']),
        reasons: z.array(z.string()),
      }),
    ),
  }),
  /**
   * The DORA metrics of the period (when the monitor has a change log), counted as of its end, so a
   * closed period's report never changes.
   */
  dora: doraReportSchema.optional(),
});

/** The schema of one bottleneck in a performance analysis: a route by its share of slow traffic. */
export const bottleneckSchema = z.object({
  route: z.string(),
  p95Ms: z.number().min(0),
  p99Ms: z.number().min(0),
  /** Requests this route served in the timeframe (the numerator of `share`). */
  requests: z.number().int().min(0),
  /** Fraction of the timeframe's requests this route served, 0 to 1 (the service's own routes left out). */
  share: z.number().min(0).max(1),
  /** The latency SLO's threshold this route is judged by, or `null` when none applies. */
  budgetMs: z.number().min(0).nullable(),
});

/**
 * The schema of a cause the performance analysis names: a dependency whose state explains latency or
 * errors (an open circuit breaker, a failing health check, a tracked dependency, a saturated connection
 * pool or a cache missing more than it should).
 */
export const performanceCauseSchema = z.object({
  kind: z.enum(['breaker', 'check', 'dependency', 'pool', 'cache']),
  /** The breaker's, check's, dependency's, pool's or cache's name. */
  name: z.string(),
  /** The breaker's state, the check's status, or the observed service's (`degraded`, `down`). */
  state: z.string(),
  /** What it explains. */
  explains: z.array(z.enum(['latency', 'errors'])),
  /** The evidence, one sentence. */
  detail: z.string(),
});

/** The schema of `monitor.performanceAnalysis()`. */
export const performanceAnalysisSchema = z.object({
  timeframe: z.enum(['last_hour', 'last_24_hours', 'last_7_days']),
  from: isoTime,
  to: isoTime,
  /** The areas analysed (see `FOCUS_AREAS`); empty means every area. */
  focusAreas: z.array(z.string()),
  bottlenecks: z.array(bottleneckSchema),
  /** Dependencies whose state explains the latency or errors seen. */
  causes: z.array(performanceCauseSchema),
  /** Actions to take now, most urgent first. */
  immediate: z.array(z.string()),
  /** Improvements to plan. */
  planned: z.array(z.string()),
  metrics: z.object({
    requests: z.number().int().min(0),
    /** Time the history observed inside the timeframe, ms: the denominator of `requestsPerSecond`. */
    observedMs: z.number().min(0),
    requestsPerSecond: z.number().min(0),
    /** Failed requests: the numerator of `errorRate` (over `requests`). */
    errors: z.number().int().min(0),
    errorRate: z.number().min(0).max(1),
    p50Ms: z.number().min(0).nullable(),
    p95Ms: z.number().min(0).nullable(),
    p99Ms: z.number().min(0).nullable(),
  }),
  /** The per-route latency budgets (when the monitor has some), over-budget routes first. */
  budgets: performanceBudgetReportSchema.optional(),
  /** The top error types and where they come from (at most 10), when error groups are wired. */
  errors: z.array(errorGroupReportSchema).optional(),
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
/** The evidence of a forecast. */
export type ForecastEvidenceReport = z.infer<typeof forecastEvidenceSchema>;
/** A cause named by a performance analysis. */
export type PerformanceCause = z.infer<typeof performanceCauseSchema>;
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
/** One bottleneck in a performance analysis. */
export type Bottleneck = z.infer<typeof bottleneckSchema>;
/** A capacity forecast. */
export type CapacityForecast = z.infer<typeof capacityForecastSchema>;
/** A deployment readiness verdict. */
export type DeploymentReadiness = z.infer<typeof deploymentReadinessSchema>;
