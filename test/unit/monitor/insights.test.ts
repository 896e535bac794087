// The monitor's errors and anomalies options, and the predictions it takes from other agents: real
// primitives on a fake clock, alerts read where the monitor sends them (its alert router).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  agentResponseSchema,
  createAlertRouter,
  createAnomalyDetector,
  createErrorGroups,
  createGoldenSignals,
  createLatencyTracker,
  createMonitor,
  createSaturationMonitor,
  monitorHealthReportSchema,
  performanceAnalysisSchema,
  type Alert,
  type MonitorOptions,
  type SaturationProbe,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';
import { seededRandom } from '../../helpers/synthetic-traffic.js';

const START = '2026-03-09T09:00:00.000Z'; // a Monday
const MINUTE = 60_000;

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A monitor on a fake clock whose alert router records every alert sent to it. */
function rig(clock: FakeClock, options: Partial<MonitorOptions> = {}) {
  const router = createAlertRouter(
    { routes: [{ name: 'all', notifiers: [{ name: 'none', notify: () => Promise.resolve() }] }] },
    { clock },
  );
  const sent: Alert[] = [];
  const send = router.send.bind(router);
  router.send = (alert: Alert) => {
    sent.push(alert);
    send(alert);
  };
  const monitor = createMonitor(
    { service: 'checkout', alerts: router, evaluateIntervalMs: 10_000, ...options },
    { clock },
  );
  cleanup.push(async () => {
    await monitor.close();
    await router.close();
  });
  return { monitor, sent, router };
}

function loadOrder(id: number): Error {
  return new TypeError(`Cannot read properties of undefined (reading 'total') for order ${id}`);
}
function chargeCard(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:443'), { code: 'ECONNREFUSED' });
}

