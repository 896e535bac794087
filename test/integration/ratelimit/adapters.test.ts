import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { parseList, type Item } from 'structured-headers';
import { afterEach, describe, expect, it } from 'vitest';
import { createClientKey, createRateLimiter, createSloTracker, renderMetrics } from 'sre-kit';
import { metricsHandler, rateLimit, sreMiddleware, THROTTLED_BODY } from 'sre-kit/express';
import { sreFastify } from 'sre-kit/fastify';
import { createFakeClock } from 'sre-kit/testing';
import { startServer, waitFor, type TestServer } from '../../helpers/http-server.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

const params = (header: string | null): Record<string, unknown> => {
  const [item] = parseList(header ?? '');
  return Object.fromEntries((item as Item)[1]);
};

/** Two a minute with a burst of 2, on a clock that stands still: three pass at once, the fourth is refused. */
function limiterAndSlo() {
  const clock = createFakeClock();
  const limiter = createRateLimiter({ rate: 2, perMs: 60_000, burst: 2, policyName: 'api' }, { clock });
  const slo = createSloTracker({ name: 'api', objective: { kind: 'availability', target: 0.999 } });
  return { limiter, slo };
}

async function expectThrottling(
  url: string,
  metricsUrl: string,
  slo: ReturnType<typeof limiterAndSlo>['slo'],
) {
  const responses: Response[] = [];
  for (let i = 0; i < 4; i++) responses.push(await fetch(`${url}/orders`));
  expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
  // Every response carries the draft-11 fields, parsed as structured-field lists.
  const first = responses[0]!;
  expect(parseList(first.headers.get('ratelimit-policy') ?? '')[0]![0]).toBe('api');
  expect(params(first.headers.get('ratelimit-policy'))).toEqual({ q: 2, w: 60 });
  expect(params(first.headers.get('ratelimit'))).toEqual({ r: 2, t: 30 });
  expect(first.headers.get('retry-after')).toBeNull();
  const refused = responses[3]!;
  expect(params(refused.headers.get('ratelimit'))).toEqual({ r: 0, t: 90 });
  expect(refused.headers.get('retry-after')).toBe('30');
  expect(await refused.json()).toEqual(THROTTLED_BODY);
  // Throttling is counted apart and never reaches the SLO: 3 good events, no bad one.
  const metrics = await (await fetch(metricsUrl)).text();
  expect(metrics).toContain('sre_http_requests_throttled_total 1');
  expect(slo.status()).toMatchObject({ good: 3, total: 3 });
}

describe('rate limiting on a real Express 5 server', () => {
  it('429 + Retry-After + draft-11 headers; refusals are throttling in /metrics, not SLO errors', async () => {
    const { limiter, slo } = limiterAndSlo();
    const sre = sreMiddleware({ slos: [slo] });
    const app = express();
    app.use(sre);
    app.get('/metrics', metricsHandler({ http: sre }));
    app.use(rateLimit({ limiter, headers: 'draft-11' }));
    app.get('/orders', (_req, res) => void res.json({ orders: [] }));
    const server: TestServer = await startServer(app);
    cleanup.push(() => server.close());
    await expectThrottling(server.url, `${server.url}/metrics`, slo);
    await waitFor(() => sre.signals.stats().inFlight === 0);
    // Three served; the refusal is throttling, not a request served or an error.
    expect(sre.signals.stats()).toMatchObject({ requests: 3, throttled: 1, errors: 0 });
  });

  it('keys by client behind a trusted proxy, never holding more than maxKeys', async () => {
    const limiter = createRateLimiter({ rate: 1, perMs: 60_000, maxKeys: 150 }, { clock: createFakeClock() });
    const app = express();
    app.use(rateLimit({ limiter, key: createClientKey({ trustProxy: 1 }), headers: 'draft-6' }));
    app.get('/', (_req, res) => void res.send('ok'));
    const server = await startServer(app);
    cleanup.push(() => server.close());
    const statuses = new Map<number, number>();
    for (let i = 0; i < 600; i++) {
      const res = await fetch(server.url, { headers: { 'x-forwarded-for': `198.51.${i >> 8}.${i & 255}` } });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (i === 0) expect(res.headers.get('ratelimit-limit')).toBe('1');
    }
    // Each of 600 clients got its own budget; the table kept at most 150 of them.
    expect(statuses.get(200)).toBe(600);
    expect(limiter.stats()).toMatchObject({ keys: 150, evicted: 450 });
    const again = await fetch(server.url, { headers: { 'x-forwarded-for': '198.51.2.87' } });
    expect(again.status).toBe(429);
  });
});

describe('rate limiting in the Fastify 5 plugin', () => {
  it('429 + Retry-After + draft-11 headers in onRequest; throttling in /metrics, not SLO errors', async () => {
    const { limiter, slo } = limiterAndSlo();
    const fastify: FastifyInstance = Fastify();
    cleanup.push(() => fastify.close());
    let handled = 0;
    await fastify.register(sreFastify, { slos: [slo], metrics: true, rateLimit: { limiter } });
    fastify.get('/orders', async () => {
      handled++;
      return { orders: [] };
    });
    fastify.get('/free', { config: { rateLimit: false } }, async () => 'free');
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const address = fastify.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    await expectThrottling(url, `${url}/metrics`, slo);
    expect(handled).toBe(3);
    // An exempt route is never limited, and carries no rate-limit fields.
    const free = await fetch(`${url}/free`);
    expect(free.status).toBe(200);
    expect(free.headers.get('ratelimit')).toBeNull();
    expect(fastify.sre.signals.stats()).toMatchObject({ throttled: 1 });
    expect(renderMetrics([fastify.sre.signals])).toContain('sre_http_requests_throttled_total 1');
  });

  it('rejects bad rate-limit options at registration, naming the field', async () => {
    const fastify = Fastify();
    cleanup.push(() => fastify.close());
    await expect(
      fastify.register(sreFastify, { rateLimit: { limiter: {} as never } }).ready(),
    ).rejects.toThrow(/limiter/);
  });
});
