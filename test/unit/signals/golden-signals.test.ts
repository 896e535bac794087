import { describe, expect, it } from 'vitest';
import { ConfigError, createGoldenSignals, renderMetrics } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

function sinks() {
  const latency: Array<[number, string | undefined]> = [];
  const slo: Array<{ ok: boolean; latencyMs: number }> = [];
  return {
    latency: { record: (ms: number, key?: string) => void latency.push([ms, key]) },
    slo: { record: (e: { ok: boolean; latencyMs: number }) => void slo.push({ ...e }) },
    seen: { latency, slo },
  };
}

describe('createGoldenSignals', () => {
  it('records latency per route template, traffic by status class and errors by status', () => {
    const clock = createFakeClock();
    const s = sinks();
    const signals = createGoldenSignals({ latency: s.latency, slos: [s.slo] }, { clock });
    const t1 = signals.start();
    expect(signals.stats().inFlight).toBe(1);
    clock.advance(12);
    expect(signals.finish('GET', '/users/:id', 200, t1, 'completed')).toBe(12);
    const t2 = signals.start();
    clock.advance(30);
    signals.finish('GET', '/users/:id', 503, t2, 'completed');
    const t3 = signals.start();
    signals.finish('GET', undefined, 404, t3, 'completed');

    expect(s.seen.latency).toEqual([
      [12, 'GET /users/:id'],
      [30, 'GET /users/:id'],
      [0, 'GET __unmatched__'],
    ]);
    expect(s.seen.slo).toEqual([
      { ok: true, latencyMs: 12 },
      { ok: false, latencyMs: 30 },
      { ok: true, latencyMs: 0 },
    ]);
    expect(signals.stats()).toEqual({
      inFlight: 0,
      requests: 3,
      errors: 1,
      aborted: 0,
      shed: 0,
      throttled: 0,
      routes: 2,
      overflowRoutes: 0,
    });
    expect(signals.routes()[0]).toEqual({
      method: 'GET',
      route: '/users/:id',
      requests: 2,
      errors: 1,
      aborted: 0,
      byClass: { other: 0, '1xx': 0, '2xx': 1, '3xx': 0, '4xx': 0, '5xx': 1 },
      errorsByStatus: { '503': 1 },
    });
  });

  it('counts aborted requests apart and feeds them to neither latency nor SLOs', () => {
    const s = sinks();
    const signals = createGoldenSignals({ latency: s.latency, slos: [s.slo] }, { clock: createFakeClock() });
    signals.finish('POST', '/orders', 0, signals.start(), 'aborted');
    expect(signals.stats()).toMatchObject({ requests: 0, aborted: 1, inFlight: 0 });
    expect(s.seen.latency).toEqual([]);
    expect(s.seen.slo).toEqual([]);
  });

  it('counts throttled requests as throttling, in neither latency, traffic, errors nor SLOs', () => {
    const s = sinks();
    const signals = createGoldenSignals({ latency: s.latency, slos: [s.slo] }, { clock: createFakeClock() });
    signals.finish('GET', undefined, 429, signals.start(), 'throttled');
    expect(signals.stats()).toMatchObject({ requests: 0, errors: 0, throttled: 1, inFlight: 0, routes: 0 });
    expect(s.seen.latency).toEqual([]);
    expect(s.seen.slo).toEqual([]);
    expect(renderMetrics([signals])).toContain('sre_http_requests_throttled_total 1');
  });

  it('caps distinct routes and folds the rest into __other__', () => {
    const signals = createGoldenSignals({ maxRoutes: 3 }, { clock: createFakeClock() });
    for (let i = 0; i < 1_000; i++) signals.finish('GET', `/scan/${i}`, 404, signals.start(), 'completed');
    const stats = signals.stats();
    expect(stats.routes).toBe(4);
    expect(stats.overflowRoutes).toBe(997);
    expect(signals.routes().find((r) => r.route === '__other__')?.requests).toBe(997);
  });

  it('honours a custom error classification', () => {
    const signals = createGoldenSignals({ isError: (status) => status >= 400 }, { clock: createFakeClock() });
    signals.finish('GET', '/a', 429, signals.start(), 'completed');
    expect(signals.stats().errors).toBe(1);
  });

  it('sheds only when shedding is on and saturation reports overload, and counts it', () => {
    let overloaded: false | { reason: string; value: number; limit: number } = false;
    const saturation = { overloaded: () => overloaded };
    const s = sinks();
    const off = createGoldenSignals({ saturation }, { clock: createFakeClock() });
    const on = createGoldenSignals(
      { saturation, slos: [s.slo], shedding: { retryAfterSeconds: 7 } },
      { clock: createFakeClock() },
    );
    expect(on.admit()).toBeNull();
    overloaded = { reason: 'eventLoopDelay', value: 300, limit: 200 };
    expect(off.admit()).toBeNull();
    expect(on.admit()).toEqual({ status: 503, retryAfterSeconds: 7, reason: 'eventLoopDelay' });
    expect(on.stats().shed).toBe(1);
    expect(s.seen.slo).toEqual([{ ok: false, latencyMs: 0 }]);
    expect(renderMetrics([on])).toContain('sre_http_requests_shed_total{reason="eventLoopDelay"} 1');
  });

  it('ignores health and metrics paths by default, with or without a query string', () => {
    const signals = createGoldenSignals({}, { clock: createFakeClock() });
    expect(signals.isIgnored('/livez')).toBe(true);
    expect(signals.isIgnored('/metrics?x=1')).toBe(true);
    expect(signals.isIgnored('/users')).toBe(false);
    expect(createGoldenSignals({ ignore: ['/ping'] }).isIgnored('/health')).toBe(false);
  });

  it('exposes traffic, errors, aborts, in-flight and overflow as metric families', () => {
    const signals = createGoldenSignals({ maxRoutes: 1 }, { clock: createFakeClock() });
    signals.finish('GET', '/a', 200, signals.start(), 'completed');
    signals.finish('GET', '/a', 500, signals.start(), 'completed');
    signals.finish('GET', '/b', 200, signals.start(), 'completed');
    signals.finish('GET', '/a', 0, signals.start(), 'aborted');
    signals.start();
    const text = renderMetrics([signals]);
    expect(text).toContain('sre_http_requests_total{method="GET",route="/a",status_class="2xx"} 1\n');
    expect(text).toContain('sre_http_requests_total{method="GET",route="/a",status_class="5xx"} 1\n');
    expect(text).toContain('sre_http_requests_total{method="GET",route="__other__",status_class="2xx"} 1\n');
    expect(text).toContain('sre_http_request_errors_total{method="GET",route="/a",status="500"} 1\n');
    expect(text).toContain('sre_http_requests_aborted_total{method="GET",route="/a"} 1\n');
    expect(text).toContain('sre_http_requests_in_flight 1\n');
    expect(text).toContain('sre_http_routes_overflowed_total 1\n');
  });

  it('rejects bad options naming the field, and never freezes the trackers it is given', () => {
    expect(() => createGoldenSignals({ maxRoutes: 0 })).toThrow(ConfigError);
    expect(() => createGoldenSignals({ latency: {} as never })).toThrow(
      'latency: expected a latency tracker',
    );
    expect(() => createGoldenSignals({ ignore: ['health'] })).toThrow('ignore[0]');
    const tracker = { record: () => {} };
    createGoldenSignals({ latency: tracker });
    expect(Object.isFrozen(tracker)).toBe(false);
  });
});