describe('monitor: errors', () => {
  it('lists the top error types and locations in the health report and the performance analysis', async () => {
    const clock = createFakeClock({ start: START });
    const errors = createErrorGroups({ inAppRoot: process.cwd() }, { clock });
    const { monitor } = rig(clock, { errors });
    for (let i = 0; i < 5; i++) errors.capture(loadOrder(i), { route: 'GET /orders/:id', status: 500 });
    errors.capture(chargeCard(), { route: 'POST /pay', status: 502 });
    await monitor.evaluate();

    const report = monitorHealthReportSchema.parse(await monitor.healthReport());
    expect(report.services.checkout).toEqual({
      status: 'up',
      errors_last_hour: 6,
      error_types_last_hour: 2,
      new_error_types: 2,
      top_error: 'TypeError',
      top_error_location: 'test/unit/monitor/insights.test.ts:loadOrder',
      top_error_last_hour: 5,
    });
    expect(report.errors?.map((g) => [g.type, g.code, g.location, g.count, g.new, g.routes])).toEqual([
      [
        'TypeError',
        undefined,
        'test/unit/monitor/insights.test.ts:loadOrder',
        5,
        true,
        [{ route: 'GET /orders/:id', count: 5 }],
      ],
      [
        'Error',
        'ECONNREFUSED',
        'test/unit/monitor/insights.test.ts:chargeCard',
        1,
        true,
        [{ route: 'POST /pay', count: 1 }],
      ],
    ]);

    const analysis = performanceAnalysisSchema.parse(monitor.performanceAnalysis({ timeframe: 'last_hour' }));
    expect(analysis.errors).toHaveLength(2);
    expect(analysis.immediate).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^New error type TypeError at test\/unit\/monitor\/insights.test.ts:loadOrder \(mostly GET \/orders\/:id\): 5 in the last hour/,
        ),
      ]),
    );
    // Narrowed to another area, the error actions stay out; the list stays (it is data, not advice).
    const latencyOnly = monitor.performanceAnalysis({ focusAreas: ['api_latency'] });
    expect(latencyOnly.immediate.some((a) => a.includes('New error type'))).toBe(false);
  });

  it('raises a warning alert for an error type new within the window after start, and resolves it once quiet', async () => {
    const clock = createFakeClock({ start: START });
    const errors = createErrorGroups({ inAppRoot: process.cwd() }, { clock });
    const { monitor, sent } = rig(clock, { errors, newErrorWindowMs: 30 * MINUTE });
    clock.advance(5 * MINUTE);
    errors.capture(loadOrder(1), { route: 'GET /orders/:id', status: 500, traceId: 'abc' });
    errors.capture(loadOrder(2), { route: 'GET /orders/:id', status: 500 });
    expect(sent).toEqual([
      expect.objectContaining({
        name: 'NewErrorType',
        severity: 'warning',
        status: 'firing',
        dedupKey: expect.stringMatching(/^error:new:[0-9a-f]{16}$/),
        summary:
          'New error TypeError at test/unit/monitor/insights.test.ts:loadOrder, 5 min after the service started',
        labels: expect.objectContaining({ type: 'TypeError', route: 'GET /orders/:id', trace_id: 'abc' }),
      }),
    ]);
    // An error type first seen after the window is not new.
    clock.advance(40 * MINUTE);
    errors.capture(chargeCard());
    expect(sent).toHaveLength(1);
    // Quiet for the window: the alert resolves at the next evaluation (not before: reads change nothing).
    await monitor.healthReport();
    expect(sent).toHaveLength(1);
    await monitor.evaluate();
    expect(sent.map((a) => [a.name, a.status])).toEqual([
      ['NewErrorType', 'firing'],
      ['NewErrorType', 'resolved'],
    ]);
  });

  it('does not call an error type new after a restart when the history file knew it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sre-kit-insights-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'history.json');
    const clock = createFakeClock({ start: START });
    const first = createErrorGroups({ inAppRoot: process.cwd() }, { clock });
    const before = rig(clock, { errors: first, history: { file } });
    first.capture(loadOrder(1));
    await before.monitor.close();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { knownErrors: unknown[] };
    expect(saved.knownErrors).toEqual([[expect.stringMatching(/^[0-9a-f]{16}$/), Date.parse(START)]]);

    clock.advance(60 * MINUTE);
    const second = createErrorGroups({ inAppRoot: process.cwd() }, { clock });
    const after = rig(clock, { errors: second, history: { file } });
    second.capture(loadOrder(2)); // known from before the restart
    second.capture(chargeCard()); // really new
    expect(after.sent.map((a) => a.summary)).toEqual([expect.stringContaining('chargeCard')]);
    const report = await after.monitor.healthReport();
    expect(report.errors?.map((g) => [g.location?.split(':')[1], g.new])).toEqual([
      ['loadOrder', false],
      ['chargeCard', true],
    ]);
  });

  it('rejects error groups without their methods, naming the option', () => {
    expect(() => createMonitor({ service: 's', errors: {} as never })).toThrow(ConfigError);
    expect(() => createMonitor({ service: 's', errors: {} as never })).toThrow(
      /errors: expected error groups/,
    );
    expect(() => createMonitor({ service: 's', newErrorWindowMs: -1 })).toThrow(/newErrorWindowMs/);
  });
});

