import { context, metrics, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createCircuitBreaker,
  createLatencyTracker,
  createMonitor,
  createSloTracker,
  isSreError,
  renderMetrics,
  type Monitor,
} from 'sre-kit';
import { sreMiddleware } from 'sre-kit/express';
import { sreFastify } from 'sre-kit/fastify';
import { BRIDGE_INSTRUMENTS, bridgeToOpenTelemetry, HTTP_SERVER_DURATION_BUCKETS } from 'sre-kit/otel';
import { startServer, waitFor } from '../helpers/http-server.js';
import { attributeKey, histogramPoints, sdkUnderTest, valuePoints } from '../helpers/otel.js';

// The bridge against the real OpenTelemetry SDK (sdk-metrics with an in-memory exporter) over real
// requests: names, units, attributes, bucket boundaries and values as the HTTP semantic conventions
// define them, the monitor's gauges, a provider registered after the bridge, trace ids.

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function world() {
  const latency = createLatencyTracker({});
  const availability = createSloTracker({
    name: 'availability',
    objective: { kind: 'availability', target: 0.99 },
  });
  const payments = createCircuitBreaker({ name: 'payments' });
  const monitor = createMonitor({
    service: 'shop',
    latency,
    slos: [availability],
    breakers: [payments],
    evaluateIntervalMs: 2_147_483_647,
  });
  cleanups.push(
    () => monitor.close(),
    () => availability.close(),
  );
  return { latency, availability, payments, monitor };
}

async function expressApp(monitor: Monitor, sre: ReturnType<typeof sreMiddleware>, gate?: Promise<void>) {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(sre);
  app.get('/users/:id', (_req, res) => void res.json({ ok: true }));
  app.post('/users', (_req, res) => void res.status(201).json({ ok: true }));
  app.get('/boom', () => {
    throw new Error('handler failure');
  });
  app.get('/wait', async (_req, res) => {
    await gate;
    res.send('done');
  });
  const server = await startServer(app);
  cleanups.push(() => server.close());
  void monitor;
  return server.url;
}

const KEYS = (attributes: Record<string, unknown>) => attributeKey(attributes);

describe('OpenTelemetry HTTP server metrics (semantic conventions)', () => {
  it('names, units, attributes, bucket boundaries and values over real Express requests', async () => {
    const sdk = sdkUnderTest();
    cleanups.push(() => sdk.shutdown());
    const { latency, monitor } = world();
    const sre = sreMiddleware({ latency });
    const bridge = bridgeToOpenTelemetry({ meterProvider: sdk.provider, monitor, http: sre });
    cleanups.push(() => bridge.close());
    let open!: () => void;
    const url = await expressApp(monitor, sre, new Promise<void>((resolve) => (open = resolve)));

    await fetch(`${url}/users/1`);
    await fetch(`${url}/users/2`);
    await fetch(`${url}/users`, { method: 'POST' });
    await fetch(`${url}/boom`);
    await fetch(`${url}/nowhere`);
    await fetch(`${url}/users/3`, { method: 'PURGE' });
    await fetch(`${url}/users/4`, { headers: { 'x-forwarded-proto': 'https' } });
    const waiting = fetch(`${url}/wait`);
    await waitFor(() => sre.signals.stats().inFlight === 1);

    const during = await sdk.collect();
    const active = during.get('http.server.active_requests')!;
    expect(active.descriptor).toMatchObject({
      type: InstrumentType.UP_DOWN_COUNTER,
      unit: '{request}',
      description: 'Number of active HTTP server requests.',
    });
    expect(valuePoints(active).get(KEYS({ 'http.request.method': 'GET', 'url.scheme': 'http' }))).toBe(1);
    open();
    await (await waiting).text();
    await waitFor(() => sre.signals.stats().inFlight === 0);

    const all = await sdk.collect();
    const duration = all.get('http.server.request.duration')!;
    expect(duration.descriptor).toMatchObject({
      type: InstrumentType.HISTOGRAM,
      unit: 's',
      description: 'Duration of HTTP server requests.',
    });
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    const points = histogramPoints(duration);
    const route = (method: string, r: string | undefined, status: number, extra: object = {}) =>
      KEYS({
        'http.request.method': method,
        'url.scheme': 'http',
        ...(r === undefined ? {} : { 'http.route': r }),
        'http.response.status_code': status,
        ...extra,
      });
    const expected = new Map([
      [route('GET', '/users/:id', 200), 2],
      [route('POST', '/users', 201), 1],
      [route('GET', '/boom', 500, { 'error.type': '500' }), 1],
      [route('GET', undefined, 404), 1], // no route matched: no http.route, never the path
      [route('_OTHER', undefined, 404), 1], // PURGE is not a known method
      [KEYS({ ...JSON.parse(route('GET', '/users/:id', 200)), 'url.scheme': 'https' }), 1],
      [route('GET', '/wait', 200), 1],
    ]);
    expect(new Set(points.keys())).toEqual(new Set(expected.keys()));
    for (const [key, count] of expected) {
      const point = points.get(key)!;
      expect(point.value.count, key).toBe(count);
      expect(point.value.buckets.boundaries).toEqual([...HTTP_SERVER_DURATION_BUCKETS]);
      expect(point.value.buckets.counts.reduce((a, b) => a + b, 0)).toBe(count);
    }
    // Values: the same durations sre-kit's own latency tracker recorded, in seconds.
    const users = points.get(route('GET', '/users/:id', 200))!;
    const own = latency.cumulativeBuckets([1], 'GET /users/:id');
    const https = points.get(
      KEYS({ ...JSON.parse(route('GET', '/users/:id', 200)), 'url.scheme': 'https' }),
    )!;
    // (the tracker keeps its sum to the microsecond)
    expect(users.value.sum! + https.value.sum!).toBeCloseTo(own.sum / 1000, 5);
    expect(
      valuePoints(all.get('http.server.active_requests')).get(
        KEYS({ 'http.request.method': 'GET', 'url.scheme': 'http' }),
      ),
    ).toBe(0);
  });

  it('Fastify: the route template from its own route table, and aborted-free requests', async () => {
    const sdk = sdkUnderTest();
    cleanups.push(() => sdk.shutdown());
    const fastify = Fastify();
    await fastify.register(sreFastify, {});
    fastify.get('/items/:id', async () => ({ ok: true }));
    const url = await fastify.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => fastify.close());
    const bridge = bridgeToOpenTelemetry({ meterProvider: sdk.provider, http: fastify.sre });
    cleanups.push(() => bridge.close());
    await fetch(`${url}/items/7`);
    await fetch(`${url}/items/8`, { method: 'DELETE' });
    const points = histogramPoints((await sdk.collect()).get('http.server.request.duration'));
    expect([...points.keys()].sort()).toEqual(
      [
        KEYS({
          'http.request.method': 'GET',
          'url.scheme': 'http',
          'http.route': '/items/:id',
          'http.response.status_code': 200,
        }),
        KEYS({ 'http.request.method': 'DELETE', 'url.scheme': 'http', 'http.response.status_code': 404 }),
      ].sort(),
    );
  });
});

