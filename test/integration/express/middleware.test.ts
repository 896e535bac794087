import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createSaturationMonitor, renderMetrics, type SaturationMonitor } from 'sre-kit';
import { sreMiddleware, OVERLOADED_BODY } from 'sre-kit/express';
import { abandonRequest, startServer, waitFor, type TestServer } from '../../helpers/http-server.js';

let server: TestServer | undefined;
let saturation: SaturationMonitor | undefined;
afterEach(async () => {
  await server?.close();
  await saturation?.close();
  server = undefined;
  saturation = undefined;
});

function recorder() {
  const latencyKeys: string[] = [];
  const sloEvents: boolean[] = [];
  return {
    latency: { record: (_ms: number, key?: string) => void latencyKeys.push(key ?? '') },
    slo: { record: (e: { ok: boolean }) => void sloEvents.push(e.ok) },
    latencyKeys,
    sloEvents,
  };
}

function buildApp(sre: express.RequestHandler) {
  const app = express();
  app.use(sre);
  const users = express.Router();
  users.get('/:id', (req, res) => void res.json({ id: req.params.id }));
  const orgs = express.Router();
  orgs.use('/:org/users', users);
  const api = express.Router();
  api.use('/orgs', orgs);
  api.get('/boom', () => {
    throw new Error('sync failure');
  });
  api.get('/async-boom', async () => {
    await Promise.resolve();
    throw new Error('async failure');
  });
  api.get('/slow', (_req, res) => void setTimeout(() => res.send('late'), 300));
  app.use('/api', api);
  app.get('/livez', (_req, res) => void res.send('ok'));
  app.get('/items/:id', (_req, res) => void res.send('item'));
  return app;
}

describe('sreMiddleware on a real Express 5 server', () => {
  it('keys latency by the full route template, including router mount prefixes', async () => {
    const r = recorder();
    const sre = sreMiddleware({ latency: r.latency, slos: [r.slo] });
    server = await startServer(buildApp(sre));
    for (let i = 0; i < 1_000; i++) {
      const res = await fetch(`${server.url}/api/orgs/${i % 7}/users/${i}`);
      expect(res.status).toBe(200);
    }
    await waitFor(() => r.latencyKeys.length === 1_000);
    expect(new Set(r.latencyKeys)).toEqual(new Set(['GET /api/orgs/:org/users/:id']));
    expect(sre.signals.routes().map((route) => route.route)).toEqual(['/api/orgs/:org/users/:id']);
  });

  it('counts thrown and rejected handlers as 5xx errors and feeds SLOs', async () => {
    const r = recorder();
    const sre = sreMiddleware({ latency: r.latency, slos: [r.slo] });
    server = await startServer(buildApp(sre));
    expect((await fetch(`${server.url}/api/boom`)).status).toBe(500);
    expect((await fetch(`${server.url}/api/async-boom`)).status).toBe(500);
    expect((await fetch(`${server.url}/items/1`)).status).toBe(200);
    await waitFor(() => r.sloEvents.length === 3);
    expect(r.sloEvents).toEqual([false, false, true]);
    const routes = Object.fromEntries(sre.signals.routes().map((x) => [x.route, x]));
    expect(routes['/api/boom']?.errorsByStatus).toEqual({ '500': 1 });
    expect(routes['/api/async-boom']?.errors).toBe(1);
    expect(sre.signals.stats()).toMatchObject({ requests: 3, errors: 2, inFlight: 0 });
  });

  it('counts a client that leaves before the response as aborted, not as an error', async () => {
    const r = recorder();
    const sre = sreMiddleware({ latency: r.latency, slos: [r.slo] });
    server = await startServer(buildApp(sre));
    await abandonRequest(`${server.url}/api/slow`, 50);
    await waitFor(() => sre.signals.stats().aborted === 1);
    expect(sre.signals.stats()).toMatchObject({ requests: 0, errors: 0, aborted: 1, inFlight: 0 });
    expect(r.sloEvents).toEqual([]);
  });

  it('does not measure ignored paths', async () => {
    const sre = sreMiddleware({});
    server = await startServer(buildApp(sre));
    await fetch(`${server.url}/livez`);
    expect(sre.signals.stats().requests).toBe(0);
  });

  it('keeps series and memory bounded under 10,000 random 404 URLs', async () => {
    const sre = sreMiddleware({ maxRoutes: 50 });
    server = await startServer(buildApp(sre));
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let batch = 0; batch < 100; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          fetch(`${server!.url}/scan/${batch}-${i}-${Math.random().toString(36).slice(2)}`).then((res) =>
            res.text(),
          ),
        ),
      );
    }
    await waitFor(() => sre.signals.stats().requests === 10_000);
    global.gc?.();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    const text = renderMetrics([sre.signals]);
    const series = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
    console.log(
      `10,000 random 404s: ${sre.signals.stats().routes} route keys, ${series} series, /metrics ${text.length} bytes, heap growth ${(heapGrowth / 1024 / 1024).toFixed(1)} MB`,
    );
    expect(sre.signals.stats().routes).toBe(1);
    expect(sre.signals.routes()[0]).toMatchObject({ route: '__unmatched__', requests: 10_000 });
    expect(series).toBeLessThan(20);
    expect(text.length).toBeLessThan(4_096);
  });

  it('sheds with 503 and Retry-After while the event loop is blocked, and recovers', async () => {
    // One long stall is enough here (tripAfter: 1); the default of two samples in a row is tested with
    // the saturation monitor itself.
    saturation = createSaturationMonitor({
      sampleIntervalMs: 500,
      eventLoopDelay: { maxP99Ms: 500 },
      hysteresis: { tripAfter: 1 },
    });
    const sre = sreMiddleware({ saturation, shedding: { retryAfterSeconds: 3 } });
    const app = buildApp(sre);
    app.get('/block', (_req, res) => {
      const end = performance.now() + 1_200;
      while (performance.now() < end) {
        // a CPU-bound handler starving the event loop
      }
      res.send('blocked');
    });
    server = await startServer(app);
    // Starting the server may itself block the loop (module loading, JIT): begin from a fresh interval.
    saturation.sample();
    saturation.sample();
    expect((await fetch(`${server.url}/items/1`)).status).toBe(200);
    const overloaded = new Promise((resolve) => saturation!.once('overloaded', resolve));
    expect((await fetch(`${server.url}/block`)).status).toBe(200);
    await overloaded;
    const shed = await fetch(`${server.url}/items/2`);
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('3');
    expect(await shed.json()).toEqual(OVERLOADED_BODY);
    // Health checks are exempt from shedding.
    expect((await fetch(`${server.url}/livez`)).status).toBe(200);
    await new Promise((resolve) => saturation!.once('recovered', resolve));
    expect((await fetch(`${server.url}/items/3`)).status).toBe(200);
    expect(sre.signals.stats().shed).toBeGreaterThanOrEqual(1);
  });
});