describe('golden signals latency metrics', () => {
  // A stand-in tracker with the latency tracker's read surface: exact cumulative buckets.
  function fakeTracker() {
    const values = new Map<string, number[]>();
    return {
      record(ms: number, key = '') {
        values.set(key, [...(values.get(key) ?? []), ms]);
      },
      cumulativeBuckets(bounds: readonly number[], key = '') {
        const xs = values.get(key) ?? [];
        return {
          buckets: [...bounds, Infinity].map((le) => ({ le, count: xs.filter((x) => x <= le).length })),
          sum: xs.reduce((a, b) => a + b, 0),
          count: xs.length,
        };
      },
      summary(key = '') {
        const xs = [...(values.get(key) ?? [])].sort((a, b) => a - b);
        const at = (p: number) => xs[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)] ?? 0;
        return { count: xs.length, p50: at(50), p90: at(90), p95: at(95), p99: at(99) };
      },
    };
  }

  it('renders a per-route histogram in seconds with trace exemplars, and quantiles', () => {
    const clock = createFakeClock({ start: 1_700_000_000_000 });
    const signals = createGoldenSignals({ latency: fakeTracker(), histogramBucketsMs: [50, 500] }, { clock });
    const t1 = signals.start();
    clock.advance(20);
    signals.finish('GET', '/a', 200, t1, 'completed', '4bf92f3577b34da6a3ce929d0e0e4736');
    const t2 = signals.start();
    clock.advance(300);
    signals.finish('GET', '/a', 200, t2, 'completed');
    const om = renderMetrics([signals], { format: 'openmetrics' });
    expect(om).toContain(
      'sre_http_request_duration_seconds_bucket{method="GET",route="/a",le="0.05"} 1 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 0.02 1700000000.02\n',
    );
    expect(om).toContain('sre_http_request_duration_seconds_bucket{method="GET",route="/a",le="0.5"} 2\n');
    expect(om).toContain('sre_http_request_duration_seconds_bucket{method="GET",route="/a",le="+Inf"} 2\n');
    expect(om).toContain('sre_http_request_duration_seconds_sum{method="GET",route="/a"} 0.32\n');
    expect(om).toContain(
      'sre_http_request_duration_quantiles_seconds{method="GET",route="/a",quantile="0.99"} 0.3\n',
    );
    expect(renderMetrics([signals])).not.toContain('trace_id');
  });

  it('rejects histogram bounds that are not strictly increasing', () => {
    expect(() => createGoldenSignals({ histogramBucketsMs: [100, 50] })).toThrow('histogramBucketsMs');
  });
});

describe('ignored paths', () => {
  it('cover everything under them, and nothing that merely shares a prefix', () => {
    const signals = createGoldenSignals({}, { clock: createFakeClock() });
    expect(signals.isIgnored('/readyz/database')).toBe(true);
    expect(signals.isIgnored('/startupz')).toBe(true);
    expect(signals.isIgnored('/healthy')).toBe(false);
    expect(signals.isIgnored('/api/health')).toBe(false);
    expect(createGoldenSignals({ ignore: [] }).isIgnored('/livez')).toBe(false);
  });
});