describe('monitor: anomalies on the golden signals', () => {
  // Traffic through real golden signals and a latency tracker: `perMinute` requests each minute.
  function traffic(clock: FakeClock) {
    const latency = createLatencyTracker({ window: { durationMs: 5 * MINUTE, slices: 5 } }, { clock });
    const signals = createGoldenSignals({ latency }, { clock });
    const minute = (requests: number, failed = 0, ms = 20) => {
      for (let i = 0; i < requests; i++) {
        const t = signals.start();
        clock.advance(0);
        signals.finish('GET', '/orders/:id', i < failed ? 500 : 200, t - ms, 'completed');
      }
    };
    return { latency, signals, minute };
  }

  async function runMinutes(
    clock: FakeClock,
    monitor: { evaluate(): Promise<void> },
    minutes: number,
    each: () => void,
  ) {
    for (let m = 0; m < minutes; m++) {
      each();
      for (let s = 0; s < 6; s++) {
        clock.advance(10_000);
        await monitor.evaluate();
      }
    }
  }

  it('feeds traffic, error rate and p99 each minute; a surge raises a warning alert, no incident', async () => {
    const clock = createFakeClock({ start: START });
    const { latency, signals, minute } = traffic(clock);
    const { monitor, sent } = rig(clock, { anomalies: true, signals, latency });
    let n = 0;
    await runMinutes(clock, monitor, 60, () => minute(100 + (n++ % 5), 1));
    let report = monitor.anomalyReport();
    expect(report.detector).toBe(true);
    expect(report.signals.map((s) => [s.signal, s.state])).toEqual([
      ['traffic', 'ok'],
      ['error_rate', 'ok'],
      ['latency_p99', 'ok'],
    ]);
    const trafficStatus = report.signals[0]!;
    expect(trafficStatus.expected).toBeGreaterThan(95);
    expect(trafficStatus.expected).toBeLessThan(110);

    await runMinutes(clock, monitor, 4, () => minute(900, 1));
    report = monitor.anomalyReport();
    expect(report.signals[0]).toMatchObject({ signal: 'traffic', state: 'anomalous', anomalous: true });
    expect(sent.filter((a) => a.name === 'AnomalyDetected')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        status: 'firing',
        dedupKey: 'anomaly:traffic',
        summary: expect.stringMatching(/^traffic is anomalous: 900 against 10\d(\.\d+)? expected/),
      }),
    ]);
    expect(monitor.incidents.list()).toEqual([]);
    const health = monitorHealthReportSchema.parse(await monitor.healthReport());
    expect(health.anomalies?.[0]).toMatchObject({ signal: 'traffic', anomalous: true });

    await runMinutes(clock, monitor, 8, () => minute(100, 1));
    expect(sent.filter((a) => a.name === 'AnomalyDetected').map((a) => a.status)).toEqual([
      'firing',
      'resolved',
    ]);
  });

  it('feeds saturation (event-loop utilization) from the saturation monitor; a busy loop raises its alert', async () => {
    const clock = createFakeClock({ start: START });
    let utilization = 0.2;
    const probe: SaturationProbe = {
      read: () => ({
        eventLoopDelayP99Ms: 5,
        eventLoopUtilization: utilization,
        heapUsedBytes: 100,
        heapLimitBytes: 1_000,
        rssBytes: 1_000_000,
        cpuRatio: 0.2,
      }),
      close: () => undefined,
    };
    const saturation = createSaturationMonitor({ sampleIntervalMs: 10_000 }, { clock, probe });
    cleanup.push(() => saturation.close());
    const { monitor, sent } = rig(clock, { anomalies: true, saturation });
    let n = 0;
    await runMinutes(clock, monitor, 45, () => {
      utilization = 0.2 + 0.01 * (n++ % 3);
      saturation.sample();
    });
    expect(monitor.anomalyReport().signals.map((s) => [s.signal, s.state])).toEqual([['saturation', 'ok']]);
    await runMinutes(clock, monitor, 4, () => {
      utilization = 0.95;
      saturation.sample();
    });
    expect(monitor.anomalyReport().signals[0]).toMatchObject({ signal: 'saturation', anomalous: true });
    expect(sent.filter((a) => a.name === 'AnomalyDetected')).toEqual([
      expect.objectContaining({ severity: 'warning', status: 'firing', dedupKey: 'anomaly:saturation' }),
    ]);
  });

  it('opens incidents for anomalies only when autoIncidents.anomaly says so', async () => {
    const clock = createFakeClock({ start: START });
    const { latency, signals, minute } = traffic(clock);
    const { monitor } = rig(clock, {
      anomalies: true,
      signals,
      latency,
      autoIncidents: { anomaly: 'P3' },
      resolveAfterMs: 0,
    });
    await runMinutes(clock, monitor, 45, () => minute(100));
    await runMinutes(clock, monitor, 4, () => minute(100, 40)); // 40 % errors
    const [incident] = monitor.incidents.list();
    expect(incident).toMatchObject({ severity: 'P3', dedupKey: 'anomaly:error_rate', status: 'open' });
    expect(incident!.impact).toMatch(/^error_rate at 0\.4 against 0 expected/);
    await runMinutes(clock, monitor, 8, () => minute(100));
    expect(monitor.incidents.list()[0]?.status).toBe('resolved');
  });

  it('keeps the baselines across a restart with the history file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sre-kit-insights-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'history.json');
    const clock = createFakeClock({ start: START });
    const { latency, signals, minute } = traffic(clock);
    const before = rig(clock, { anomalies: true, signals, latency, history: { file } });
    await runMinutes(clock, before.monitor, 40, () => minute(100));
    const learned = before.monitor.anomalyReport().signals[0]!;
    await before.monitor.close();
    const after = rig(clock, { anomalies: true, signals, latency, history: { file } });
    expect(after.monitor.anomalyReport().signals[0]).toEqual(learned);
  });

  it('takes your own detector', async () => {
    const clock = createFakeClock({ start: START });
    const detector = createAnomalyDetector({ seasonality: 'none', warmupBuckets: 5 }, { clock });
    const { monitor } = rig(clock, { anomalies: detector });
    for (let m = 0; m < 10; m++) detector.observe('queue_depth', 10 + (m % 2), clock.wallNow() + m * MINUTE);
    clock.advance(12 * MINUTE);
    await monitor.evaluate();
    expect(monitor.anomalyReport().signals.map((s) => [s.signal, s.state])).toEqual([['queue_depth', 'ok']]);
  });
});

