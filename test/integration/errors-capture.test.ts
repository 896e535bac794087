// Error capture on real Express 5 and Fastify 5 servers: thrown, rejected and next(err) errors land in
// the error groups with their route template, the status sent and the trace id; an error the
// application answers with a 4xx does not; /metrics serves sre_errors_total{type,route}.
import express, { type NextFunction, type Request, type Response } from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createErrorGroups, type ErrorGroups } from 'sre-kit';
import { metricsHandler, sreMiddleware } from 'sre-kit/express';
import { sreFastify } from 'sre-kit/fastify';
import { startServer, waitFor, type TestServer } from '../helpers/http-server.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const inAppRoot = process.cwd();

class NotFoundError extends Error {
  readonly status = 404;
}

function loadOrder(id: string): never {
  throw new TypeError(`Cannot read properties of undefined (reading 'total') for order ${id}`);
}

async function chargeCard(): Promise<never> {
  await Promise.resolve();
  throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:443'), { code: 'ECONNREFUSED' });
}

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function exercise(url: string, errors: ErrorGroups): Promise<string> {
  const statuses: number[] = [];
  for (const path of ['/orders/1', '/orders/2', '/pay', '/legacy', '/missing/7', '/ok']) {
    const res = await fetch(`${url}${path}`, { headers: { traceparent: TRACEPARENT } });
    statuses.push(res.status);
    await res.arrayBuffer();
  }
  expect(statuses).toEqual([500, 500, 500, 502, 404, 200]);
  await waitFor(() => errors.stats().captured === 4);
  // Most errors first; the two single errors in route order (their order by recency is a race).
  const top = errors.top();
  top.splice(1, 2, ...top.slice(1, 3).sort((a, b) => a.routes[0]!.route.localeCompare(b.routes[0]!.route)));
  expect(top.map((g) => [g.type, g.location, g.count, g.routes.map((r) => r.route)])).toEqual([
    ['TypeError', 'test/integration/errors-capture.test.ts:loadOrder', 2, ['GET /orders/:id']],
    ['Error', expect.stringContaining('test/integration/errors-capture.test.ts'), 1, ['GET /legacy']],
    ['Error', 'test/integration/errors-capture.test.ts:chargeCard', 1, ['GET /pay']],
  ]);
  expect(top[0]!.sample).toMatchObject({
    message: "Cannot read properties of undefined (reading 'total') for order <num>",
    status: 500,
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  });
  expect(top[2]).toMatchObject({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED <ip>:443' });
  expect(top[1]!.sample.status).toBe(502);
  const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
  return metrics;
}

describe('error capture', () => {
  it('Express: errorHandler captures thrown, rejected and next(err) errors; /metrics serves them', async () => {
    const errors = createErrorGroups({ inAppRoot });
    const sre = sreMiddleware({ errors });
    const app = express();
    app.use(sre);
    app.get('/metrics', metricsHandler({ http: sre }));
    app.get('/orders/:id', (req) => loadOrder(req.params.id));
    app.get('/pay', async () => chargeCard());
    app.get('/legacy', (_req, _res, next) => next(Object.assign(new Error('upstream 502'), { status: 502 })));
    app.get('/missing/:id', () => {
      throw new NotFoundError('no such thing');
    });
    app.get('/ok', (_req, res) => void res.send('ok'));
    app.use(sre.errorHandler);
    // The application's own handler answers; the capture sees the status it sent.
    app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
      res.status(err.status ?? 500).json({ error: err.message });
    });
    const server = await startServer(app);
    servers.push(server);
    const metrics = await exercise(server.url, errors);
    expect(metrics).toContain('sre_errors_total{type="TypeError",route="GET /orders/:id"} 2');
    expect(metrics).toContain('sre_errors_total{type="Error",route="GET /pay"} 1');
    expect(metrics).not.toContain('NotFoundError');
    expect(metrics).toContain('sre_errors_captured_total 4');
  });

  it('Fastify: the plugin captures thrown, rejected and sent errors; /metrics serves them', async () => {
    const errors = createErrorGroups({ inAppRoot });
    const app = Fastify();
    await app.register(sreFastify, { errors, metrics: true });
    app.get<{ Params: { id: string } }>('/orders/:id', (req) => loadOrder(req.params.id));
    app.get('/pay', async () => chargeCard());
    app.get('/legacy', (_req, reply) => {
      void reply.send(Object.assign(new Error('upstream 502'), { statusCode: 502 }));
    });
    app.get('/missing/:id', () => {
      throw Object.assign(new NotFoundError('no such thing'), { statusCode: 404 });
    });
    app.get('/ok', () => 'ok');
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address() as { port: number };
    servers.push({ url: '', server: app.server, close: () => app.close() });
    const metrics = await exercise(`http://127.0.0.1:${address.port}`, errors);
    expect(metrics).toContain('sre_errors_total{type="TypeError",route="GET /orders/:id"} 2');
    expect(metrics).not.toContain('NotFoundError');
    expect(app.sre.errors).toBe(errors);
  });

  it('rejects error groups without capture(), naming the option', async () => {
    expect(() => sreMiddleware({ errors: {} as never })).toThrow(/errors: expected error groups \(capture\)/);
    await expect(Fastify().register(sreFastify, { errors: { collect: () => [] } as never })).rejects.toThrow(
      /errors: expected error groups \(capture\)/,
    );
  });
});
