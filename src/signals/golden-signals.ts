import { parseOptions, resolveDeps, type Deps } from '../core/index.js';
import type { MetricFamily, MetricSample, MetricsSource } from '../metrics/index.js';
import {
  goldenSignalsOptionsSchema,
  type GoldenSignalsOptions,
  type LatencySink,
  type SloSink,
} from './options.js';
import { ignoredPathTest } from './ignored-paths.js';
import {
  OVERFLOW_ROUTE,
  RouteTable,
  UNMATCHED_ROUTE,
  type RouteExemplar,
  type RouteStats,
} from './route-table.js';

/**
 * How a request ended, as the adapter saw it: `throttled` is a 429 from sre-kit's rate limiter, counted
 * as throttling and kept out of the latency and the SLOs (the client exceeded its limit; the service
 * did not fail, nor did it serve).
 */
export type RequestOutcome = 'completed' | 'aborted' | 'throttled';

/** The answer to shed a request: the adapter sends 503 with `Retry-After` and skips the handler. */
export interface ShedDecision {
  readonly status: 503;
  readonly retryAfterSeconds: number;
  /** The saturation signal that tripped. */
  readonly reason: string;
}

/** Counters for {@link GoldenSignals.stats}. */
export interface GoldenSignalsStats {
  readonly inFlight: number;
  readonly requests: number;
  readonly errors: number;
  readonly aborted: number;
  readonly shed: number;
  /** Requests refused by a rate limiter (answered 429). */
  readonly throttled: number;
  /** Distinct `METHOD route` pairs tracked (including the unmatched and overflow keys). */
  readonly routes: number;
  /** Requests folded into `__other__` because `maxRoutes` was reached. */
  readonly overflowRoutes: number;
}

/** One route's traffic and errors, as {@link GoldenSignals.routes} reports them. */
export interface RouteSignals {
  readonly method: string;
  readonly route: string;
  readonly requests: number;
  readonly errors: number;
  readonly aborted: number;
  /** Completed responses by status class. */
  readonly byClass: Readonly<Record<'1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'other', number>>;
  /** Error responses by status code. */
  readonly errorsByStatus: Readonly<Record<string, number>>;
}

/**
 * The framework-neutral core of the HTTP adapters: it decides shedding, counts traffic and errors per
 * route template, and feeds latency and SLOs. Express and Fastify only translate their requests into
 * these calls.
 */
export interface GoldenSignals extends MetricsSource {
  /** Whether a URL path (or one of its parents) is exempt, as health and metrics routes are: neither measured nor shed. */
  isIgnored(path: string): boolean;
  /** Called before the handler: a shed decision when overloaded and shedding is on, else null. Counts shed requests. */
  admit(): ShedDecision | null;
  /** Marks a request as started and returns its start time, to pass to {@link GoldenSignals.finish}. */
  start(): number;
  /**
   * Records a finished request: `route` is the framework's template, or undefined when nothing matched;
   * `traceId` (from `traceparent`) becomes the exemplar of its latency bucket. Returns the duration in ms.
   */
  finish(
    method: string,
    route: string | undefined,
    status: number,
    startedAt: number,
    outcome: RequestOutcome,
    traceId?: string,
  ): number;
  /** Totals since creation. */
  stats(): GoldenSignalsStats;
  /** Per-route traffic and errors. */
  routes(): RouteSignals[];
}

