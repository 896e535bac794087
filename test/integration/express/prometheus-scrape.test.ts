import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { createCircuitBreaker, createSaturationMonitor, createSloTracker } from 'sre-kit';
import { metricsHandler, sreMiddleware } from 'sre-kit/express';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { startPrometheus, type PrometheusServer } from '../../helpers/prometheus-server.js';

let server: TestServer | undefined;
let prometheus: PrometheusServer | undefined;
const saturation = createSaturationMonitor();
const availability = createSloTracker({ name: 'api', objective: { kind: 'availability', target: 0.99 } });
const payments = createCircuitBreaker({ name: 'payments' });
afterAll(async () => {
  availability.close();
  payments.close();
  await prometheus?.close();
  await server?.close();
  await saturation.close();
});

async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('a real Prometheus scraping sre-kit/express', () => {
  it('scrapes our series (OpenMetrics, as Prometheus asks for it) with the right values', async () => {
    // A latency sink with exact buckets, so the histogram and its exemplars can be checked by value.
    const values = new Map<string, number[]>();
    const latency = {
      record: (ms: number, key = '') => void values.set(key, [...(values.get(key) ?? []), ms]),
      cumulativeBuckets: (bounds: readonly number[], key = '') => {
        const xs = values.get(key) ?? [];
        return {
          buckets: [...bounds, Infinity].map((le) => ({ le, count: xs.filter((x) => x <= le).length })),
          sum: xs.reduce((a, b) => a + b, 0),
          count: xs.length,
        };
      },
    };
    const sre = sreMiddleware({ latency, slos: [availability] });
    const app = express();
    app.use(sre);
    app.get('/users/:id', (_req, res) => void res.send('ok'));
    app.get('/fail', (_req, res) => void res.status(502).send('bad gateway'));
    app.get(
      '/metrics',
      metricsHandler({ http: sre, slos: [availability], breakers: [payments], saturation }),
    );
    server = await startServer(app);

    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    for (let i = 0; i < 7; i++)
      await fetch(`${server.url}/users/${i}`, {
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      });
    for (let i = 0; i < 3; i++) await fetch(`${server.url}/fail`);

    prometheus = await startPrometheus([new URL(server.url).host]);
    const up = await eventually(
      () => prometheus!.query('up{job="sre-kit-test"}'),
      (r) => r[0]?.value[1] === '1',
    );
    expect(up[0]?.value[1]).toBe('1');

    const ok = await prometheus.query('sre_http_requests_total{route="/users/:id",status_class="2xx"}');
    expect(ok[0]?.metric).toMatchObject({ method: 'GET', route: '/users/:id', status_class: '2xx' });
    expect(ok[0]?.value[1]).toBe('7');
    const errors = await prometheus.query('sre_http_request_errors_total{route="/fail"}');
    expect(errors[0]?.metric.status).toBe('502');
    expect(errors[0]?.value[1]).toBe('3');
    const count = await prometheus.query('sre_http_request_duration_seconds_count{route="/users/:id"}');
    expect(count[0]?.value[1]).toBe('7');
    const inf = await prometheus.query(
      'sre_http_request_duration_seconds_bucket{route="/users/:id",le="+Inf"}',
    );
    expect(inf[0]?.value[1]).toBe('7');
    const bad = await prometheus.query('sre_slo_events_total{slo="api",outcome="bad"}');
    expect(bad[0]?.value[1]).toBe('3');
    const good = await prometheus.query('sre_slo_events_total{slo="api",outcome="good"}');
    expect(good[0]?.value[1]).toBe('7');
    const state = await prometheus.query('sre_circuit_breaker_state{breaker="payments"} == 1');
    expect(state.map((r) => r.metric.state)).toEqual(['closed']);
    const heap = await prometheus.query('sre_heap_used_bytes');
    expect(Number(heap[0]?.value[1])).toBeGreaterThan(0);

    const exemplars = await eventually(
      () => prometheus!.exemplars('sre_http_request_duration_seconds_bucket{route="/users/:id"}'),
      (r) => r.length > 0,
    );
    expect(exemplars.flatMap((series) => series.exemplars.map((e) => e.labels.trace_id))).toContain(traceId);
  });
});
