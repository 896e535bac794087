import { z } from 'zod';
import { ConfigError, parseOptions } from '../core/index.js';
import type { LatencySummary, LatencyTracker } from '../latency/index.js';

/** A route's latency budget: the most each quantile may be, in ms (at least one). */
export interface RouteLatencyBudget {
  readonly p50Ms?: number;
  readonly p90Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  /** The 99.9th percentile's budget. */
  readonly p999Ms?: number;
}

/** Options for `createPerformanceBudget`. */
export interface PerformanceBudgetOptions {
  /**
   * Per latency-tracker key (the adapters key by `METHOD /route/:template`), its budget; at most 500.
   * @example { 'GET /orders/:id': { p99Ms: 200 } }
   */
  readonly routes: Readonly<Record<string, RouteLatencyBudget>>;
  /**
   * Which values are judged: the tracker's sliding window (recent traffic) or everything since it
   * started. A tracker without a window is read over its lifetime, and the report says so.
   * @default 'window'
   */
  readonly window?: 'window' | 'lifetime';
  /** The fewest values a route needs before its budget is judged; below, it is `insufficient_data`. @default 100 */
  readonly minSamples?: number;
}

const QUANTILES = [
  ['p50Ms', 'p50', 0.5],
  ['p90Ms', 'p90', 0.9],
  ['p95Ms', 'p95', 0.95],
  ['p99Ms', 'p99', 0.99],
  ['p999Ms', 'p999', 0.999],
] as const;

const budgetMs = z.number().gt(0).max(86_400_000).optional();

/** @internal The schema {@link PerformanceBudgetOptions} is checked against (bound by a type test). */
export const performanceBudgetOptionsSchema = z.strictObject({
  routes: z
    .record(
      z.string().min(1).max(256),
      z
        .strictObject({
          p50Ms: budgetMs,
          p90Ms: budgetMs,
          p95Ms: budgetMs,
          p99Ms: budgetMs,
          p999Ms: budgetMs,
        })
        .refine((b) => Object.values(b).some((v) => v !== undefined), 'at least one of p50Ms … p999Ms'),
    )
    .refine(
      (routes) => Object.keys(routes).length >= 1 && Object.keys(routes).length <= 500,
      '1 to 500 routes',
    ),
  window: z.enum(['window', 'lifetime']).default('window'),
  minSamples: z.number().int().min(1).max(1e9).default(100),
});

/** The schema of one route quantile's budget in a {@link PerformanceBudgetReport}. */
export const routeBudgetResultSchema = z.object({
  route: z.string(),
  /** `p50`, `p90`, `p95`, `p99` or `p999`. */
  quantile: z.enum(['p50', 'p90', 'p95', 'p99', 'p999']),
  budgetMs: z.number().gt(0),
  /** The quantile measured, ms, or `null` with too few values. */
  actualMs: z.number().min(0).nullable(),
  /** Values it was measured over. */
  samples: z.number().int().min(0),
  /** `ok` within budget, `over` above it, `insufficient_data` below `minSamples`. */
  status: z.enum(['ok', 'over', 'insufficient_data']),
  why: z.string(),
});

/** The schema of {@link PerformanceBudget.evaluate}'s report. */
export const performanceBudgetReportSchema = z.object({
  /** False while any budget is over (insufficient data never is). */
  ok: z.boolean(),
  /** What was read: the tracker's sliding window or its lifetime. */
  window: z.enum(['window', 'lifetime']),
  /** One entry per route and quantile budgeted, the routes over budget first. */
  routes: z.array(routeBudgetResultSchema),
});

/** One route quantile's budget and what was measured. */
export type RouteBudgetResult = z.infer<typeof routeBudgetResultSchema>;
/** A performance budget report. */
export type PerformanceBudgetReport = z.infer<typeof performanceBudgetReportSchema>;

/** Per-route latency budgets, read from a latency tracker. */
export interface PerformanceBudget {
  /** The routes budgeted, in the order given. */
  readonly routes: readonly string[];
  /**
   * Each budgeted route's quantiles against their budgets, from `latency`. Reading it changes nothing.
   * @throws {SreError} `ERR_SRE_CLOSED` when the tracker is closed.
   */
  evaluate(latency: LatencyTracker): PerformanceBudgetReport;
}

/**
 * Creates per-route latency budgets (`p99Ms: 200` for `GET /orders/:id`) judged from a latency tracker:
 * a route whose quantile is above its budget, over at least `minSamples` values, is `over`. The monitor
 * (option `performanceBudget`) fails deployment readiness while one is, and lists them in
 * `performanceAnalysis()`.
 *
 * @example
 * ```ts
 * const budget = createPerformanceBudget({ routes: { 'GET /orders/:id': { p99Ms: 200 } } });
 * const report = budget.evaluate(latency);
 * if (!report.ok) console.log(report.routes.filter((r) => r.status === 'over').map((r) => r.why));
 * ```
 * @throws {ConfigError} when options are invalid (a route without any budget, ...).
 */
export function createPerformanceBudget(options: PerformanceBudgetOptions): PerformanceBudget {
  const parsed = parseOptions(performanceBudgetOptionsSchema, options, 'createPerformanceBudget');
  const entries = Object.entries(parsed.routes);
  return {
    routes: Object.freeze(entries.map(([route]) => route)),
    evaluate(latency: LatencyTracker): PerformanceBudgetReport {
      let window = parsed.window;
      const read = (route: string): LatencySummary => {
        if (window === 'window') {
          try {
            return latency.summary(route, { window: 'window' });
          } catch (error) {
            // A tracker made with `window: false` answers lifetime queries only.
            if (!(error instanceof ConfigError)) throw error;
            window = 'lifetime';
          }
        }
        return latency.summary(route);
      };
      const results: RouteBudgetResult[] = [];
      for (const [route, budget] of entries) {
        const summary = read(route);
        for (const [field, quantile] of QUANTILES) {
          const limit = budget[field];
          if (limit === undefined) continue;
          results.push(judgeRoute(route, quantile, limit, summary, parsed.minSamples));
        }
      }
      const rank = { over: 0, insufficient_data: 1, ok: 2 } as const;
      results.sort((a, b) => rank[a.status] - rank[b.status]);
      return { ok: results.every((r) => r.status !== 'over'), window, routes: results };
    },
  };
}

function judgeRoute(
  route: string,
  quantile: RouteBudgetResult['quantile'],
  budgetMs: number,
  summary: LatencySummary,
  minSamples: number,
): RouteBudgetResult {
  const samples = summary.count;
  if (samples < minSamples)
    return {
      route,
      quantile,
      budgetMs,
      actualMs: null,
      samples,
      status: 'insufficient_data',
      why: `${route} has ${samples} latency values, fewer than the ${minSamples} its ${quantile} budget is judged on.`,
    };
  const actualMs = summary[quantile];
  const over = actualMs > budgetMs;
  return {
    route,
    quantile,
    budgetMs,
    actualMs,
    samples,
    status: over ? 'over' : 'ok',
    why: `${route} ${quantile} is ${round(actualMs)} ms over ${samples} values, ${over ? 'above' : 'within'} its ${budgetMs} ms budget.`,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