describe('the monitor as observable gauges', () => {
  it('reads SLO, breaker, component and incident state from one status() per collection', async () => {
    const sdk = sdkUnderTest();
    cleanups.push(() => sdk.shutdown());
    const { availability, payments, monitor } = world();
    let reads = 0;
    const counted = {
      status: () => {
        reads++;
        return monitor.status();
      },
      incidents: monitor.incidents,
    };
    const bridge = bridgeToOpenTelemetry({ meterProvider: sdk.provider, monitor: counted });
    cleanups.push(() => bridge.close());
    availability.record(true, 990);
    availability.record(false, 10);
    const isolation = payments.isolate();
    await monitor.evaluate();
    const got = await sdk.collect();
    expect(reads).toBe(1);
    const status = monitor.status();
    const slo = { 'sre_kit.slo.name': 'availability' };
    expect(valuePoints(got.get('sre_kit.slo.error_budget.remaining')).get(KEYS(slo))).toBeCloseTo(
      status.slos[0]!.budget.remaining,
      12,
    );
    expect(valuePoints(got.get('sre_kit.slo.target')).get(KEYS(slo))).toBe(0.99);
    expect(valuePoints(got.get('sre_kit.slo.sli')).get(KEYS(slo))).toBeCloseTo(0.99, 12);
    expect(
      valuePoints(got.get('sre_kit.slo.burn_rate')).get(KEYS({ ...slo, 'sre_kit.slo.window': '1h' })),
    ).toBeCloseTo(1, 9);
    const breaker = valuePoints(got.get('sre_kit.circuit_breaker.state'));
    const state = (s: string) =>
      breaker.get(KEYS({ 'sre_kit.circuit_breaker.name': 'payments', 'sre_kit.circuit_breaker.state': s }));
    expect([state('closed'), state('open'), state('halfOpen'), state('isolated')]).toEqual([0, 0, 0, 1]);
    expect(
      valuePoints(got.get('sre_kit.component.status')).get(
        KEYS({ 'sre_kit.component.source': 'breaker:payments', 'sre_kit.component.status': 'major_outage' }),
      ),
    ).toBe(1);
    const incidents = valuePoints(got.get('sre_kit.incidents.open'));
    const open = [...incidents.entries()].filter(([, v]) => v > 0);
    // The breaker's incident: the monitor wrote its root cause (the dependency), so it is identified.
    expect(open).toEqual([
      [KEYS({ 'sre_kit.incident.phase': 'identified', 'sre_kit.incident.severity': 'P3' }), 1],
    ]);
    // Every gauge the docs name, each with its unit.
    for (const instrument of BRIDGE_INSTRUMENTS.filter(
      (i) => i.type === 'gauge' && !i.name.includes('saturation'),
    ))
      expect(got.get(instrument.name)?.descriptor.unit, instrument.name).toBe(instrument.unit);
    isolation.release();
  });
});

