import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  agentResponseSchema,
  capacityForecastSchema,
  checks,
  createCircuitBreaker,
  createHealthRegistry,
  createIncidentRecorder,
  createLatencyTracker,
  createMonitor,
  createResponder,
  createSaturationMonitor,
  createSloTracker,
  monitorHealthReportSchema,
  performanceAnalysisSchema,
  type SaturationReading,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

const START = '2026-03-10T12:00:00.000Z';
const HOUR = 3_600_000;

function rig(clock: FakeClock, options: { latencyBudgetMs?: number } = {}) {
  const reading: { -readonly [K in keyof SaturationReading]: SaturationReading[K] } = {
    eventLoopDelayP99Ms: 5,
    eventLoopUtilization: 0.2,
    heapUsedBytes: 100,
    heapLimitBytes: 1_000,
    rssBytes: 50_000_000,
    cpuRatio: 0.3,
  };
  const saturation = createSaturationMonitor(
    { sampleIntervalMs: 10_000, heapUsed: { maxRatio: 0.8 } },
    { clock, probe: { read: () => ({ ...reading }), close: () => undefined } },
  );
  const latency = createLatencyTracker({ window: { durationMs: HOUR, slices: 6 } }, { clock });
  const availability = createSloTracker(
    { name: 'availability', objective: { kind: 'availability', target: 0.999 } },
    { clock },
  );
  const breaker = createCircuitBreaker({ name: 'payments' }, { clock });
  const health = createHealthRegistry({ exposeDetails: true }, { clock });
  health.register('payments-breaker', checks.circuitBreaker(breaker), { critical: false });
  health.register('budget', checks.sloBudget(availability), { critical: false });
  const monitor = createMonitor(
    {
      service: 'checkout',
      health,
      latency,
      slos: [availability],
      breakers: [breaker],
      saturation,
      ...options,
    },
    { clock },
  );
  const close = async () => {
    await monitor.close();
    await saturation.close();
    await latency.close();
    health.close();
    breaker.close();
  };
  return { monitor, reading, latency, availability, breaker, health, close };
}

describe('createMonitor: options', () => {
  it.each([
    [{ service: '' }, 'service: expected'],
    [{ service: 'a', autoIncidents: { sloPage: 'P9' } }, 'autoIncidents.sloPage'],
    [{ service: 'a', slos: [{}] }, 'an SLO tracker'],
    [{ service: 'a', nope: 1 }, 'nope'],
    [{ service: 'a', history: { retainDays: 0 } }, 'history.retainDays'],
  ])('rejects %j', (options, message) => {
    expect(() => createMonitor(options as never)).toThrow(ConfigError);
    expect(() => createMonitor(options as never)).toThrow(message);
  });

  it('needs the recorder a given responder records into', () => {
    const recorder = createIncidentRecorder({ service: 'a' });
    const responder = createResponder({ recorder, runbooks: [], escalate: () => undefined });
    expect(() => createMonitor({ service: 'a', responder })).toThrow(
      'incidents: expected the incident recorder the responder records into',
    );
  });

  it('rejects two SLOs of one name', () => {
    const slo = createSloTracker({ name: 'x', objective: { kind: 'availability', target: 0.9 } });
    expect(() => createMonitor({ service: 'a', slos: [slo, slo] })).toThrow(
      'slos[1]: expected unique SLO names (x repeats)',
    );
  });
});

