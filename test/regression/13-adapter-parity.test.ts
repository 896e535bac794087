// Issue 13, item 23: the two adapters behave identically. Liveness text while draining listed
// `[-]shutdown failed` yet answered "livez check passed" (the shutdown line belongs to readiness only);
// `/livez/` was 200 on Express and 404 on Fastify; Fastify did not count the 400 and 414 it answers for a
// malformed or over-long URL. Here the same requests go to a real Express 5 and a real Fastify 5 server
// wired with the same primitives, and their status codes, bodies and metrics are compared.
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createCircuitBreaker,
  createHealthRegistry,
  createSloTracker,
  toProbeText,
  type CircuitBreaker,
  type HealthRegistry,
  type SloTracker,
} from 'sre-kit';
import { healthRoutes, metricsHandler, sreMiddleware } from 'sre-kit/express';
import { sreFastify } from 'sre-kit/fastify';
import { startServer, waitFor } from '../helpers/http-server.js';

interface Stack {
  readonly health: HealthRegistry;
  readonly slo: SloTracker;
  readonly breaker: CircuitBreaker;
}

interface Running {
  readonly url: string;
  readonly stack: Stack;
  requests(): number;
}

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function stack(): Stack {
  const health = createHealthRegistry({ service: 'checkout' });
  health.register('process', () => ({ status: 'pass' }), { probes: ['liveness', 'readiness'] });
  health.register('database', () => ({ status: 'pass' }));
  const slo = createSloTracker({ name: 'availability', objective: { kind: 'availability', target: 0.999 } });
  const breaker = createCircuitBreaker({ name: 'payments' });
  closers.push(() => {
    health.close();
    slo.close();
    breaker.close();
  });
  return { health, slo, breaker };
}

async function expressServer(): Promise<Running> {
  const s = stack();
  const app = express();
  const sre = sreMiddleware({ slos: [s.slo] });
  app.use(sre);
  app.use(healthRoutes(s.health));
  app.get('/metrics', metricsHandler({ http: sre, slos: [s.slo], breakers: [s.breaker] }));
  app.get('/users/:id', (req, res) => void res.json({ id: req.params.id }));
  const server = await startServer(app);
  closers.push(() => server.close());
  return { url: server.url, stack: s, requests: () => sre.signals.stats().requests };
}

async function fastifyServer(): Promise<Running> {
  const s = stack();
  const app: FastifyInstance = Fastify();
  await app.register(sreFastify, { slos: [s.slo], breakers: [s.breaker], health: s.health, metrics: true });
  app.get('/users/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  return { url, stack: s, requests: () => app.sre.signals.stats().requests };
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

/** The request series of a scrape, sorted: what a dashboard would see. */
async function requestSeries(url: string): Promise<string[]> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => /^sre_(http_requests_total|http_request_errors_total|slo_events_total)\{/.test(line))
    .sort();
}

// sre-kit's own routes, with and without a trailing slash: both frameworks answer them alike (the
// Kubernetes API server serves `/livez/` as `/livez`, and so does Express by default).
const OWN_ROUTES = [
  '/livez',
  '/livez/',
  '/livez?verbose',
  '/readyz',
  '/readyz/',
  '/readyz/database',
  '/readyz/database/',
  '/readyz/nope',
  '/startupz/',
  '/health/',
];

describe('issue 13 item 23: Express and Fastify answer alike', () => {
  it('the same requests get the same status codes and bodies from both servers', async () => {
    const servers = [await expressServer(), await fastifyServer()];
    const answers = await Promise.all(
      servers.map(async (server) => {
        const out: Record<string, { status: number; body: string }> = {};
        for (const path of OWN_ROUTES) out[path] = await get(`${server.url}${path}`);
        // `/health` carries a timestamp and durations: compare its status and shape.
        for (const path of ['/health/']) {
          const { status, body } = out[path]!;
          out[path] = { status, body: JSON.stringify(Object.keys(JSON.parse(body) as object).sort()) };
        }
        return out;
      }),
    );
    expect(answers[0]!['/livez/']).toEqual({ status: 200, body: 'ok' });
    expect(answers[0]!['/readyz/database/']).toEqual({
      status: 200,
      body: '[+]database ok\nreadyz check passed\n',
    });
    expect(answers[1]).toEqual(answers[0]);
  });

  it('count the same app traffic, including 400 for a malformed URL, in the same series', async () => {
    const servers = [await expressServer(), await fastifyServer()];
    const paths = ['/users/1', '/users/2', '/users/%E0%A4%A', '/nope'];
    const statuses = await Promise.all(
      servers.map(async (server) => {
        const out: number[] = [];
        for (const path of paths) out.push((await fetch(`${server.url}${path}`)).status);
        await waitFor(() => server.requests() === paths.length);
        return out;
      }),
    );
    expect(statuses[0]).toEqual([200, 200, 400, 404]);
    expect(statuses[1]).toEqual(statuses[0]);
    const series = await Promise.all(servers.map((server) => requestSeries(server.url)));
    expect(series[0]).toContain(
      'sre_http_requests_total{method="GET",route="__unmatched__",status_class="4xx"} 2',
    );
    expect(series[1]).toEqual(series[0]);
  });

  it('Fastify counts the 414 it answers for an over-long parameter, as Express counts what it answers', async () => {
    const fastify = await fastifyServer();
    const long = 'x'.repeat(101); // Fastify's default maxParamLength is 100; Express has no such limit
    expect((await fetch(`${fastify.url}/users/${long}`)).status).toBe(414);
    await waitFor(() => fastify.requests() === 1);
    expect(await requestSeries(fastify.url)).toContain(
      'sre_http_requests_total{method="GET",route="__unmatched__",status_class="4xx"} 1',
    );
  });

  it('while draining, liveness lists no shutdown line and readiness does, on both servers', async () => {
    for (const server of [await expressServer(), await fastifyServer()]) {
      server.stack.health.drain();
      expect(await get(`${server.url}/livez?verbose`)).toEqual({
        status: 200,
        body: '[+]process ok\nlivez check passed\n',
      });
      expect(await get(`${server.url}/readyz`)).toEqual({
        status: 503,
        body: '[-]shutdown failed: shutting down\nreadyz check failed\n',
      });
    }
  });
});

describe('issue 13 item 23: probe text while draining', () => {
  it('a failing liveness check while draining is reported as itself, with no shutdown line', async () => {
    const health = createHealthRegistry();
    closers.push(() => health.close());
    health.register('loop', () => ({ status: 'fail' }), { probes: ['liveness'] });
    health.drain();
    const { body, httpStatus } = toProbeText(await health.check({ probe: 'liveness' }));
    expect(httpStatus).toBe(503);
    expect(body).toBe('[-]loop failed: reason withheld\nlivez check failed\n');
    expect(toProbeText(await health.check({ probe: 'startup' }), { verbose: true }).body).not.toContain(
      'shutdown',
    );
  });
});
