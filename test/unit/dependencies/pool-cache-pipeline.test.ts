import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  createHealthRegistry,
  observeCache,
  observePool,
  serviceHealthSchema,
  trackPipeline,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

describe('observePool', () => {
  it('reports connections, idle, in use, waiting and saturation from the pool’s own counters', () => {
    const pool = { total: 6, idle: 2, waiting: 0 };
    const database = observePool('database', {
      total: () => pool.total,
      idle: () => pool.idle,
      waiting: () => pool.waiting,
      max: () => 10,
    });
    expect(database.status()).toMatchObject({
      state: 'up',
      reason: '4 of 10 in use, 0 waiting',
      inUse: 4,
      utilization: 0.4,
      saturated: false,
    });
    pool.total = 10;
    pool.idle = 0;
    pool.waiting = 3;
    expect(database.status()).toMatchObject({
      state: 'degraded',
      reason: 'pool saturated: 10 of 10 in use, 3 waiting',
      utilization: 1,
      saturated: true,
    });
    expect(serviceHealthSchema.parse(database.serviceHealth())).toEqual({
      status: 'degraded',
      connections: 10,
      idle: 0,
      in_use: 10,
      waiting: 3,
      max: 10,
      saturation: 1,
      reason: 'pool saturated: 10 of 10 in use, 3 waiting',
    });
  });

  it('without a max, judges against the connections open; unreadable counters degrade it and say why', () => {
    let broken: 'no' | 'nan' | 'throws' = 'no';
    const pool = observePool('db', {
      total: () => 4,
      idle: () => (broken === 'nan' ? Number.NaN : 0),
      waiting: () => {
        if (broken === 'throws') throw new Error('pool closed');
        return 1;
      },
    });
    expect(pool.status()).toMatchObject({ state: 'degraded', saturated: true, max: null, utilization: 1 });
    broken = 'nan';
    expect(pool.status()).toMatchObject({
      state: 'degraded',
      reason: 'reading the pool gave NaN: not a count',
    });
    broken = 'throws';
    expect(pool.status()).toMatchObject({
      state: 'degraded',
      reason: 'reading the pool failed: pool closed',
    });
  });

  it('a health check reporting connections', async () => {
    const health = createHealthRegistry({ exposeDetails: true });
    health.register(
      'database',
      observePool('database', { total: () => 3, idle: () => 3, waiting: () => 0 }).healthCheck(),
    );
    expect((await health.check()).checks[0]).toMatchObject({
      status: 'pass',
      observedValue: 3,
      observedUnit: 'count',
      measurement: 'connections',
    });
    health.close();
  });

  it('rejects a bad name or reader naming the field', () => {
    expect(() => observePool('bad name', { total: () => 1, idle: () => 1, waiting: () => 0 })).toThrow(
      /name/,
    );
    expect(() => observePool('db', { total: 1 as never, idle: () => 1, waiting: () => 0 })).toThrow(
      ConfigError,
    );
  });
});