describe('monitor: predictions from other agents', () => {
  it('keeps a prediction, alerts on it, lists it with predictions, and lets it expire an hour after its time', async () => {
    const clock = createFakeClock({ start: START });
    const { monitor, sent } = rig(clock);
    const at = Date.parse(START) + 30 * MINUTE;
    const prediction = monitor.ingestPrediction({
      source: 'data-intelligence',
      signal: 'traffic',
      at: new Date(at),
      severity: 'warning',
      confidence: 0.8,
      summary: 'Campaign email at 09:30 doubles checkout traffic',
    });
    expect(prediction).toEqual({
      source: 'data-intelligence',
      signal: 'traffic',
      at: '2026-03-09T09:30:00.000Z',
      severity: 'warning',
      confidence: 0.8,
      summary: 'Campaign email at 09:30 doubles checkout traffic',
      receivedAt: START,
    });
    expect(sent).toEqual([
      expect.objectContaining({
        name: 'PredictedAnomaly',
        severity: 'warning',
        status: 'firing',
        dedupKey: 'prediction:data-intelligence:traffic',
      }),
    ]);
    const report = monitorHealthReportSchema.parse(await monitor.healthReport({ includePredictions: true }));
    expect(report.predictions?.external).toEqual([prediction]);
    expect(report.predictions?.anomalies).toEqual([]);
    expect(monitor.anomalyReport()).toEqual({
      detector: false,
      signals: [],
      predictions: [],
      external: [prediction],
    });

    clock.advance(91 * MINUTE);
    expect(monitor.anomalyReport().external).toEqual([]);
    await monitor.evaluate();
    expect(sent.map((a) => a.status)).toEqual(['firing', 'resolved']);
  });

  it('refuses a malformed prediction, naming the field', () => {
    const clock = createFakeClock({ start: START });
    const { monitor } = rig(clock);
    const good = {
      source: 'x',
      signal: 'traffic',
      at: 0,
      severity: 'info',
      confidence: 0.5,
      summary: 's',
    } as const;
    for (const [bad, field] of [
      [{ ...good, confidence: 2 }, 'confidence'],
      [{ ...good, at: 'tomorrow' }, 'at'],
      [{ ...good, severity: 'urgent' }, 'severity'],
      [{ ...good, source: '' }, 'source'],
      [{ ...good, extra: 1 }, 'extra'],
    ] as const) {
      let error: unknown;
      try {
        monitor.ingestPrediction(bad as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.field)).toContain(field);
    }
  });

  it('answers report_anomaly and anomalies over the agent protocol', async () => {
    const clock = createFakeClock({ start: START });
    const { monitor } = rig(clock);
    const reported = await monitor.handle({
      request: {
        agent: 'sre-reliability',
        action: 'report_anomaly',
        source: 'data-intelligence',
        signal: 'error_rate',
        at: '2026-03-09T10:00:00Z',
        severity: 'critical',
        confidence: 0.9,
        summary: 'Payment provider maintenance',
      },
    });
    expect(agentResponseSchema.parse(reported)).toMatchObject({
      ok: true,
      action: 'report_anomaly',
      result: {
        accepted: true,
        prediction: { signal: 'error_rate', severity: 'critical', at: '2026-03-09T10:00:00.000Z' },
      },
    });
    const bad = await monitor.handle({
      agent: 'sre-reliability',
      action: 'report_anomaly',
      source: 'x',
      signal: 'y',
      at: 0,
      confidence: 7,
      summary: 's',
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'ERR_SRE_BAD_REQUEST', issues: [{ path: ['confidence'] }] },
    });
    const listed = await monitor.handle({ agent: 'sre-reliability', action: 'anomalies' });
    expect(agentResponseSchema.parse(listed)).toMatchObject({
      ok: true,
      result: { detector: false, signals: [], external: [{ source: 'data-intelligence' }] },
    });
    const unknown = await monitor.handle({
      agent: 'sre-reliability',
      action: 'anomalies',
      signal: 'traffic',
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'ERR_SRE_NOT_FOUND' } });
  });

  it('health_check with include_predictions and analyze_performance carry them to other agents', async () => {
    const clock = createFakeClock({ start: START });
    const errors = createErrorGroups({ inAppRoot: process.cwd() }, { clock });
    // An error rate floored at 1 point that starts doubling every seven minutes: the detector
    // predicts it leaving its band before it does.
    const detector = createAnomalyDetector(
      { seasonality: 'none', signals: { checkout_errors: { floor: 0.01, direction: 'up' } } },
      { clock },
    );
    const { monitor } = rig(clock, { errors, anomalies: detector });
    const random = seededRandom(7);
    const rate = (x: number) => Math.max(0, x + 0.0005 * (random() - 0.5));
    const minute = async (value: number) => {
      detector.observe('checkout_errors', value);
      clock.advance(MINUTE);
      await monitor.evaluate(); // closes the bucket, as the monitor does for its own signals
    };
    for (let i = 0; i < 120; i++) await minute(rate(0.001));
    for (let i = 1; i <= 60 && detector.predictions().length === 0; i++)
      await minute(rate(0.001 * Math.exp(i / 10)));
    expect(detector.predictions()).toHaveLength(1);
    for (let i = 0; i < 3; i++) errors.capture(loadOrder(i), { route: 'GET /orders/:id', status: 500 });
    await monitor.handle({
      agent: 'sre-reliability',
      action: 'report_anomaly',
      source: 'data-intelligence',
      signal: 'traffic',
      at: clock.wallNow() + 30 * MINUTE,
      severity: 'warning',
      confidence: 0.8,
      summary: 'Campaign email doubles checkout traffic',
    });

    const health = agentResponseSchema.parse(
      await monitor.handle({ agent: 'sre-reliability', action: 'health_check', include_predictions: true }),
    );
    expect(health.ok).toBe(true);
    const report = monitorHealthReportSchema.parse(health.ok ? health.result : undefined);
    expect(report.predictions?.anomalies).toEqual([
      expect.objectContaining({ signal: 'checkout_errors', direction: 'up' }),
    ]);
    expect(report.predictions?.external).toEqual([
      expect.objectContaining({ source: 'data-intelligence', signal: 'traffic', confidence: 0.8 }),
    ]);
    expect(report.anomalies?.map((s) => [s.signal, s.state])).toEqual([['checkout_errors', 'ok']]);
    expect(report.services.checkout).toMatchObject({
      top_error: 'TypeError',
      top_error_location: 'test/unit/monitor/insights.test.ts:loadOrder',
    });

    const analysis = agentResponseSchema.parse(
      await monitor.handle({
        agent: 'sre-reliability',
        action: 'analyze_performance',
        timeframe: 'last_hour',
      }),
    );
    const result = performanceAnalysisSchema.parse(analysis.ok ? analysis.result : undefined);
    expect(result.errors?.map((g) => [g.type, g.location, g.count])).toEqual([
      ['TypeError', 'test/unit/monitor/insights.test.ts:loadOrder', 3],
    ]);
  });
});
