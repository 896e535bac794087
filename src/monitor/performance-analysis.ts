import type { LatencySummary } from '../latency/index.js';
import type { CircuitBreaker } from '../resilience/index.js';
import type { SloStatus } from '../slo/index.js';
import { DEFAULT_HORIZON_MS } from './capacity-forecast.js';
import { describeMs, fmt, iso, pct, round } from './format.js';
import { HOUR_MS, type HistoryAggregate } from './history.js';
import { causeAdvice } from './observed-services.js';
import type { Bottleneck, CapacityPrediction, PerformanceAnalysis, ServiceCause } from './report-schemas.js';
import type { Timeframe } from './types.js';

/** How far back each timeframe of a performance analysis reaches. */
export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  last_hour: HOUR_MS,
  last_24_hours: 24 * HOUR_MS,
  last_7_days: 7 * 24 * HOUR_MS,
};

/** Routes listed at most: a tracker keyed by user data must not make the analysis unbounded. */
const MAX_ROUTES = 1_000;

/** One route's latency as the analysis ranks it. */
export interface RouteLatency {
  readonly route: string;
  readonly count: number;
  readonly mean: number;
  readonly p95: number;
  readonly p99: number;
}

/** Each route's latency summary (the first {@link MAX_ROUTES} keys), skipping routes without values. */
export function routeLatencies(
  keys: readonly string[],
  summary: (key: string) => LatencySummary | undefined,
): RouteLatency[] {
  const out: RouteLatency[] = [];
  for (const route of keys.slice(0, MAX_ROUTES)) {
    const s = summary(route);
    if (s === undefined || s.count === 0) continue;
    out.push({ route, count: s.count, mean: s.mean, p95: s.p95, p99: s.p99 });
  }
  return out;
}

/** What a performance analysis is built from. */
export interface PerformanceInput {
  readonly timeframe: Timeframe;
  readonly focusAreas: readonly string[];
  /** Wall time of the analysis, epoch ms. */
  readonly now: number;
  /** The history over the timeframe. */
  readonly span: HistoryAggregate;
  readonly routes: readonly RouteLatency[];
  /** The service-wide p95 (all routes), 0 when unknown. */
  readonly serviceP95Ms: number;
  /** The `latencyBudgetMs` option. */
  readonly latencyBudgetMs: number | undefined;
  readonly statuses: readonly SloStatus[];
  readonly breakers: readonly Pick<CircuitBreaker, 'name' | 'state'>[];
  readonly capacity: readonly CapacityPrediction[];
  /** The observed services that are not up. */
  readonly causes: readonly ServiceCause[];
}

/** Slow routes, their share of traffic, and what to do now and later. */
export function performanceAnalysis(input: PerformanceInput): PerformanceAnalysis {
  const { span, now, timeframe } = input;
  const from = Math.min(span.startMs, now);
  const seconds = Math.max(1, (now - from) / 1000);
  const requests = Math.round(span.requests || span.latencyCount);
  const errorRate = span.requests > 0 ? Math.min(1, span.errors / span.requests) : 0;

  const bottlenecks = findBottlenecks(input.routes, input.latencyBudgetMs, input.serviceP95Ms);
  const budget = input.latencyBudgetMs;
  const immediate: string[] = [];
  const planned: string[] = [];
  for (const b of bottlenecks) {
    if (budget !== undefined)
      immediate.push(
        `Route ${b.route}: p95 ${fmt(b.p95Ms)} ms exceeds the ${fmt(budget)} ms latency budget on ${pct(b.share)} of requests; profile it and cut its slowest dependency call.`,
      );
    else
      planned.push(
        `Route ${b.route} takes the most time: p95 ${fmt(b.p95Ms)} ms, p99 ${fmt(b.p99Ms)} ms on ${pct(b.share)} of requests; set a latency budget for it and profile it.`,
      );
    if (b.p95Ms > 0 && b.p99Ms > 3 * b.p95Ms)
      planned.push(
        `Route ${b.route} has a long tail (p99 ${fmt(b.p99Ms)} ms is ${fmt(b.p99Ms / b.p95Ms)}× p95): look for lock contention, GC pauses or retries.`,
      );
  }
  for (const status of input.statuses) {
    const allowed = 1 - status.target;
    if (status.alerts.some((a) => a.firing && a.severity === 'page'))
      immediate.push(
        `SLO ${status.name} is burning its error budget at ${fmt(status.burnRates['1h'])}× over the last hour; stop risky changes and find the failing dependency.`,
      );
    else if (status.budget.remaining < 0.25)
      planned.push(
        `SLO ${status.name} has ${pct(Math.max(0, status.budget.remaining))} of its error budget left; prioritise reliability work over features.`,
      );
    if (span.requests > 0 && errorRate > allowed)
      immediate.push(
        `Error rate ${pct(errorRate)} over ${timeframe.replaceAll('_', ' ')} exceeds the ${pct(allowed)} SLO ${status.name} allows.`,
      );
  }
  for (const cause of input.causes) (cause.status === 'down' ? immediate : planned).push(causeAdvice(cause));
  for (const breaker of input.breakers) {
    if (breaker.state === 'open' || breaker.state === 'isolated')
      immediate.push(
        `Circuit breaker ${breaker.name} is ${breaker.state}: its dependency is refused; check it and keep the fallback serving.`,
      );
  }
  for (const signal of input.capacity) {
    if (signal.reachesLimitInMs !== null && signal.reachesLimitInMs <= DEFAULT_HORIZON_MS)
      (signal.reachesLimitInMs <= 24 * HOUR_MS ? immediate : planned).push(
        `${signal.signal} is at ${fmt(signal.current)} and trends to its limit ${fmt(signal.limit)} in ${describeMs(signal.reachesLimitInMs)} (r² ${fmt(signal.confidence)}); add capacity before then.`,
      );
  }

  return {
    timeframe,
    from: iso(from),
    to: iso(now),
    focusAreas: [...input.focusAreas],
    bottlenecks,
    causes: [...input.causes],
    immediate,
    planned,
    metrics: {
      requests,
      requestsPerSecond: requests / seconds,
      errorRate,
      p50Ms: span.p50Ms === null ? null : round(span.p50Ms, 3),
      p95Ms: span.p95Ms === null ? null : round(span.p95Ms, 3),
      p99Ms: span.p99Ms === null ? null : round(span.p99Ms, 3),
    },
  };
}

// With a budget, every route over it; without, the (up to three) slowest routes by time spent whose
// p95 is at least the service's.
function findBottlenecks(
  routes: readonly RouteLatency[],
  budget: number | undefined,
  serviceP95Ms: number,
): Bottleneck[] {
  const totalRouted = routes.reduce((sum, r) => sum + r.count, 0);
  const ranked = routes
    .map((r) => ({
      route: r.route,
      p95Ms: round(r.p95, 3),
      p99Ms: round(r.p99, 3),
      share: totalRouted === 0 ? 0 : r.count / totalRouted,
      budgetMs: budget ?? null,
      weight: r.mean * r.count,
    }))
    .sort((a, b) => b.weight - a.weight);
  return (
    budget !== undefined
      ? ranked.filter((r) => r.p95Ms > budget)
      : ranked.filter((r) => r.p95Ms >= serviceP95Ms && r.share > 0).slice(0, 3)
  ).map(({ weight: _weight, ...rest }) => rest);
}
