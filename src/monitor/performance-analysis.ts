import type { PerformanceBudgetReport } from '../canary/index.js';
import { z } from 'zod';
import { parseOptions } from '../core/index.js';
import type { CheckResult } from '../health/index.js';
import type { SloStatus } from '../slo/index.js';
import { DEFAULT_HORIZON_MS } from './capacity-forecast.js';
import {
  describeBreaker,
  describeCheck,
  isDependencyCheck,
  isTroubled,
  type BreakerView,
} from './dependency-state.js';
import { describeMs, fmt, iso, pct, round } from './format.js';
import { HOUR_MS, type HistoryAggregate, type RouteAggregate } from './history.js';
import {
  describeObserved,
  isUrgent,
  observedAdvice,
  speaksThroughBreaker,
  type ObservedView,
} from './observed-services.js';
import type {
  Bottleneck,
  CapacityPrediction,
  PerformanceAnalysis,
  PerformanceCause,
} from './report-schemas.js';
import type { ErrorGroupReport } from './insight-schemas.js';
import type { Timeframe } from './types.js';

/** How far back each timeframe of a performance analysis reaches. */
export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  last_hour: HOUR_MS,
  last_24_hours: 24 * HOUR_MS,
  last_7_days: 7 * 24 * HOUR_MS,
};

/**
 * The areas a performance analysis can focus on; an analysis with focus areas states only their
 * findings (an empty list means all of them).
 *
 * - `api_latency`: the routes over the latency budget (or taking the most time), their tails.
 * - `error_rate`: the error rate against each SLO's allowance, SLOs burning their budget fast.
 * - `slo_budget`: SLOs with little error budget left.
 * - `dependencies`: open circuit breakers, failing dependency health checks, and the tracked
 *   dependencies, connection pools, caches and pipelines that are not up.
 * - `database_queries`: the failing health checks of datastores (`componentType: 'datastore'`) and the
 *   connection pools that are not up.
 * - `capacity`: saturation signals forecast to reach their limit within a week.
 */
export const FOCUS_AREAS = Object.freeze([
  'api_latency',
  'error_rate',
  'slo_budget',
  'dependencies',
  'database_queries',
  'capacity',
] as const);

/** One area of {@link FOCUS_AREAS}. */
export type FocusArea = (typeof FOCUS_AREAS)[number];

const analysisOptionsSchema = z.strictObject({
  timeframe: z.enum(['last_hour', 'last_24_hours', 'last_7_days']).optional(),
  focusAreas: z.array(z.enum(FOCUS_AREAS)).max(20).optional(),
});

/**
 * Validates `performanceAnalysis()`'s options.
 * @throws {ConfigError} naming the field: an unknown timeframe or focus area (listing the known ones).
 */
export function parseAnalysisOptions(options: unknown): {
  readonly timeframe: Timeframe;
  readonly focusAreas: readonly FocusArea[];
} {
  const parsed = parseOptions(analysisOptionsSchema, options, 'monitor.performanceAnalysis');
  return {
    timeframe: parsed.timeframe ?? 'last_24_hours',
    focusAreas: [...new Set(parsed.focusAreas ?? [])],
  };
}

/** What a performance analysis is built from. */
export interface PerformanceInput {
  readonly timeframe: Timeframe;
  readonly focusAreas: readonly FocusArea[];
  /** Wall time of the analysis, epoch ms. */
  readonly now: number;
  /** The history over the timeframe: traffic, observed time, latency service-wide and per route. */
  readonly span: HistoryAggregate;
  /** The `latencyBudgetMs` option. */
  readonly latencyBudgetMs: number | undefined;
  /** Every SLO watched: the service's own and its dependencies' and pipelines'. */
  readonly statuses: readonly SloStatus[];
  /**
   * The names of the SLOs that judge the service's own requests (the monitor's `slos`): only these
   * hold the service's error rate to their allowance.
   */
  readonly serviceSlos: ReadonlySet<string>;
  readonly breakers: readonly BreakerView[];
  /** The checks of the latest evaluation, when a health registry is wired and has run. */
  readonly checks: { readonly checks: readonly CheckResult[]; readonly exposeDetails: boolean } | undefined;
  readonly capacity: readonly CapacityPrediction[];
  /** The performance budgets' report now (the latency tracker's window), when the monitor has some. */
  readonly budgets?: PerformanceBudgetReport | undefined;
  /** The top error groups, when error groups are wired. */
  readonly errors: readonly ErrorGroupReport[] | undefined;
  /** The tracked dependencies, pools, caches and pipelines, read once for this analysis. */
  readonly observed: readonly ObservedView[];
}

