import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  capacityForecastSchema,
  createCircuitBreaker,
  createHealthRegistry,
  createLatencyTracker,
  createMonitor,
  createSloTracker,
  monitorHealthReportSchema,
  observeCache,
  observePool,
  performanceAnalysisSchema,
  slaReportSchema,
  trackDependency,
  trackPipeline,
  type TrackDependencyOptions,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

interface RigOptions {
  /** The health registry's exposeDetails; `undefined` for no registry at all. */
  readonly exposeDetails?: boolean;
  readonly payments?: Partial<TrackDependencyOptions>;
  readonly forecast?: { minSpanMs?: number; minSamples?: number; minR2?: number };
}

function rig(options: RigOptions = {}) {
  const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
  const pool = { total: 4, idle: 3, waiting: 0 };
  const cacheStats = { hits: 0, misses: 0 };
  const payments = trackDependency(
    { name: 'payments-api', retry: false, timeoutMs: false, ...options.payments },
    { clock },
  );
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
  const latency = createLatencyTracker({}, { clock });
  const availability = createSloTracker(
    { name: 'availability', objective: { kind: 'availability', target: 0.99 } },
    { clock },
  );
  const health =
    options.exposeDetails === undefined
      ? undefined
      : createHealthRegistry({ exposeDetails: options.exposeDetails }, { clock });
  const monitor = createMonitor(
    {
      service: 'checkout',
      ...(health === undefined ? {} : { health }),
      latency,
      slos: [availability],
      dependencies: [payments],
      pools: [database],
      caches: [cache],
      pipelines: [sync],
      latencyBudgetMs: 200,
      ...(options.forecast === undefined ? {} : { forecast: options.forecast }),
      // The tests call evaluate() themselves: the timer stays out of the way.
      evaluateIntervalMs: 2_000_000_000,
    },
    { clock },
  );
  const close = async () => {
    await monitor.close();
    await payments.close();
    cache.close();
    sync.close();
    await latency.close();
    availability.close();
    health?.close();
  };
  return { clock, pool, cacheStats, payments, database, cache, sync, latency, availability, monitor, close };
}

type Rig = ReturnType<typeof rig>;

/** Twenty slow, successful requests on one route, filed into the monitor's history. */
async function slowTraffic(r: Rig): Promise<void> {
  for (let i = 0; i < 20; i++) {
    r.latency.record(900, 'GET /orders');
    r.availability.record(true);
  }
  await r.monitor.evaluate();
}

