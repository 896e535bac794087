import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createCircuitBreaker,
  createSaturationMonitor,
  createSloTracker,
  type SaturationMonitor,
} from 'sre-kit';
import { sreFastify, type SreFastifyOptions } from 'sre-kit/fastify';
import { checkPrometheusText } from '../../helpers/promtool.js';
import { abandonRequest, waitFor } from '../../helpers/http-server.js';

let app: FastifyInstance | undefined;
let saturation: SaturationMonitor | undefined;
afterEach(async () => {
  await app?.close();
  await saturation?.close();
  app = undefined;
  saturation = undefined;
});

async function start(options: SreFastifyOptions): Promise<string> {
  // Force-close on `close()`: after a client leaves a hijacked stream, bare Fastify 5's close() waits
  // forever otherwise (seen with and without sre-kit).
  const fastify = Fastify({ forceCloseConnections: true });
  await fastify.register(sreFastify, options);
  await fastify.register(
    async (api) => {
      api.get('/users/:id', async (request) => ({ id: (request.params as { id: string }).id }));
      api.get('/boom', async () => {
        throw new Error('handler failure');
      });
      api.get('/slow', async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return 'late';
      });
      // Hijacked: the handler writes to Node's response itself, once in full and once as an
      // endless stream.
      api.get('/raw', (_request, reply) => {
        reply.hijack();
        reply.raw.writeHead(200, { 'content-type': 'text/plain' });
        reply.raw.end('raw');
      });
      api.get('/stream', (_request, reply) => {
        reply.hijack();
        reply.raw.writeHead(200, { 'content-type': 'text/plain' });
        reply.raw.write('tick\n');
      });
      api.get('/block', async () => {
        const end = performance.now() + 1_200;
        while (performance.now() < end) {
          // starve the event loop
        }
        return 'blocked';
      });
    },
    { prefix: '/api' },
  );
  fastify.get('/internal', { config: { sre: false } }, async () => 'not measured');
  app = fastify;
  return fastify.listen({ port: 0, host: '127.0.0.1' });
}

function recorder() {
  const keys: string[] = [];
  const slo: boolean[] = [];
  return {
    latency: { record: (_ms: number, key?: string) => void keys.push(key ?? '') },
    slo: { record: (e: { ok: boolean }) => void slo.push(e.ok) },
    keys,
    sloEvents: slo,
  };
}

