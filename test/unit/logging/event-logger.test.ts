import { AsyncLocalStorage } from 'node:async_hooks';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  createAlertRouter,
  createAnomalyDetector,
  createCircuitBreaker,
  createErrorGroups,
  createEventLogger,
  createHealthRegistry,
  createIncidentRecorder,
  createMemoryIncidentStore,
  createSaturationMonitor,
  createSloTracker,
  type SaturationReading,
  type StructuredLogger,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const START = Date.UTC(2024, 0, 15, 10);

/** A logger that keeps every line, as pino would write it (level, fields, msg). */
function memoryLogger() {
  const lines: Array<{ level: string; msg: string } & Record<string, unknown>> = [];
  const at = (level: string) => (fields: object, msg: string) => void lines.push({ level, ...fields, msg });
  const logger: StructuredLogger = { info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

describe('createEventLogger', () => {
  it('rejects a missing or half logger and unknown options, naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'logger'],
      [{ logger: { info: () => {} } }, 'logger'],
      [{ logger: console, breakers: [{}] }, 'breakers[0]'],
      [{ logger: console, bindings: { service: {} } }, 'bindings.service'],
      [{ logger: console, sources: [] }, 'sources'],
    ];
    for (const [options, field] of cases) {
      let error: unknown;
      try {
        createEventLogger(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.field)).toContain(field);
    }
  });

  it('logs incidents opened, acknowledged and resolved, at a level by severity', async () => {
    const clock = createFakeClock({ start: START });
    const recorder = createIncidentRecorder(
      { service: 'checkout', store: createMemoryIncidentStore() },
      { clock },
    );
    const { logger, lines } = memoryLogger();
    createEventLogger({ logger, incidents: recorder, bindings: { service: 'checkout', region: 'eu' } });
    const incident = await recorder.open({
      title: 'Database connection pool exhausted',
      severity: 'P2',
      impact: '10% of requests failing',
      dedupKey: 'db:pool',
      labels: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' },
    });
    await recorder.acknowledge(incident.id, { by: 'alice' });
    clock.advance(15 * 60_000);
    await recorder.resolve(incident.id, { resolution: 'Increased connection pool size' });
    expect(lines).toEqual([
      {
        level: 'error',
        service: 'checkout',
        region: 'eu',
        event: 'incident.opened',
        incident: incident.id,
        severity: 'P2',
        title: 'Database connection pool exhausted',
        dedupKey: 'db:pool',
        impact: '10% of requests failing',
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        msg: `incident ${incident.id} opened: Database connection pool exhausted`,
      },
      expect.objectContaining({ level: 'info', event: 'incident.acknowledged', by: 'alice' }),
      expect.objectContaining({
        level: 'info',
        event: 'incident.resolved',
        durationMs: 15 * 60_000,
        resolution: 'Increased connection pool size',
      }),
    ]);
    await recorder.close();
  });

  it('logs breaker transitions with the trace id of the request they happened in', async () => {
    const clock = createFakeClock({ start: START });
    const breaker = createCircuitBreaker(
      { name: 'payments', failureThreshold: { kind: 'consecutive', count: 2 }, openMs: 1_000 },
      { clock },
    );
    const context = new AsyncLocalStorage<string>();
    const { logger, lines } = memoryLogger();
    createEventLogger({ logger, breakers: [breaker], traceId: () => context.getStore() });
    const fail = () => Promise.reject(new Error('503 from payments'));
    await context.run('trace-aaa', () => breaker.execute(fail).catch(() => undefined));
    await context.run('trace-bbb', () => breaker.execute(fail).catch(() => undefined));
    clock.advance(1_000);
    await context.run('trace-ccc', () => breaker.execute(() => Promise.resolve('ok')));
    expect(lines.map((l) => [l.level, l.event, l.breaker, l.trace_id])).toEqual([
      ['warn', 'breaker.opened', 'payments', 'trace-bbb'],
      ['info', 'breaker.half_opened', 'payments', 'trace-ccc'],
      ['info', 'breaker.closed', 'payments', 'trace-ccc'],
    ]);
    expect(lines[0]).toMatchObject({
      from: 'closed',
      reason: 'consecutiveFailures',
      msg: 'circuit payments opened (consecutiveFailures)',
    });
  });

  it('logs load shedding on and off, anomalies, new error groups and health changes', async () => {
    const clock = createFakeClock({ start: START });
    let reading: SaturationReading = {
      eventLoopDelayP99Ms: 5,
      eventLoopUtilization: 0.1,
      heapUsedBytes: 100,
      heapLimitBytes: 1_000,
      rssBytes: 1,
      cpuRatio: 0.1,
    };
    const saturation = createSaturationMonitor(
      { sampleIntervalMs: 1_000, eventLoopDelay: { maxP99Ms: 100 }, hysteresis: { tripAfter: 1 } },
      { clock, probe: { read: () => reading, close: () => {} } },
    );
    const anomalies = createAnomalyDetector({ seasonality: 'none', warmupBuckets: 5 }, { clock });
    const errors = createErrorGroups({}, { clock });
    const health = createHealthRegistry({}, { clock });
    let dbUp = true;
    health.register('database', () =>
      dbUp ? { status: 'pass' } : { status: 'fail', output: 'ECONNREFUSED' },
    );
    const { logger, lines } = memoryLogger();
    const log = createEventLogger({ logger, saturation, anomalies, errors, health });

    reading = { ...reading, eventLoopDelayP99Ms: 250 };
    clock.advance(1_000);
    reading = { ...reading, eventLoopDelayP99Ms: 5 };
    clock.advance(1_000);
    for (let i = 0; i < 40; i++) anomalies.observe('traffic', 100 + (i % 3), START + i * 60_000);
    for (let i = 40; i < 44; i++) anomalies.observe('traffic', 900, START + i * 60_000);
    for (let i = 44; i < 52; i++) anomalies.observe('traffic', 100, START + i * 60_000);
    errors.capture(new TypeError('x is undefined'), { route: 'GET /a', status: 500, traceId: 'trace-err' });
    errors.capture(new TypeError('x is undefined'), { route: 'GET /a', status: 500, traceId: 'trace-err-2' });
    await health.check();
    dbUp = false;
    await health.check();

    expect(lines.map((l) => `${l.level} ${l.event as string}`)).toEqual([
      'warn saturation.overloaded',
      'info saturation.recovered',
      'warn anomaly.detected',
      'info anomaly.recovered',
      'warn error_group.new',
      'info health.changed',
      'error health.changed',
    ]);
    expect(lines[0]).toMatchObject({ reason: 'eventLoopDelay', value: 250, limit: 100 });
    expect(lines[2]).toMatchObject({ signal: 'traffic', value: 900, band: expect.any(Array) });
    expect(lines[4]).toMatchObject({
      type: 'TypeError',
      message: 'x is undefined',
      route: 'GET /a',
      status: 500,
      trace_id: 'trace-err',
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(lines[6]).toMatchObject({ check: 'database', status: 'fail', previous: 'pass' });
    expect(log.stats()).toEqual({ info: 3, warn: 3, error: 1 });

    // close() unsubscribes from everything.
    log.close();
    log.close();
    errors.capture(new RangeError('another'));
    reading = { ...reading, eventLoopDelayP99Ms: 250 };
    clock.advance(1_000);
    expect(lines).toHaveLength(7);
    await saturation.close();
    health.close();
  });

  it('logs SLO burn-rate alerts and budget exhaustion, and failed alert deliveries', async () => {
    const clock = createFakeClock({ start: START });
    const slo = createSloTracker(
      { name: 'availability', objective: { kind: 'availability', target: 0.99 } },
      { clock },
    );
    const router = createAlertRouter(
      {
        routes: [
          {
            name: 'oncall',
            notifiers: [{ name: 'pager', notify: () => Promise.reject(new Error('pager unreachable')) }],
            groupWaitMs: 0,
          },
        ],
      },
      { clock },
    );
    const { logger, lines } = memoryLogger();
    createEventLogger({ logger, slos: [slo], alerts: router });
    for (let i = 0; i < 100; i++) {
      slo.record(false);
      clock.advance(1_000);
    }
    slo.evaluate(); // judges the alerts (reads never do)
    router.send({ name: 'SloBurn', severity: 'critical', summary: 'availability burning', service: 'api' });
    await clock.advanceAsync(1_000);
    await router.close();
    const events = lines.map((l) => `${l.level} ${l.event as string}`);
    expect(events).toContain('error slo.alert_fired');
    expect(events).toContain('error slo.budget_exhausted');
    expect(events).toContain('error alert.delivery_failed');
    expect(lines.find((l) => l.event === 'alert.delivery_failed')).toMatchObject({
      receiver: 'oncall',
      notifier: 'pager',
      error: 'pager unreachable',
    });
    expect(lines.find((l) => l.event === 'slo.alert_fired')).toMatchObject({
      slo: 'availability',
      severity: 'page',
    });
  });

  it("writes real pino lines through Fastify's logger", async () => {
    const written: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString());
        done();
      },
    });
    const app = Fastify({ logger: { level: 'info', stream } });
    const errors = createErrorGroups();
    createEventLogger({ logger: app.log, errors, bindings: { service: 'api' } });
    errors.capture(new Error('Order 4411 not found'), { route: 'GET /orders/:id', traceId: 'abc' });
    await app.close();
    const line = JSON.parse(written.find((w) => w.includes('error_group.new')) ?? '{}') as Record<
      string,
      unknown
    >;
    expect(line).toMatchObject({
      level: 40,
      service: 'api',
      event: 'error_group.new',
      type: 'Error',
      message: 'Order <num> not found',
      route: 'GET /orders/:id',
      trace_id: 'abc',
      msg: expect.stringContaining('new error: Error'),
    });
  });

  it('a throwing logger never breaks the event source', () => {
    const clock = createFakeClock({ start: START });
    const internal: unknown[] = [];
    const errors = createErrorGroups({}, { clock, onInternalError: (e) => void internal.push(e) });
    const broken: StructuredLogger = {
      info: () => {},
      warn: () => {
        throw new Error('disk full');
      },
      error: () => {},
    };
    createEventLogger({ logger: broken, errors });
    expect(() => errors.capture(new Error('x'))).not.toThrow();
    expect(internal).toHaveLength(1);
  });
});