describe('createMonitor: lifecycle', () => {
  it('clears its timers on close, idempotently, and closes only what it created', async () => {
    const clock = createFakeClock({ start: START });
    const incidents = createIncidentRecorder({ service: 'checkout' }, { clock });
    const monitor = createMonitor({ service: 'checkout', incidents }, { clock });
    expect(clock.pendingCount).toBeGreaterThan(0);
    expect(clock.timers().every((t) => !t.ref)).toBe(true);
    await Promise.all([monitor.close(), monitor.close()]);
    await monitor[Symbol.asyncDispose]();
    expect(clock.pendingCount).toBe(0);
    // The caller's recorder still works.
    await expect(incidents.open({ title: 't', severity: 'P4' })).resolves.toMatchObject({ status: 'open' });
    await incidents.close();
  });

  it('answers agent requests through the protocol, never throwing', async () => {
    const monitor = createMonitor({ service: 'checkout' }, { clock: createFakeClock() });
    const ok = await monitor.handle({ agent: 'sre-reliability', action: 'deployment_readiness' });
    expect(agentResponseSchema.parse(ok)).toMatchObject({ ok: true });
    await expect(monitor.handle({ agent: 'sre-reliability', action: 'reboot' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'ERR_SRE_UNKNOWN_ACTION' },
    });
    await expect(monitor.handle(null)).resolves.toMatchObject({ ok: false });
    await monitor.close();
  });

  it('turns an automatic source off with false', async () => {
    const clock = createFakeClock({ start: START });
    const breaker = createCircuitBreaker(
      { name: 'db', failureThreshold: { kind: 'consecutive', count: 1 } },
      { clock },
    );
    const monitor = createMonitor(
      { service: 'checkout', breakers: [breaker], autoIncidents: { breakerOpen: false } },
      { clock },
    );
    await expect(breaker.execute(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await monitor.evaluate();
    expect(monitor.incidents.list()).toEqual([]);
    await monitor.close();
    breaker.close();
  });
});

describe('createMonitor: reports', () => {
  it('renders the health report with SLOs, breakers, saturation and predictions', async () => {
    const clock = createFakeClock({ start: START });
    const r = rig(clock);
    for (let i = 0; i < 100; i++) {
      r.latency.record(40 + (i % 10), '/checkout');
      r.availability.record(i % 50 !== 0);
    }
    await clock.advanceAsync(60_000);
    await r.monitor.evaluate();
    const report = monitorHealthReportSchema.parse(
      await r.monitor.healthReport({ includePredictions: true }),
    );
    expect(report.service).toBe('checkout');
    expect(report.status).toBe('degraded'); // the budget check warns: 2 % errors against 0.1 %
    expect(report.sla_compliance).toMatchObject({ availability: 98, error_rate: 2 });
    expect(report.sla_compliance?.response_time_p95).toBeGreaterThanOrEqual(48);
    expect(report.services['payments-breaker']).toEqual({ status: 'up', state: 'closed' });
    expect(report.breakers).toEqual({ payments: 'closed' });
    expect(report.slos[0]).toMatchObject({ name: 'availability', objective: 99.9, achieved: 98 });
    expect(report.saturation).toMatchObject({ heapRatio: 0.1, eventLoopUtilization: 0.2 });
    // One minute of data: the spent budget is not extrapolated from it (see the forecast gates).
    expect(report.predictions?.budgetExhaustion[0]).toMatchObject({
      slo: 'availability',
      exhaustsInMs: null,
      status: 'insufficient_data',
      missing: ['span 60 s of 1 h'],
      evidence: { samples: 100, fitR2: null },
    });
    expect(report.predictions?.capacity.map((c) => c.signal)).toContain('heapRatio');
    const plain = await r.monitor.healthReport();
    expect(plain.predictions).toBeUndefined();
    await r.close();
  });

  it('forecasts a rising heap against the saturation monitor limit', async () => {
    const clock = createFakeClock({ start: START });
    const r = rig(clock);
    // +0.05 of the heap limit per hour, sampled every 10 s for 2 hours.
    for (let t = 0; t < 2 * HOUR; t += 10_000) {
      r.reading.heapUsedBytes = 100 + (50 * t) / HOUR;
      await clock.advanceAsync(10_000);
    }
    const forecast = capacityForecastSchema.parse(r.monitor.capacityForecast({ horizonMs: 7 * 24 * HOUR }));
    const heap = forecast.signals.find((s) => s.signal === 'heapRatio')!;
    expect(heap.limit).toBe(0.8); // the saturation monitor's own limit, the one that sheds
    expect(heap.slopePerHour).toBeCloseTo(0.05, 3);
    expect(heap.confidence).toBeGreaterThan(0.999);
    expect(heap.reachesLimitInMs! / HOUR).toBeCloseTo((0.8 - 0.2) / 0.05, 0);
    expect(forecast.atRisk).toEqual(['heapRatio']);
    const flat = forecast.signals.find((s) => s.signal === 'cpuRatio')!;
    expect(flat).toMatchObject({ slopePerHour: 0, reachesLimitInMs: null, confidence: 1 });
    // Past the limit: reached now.
    r.reading.heapUsedBytes = 850;
    await clock.advanceAsync(10_000);
    await r.monitor.evaluate();
    const after = r.monitor.capacityForecast().signals.find((s) => s.signal === 'heapRatio')!;
    expect(after).toMatchObject({ limit: 0.8, reachesLimitInMs: 0 });
    await r.close();
  });

  it('analyses performance: routes over the latency budget are bottlenecks with a sentence each', async () => {
    const clock = createFakeClock({ start: START });
    const r = rig(clock, { latencyBudgetMs: 200 });
    for (let i = 0; i < 1_000; i++) {
      r.latency.record(20 + (i % 20), '/products');
      if (i % 4 === 0) r.latency.record(300 + (i % 100), '/search');
      r.availability.record(true);
    }
    await clock.advanceAsync(10_000);
    const analysis = performanceAnalysisSchema.parse(
      r.monitor.performanceAnalysis({ timeframe: 'last_hour', focusAreas: ['api_latency'] }),
    );
    expect(analysis.focusAreas).toEqual(['api_latency']);
    expect(analysis.bottlenecks).toHaveLength(1);
    expect(analysis.bottlenecks[0]).toMatchObject({ route: '/search', share: 0.2, budgetMs: 200 });
    expect(analysis.bottlenecks[0]!.p95Ms).toBeGreaterThan(380);
    expect(analysis.immediate[0]).toMatch(
      /^Route \/search: p95 [34]\d\d ms exceeds the 200 ms latency budget on 20 %/,
    );
    expect(analysis.metrics.requests).toBe(1_000);
    expect(analysis.metrics.errorRate).toBe(0);
    expect(analysis.metrics.p99Ms).toBeGreaterThan(300);

    const unbudgeted = rig(clock);
    unbudgeted.latency.record(500, '/slow');
    unbudgeted.latency.record(5, '/fast');
    await unbudgeted.monitor.evaluate();
    const plan = unbudgeted.monitor.performanceAnalysis();
    expect(plan.bottlenecks.map((b) => b.route)).toEqual(['/slow']);
    expect(plan.bottlenecks[0]!.budgetMs).toBeNull();
    expect(plan.planned[0]).toMatch(/^Route \/slow takes the most time/);
    await unbudgeted.close();
    await r.close();
  });
});