/** Error types named as actions, at most. */
const MAX_ERROR_ACTIONS = 3;

/** Slow routes, their share of traffic, what explains them, and what to do now and later. */
export function performanceAnalysis(input: PerformanceInput): PerformanceAnalysis {
  const { span, now, timeframe } = input;
  const wants = (area: FocusArea): boolean =>
    input.focusAreas.length === 0 || input.focusAreas.includes(area);
  const from = Math.min(span.startMs, now);
  const requests = Math.round(span.requests);
  const errors = Math.min(requests, Math.round(span.errors));
  const errorRate = requests > 0 ? errors / requests : 0;
  const budget = input.latencyBudgetMs;
  const serviceP95 = span.p95Ms ?? 0;

  const bottlenecks = findBottlenecks(span.routes, budget, serviceP95);
  const latencyTrouble = bottlenecks.some((b) => budget !== undefined && b.p95Ms > budget);
  const pageFiring = input.statuses.filter((s) => s.alerts.some((a) => a.firing && a.severity === 'page'));
  const overAllowance = input.statuses.filter(
    (s) => input.serviceSlos.has(s.name) && requests > 0 && errorRate > 1 - s.target,
  );
  const errorTrouble = pageFiring.length > 0 || overAllowance.length > 0;
  const causes = findCauses(input, latencyTrouble, errorTrouble);
  const because = (kind: 'latency' | 'errors'): string => {
    const named = causes.filter((c) => c.explains.includes(kind)).map((c) => c.detail);
    return named.length === 0 ? '' : ` Likely cause: ${named.join('; ')}.`;
  };

  const immediate: string[] = [];
  const planned: string[] = [];
  if (wants('api_latency'))
    for (const b of bottlenecks) {
      if (budget !== undefined)
        immediate.push(
          `Route ${b.route}: p95 ${fmt(b.p95Ms)} ms exceeds the ${fmt(budget)} ms latency budget on ${pct(b.share)} of requests (${b.requests}); profile it and cut its slowest dependency call.${because('latency')}`,
        );
      else
        planned.push(
          `Route ${b.route} takes the most time: p95 ${fmt(b.p95Ms)} ms, p99 ${fmt(b.p99Ms)} ms on ${pct(b.share)} of requests (${b.requests}); set a latency budget for it and profile it.`,
        );
      if (b.p95Ms > 0 && b.p99Ms > 3 * b.p95Ms)
        planned.push(
          `Route ${b.route} has a long tail (p99 ${fmt(b.p99Ms)} ms is ${fmt(b.p99Ms / b.p95Ms)}× p95): look for lock contention, GC pauses or retries.`,
        );
    }
  if (wants('api_latency'))
    for (const route of input.budgets?.routes ?? [])
      if (route.status === 'over')
        immediate.push(
          `Performance budget: ${route.why} Deployments are held until it is back within budget.`,
        );
  if (wants('error_rate')) {
    for (const status of pageFiring)
      immediate.push(
        `SLO ${status.name} is burning its error budget at ${fmt(status.burnRates['1h'])}× over the last hour; stop risky changes and find the failing dependency.${because('errors')}`,
      );
    for (const status of overAllowance)
      immediate.push(
        `Error rate ${pct(errorRate)} (${errors} of ${requests} requests) over ${timeframe.replaceAll('_', ' ')} exceeds the ${pct(1 - status.target)} SLO ${status.name} allows.${because('errors')}`,
      );
    immediate.push(...errorActions(input.errors ?? [], errorTrouble));
  }
  if (wants('slo_budget'))
    for (const status of input.statuses)
      if (status.budget.remaining < 0.25 && !pageFiring.includes(status))
        planned.push(
          `SLO ${status.name} has ${pct(Math.max(0, status.budget.remaining))} of its error budget left; prioritise reliability work over features.`,
        );
  if (wants('dependencies'))
    for (const breaker of input.breakers)
      if (isTroubled(breaker.state))
        immediate.push(
          `The ${describeBreaker(breaker)}; check its dependency and keep the fallback serving.`,
        );
  // An observed service speaks for itself (with its figures): its own health check only repeats it.
  const observedNames = new Set(input.observed.map((view) => view.name));
  for (const check of input.checks?.checks ?? []) {
    if (check.status === 'pass' || !isDependencyCheck(check) || observedNames.has(check.name)) continue;
    const datastore = check.componentType === 'datastore';
    if (!wants('dependencies') && !(datastore && wants('database_queries'))) continue;
    (check.status === 'fail' ? immediate : planned).push(
      `The ${describeCheck(check, input.checks?.exposeDetails ?? false)}; ${datastore ? 'check the datastore: its queries fail or stall' : 'check the dependency it watches'}.`,
    );
  }
  for (const view of input.observed) {
    if (view.entry.status === 'up' || speaksThroughBreaker(view)) continue;
    if (!wants('dependencies') && !(view.kind === 'pool' && wants('database_queries'))) continue;
    (isUrgent(view) ? immediate : planned).push(
      `The ${describeObserved(view, input.checks?.exposeDetails ?? false)}; ${observedAdvice(view.kind)}.`,
    );
  }
  if (wants('capacity'))
    for (const signal of input.capacity) {
      // Only a forecast that passed its gates is an action; `insufficient_data` stays out.
      if (
        signal.status !== 'ok' ||
        signal.reachesLimitInMs === null ||
        signal.reachesLimitInMs > DEFAULT_HORIZON_MS
      )
        continue;
      const { evidence } = signal;
      (signal.reachesLimitInMs <= 24 * HOUR_MS ? immediate : planned).push(
        `${signal.signal} is at ${fmt(signal.current)} and trends to its limit ${fmt(signal.limit)} in ${describeMs(signal.reachesLimitInMs)} (${evidence.samples} samples over ${describeMs(evidence.spanMs)}, r² ${fmt(signal.confidence)}); add capacity before then.`,
      );
    }

  return {
    timeframe,
    from: iso(from),
    to: iso(now),
    focusAreas: [...input.focusAreas],
    bottlenecks: wants('api_latency') ? bottlenecks : [],
    causes,
    immediate,
    planned,
    metrics: {
      requests,
      observedMs: span.observedMs,
      requestsPerSecond: span.observedMs > 0 ? requests / (span.observedMs / 1000) : 0,
      errors,
      errorRate,
      p50Ms: span.p50Ms === null ? null : round(span.p50Ms, 3),
      p95Ms: span.p95Ms === null ? null : round(span.p95Ms, 3),
      p99Ms: span.p99Ms === null ? null : round(span.p99Ms, 3),
    },
    ...(input.budgets === undefined ? {} : { budgets: input.budgets }),
    ...(input.errors === undefined ? {} : { errors: [...input.errors] }),
  };
}