const CLASS_NAMES = ['other', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/**
 * Creates the golden-signals recorder the HTTP adapters share.
 *
 * @example
 * ```ts
 * const signals = createGoldenSignals({ latency, slos: [availability], saturation, shedding: true });
 * const shed = signals.admit();                      // before the handler
 * const t = signals.start();
 * signals.finish('GET', '/users/:id', 200, t, 'completed');
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function createGoldenSignals(options: GoldenSignalsOptions = {}, deps?: Deps): GoldenSignals {
  const opts = parseOptions(goldenSignalsOptionsSchema, options, 'createGoldenSignals');
  const { clock } = resolveDeps(deps);
  const latency = opts.latency as LatencySink | undefined;
  const bounds = opts.histogramBucketsMs;
  const slos = opts.slos as readonly SloSink[];
  const saturation = opts.saturation as GoldenSignalsOptions['saturation'];
  // Validation guarantees a saturation monitor whenever shedding is on.
  const shedding = opts.shedding !== false && saturation !== undefined;
  const retryAfterSeconds = typeof opts.shedding === 'object' ? (opts.shedding.retryAfterSeconds ?? 5) : 5;
  const isError = opts.isError ?? ((status: number) => status >= 500);
  // `/readyz/database` is covered by `/readyz`: parents of a path count too.
  const isIgnored = ignoredPathTest(opts.ignore);
  const table = new RouteTable(opts.maxRoutes);
  // Reused for every SLO record: trackers read it synchronously and never keep it.
  const sloEvent = { ok: true, latencyMs: 0 };
  const shedByReason = new Map<string, number>();
  let inFlight = 0;
  let requests = 0;
  let errors = 0;
  let aborted = 0;
  let shed = 0;
  let throttled = 0;

  const keepExemplar = (stats: RouteStats, traceId: string, valueMs: number): void => {
    let i = 0;
    while (i < bounds.length && valueMs > (bounds[i] as number)) i++;
    stats.exemplars ??= new Array<RouteExemplar | undefined>(bounds.length + 1).fill(undefined);
    stats.exemplars[i] = { traceId, valueMs, atMs: clock.wallNow() };
  };

  const finish = (
    method: string,
    route: string | undefined,
    status: number,
    startedAt: number,
    outcome: RequestOutcome,
    traceId?: string,
  ): number => {
    inFlight--;
    const now = clock.now();
    const durationMs = now - startedAt;
    if (outcome === 'throttled') {
      throttled++;
      return durationMs;
    }
    const stats = table.get(method, route ?? UNMATCHED_ROUTE);
    if (outcome === 'aborted') {
      stats.aborted++;
      aborted++;
      return durationMs;
    }
    requests++;
    const cls = status >= 100 && status < 600 ? (status / 100) | 0 : 0;
    stats.byClass[cls]!++;
    const failed = isError(status);
    if (failed) {
      errors++;
      stats.errorsByStatus.set(status, (stats.errorsByStatus.get(status) ?? 0) + 1);
    }
    latency?.record(durationMs, stats.key, now);
    if (traceId !== undefined) keepExemplar(stats, traceId, durationMs);
    if (slos.length > 0) {
      sloEvent.ok = !failed;
      sloEvent.latencyMs = durationMs;
      for (const slo of slos) slo.record(sloEvent);
    }
    return durationMs;
  };

  const toRouteSignals = (s: RouteStats): RouteSignals => {
    const byClass = Object.fromEntries(
      CLASS_NAMES.map((name, i) => [name, s.byClass[i] ?? 0]),
    ) as RouteSignals['byClass'];
    let total = 0;
    for (const n of s.byClass) total += n;
    let errs = 0;
    for (const n of s.errorsByStatus.values()) errs += n;
    return {
      method: s.method,
      route: s.route,
      requests: total,
      errors: errs,
      aborted: s.aborted,
      byClass,
      errorsByStatus: Object.fromEntries([...s.errorsByStatus].map(([code, n]) => [String(code), n])),
    };
  };

  // Latency per route from the tracker, in seconds as Prometheus expects; exemplars on the buckets.
  function* latencyFamilies(): Iterable<MetricFamily> {
    if (latency?.cumulativeBuckets === undefined) return;
    const histogram: MetricSample[] = [];
    const quantiles: MetricSample[] = [];
    for (const s of table.all()) {
      const labels = { method: s.method, route: s.route };
      const h = latency.cumulativeBuckets(bounds, s.key);
      if (h.count === 0) continue;
      h.buckets.forEach((bucket, i) => {
        const le = bucket.le === Infinity ? '+Inf' : String(bucket.le / 1000);
        const e = s.exemplars?.[i];
        histogram.push({
          suffix: '_bucket',
          labels: { ...labels, le },
          value: bucket.count,
          ...(e === undefined
            ? {}
            : {
                exemplar: { labels: { trace_id: e.traceId }, value: e.valueMs / 1000, timestampMs: e.atMs },
              }),
        });
      });
      histogram.push(
        { suffix: '_sum', labels, value: h.sum / 1000 },
        { suffix: '_count', labels, value: h.count },
      );
      if (latency.summary !== undefined) {
        const q = latency.summary(s.key);
        for (const [quantile, ms] of [
          ['0.5', q.p50],
          ['0.9', q.p90],
          ['0.95', q.p95],
          ['0.99', q.p99],
        ] as const) {
          quantiles.push({ labels: { ...labels, quantile }, value: ms / 1000 });
        }
        quantiles.push(
          { suffix: '_sum', labels, value: h.sum / 1000 },
          { suffix: '_count', labels, value: q.count },
        );
      }
    }
    yield {
      name: 'sre_http_request_duration_seconds',
      help: 'HTTP request latency by route template.',
      type: 'histogram',
      unit: 'seconds',
      samples: histogram,
    };
    if (latency.summary !== undefined) {
      yield {
        name: 'sre_http_request_duration_quantiles_seconds',
        help: 'HTTP request latency percentiles by route template (HDR histogram, lifetime).',
        type: 'summary',
        unit: 'seconds',
        samples: quantiles,
      };
    }
  }

  return {
    isIgnored,
    admit(): ShedDecision | null {
      if (!shedding) return null;
      const overload = saturation?.overloaded();
      if (overload === undefined || overload === false) return null;
      shed++;
      shedByReason.set(overload.reason, (shedByReason.get(overload.reason) ?? 0) + 1);
      if (slos.length > 0) {
        sloEvent.ok = false;
        sloEvent.latencyMs = 0;
        for (const slo of slos) slo.record(sloEvent);
      }
      return { status: 503, retryAfterSeconds, reason: overload.reason };
    },
    start(): number {
      inFlight++;
      return clock.now();
    },
    finish,
    stats: () => ({
      inFlight,
      requests,
      errors,
      aborted,
      shed,
      throttled,
      routes: table.size,
      overflowRoutes: table.overflowed,
    }),
    routes: () => [...table.all()].map(toRouteSignals),
    *collect(): Iterable<MetricFamily> {
      const requestSamples: MetricSample[] = [];
      const errorSamples: MetricSample[] = [];
      const abortSamples: MetricSample[] = [];
      for (const s of table.all()) {
        const labels = { method: s.method, route: s.route };
        s.byClass.forEach((n, i) => {
          if (n > 0)
            requestSamples.push({
              suffix: '_total',
              labels: { ...labels, status_class: CLASS_NAMES[i]! },
              value: n,
            });
        });
        for (const [status, n] of s.errorsByStatus) {
          errorSamples.push({ suffix: '_total', labels: { ...labels, status: String(status) }, value: n });
        }
        if (s.aborted > 0) abortSamples.push({ suffix: '_total', labels, value: s.aborted });
      }
      yield {
        name: 'sre_http_requests',
        help: 'Completed HTTP responses by route template and status class.',
        type: 'counter',
        samples: requestSamples,
      };
      yield {
        name: 'sre_http_request_errors',
        help: 'HTTP responses counted as errors, by route template and status.',
        type: 'counter',
        samples: errorSamples,
      };
      yield {
        name: 'sre_http_requests_aborted',
        help: 'Requests whose client went away before the response finished.',
        type: 'counter',
        samples: abortSamples,
      };
      yield {
        name: 'sre_http_requests_shed',
        help: 'Requests answered 503 by load shedding, by the saturation signal that tripped.',
        type: 'counter',
        samples: [...shedByReason].map(([reason, n]) => ({
          suffix: '_total' as const,
          labels: { reason },
          value: n,
        })),
      };
      yield {
        name: 'sre_http_requests_throttled',
        help: 'Requests answered 429 by a rate limiter: throttling, never SLO errors.',
        type: 'counter',
        samples: [{ suffix: '_total', value: throttled }],
      };
      yield* latencyFamilies();
      yield {
        name: 'sre_http_requests_in_flight',
        help: 'Requests being handled now.',
        type: 'gauge',
        samples: [{ value: inFlight }],
      };
      yield {
        name: 'sre_http_routes_overflowed',
        help: `Requests folded into route "${OVERFLOW_ROUTE}" because maxRoutes was reached.`,
        type: 'counter',
        samples: [{ suffix: '_total', value: table.overflowed }],
      };
    },
  };
}
