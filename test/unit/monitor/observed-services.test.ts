import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  capacityForecastSchema,
  createMonitor,
  monitorHealthReportSchema,
  observeCache,
  observePool,
  performanceAnalysisSchema,
  trackDependency,
  trackPipeline,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

function rig() {
  const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
  const pool = { total: 4, idle: 3, waiting: 0 };
  const cacheStats = { hits: 0, misses: 0 };
  const payments = trackDependency({ name: 'payments-api', retry: false, timeoutMs: false }, { clock });
  const database = observePool('database', {
    total: () => pool.total,
    idle: () => pool.idle,
    waiting: () => pool.waiting,
    max: () => 10,
  });
  const cache = observeCache(
    'cache',
    { hits: () => cacheStats.hits, misses: () => cacheStats.misses },
    { clock },
  );
  const sync = trackPipeline({ name: 'orders-sync', maxLagMs: 300_000 }, { clock });
  const monitor = createMonitor(
    {
      service: 'checkout',
      dependencies: [payments],
      pools: [database],
      caches: [cache],
      pipelines: [sync],
      // The tests call evaluate() themselves: the timer stays out of the way.
      evaluateIntervalMs: 2_000_000_000,
    },
    { clock },
  );
  return { clock, pool, cacheStats, payments, database, cache, sync, monitor };
}

describe('createMonitor with dependencies, pools, caches and pipelines', () => {
  it('lists each as a service of the health report with its own figures, and watches their SLOs', async () => {
    const r = rig();
    await r.payments.call(() => 'ok');
    r.cacheStats.hits = 94;
    r.cacheStats.misses = 6;
    await r.sync.track(() => ({ rows: 10 }));
    const report = monitorHealthReportSchema.parse(await r.monitor.healthReport());
    expect(report.status).toBe('healthy');
    expect(report.services['payments-api']).toMatchObject({ status: 'up', breaker: 'closed', error_rate: 0 });
    expect(report.services['database']).toMatchObject({
      status: 'up',
      connections: 4,
      idle: 3,
      saturation: 0.1,
    });
    expect(report.services['cache']).toMatchObject({ status: 'up', hit_rate: 0.94 });
    expect(report.services['orders-sync']).toMatchObject({ status: 'up', lag_ms: 0, last_run_rows: 10 });
    expect(report.slos.map((s) => s.name)).toEqual(['payments-api:availability', 'orders-sync:freshness']);
    expect(report.breakers).toEqual({ 'payments-api': 'closed' });
    await r.monitor.close();
  });

  it('a saturated pool and a down dependency degrade the report and are the analysis’s causes', async () => {
    const r = rig();
    for (let i = 0; i < 5; i++)
      await r.payments.call(() => Promise.reject(new Error('503'))).catch(() => undefined);
    r.pool.total = 10;
    r.pool.idle = 0;
    r.pool.waiting = 7;
    const report = await r.monitor.healthReport();
    expect(report.status).toBe('degraded');
    expect(report.services['database']).toMatchObject({ status: 'degraded', waiting: 7, saturation: 1 });
    expect(report.services['payments-api']).toMatchObject({ status: 'down', reason: 'breaker open' });
    const analysis = performanceAnalysisSchema.parse(
      r.monitor.performanceAnalysis({ timeframe: 'last_hour' }),
    );
    expect(analysis.causes).toEqual([
      { service: 'payments-api', kind: 'dependency', status: 'down', reason: 'breaker open' },
      {
        service: 'database',
        kind: 'pool',
        status: 'degraded',
        reason: 'pool saturated: 10 of 10 in use, 7 waiting',
      },
    ]);
    expect(
      analysis.immediate.some((line) => line.startsWith('Dependency payments-api is down: breaker open')),
    ).toBe(true);
    expect(analysis.planned.some((line) => line.startsWith('Connection pool database is degraded'))).toBe(
      true,
    );
    await r.monitor.close();
  });

  it('forecasts a pool’s utilization toward full from the samples each evaluation takes', async () => {
    const r = rig();
    // Two more connections in use every 10 minutes: 20 %, 40 %, ... of 10.
    for (let step = 1; step <= 4; step++) {
      r.pool.total = 2 * step;
      r.pool.idle = 0;
      await r.monitor.evaluate();
      r.clock.advance(600_000);
    }
    const forecast = capacityForecastSchema.parse(r.monitor.capacityForecast());
    const signal = forecast.signals.find((s) => s.signal === 'pool:database');
    expect(signal).toMatchObject({ current: 0.8, limit: 1, samples: 4 });
    expect(signal!.confidence).toBeCloseTo(1, 6);
    // 80 % at the last sample, 20 points per 10 minutes: full 10 minutes after it.
    expect(signal!.reachesLimitInMs).toBeCloseTo(0, -1);
    expect(forecast.atRisk).toContain('pool:database');
    await r.monitor.close();
  });

  it('rejects two observed services of one name', () => {
    const clock = createFakeClock();
    const a = observePool('database', { total: () => 1, idle: () => 1, waiting: () => 0 });
    const b = observeCache('database', { hits: () => 0, misses: () => 0 }, { clock });
    expect(() => createMonitor({ service: 's', pools: [a], caches: [b] }, { clock })).toThrow(ConfigError);
    b.close();
  });
});