describe('sreFastify on a real Fastify 5 server', () => {
  it('keys by route template with the register prefix; 1,000 ids make one key', async () => {
    const r = recorder();
    const url = await start({ latency: r.latency, slos: [r.slo] });
    for (let i = 0; i < 1_000; i++) expect((await fetch(`${url}/api/users/${i}`)).status).toBe(200);
    await waitFor(() => r.keys.length === 1_000);
    expect(new Set(r.keys)).toEqual(new Set(['GET /api/users/:id']));
    expect(app!.sre.signals.stats()).toMatchObject({ requests: 1_000, errors: 0, inFlight: 0 });
  });

  it('counts thrown handlers as errors, 404s under one key, and opted-out routes not at all', async () => {
    const r = recorder();
    const url = await start({ latency: r.latency, slos: [r.slo] });
    expect((await fetch(`${url}/api/boom`)).status).toBe(500);
    for (let i = 0; i < 100; i++) expect((await fetch(`${url}/scan/${i}`)).status).toBe(404);
    expect((await fetch(`${url}/internal`)).status).toBe(200);
    await waitFor(() => app!.sre.signals.stats().requests === 101);
    const routes = Object.fromEntries(app!.sre.signals.routes().map((x) => [x.route, x]));
    expect(routes['/api/boom']?.errorsByStatus).toEqual({ '500': 1 });
    expect(routes['__unmatched__']?.byClass['4xx']).toBe(100);
    expect(routes['/internal']).toBeUndefined();
    expect(r.sloEvents.filter((ok) => !ok)).toHaveLength(1);
  });

  it('counts client aborts apart', async () => {
    const url = await start({});
    await abandonRequest(`${url}/api/slow`, 50);
    await waitFor(() => app!.sre.signals.stats().aborted === 1);
    expect(app!.sre.signals.stats()).toMatchObject({ requests: 0, errors: 0, aborted: 1 });
  });

  it('counts hijacked responses when they finish, and a hijacked stream the client leaves as an abort', async () => {
    const r = recorder();
    const url = await start({ latency: r.latency });
    // Sequential requests share one keep-alive connection: each must leave the in-flight list.
    for (let i = 0; i < 50; i++) expect(await (await fetch(`${url}/api/raw`)).text()).toBe('raw');
    await waitFor(() => app!.sre.signals.stats().requests === 50);
    expect(new Set(r.keys)).toEqual(new Set(['GET /api/raw']));
    expect(app!.sre.signals.stats()).toMatchObject({ inFlight: 0, aborted: 0 });

    const controller = new AbortController();
    const response = await fetch(`${url}/api/stream`, { signal: controller.signal });
    await response.body!.getReader().read();
    expect(app!.sre.signals.stats().inFlight).toBe(1);
    controller.abort();
    await waitFor(() => app!.sre.signals.stats().aborted === 1);
    expect(app!.sre.signals.stats()).toMatchObject({ requests: 50, inFlight: 0, aborted: 1 });
  });

  it('serves /metrics in both formats with SLO, breaker and saturation series; promtool accepts it', async () => {
    const slo = createSloTracker({ name: 'api', objective: { kind: 'availability', target: 0.999 } });
    const breaker = createCircuitBreaker({ name: 'payments' });
    saturation = createSaturationMonitor();
    const url = await start({ metrics: true, slos: [slo], breakers: [breaker], saturation, shedding: false });
    await fetch(`${url}/api/users/1`);
    await waitFor(() => app!.sre.signals.stats().requests === 1);
    const text = await fetch(`${url}/metrics`);
    expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await text.text();
    expect(body).toContain(
      'sre_http_requests_total{method="GET",route="/api/users/:id",status_class="2xx"} 1',
    );
    expect(body).toContain('sre_slo_events_total{slo="api",outcome="good"} 1');
    expect(body).toContain('sre_circuit_breaker_state{breaker="payments",state="closed"} 1');
    expect(body).toContain('# TYPE sre_heap_used_bytes gauge');
    expect(checkPrometheusText(body)).toEqual({ status: 0, output: '' });
    slo.close();
    breaker.close();
    const om = await fetch(`${url}/metrics`, {
      headers: { accept: 'application/openmetrics-text; version=1.0.0' },
    });
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect((await om.text()).endsWith('# EOF\n')).toBe(true);
    expect(app!.sre.signals.routes().some((route) => route.route === '/metrics')).toBe(false);
  });

  it('sheds with 503 and Retry-After while the event loop is blocked, and recovers', async () => {
    // One long stall is enough here (tripAfter: 1); the default of two samples in a row is tested with
    // the saturation monitor itself.
    saturation = createSaturationMonitor({
      sampleIntervalMs: 500,
      eventLoopDelay: { maxP99Ms: 500 },
      hysteresis: { tripAfter: 1 },
    });
    const url = await start({ saturation, shedding: { retryAfterSeconds: 2 } });
    // Starting the server may itself block the loop (module loading, JIT): begin from a fresh interval.
    saturation.sample();
    saturation.sample();
    expect((await fetch(`${url}/api/users/1`)).status).toBe(200);
    const overloaded = new Promise((resolve) => saturation!.once('overloaded', resolve));
    expect((await fetch(`${url}/api/block`)).status).toBe(200);
    await overloaded;
    const shed = await fetch(`${url}/api/users/2`);
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('2');
    await new Promise((resolve) => saturation!.once('recovered', resolve));
    expect((await fetch(`${url}/api/users/3`)).status).toBe(200);
    expect(app!.sre.signals.stats().shed).toBeGreaterThanOrEqual(1);
  });

  it('keeps series and memory bounded under 10,000 random 404 URLs', async () => {
    const url = await start({ maxRoutes: 50, metrics: true });
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let batch = 0; batch < 100; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          fetch(`${url}/scan/${batch}-${i}-${Math.random().toString(36).slice(2)}`).then((res) => res.text()),
        ),
      );
    }
    await waitFor(() => app!.sre.signals.stats().requests === 10_000);
    global.gc?.();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    const text = await (await fetch(`${url}/metrics`)).text();
    const series = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
    console.log(
      `10,000 random 404s on Fastify: ${app!.sre.signals.stats().routes} route keys, ${series} series, ` +
        `/metrics ${text.length} bytes, heap growth ${(heapGrowth / 1024 / 1024).toFixed(1)} MB (client included)`,
    );
    expect(app!.sre.signals.stats().routes).toBe(1);
    expect(app!.sre.signals.routes()[0]).toMatchObject({ route: '__unmatched__', requests: 10_000 });
    expect(series).toBeLessThan(20);
  });

  it('rejects bad options at registration with a ConfigError', async () => {
    const fastify = Fastify();
    await expect(fastify.register(sreFastify, { maxRoutes: -1 }).ready()).rejects.toThrow('maxRoutes');
    await fastify.close();
  });
});
