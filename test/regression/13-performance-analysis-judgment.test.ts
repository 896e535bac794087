// Issue 13, item 3: `analyze_performance` divided 603 requests served in ~30 s by the whole hour
// bucket (0.169 req/s), took its bottlenecks from the last 60 s whatever the timeframe, only echoed
// `focus_areas`, ranked the library's own routes (/agent, /metrics) as bottlenecks, and never named
// an open breaker or a failing dependency check as the cause of the trouble it reported.
import { describe, expect, it } from 'vitest';
import {
  AgentErrorCode,
  ConfigError,
  createCircuitBreaker,
  createHealthRegistry,
  createLatencyTracker,
  createMonitor,
  createSloTracker,
  handleAgentRequest,
  performanceAnalysisSchema,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

// Half past the hour: the process has seen 30 s of an hour that started long before it.
const START = '2026-03-10T12:30:00.000Z';

function rig(clock: FakeClock, options: { latencyBudgetMs?: number } = {}) {
  const latency = createLatencyTracker({}, { clock }); // the default 60 s sliding window
  const availability = createSloTracker(
    { name: 'availability', objective: { kind: 'availability', target: 0.99 } },
    { clock },
  );
  const monitor = createMonitor({ service: 'shop', latency, slos: [availability], ...options }, { clock });
  const close = async () => {
    await monitor.close();
    await latency.close();
    availability.close();
  };
  return { monitor, latency, availability, close };
}

describe('issue 13: analyze_performance judges the timeframe it is asked about', () => {
  it('divides requests by the time actually observed', async () => {
    const clock = createFakeClock({ start: START });
    const r = rig(clock);
    for (let s = 0; s < 30; s++) {
      for (let i = 0; i < 20; i++) {
        r.latency.record(5, 'GET /products/:id');
        r.availability.record(true);
      }
      if (s < 3) {
        r.latency.record(5, 'GET /products/:id');
        r.availability.record(true);
      }
      await clock.advanceAsync(1_000);
    }
    await r.monitor.evaluate();
    const { metrics } = performanceAnalysisSchema.parse(
      r.monitor.performanceAnalysis({ timeframe: 'last_hour' }),
    );
    expect(metrics.requests).toBe(603);
    expect(metrics.observedMs).toBe(30_000);
    expect(metrics.requestsPerSecond).toBeCloseTo(20.1, 5);
    await r.close();
  });

  it('finds the bottlenecks of the timeframe from the history, not the last minute', async () => {
    const clock = createFakeClock({ start: START });
    const r = rig(clock, { latencyBudgetMs: 200 });
    // Two hours ago a slow hour on /search; since then everything is fast.
    for (let m = 0; m < 60; m++) {
      for (let i = 0; i < 10; i++) r.latency.record(400 + i, 'GET /search');
      for (let i = 0; i < 30; i++) r.latency.record(10, 'GET /products/:id');
      await clock.advanceAsync(60_000);
    }
    for (let m = 0; m < 90; m++) {
      for (let i = 0; i < 30; i++) r.latency.record(10, 'GET /products/:id');
      await clock.advanceAsync(60_000);
    }
    const day = r.monitor.performanceAnalysis({ timeframe: 'last_24_hours' });
    expect(day.bottlenecks.map((b) => b.route)).toEqual(['GET /search']);
    expect(day.bottlenecks[0]).toMatchObject({ requests: 600 });
    const hour = r.monitor.performanceAnalysis({ timeframe: 'last_hour' });
    expect(hour.bottlenecks).toEqual([]);
    await r.close();
  });

  it('never ranks the service own routes (/agent, /metrics, health) as bottlenecks', async () => {
    const clock = createFakeClock({ start: START });
    const r = rig(clock);
    for (let i = 0; i < 100; i++) {
      r.latency.record(900, 'POST /agent');
      r.latency.record(700, 'GET /metrics');
      r.latency.record(600, 'GET /readyz/database');
      r.latency.record(20, 'GET /products/:id');
    }
    await clock.advanceAsync(10_000);
    const analysis = r.monitor.performanceAnalysis({ timeframe: 'last_hour' });
    expect(analysis.bottlenecks.map((b) => b.route)).toEqual(['GET /products/:id']);
    expect(analysis.bottlenecks[0]?.share).toBe(1);
    expect(analysis.metrics.p99Ms).toBeLessThan(30); // the service-wide figures leave them out too
    await r.close();
  });

  it('selects what it analyses by focus area, and names the known ones for an unknown area', async () => {
    const clock = createFakeClock({ start: START });
    const r = rig(clock, { latencyBudgetMs: 100 });
    for (let i = 0; i < 100; i++) {
      r.latency.record(300, 'GET /search');
      r.availability.record(i % 10 !== 0);
    }
    await clock.advanceAsync(10_000);
    const all = r.monitor.performanceAnalysis({ timeframe: 'last_hour' });
    expect(all.immediate.some((s) => s.startsWith('Route GET /search'))).toBe(true);
    expect(all.immediate.some((s) => s.startsWith('Error rate 10 %'))).toBe(true);
    const errorsOnly = r.monitor.performanceAnalysis({ timeframe: 'last_hour', focusAreas: ['error_rate'] });
    expect(errorsOnly.bottlenecks).toEqual([]);
    expect(errorsOnly.immediate.every((s) => !s.startsWith('Route'))).toBe(true);
    expect(errorsOnly.immediate.some((s) => s.startsWith('Error rate 10 % (10 of 100 requests)'))).toBe(true);
    const latencyOnly = r.monitor.performanceAnalysis({
      timeframe: 'last_hour',
      focusAreas: ['api_latency'],
    });
    expect(latencyOnly.immediate.every((s) => s.startsWith('Route'))).toBe(true);

    expect(() => r.monitor.performanceAnalysis({ focusAreas: ['everything' as never] })).toThrow(ConfigError);
    const response = await handleAgentRequest(r.monitor, {
      agent: 'sre-reliability',
      action: 'analyze_performance',
      focus_areas: ['api_latency', 'everything'],
    });
    expect(response).toMatchObject({
      ok: false,
      error: { code: AgentErrorCode.BAD_REQUEST, issues: [{ path: ['focus_areas', 1] }] },
    });
    if (!response.ok) expect(response.error.issues[0]?.message).toContain('api_latency, error_rate');
    await r.close();
  });

  it('names an open breaker and a failing dependency check as the cause of the errors', async () => {
    const clock = createFakeClock({ start: START });
    const latency = createLatencyTracker({}, { clock });
    const availability = createSloTracker(
      { name: 'availability', objective: { kind: 'availability', target: 0.99 } },
      { clock },
    );
    const payments = createCircuitBreaker(
      { name: 'payments', failureThreshold: { kind: 'consecutive', count: 3 } },
      { clock },
    );
    const health = createHealthRegistry({ exposeDetails: true }, { clock });
    health.register(
      'database',
      () => {
        throw new Error('connection refused');
      },
      { critical: false, componentType: 'datastore' },
    );
    const monitor = createMonitor(
      { service: 'shop', latency, slos: [availability], breakers: [payments], health },
      { clock },
    );
    for (let i = 0; i < 3; i++)
      await payments.execute(() => Promise.reject(new Error('502'))).catch(() => undefined);
    for (let i = 0; i < 100; i++) availability.record(i % 5 !== 0);
    await clock.advanceAsync(10_000);
    const analysis = performanceAnalysisSchema.parse(monitor.performanceAnalysis({ timeframe: 'last_hour' }));
    expect(analysis.causes.map((c) => [c.kind, c.name, c.explains])).toEqual([
      ['breaker', 'payments', ['errors']],
      // No latency budget is breached: the check explains the errors only.
      ['check', 'database', ['errors']],
    ]);
    const errorRate = analysis.immediate.find((s) => s.startsWith('Error rate'));
    expect(errorRate).toContain(
      'Likely cause: circuit breaker payments is open (consecutive failures): 3 failures in a row',
    );
    expect(errorRate).toContain('health check database fails (connection refused)');
    const db = monitor.performanceAnalysis({ timeframe: 'last_hour', focusAreas: ['database_queries'] });
    expect(db.immediate).toEqual([
      'The health check database fails (connection refused); check the datastore: its queries fail or stall.',
    ]);
    await monitor.close();
    await latency.close();
    availability.close();
    payments.close();
    health.close();
  });
});