// Error types new since the service started are actions whatever the error rate; when the error rate is
// a problem, so is the error type behind most of the last hour's errors.
function errorActions(groups: readonly ErrorGroupReport[], errorTrouble: boolean): string[] {
  const recent = groups.filter((g) => g.lastHour > 0).sort((a, b) => b.lastHour - a.lastHour);
  const where = (g: ErrorGroupReport): string =>
    `${g.type}${g.location === null ? '' : ` at ${g.location}`}${g.routes[0] === undefined ? '' : ` (mostly ${g.routes[0].route})`}`;
  const out = recent
    .filter((g) => g.new)
    .slice(0, MAX_ERROR_ACTIONS)
    .map(
      (g) =>
        `New error type ${where(g)}: ${g.lastHour} in the last hour since it first appeared at ${g.firstSeen}, after the service started; look at what changed.`,
    );
  const top = recent[0];
  if (errorTrouble && top !== undefined && !top.new) {
    const total = recent.reduce((sum, g) => sum + g.lastHour, 0);
    out.push(`Most of the last hour's errors are ${where(top)}: ${top.lastHour} of ${total}; fix it first.`);
  }
  return out;
}

// With a budget, every route over it; without, the (up to three) routes taking the most time whose
// p95 is at least the service's, within the history buckets' resolution (one bucket, 2^(1/3): both are
// interpolated from the same buckets). Routes come from the timeframe's history, the service's own
// routes left out.
const BUCKET_RATIO = 2 ** (1 / 3);
function findBottlenecks(
  routes: readonly RouteAggregate[],
  budget: number | undefined,
  serviceP95Ms: number,
): Bottleneck[] {
  const totalRouted = routes.reduce((sum, r) => sum + r.count, 0);
  const ranked = routes.map((r) => ({
    route: r.route,
    p95Ms: round(r.p95Ms, 3),
    p99Ms: round(r.p99Ms, 3),
    requests: Math.round(r.count),
    share: totalRouted === 0 ? 0 : Math.min(1, r.count / totalRouted),
    budgetMs: budget ?? null,
  }));
  return budget !== undefined
    ? ranked.filter((r) => r.p95Ms > budget)
    : ranked.filter((r) => r.p95Ms * BUCKET_RATIO >= serviceP95Ms && r.share > 0).slice(0, 3);
}