describe('observeCache', () => {
  it('reports the hit rate over its window, not since it started', () => {
    const clock = createFakeClock();
    const stats = { hits: 0, misses: 0 };
    const cache = observeCache(
      'cache',
      { hits: () => stats.hits, misses: () => stats.misses, windowMs: 60_000 },
      { clock },
    );
    // A first minute of misses, then a minute of 94 % hits.
    stats.misses += 100;
    clock.advance(60_000);
    stats.hits += 94;
    stats.misses += 6;
    clock.advance(60_000);
    expect(cache.status()).toMatchObject({ state: 'up', hits: 94, misses: 6, hitRate: 0.94, spanMs: 60_000 });
    expect(cache.serviceHealth()).toMatchObject({ status: 'up', hit_rate: 0.94, hits: 94, misses: 6 });
    // Reading changes nothing.
    expect(cache.status()).toEqual(cache.status());
    cache.close();
    expect(clock.pendingCount).toBe(0);
  });

  it('stays silent below minRequests, judges past it, and survives a counter reset', () => {
    const clock = createFakeClock();
    const stats = { hits: 50, misses: 50 };
    const cache = observeCache(
      'cache',
      {
        hits: () => stats.hits,
        misses: () => stats.misses,
        windowMs: 10_000,
        minRequests: 20,
        degradedHitRate: 0.5,
      },
      { clock },
    );
    stats.hits += 1;
    stats.misses += 9;
    expect(cache.status()).toMatchObject({
      state: 'up',
      hitRate: 0.1,
      reason: '1 hits of 10 requests in 0 s: too few to judge',
    });
    stats.misses += 10;
    expect(cache.status()).toMatchObject({ state: 'degraded', hitRate: 0.05 });
    // The cache was cleared: its counters restart from 0.
    stats.hits = 0;
    stats.misses = 0;
    expect(cache.status()).toMatchObject({ hitRate: null, reason: 'counters were reset; no window yet' });
    clock.advance(1_000);
    stats.hits = 30;
    expect(cache.status()).toMatchObject({ state: 'up', hitRate: 1, hits: 30 });
    cache.close();
  });
});

describe('trackPipeline', () => {
  it('runs feed the lag, the last run and the freshness SLO; stale data is down', async () => {
    const clock = createFakeClock({ start: '2026-01-01T00:00:00Z' });
    const sync = trackPipeline(
      { name: 'orders-sync', maxLagMs: 300_000, slo: { target: 0.9, sliceMs: 60_000 } },
      { clock },
    );
    expect(sync.status()).toMatchObject({
      state: 'up',
      lagMs: null,
      reason: 'no successful run yet (0 ms of tracking, limit 5 min)',
    });
    const run = sync.start();
    clock.advance(20_000);
    run.succeed({ rows: 120 });
    run.fail(new Error('ignored: already ended'));
    expect(sync.status()).toMatchObject({
      state: 'up',
      lagMs: 0,
      lastSuccessAt: '2026-01-01T00:00:20.000Z',
      lastRun: { ok: true, rows: 120, durationMs: 20_000 },
      totals: { runs: 1, succeeded: 1, failed: 0, rows: 120 },
    });
    clock.advance(120_000);
    await expect(sync.track(() => Promise.reject(new Error('source down')))).rejects.toThrow('source down');
    expect(sync.status()).toMatchObject({
      state: 'degraded',
      reason: 'last run failed (source down); last success 2 min ago (limit 5 min)',
      lagMs: 120_000,
    });
    clock.advance(300_000);
    const stale = sync.status();
    expect(stale).toMatchObject({ state: 'down', reason: 'stale: last success 7 min ago (limit 5 min)' });
    // Slices while the lag was over 5 minutes were not fresh.
    expect(stale.slo).toMatchObject({ name: 'orders-sync:freshness', target: 0.9 });
    expect(stale.slo!.good).toBeLessThan(stale.slo!.total);
    expect(serviceHealthSchema.parse(sync.serviceHealth())).toMatchObject({
      status: 'down',
      lag_ms: 420_000,
      last_run_ok: false,
      max_lag_ms: 300_000,
    });
    sync.close();
    expect(clock.pendingCount).toBe(0);
  });

  it('a pipeline that never succeeds goes down after maxLagMs of tracking', async () => {
    const clock = createFakeClock();
    const sync = trackPipeline({ name: 'never', maxLagMs: 60_000, slo: false }, { clock });
    clock.advance(61_000);
    expect(sync.status()).toMatchObject({
      state: 'down',
      reason: 'no successful run in 61 s of tracking (limit 60 s)',
    });
    expect(await sync.track(() => ({ rows: 3 }))).toEqual({ rows: 3 });
    expect(sync.status()).toMatchObject({ state: 'up', lagMs: 0 });
    sync.close();
  });
});