describe('createMonitor with dependencies, pools, caches and pipelines', () => {
  it('lists each as a service of the health report with its figures, and watches their SLOs and breakers', async () => {
    const r = rig({ exposeDetails: true });
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
    expect(report.slos.map((s) => s.name)).toEqual([
      'availability',
      'payments-api:availability',
      'orders-sync:freshness',
    ]);
    expect(report.breakers).toEqual({ 'payments-api': 'closed' });
    await r.close();
  });

  it('shows only each service’s status unless the registry exposes details, as it does for checks', async () => {
    for (const exposeDetails of [false, undefined]) {
      const r = rig(exposeDetails === undefined ? {} : { exposeDetails });
      r.pool.total = 10;
      r.pool.idle = 0;
      r.pool.waiting = 7;
      const report = monitorHealthReportSchema.parse(await r.monitor.healthReport());
      expect(report.services['database']).toEqual({ status: 'degraded' });
      expect(report.services['payments-api']).toEqual({ status: 'up' });
      expect(report.status).toBe('degraded');
      await slowTraffic(r);
      const analysis = r.monitor.performanceAnalysis({ timeframe: 'last_hour' });
      expect(analysis.causes).toContainEqual(
        expect.objectContaining({ kind: 'pool', detail: 'connection pool database is degraded' }),
      );
      await r.close();
    }
  });

  it('names a saturated pool and a failing dependency as causes of the trouble seen, with their figures', async () => {
    // No breaker: the dependency's own verdict is the evidence.
    const r = rig({ exposeDetails: true, payments: { breaker: false } });
    for (let i = 0; i < 10; i++)
      await r.payments.call(() => Promise.reject(new Error('503'))).catch(() => undefined);
    r.pool.total = 10;
    r.pool.idle = 0;
    r.pool.waiting = 7;
    await slowTraffic(r);
    const report = await r.monitor.healthReport();
    expect(report.status).toBe('degraded');
    expect(report.services['database']).toMatchObject({ status: 'degraded', waiting: 7, saturation: 1 });
    expect(report.services['payments-api']).toMatchObject({
      status: 'down',
      reason: '10 of 10 calls failed in 60 s',
    });
    const analysis = performanceAnalysisSchema.parse(
      r.monitor.performanceAnalysis({ timeframe: 'last_hour' }),
    );
    expect(analysis.causes).toEqual([
      {
        kind: 'dependency',
        name: 'payments-api',
        state: 'down',
        // The route is over its budget and the dependency's SLO pages: both are explained.
        explains: ['latency', 'errors'],
        detail: 'dependency payments-api is down (10 of 10 calls failed in 60 s)',
      },
      {
        kind: 'pool',
        name: 'database',
        state: 'degraded',
        explains: ['latency'],
        detail: 'connection pool database is degraded (pool saturated: 10 of 10 in use, 7 waiting)',
      },
    ]);
    expect(analysis.immediate).toContain(
      'The dependency payments-api is down (10 of 10 calls failed in 60 s); requests that call it fail or wait: check it and keep a fallback serving.',
    );
    expect(analysis.immediate).toContain(
      'The connection pool database is degraded (pool saturated: 10 of 10 in use, 7 waiting); requests queue for a connection: raise its size or cut query time.',
    );
    // The route's line names them as its likely cause.
    expect(analysis.immediate.find((line) => line.startsWith('Route GET /orders'))).toContain(
      'Likely cause: dependency payments-api is down',
    );
    // Without trouble to explain nothing is a cause, but the actions stay.
    const quiet = performanceAnalysisSchema.parse(
      r.monitor.performanceAnalysis({ timeframe: 'last_hour', focusAreas: ['database_queries'] }),
    );
    expect(quiet.immediate).toEqual([
      'The connection pool database is degraded (pool saturated: 10 of 10 in use, 7 waiting); requests queue for a connection: raise its size or cut query time.',
    ]);
    await r.close();
  });

  it('lets an open breaker speak for its dependency, and the dependency for its own health check', async () => {
    const r = rig({ exposeDetails: true });
    const health = createHealthRegistry({ exposeDetails: true }, { clock: r.clock });
    health.register('payments-api', r.payments.healthCheck(), { critical: false });
    await r.monitor.close();
    const monitor = createMonitor(
      {
        service: 'checkout',
        health,
        latency: r.latency,
        slos: [r.availability],
        dependencies: [r.payments],
        latencyBudgetMs: 200,
        evaluateIntervalMs: 2_000_000_000,
      },
      { clock: r.clock },
    );
    for (let i = 0; i < 5; i++)
      await r.payments.call(() => Promise.reject(new Error('503'))).catch(() => undefined);
    expect(r.payments.status().breaker).toBe('open');
    for (let i = 0; i < 20; i++) r.latency.record(900, 'GET /orders');
    await monitor.evaluate();
    const analysis = performanceAnalysisSchema.parse(monitor.performanceAnalysis({ timeframe: 'last_hour' }));
    expect(analysis.causes.map((c) => `${c.kind} ${c.name}`)).toEqual(['breaker payments-api']);
    // One action for the dependency: the breaker's, with its counts (not the dependency's, nor its check's).
    expect(analysis.immediate.filter((line) => line.startsWith('The '))).toEqual([
      'The circuit breaker payments-api is open (consecutive failures): 5 failures in a row; check its dependency and keep the fallback serving.',
    ]);
    await monitor.close();
    health.close();
    await r.close();
  });

  it('forecasts a pool’s utilization toward full once the samples pass the forecast gates', async () => {
    const r = rig({ forecast: { minSpanMs: 1_800_000, minSamples: 4, minR2: 0.9 } });
    // Two more connections in use every 10 minutes: 20 %, 40 %, ... of 10.
    for (let step = 1; step <= 4; step++) {
      r.pool.total = 2 * step;
      r.pool.idle = 0;
      await r.monitor.evaluate();
      r.clock.advance(600_000);
    }
    const forecast = capacityForecastSchema.parse(r.monitor.capacityForecast());
    const signal = forecast.signals.find((s) => s.signal === 'pool:database');
    expect(signal).toMatchObject({ current: 0.8, limit: 1, samples: 4, status: 'ok', missing: [] });
    expect(signal!.evidence).toMatchObject({ spanMs: 1_800_000, samples: 4 });
    expect(signal!.confidence).toBeCloseTo(1, 6);
    // 80 % at the last sample, 20 points per 10 minutes: full 10 minutes after it, which is now.
    expect(signal!.reachesLimitInMs).toBeCloseTo(0, -1);
    expect(forecast.atRisk).toContain('pool:database');
    await r.close();
  });

  it('keeps a pool’s forecast silent below the default gates, saying what it lacks', async () => {
    const r = rig();
    for (let step = 1; step <= 4; step++) {
      r.pool.total = 2 * step;
      r.pool.idle = 0;
      r.pool.waiting = step === 4 ? 3 : 0;
      await r.monitor.evaluate();
      r.clock.advance(60_000);
    }
    const forecast = capacityForecastSchema.parse(r.monitor.capacityForecast());
    const signal = forecast.signals.find((s) => s.signal === 'pool:database')!;
    expect(signal).toMatchObject({
      status: 'insufficient_data',
      reachesLimitInMs: null,
      reachesLimitAt: null,
    });
    expect(signal.missing).toEqual(['span 3 min of 1 h', '4 of 12 samples']);
    expect(forecast.atRisk).toEqual([]);
    const analysis = r.monitor.performanceAnalysis({ timeframe: 'last_hour', focusAreas: ['capacity'] });
    expect(analysis.immediate).toEqual([]);
    await r.close();
  });

  it('counts only its own SLOs as the service’s traffic: a dependency’s calls are not requests', async () => {
    const r = rig({ payments: { breaker: false } });
    for (let i = 0; i < 50; i++) await r.payments.call(() => 'ok');
    for (let i = 0; i < 10; i++) r.availability.record(i !== 0);
    await r.monitor.evaluate();
    const report = await r.monitor.healthReport();
    expect(report.sla_compliance?.availability).toBe(90);
    const analysis = r.monitor.performanceAnalysis({ timeframe: 'last_hour' });
    expect(analysis.metrics).toMatchObject({ requests: 10, errors: 1 });
    // The dependency's SLO is still reported on its own.
    const sla = slaReportSchema.parse(r.monitor.slaReport({ period: 'day' }));
    expect(sla.traffic).toEqual({ requests: 10, errors: 1 });
    expect(sla.slos.find((s) => s.slo === 'payments-api:availability')).toMatchObject({
      good: 50,
      total: 50,
    });
    await r.close();
  });

  it('rejects two observed services of one name, and an SLO or breaker name a service’s own repeats', async () => {
    const clock = createFakeClock();
    const a = observePool('database', { total: () => 1, idle: () => 1, waiting: () => 0 });
    const b = observeCache('database', { hits: () => 0, misses: () => 0 }, { clock });
    expect(() => createMonitor({ service: 's', pools: [a], caches: [b] }, { clock })).toThrow(
      'caches[0]: expected unique names across dependencies, pools, caches and pipelines (database repeats)',
    );
    b.close();
    const payments = trackDependency({ name: 'payments' }, { clock });
    const sameSlo = createSloTracker(
      { name: 'payments:availability', objective: { kind: 'availability', target: 0.9 } },
      { clock },
    );
    expect(() =>
      createMonitor({ service: 's', slos: [sameSlo], dependencies: [payments] }, { clock }),
    ).toThrow(ConfigError);
    const sameBreaker = createCircuitBreaker({ name: 'payments' }, { clock });
    expect(() =>
      createMonitor({ service: 's', breakers: [sameBreaker], dependencies: [payments] }, { clock }),
    ).toThrow('dependencies[0]: expected unique breaker names (payments repeats)');
    // The dependency's own breaker listed again is the same breaker: watched once.
    const monitor = createMonitor(
      { service: 's', breakers: [payments.breaker!], dependencies: [payments] },
      { clock },
    );
    expect(Object.keys((await monitor.healthReport()).breakers)).toEqual(['payments']);
    await monitor.close();
    sameSlo.close();
    sameBreaker.close();
    await payments.close();
  });
});
