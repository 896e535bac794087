import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthRegistry, type HealthRegistry } from 'sre-kit';
import { healthRoutes, sreMiddleware } from 'sre-kit/express';
import { sreFastify } from 'sre-kit/fastify';
import { startServer, type TestServer } from '../helpers/http-server.js';

let health: HealthRegistry;
let cacheOk = true;
let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  health.close();
  cacheOk = true;
});

function registry(): HealthRegistry {
  health = createHealthRegistry({ service: 'checkout', version: '1.4.2' });
  health.register('process', () => ({ status: 'pass' }), { probes: ['liveness', 'readiness', 'startup'] });
  health.register('database', () => ({ status: 'pass', observedValue: 3, observedUnit: 'ms' }), {
    critical: true,
  });
  health.register(
    'cache',
    () => {
      if (!cacheOk) throw new Error('ECONNREFUSED 10.0.0.7:6379');
      return { status: 'pass' };
    },
    { critical: false },
  );
  return health;
}

const servers: Record<string, () => Promise<string>> = {
  express: async () => {
    const app = express();
    const sre = sreMiddleware({});
    app.use(sre);
    app.use(healthRoutes(registry()));
    const server: TestServer = await startServer(app);
    closeServer = async () => {
      await server.close();
      expect(sre.signals.stats().requests).toBe(0);
    };
    return server.url;
  },
  fastify: async () => {
    const app: FastifyInstance = Fastify();
    await app.register(sreFastify, { health: registry() });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    closeServer = async () => {
      expect(app.sre.signals.stats().requests).toBe(0);
      await app.close();
    };
    return url;
  },
};

describe.each(Object.keys(servers))('health routes on %s', (framework) => {
  it('answer liveness, readiness, startup and health+json per the registry, unmeasured', async () => {
    const url = await servers[framework]!();
    const live = await fetch(`${url}/livez`);
    expect([live.status, await live.text()]).toEqual([200, 'ok']);
    expect(live.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await fetch(`${url}/startupz`)).status).toBe(200);
    const verbose = await (await fetch(`${url}/readyz?verbose`)).text();
    expect(verbose).toBe('[+]process ok\n[+]database ok\n[+]cache ok\nreadyz check passed\n');

    cacheOk = false;
    const ready = await fetch(`${url}/readyz?verbose=1`);
    expect(ready.status).toBe(200);
    const text = await ready.text();
    expect(text).toContain('[-]cache failed: reason withheld');
    expect(text).toContain('readyz check passed with warnings');
    expect(text).not.toContain('10.0.0.7');
    const excluded = await (await fetch(`${url}/readyz?verbose&exclude=cache`)).text();
    expect(excluded).not.toContain('cache');

    const one = await fetch(`${url}/readyz/database`);
    expect([one.status, await one.text()]).toEqual([200, '[+]database ok\nreadyz check passed\n']);
    expect((await fetch(`${url}/readyz/nope`)).status).toBe(404);

    const json = await fetch(`${url}/health`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toContain('application/health+json');
    const body = (await json.json()) as { status: string; version: string; checks: Record<string, unknown> };
    expect(body.status).toBe('warn');
    expect(body.version).toBe('1.4.2');
    expect(Object.keys(body.checks).sort()).toEqual(['cache', 'database', 'process']);
    expect(JSON.stringify(body)).not.toContain('ECONNREFUSED');
  });

  it('fail readiness with 503 while draining, and keep liveness passing', async () => {
    const url = await servers[framework]!();
    health.drain();
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toContain('shutting down');
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    expect((await fetch(`${url}/health`)).status).toBe(503);
  });
});