// The dependencies whose state explains the trouble seen: a breaker that is not closed explains errors
// (its calls fail or are refused) and, when it opened on slow calls, latency; a failing dependency
// check explains both, and so does a tracked dependency that is not up (unless its breaker already
// speaks for it); a pool or a cache that is not up explains latency (requests queue for a connection,
// misses go to the backing store). A pipeline's stale data explains neither.
function findCauses(input: PerformanceInput, latency: boolean, errors: boolean): PerformanceCause[] {
  const causes: PerformanceCause[] = [];
  const pick = (kinds: readonly ('latency' | 'errors')[]) =>
    kinds.filter((k) => (k === 'latency' ? latency : errors));
  for (const breaker of input.breakers) {
    if (!isTroubled(breaker.state)) continue;
    const slow = breaker.reason === 'slowCalls' || (breaker.stats?.slowCallWindow?.slowCalls ?? 0) > 0;
    const explains = pick(slow ? ['latency', 'errors'] : ['errors']);
    if (explains.length > 0)
      causes.push({
        kind: 'breaker',
        name: breaker.name,
        state: breaker.state,
        explains,
        detail: describeBreaker(breaker),
      });
  }
  const observedNames = new Set(input.observed.map((view) => view.name));
  for (const check of input.checks?.checks ?? []) {
    if (check.status !== 'fail' || !isDependencyCheck(check) || observedNames.has(check.name)) continue;
    const explains = pick(['latency', 'errors']);
    if (explains.length > 0)
      causes.push({
        kind: 'check',
        name: check.name,
        state: check.status,
        explains,
        detail: describeCheck(check, input.checks?.exposeDetails ?? false),
      });
  }
  for (const view of input.observed) {
    if (view.kind === 'pipeline' || view.entry.status === 'up' || speaksThroughBreaker(view)) continue;
    const explains = pick(view.kind === 'dependency' ? ['latency', 'errors'] : ['latency']);
    if (explains.length > 0)
      causes.push({
        kind: view.kind,
        name: view.name,
        state: view.entry.status,
        explains,
        detail: describeObserved(view, input.checks?.exposeDetails ?? false),
      });
  }
  return causes;
}
