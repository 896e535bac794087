import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSreError, statusSummarySchema, type GoldenSignals } from 'sre-kit';
import { sreMiddleware, statusPage } from 'sre-kit/express';
import { sreFastify } from 'sre-kit/fastify';
import { startServer } from '../helpers/http-server.js';
import { PAGE_OPTIONS, statusFixture, type StatusFixture } from '../helpers/status-monitor.js';

// Both adapters serve the same page from the same monitor, answer the same way, and leave page views
// out of the service's golden signals.

let dir: string;
let fixture: StatusFixture;
const cleanups: (() => Promise<void>)[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sre-status-adapters-'));
  fixture = await statusFixture(dir);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await fixture.close();
  await rm(dir, { recursive: true, force: true });
});

async function expressServer(): Promise<{ url: string; signals: GoldenSignals }> {
  const app = express();
  const sre = sreMiddleware({});
  app.use(sre);
  app.use(statusPage(fixture.monitor, PAGE_OPTIONS));
  app.get('/orders/:id', (_req, res) => void res.json({ ok: true }));
  const server = await startServer(app);
  cleanups.push(() => server.close());
  return { url: server.url, signals: sre.signals };
}

async function fastifyServer(): Promise<{ url: string; signals: GoldenSignals }> {
  const fastify: FastifyInstance = Fastify();
  await fastify.register(sreFastify, { statusPage: { monitor: fixture.monitor, ...PAGE_OPTIONS } });
  fastify.get('/orders/:id', async () => ({ ok: true }));
  const url = await fastify.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => fastify.close());
  return { url, signals: fastify.sre.signals };
}

describe.each([
  ['Express', expressServer],
  ['Fastify', fastifyServer],
])('%s serves the status page', (_name, start) => {
  it('HTML, summary.json, badges, HEAD, 304 and 404, none of it counted as traffic', async () => {
    const { url, signals } = await start();
    const html = await fetch(`${url}/status`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('cache-control')).toBe('public, max-age=30');
    expect(await html.text()).toContain('<h1>Checkout status</h1>');
    expect((await fetch(`${url}/status/`)).status).toBe(200);

    const json = await fetch(`${url}/status/summary.json`);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const etag = json.headers.get('etag')!;
    const summary = statusSummarySchema.parse(await json.json());
    expect(summary.status.indicator).toBe('critical');
    const again = await fetch(`${url}/status/summary.json`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const badge = await fetch(`${url}/status/badge/database.svg?metric=uptime`);
    expect(badge.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(await badge.text()).toMatch(/<title>Database: \d+\.\d\d %<\/title>/);
    const head = await fetch(`${url}/status/summary.json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${url}/status/badge/nothing.svg`)).status).toBe(404);
    expect((await fetch(`${url}/status/other`)).status).toBe(404);

    await fetch(`${url}/orders/1`);
    expect(signals.stats().requests).toBe(1); // only the order: page views are not service traffic
  });
});

describe('status page configuration mistakes', () => {
  it('are ConfigErrors on both adapters', async () => {
    expect(() => statusPage({} as never, { title: 'x' })).toThrow(/monitor/);
    const fastify = Fastify();
    try {
      await fastify.register(sreFastify, { statusPage: { monitor: fixture.monitor, title: '' } });
      await fastify.ready();
      expect.unreachable();
    } catch (error) {
      expect(isSreError(error, 'ERR_SRE_INVALID_OPTIONS')).toBe(true);
      expect(String(error)).toContain('statusPage.title');
    } finally {
      await fastify.close();
    }
  });
});
