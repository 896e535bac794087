import { createConnection, createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createPool } from 'generic-pool';
import { LRUCache } from 'lru-cache';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  createHealthRegistry,
  observeCache,
  observePool,
  serviceHealthReportSchema,
  toServiceHealthReport,
  trackDependency,
} from 'sre-kit';
import { startServer, type TestServer } from '../helpers/http-server.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/** A partner API on loopback that answers in ~`delayMs`, and fails with 503 while `failing`. */
async function flakyPartner(delayMs: number) {
  const state = { failing: false, received: 0 };
  const server: TestServer = await startServer((_req, res) => {
    state.received++;
    setTimeout(() => {
      res.statusCode = state.failing ? 503 : 200;
      res.end(state.failing ? 'unavailable' : '{"ok":true}');
    }, delayMs);
  });
  cleanup.push(() => server.close());
  return { url: server.url, state };
}

describe('trackDependency against a real flaky HTTP server', () => {
  it('the breaker opens, retries stay within budget, the SLO burns and the report shows it down with its latency', async () => {
    const partner = await flakyPartner(20);
    const payments = trackDependency({
      name: 'payments-api',
      // A latency SLO loose enough that a loaded test machine never trips it.
      slo: { availability: 0.99, latencyMs: 5_000 },
      breaker: { failureThreshold: { kind: 'consecutive', count: 5 }, openMs: 60_000 },
      retry: { retries: 2, minDelayMs: 5, maxDelayMs: 10 },
      // At most 2 retries in 10 s, however many requests.
      retryBudget: { ratio: 0, minPerSecond: 0.2, windowMs: 10_000 },
      timeoutMs: 1_000,
    });
    cleanup.push(() => payments.close());
    const charge = () =>
      payments.call(async ({ signal }) => {
        const response = await fetch(`${partner.url}/charge`, { signal });
        const body = await response.text();
        if (!response.ok) throw new Error(`partner answered ${response.status}: ${body}`);
        return body;
      });

    for (let i = 0; i < 20; i++) expect(await charge()).toBe('{"ok":true}');
    const healthy = payments.status();
    expect(healthy, healthy.reason).toMatchObject({ state: 'up', calls: 20, errors: 0, breaker: 'closed' });

    partner.state.failing = true;
    const outcomes: unknown[] = [];
    for (let i = 0; i < 10; i++) outcomes.push(await charge().catch((error: unknown) => error));

    const status = payments.status();
    // Five attempts in a row failed and opened the breaker; the rest were refused without a request.
    expect(partner.state.received).toBe(25);
    expect(status.breaker).toBe('open');
    expect(outcomes.filter((o) => o instanceof CircuitOpenError).length).toBeGreaterThan(0);
    // Retries were budgeted: the first failing call used both, the next two were refused theirs.
    expect(status.totals.retries).toBe(2);
    expect(status.retryBudget).toMatchObject({ retries: 2, refused: 2 });
    expect(status).toMatchObject({ state: 'down', reason: 'breaker open', calls: 25, errors: 5 });
    expect(status.latencyP95Ms).toBeGreaterThanOrEqual(20);
    // The availability SLO burned: 20 good of 25, far past a 99 % target's budget.
    expect(status.slo.availability).toMatchObject({ good: 20, total: 25, sli: 0.8 });
    expect(status.slo.availability!.budgetRemaining).toBeLessThan(0);
    expect(status.slo.availability!.firing).toContain('page');

    const health = createHealthRegistry({ exposeDetails: true });
    cleanup.push(() => health.close());
    health.register('payments-api', payments.healthCheck());
    const report = serviceHealthReportSchema.parse(toServiceHealthReport(await health.check()));
    expect(report.status).toBe('unhealthy');
    expect(report.services['payments-api']).toEqual({ status: 'down', latency_ms: status.latencyP95Ms });
  });
});

describe('observePool and observeCache against real objects', () => {
  it('a generic-pool of real TCP connections at 100 % with waiters shows as saturated', async () => {
    const sockets = new Set<Socket>();
    const tcp = createTcpServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    cleanup.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          tcp.close(() => resolve());
        }),
    );
    const { port } = tcp.address() as AddressInfo;
    const pool = createPool<Socket>(
      {
        create: () =>
          new Promise((resolve, reject) => {
            const socket = createConnection({ host: '127.0.0.1', port }, () => resolve(socket));
            socket.once('error', reject);
          }),
        destroy: (socket) => new Promise<void>((resolve) => socket.end(resolve)),
      },
      { max: 2, min: 0 },
    );
    cleanup.push(async () => {
      await pool.drain();
      await pool.clear();
    });
    const database = observePool('database', {
      total: () => pool.size,
      idle: () => pool.available,
      waiting: () => pool.pending,
      max: () => pool.max,
    });
    const first = await pool.acquire();
    expect(database.status()).toMatchObject({ state: 'up', total: 1, inUse: 1, idle: 0, utilization: 0.5 });
    const second = await pool.acquire();
    const third = pool.acquire();
    expect(database.status()).toMatchObject({
      state: 'degraded',
      saturated: true,
      total: 2,
      inUse: 2,
      waiting: 1,
      utilization: 1,
    });
    expect(database.serviceHealth()).toMatchObject({
      status: 'degraded',
      connections: 2,
      waiting: 1,
      saturation: 1,
    });
    await pool.release(first);
    await pool.release(await third);
    await pool.release(second);
    expect(database.status()).toMatchObject({ state: 'up', waiting: 0, idle: 2 });
  });

  it('lru-cache’s own hit/miss status feeds the hit rate', async () => {
    const cache = new LRUCache<string, string>({ max: 100 });
    const counts = { hits: 0, misses: 0 };
    const get = (key: string): string => {
      const status: LRUCache.Status<string, string> = {};
      const value = cache.get(key, { status });
      if (status.get === 'hit') counts.hits++;
      else counts.misses++;
      if (value !== undefined) return value;
      cache.set(key, key.toUpperCase());
      return key.toUpperCase();
    };
    const observed = observeCache('cache', {
      hits: () => counts.hits,
      misses: () => counts.misses,
      size: () => cache.size,
      max: () => cache.max,
    });
    cleanup.push(() => observed.close());
    for (let round = 0; round < 10; round++) for (let k = 0; k < 50; k++) get(`key-${k}`);
    expect(observed.status()).toMatchObject({ hits: 450, misses: 50, hitRate: 0.9, size: 50, max: 100 });
    expect(observed.serviceHealth()).toMatchObject({ status: 'up', hit_rate: 0.9, size: 50, max: 100 });
  });
});