describe('a meter provider registered after the bridge', () => {
  afterEach(() => metrics.disable());

  it('loses no request and no gauge (measurements wait, then replay)', async () => {
    metrics.disable(); // no global provider: the API's no-op one
    const { latency, monitor } = world();
    const sre = sreMiddleware({ latency });
    const bridge = bridgeToOpenTelemetry({ monitor, http: sre, resolveIntervalMs: 10 });
    cleanups.push(() => bridge.close());
    const url = await expressApp(monitor, sre);
    for (let i = 0; i < 5; i++) await fetch(`${url}/users/${i}`);
    expect(bridge.resolved).toBe(false);

    const sdk = sdkUnderTest();
    cleanups.push(() => sdk.shutdown());
    expect(metrics.setGlobalMeterProvider(sdk.provider)).toBe(true);
    await fetch(`${url}/users/late`);
    expect(bridge.resolved).toBe(true);
    const got = await sdk.collect();
    const points = histogramPoints(got.get('http.server.request.duration'));
    const key = KEYS({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'http.route': '/users/:id',
      'http.response.status_code': 200,
    });
    expect(points.get(key)?.value.count).toBe(6);
    expect(
      valuePoints(got.get('http.server.active_requests')).get(
        KEYS({ 'http.request.method': 'GET', 'url.scheme': 'http' }),
      ),
    ).toBe(0);
    expect(got.has('sre_kit.slo.error_budget.remaining')).toBe(true);
    expect(bridge.pendingDropped).toBe(0);
  });

  it('registers its gauges without any request, and counts what it had to drop', async () => {
    metrics.disable();
    const { monitor } = world();
    const sre = sreMiddleware({});
    const bridge = bridgeToOpenTelemetry({ monitor, http: sre, maxPending: 2, resolveIntervalMs: 10 });
    cleanups.push(() => bridge.close());
    const url = await expressApp(monitor, sre);
    await fetch(`${url}/users/1`);
    await fetch(`${url}/users/2`); // 2 measurements each (duration, active ±): 2 kept, the rest dropped
    expect(bridge.pendingDropped).toBe(4);
    const sdk = sdkUnderTest();
    cleanups.push(() => sdk.shutdown());
    metrics.setGlobalMeterProvider(sdk.provider);
    await waitFor(() => bridge.resolved); // the bridge looks for the provider on its own
    const got = await sdk.collect();
    expect(got.has('sre_kit.circuit_breaker.state')).toBe(true);
  });
});

describe('trace ids', () => {
  afterEach(() => context.disable());

  it('the active span becomes the latency exemplar and the trace_id of an incident opened in it', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const sdk = sdkUnderTest();
    cleanups.push(() => sdk.shutdown());
    const { latency, payments, monitor } = world();
    const sre = sreMiddleware({ latency });
    const bridge = bridgeToOpenTelemetry({ meterProvider: sdk.provider, monitor, http: sre });
    cleanups.push(() => bridge.close());
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const app = express();
    // What an HTTP instrumentation does: a server span, active for the handler and the response's events.
    app.use((_req, res, next) => {
      const span = trace.wrapSpanContext({
        traceId,
        spanId: '00f067aa0ba902b7',
        traceFlags: TraceFlags.SAMPLED,
      });
      const ctx = trace.setSpan(context.active(), span);
      context.bind(ctx, res);
      context.with(ctx, next);
    });
    app.use(sre);
    app.get('/pay', (_req, res) => {
      payments.isolate(); // the breaker opens during this request: the monitor opens an incident
      res.send('refused');
    });
    const server = await startServer(app);
    cleanups.push(() => server.close());
    await fetch(`${server.url}/pay`);
    const exemplars = renderMetrics([sre.signals], { format: 'openmetrics' });
    expect(exemplars).toContain(`# {trace_id="${traceId}"}`);
    await waitFor(() => monitor.incidents.list().some((i) => i.labels['trace_id'] === traceId));
    const incident = monitor.incidents.list()[0]!;
    expect(incident.dedupKey).toBe('breaker:payments');
  });
});

describe('bridge configuration', () => {
  it('rejects nothing to observe, a bad method, and a second bridge on one adapter', () => {
    const sre = sreMiddleware({});
    const bad = [
      () => bridgeToOpenTelemetry({}),
      () => bridgeToOpenTelemetry({ http: sre, knownMethods: ['G E T'] }),
      () => bridgeToOpenTelemetry({ http: { signals: {} } as never }),
    ];
    for (const make of bad) expect(make).toThrow(/Invalid options/);
    const first = bridgeToOpenTelemetry({ http: sre, meterProvider: sdkUnderTest().provider });
    try {
      bridgeToOpenTelemetry({ http: sre });
      expect.unreachable();
    } catch (error) {
      expect(isSreError(error, 'ERR_SRE_INVALID_OPTIONS')).toBe(true);
    } finally {
      first.close();
    }
    // Closed, the adapter can be bridged again.
    bridgeToOpenTelemetry({ http: sre, meterProvider: sdkUnderTest().provider }).close();
  });
});
