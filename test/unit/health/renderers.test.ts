import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  createHealthRegistry,
  healthJsonBodySchema,
  serviceHealthReportSchema,
  toHealthJson,
  toProbeText,
  toServiceHealthReport,
  type HealthRegistryOptions,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

async function sample(options: HealthRegistryOptions = {}, { drain = false } = {}) {
  const clock = createFakeClock({ start: '2024-01-15T10:00:00Z' });
  const health = createHealthRegistry(
    { service: 'checkout', version: '1.4.2', releaseId: 'abc123', ...options },
    { clock },
  );
  health.register('api', () => ({ observedValue: 45, observedUnit: 'ms' }), { measurement: 'latency' });
  health.register('database', () => ({ observedValue: 12 }), {
    componentType: 'datastore',
    measurement: 'connections',
  });
  health.register('cache', () => Promise.reject(new Error('ECONNREFUSED 10.0.0.7:6379')), {
    critical: false,
    measurement: 'hitRate',
  });
  health.register('disk', () => ({
    status: 'warn',
    observedValue: 0.08,
    observedUnit: 'ratio',
    output: 'low',
  }));
  if (drain) health.drain();
  return health.check();
}

describe('toHealthJson', () => {
  it('renders application/health+json keyed name:measurement, withholding details by default', async () => {
    const result = await sample();
    const { body, httpStatus } = toHealthJson(result);
    expect(httpStatus).toBe(200); // a non-critical failure only warns
    expect(body).toEqual({
      status: 'warn',
      version: '1.4.2',
      releaseId: 'abc123',
      serviceId: 'checkout',
      description: 'health of checkout',
      checks: {
        'api:latency': [{ componentType: 'component', status: 'pass', time: '2024-01-15T10:00:00.000Z' }],
        'database:connections': [
          { componentType: 'datastore', status: 'pass', time: '2024-01-15T10:00:00.000Z' },
        ],
        'cache:hitRate': [{ componentType: 'component', status: 'fail', time: '2024-01-15T10:00:00.000Z' }],
        disk: [{ componentType: 'component', status: 'warn', time: '2024-01-15T10:00:00.000Z' }],
      },
    });
    expect(JSON.stringify(body)).not.toContain('ECONNREFUSED');
    expect(healthJsonBodySchema.parse(body)).toEqual(body);
  });

  it('includes error text and observed values when details are exposed (by option or registry)', async () => {
    const result = await sample();
    const { body } = toHealthJson(result, { exposeDetails: true });
    expect(body.checks?.['api:latency']).toEqual([
      {
        componentType: 'component',
        observedValue: 45,
        observedUnit: 'ms',
        status: 'pass',
        time: '2024-01-15T10:00:00.000Z',
      },
    ]);
    expect(body.checks?.['cache:hitRate']?.[0]?.output).toBe('ECONNREFUSED 10.0.0.7:6379');
    expect(Object.keys(body.checks?.['api:latency']?.[0] ?? {})).toEqual([
      'componentType',
      'observedValue',
      'observedUnit',
      'status',
      'time',
    ]);
    const fromRegistry = toHealthJson(await sample({ exposeDetails: true })).body;
    expect(fromRegistry.checks?.['disk']?.[0]?.output).toBe('low');
    expect(toHealthJson(await sample({ exposeDetails: true }), { exposeDetails: false }).body).toEqual(
      toHealthJson(result).body,
    );
  });

  it('answers 503 on a critical failure and while draining', async () => {
    const clock = createFakeClock();
    const health = createHealthRegistry({}, { clock });
    health.register('db', () => ({ status: 'fail' }));
    expect(toHealthJson(await health.check()).httpStatus).toBe(503);
    const drained = toHealthJson(await sample({}, { drain: true }));
    expect(drained).toEqual({
      httpStatus: 503,
      body: {
        status: 'fail',
        version: '1.4.2',
        releaseId: 'abc123',
        serviceId: 'checkout',
        description: 'health of checkout',
        output: 'shutting down',
        checks: {},
      },
    });
  });
});

describe('toProbeText', () => {
  it('answers "ok" to a passing probe and lists checks when verbose', async () => {
    const clock = createFakeClock();
    const health = createHealthRegistry({}, { clock });
    health.register('etcd', () => {});
    health.register('ping', () => {}, { probes: ['readiness', 'liveness'] });
    expect(toProbeText(await health.check({ probe: 'readiness' }))).toEqual({ body: 'ok', httpStatus: 200 });
    expect(toProbeText(await health.check({ probe: 'liveness' }), { verbose: true })).toEqual({
      body: '[+]ping ok\nlivez check passed\n',
      httpStatus: 200,
    });
  });

  it('lists every check with reasons withheld when something is wrong', async () => {
    const result = await sample();
    expect(toProbeText(result)).toEqual({
      httpStatus: 200,
      body: '[+]api ok\n[+]database ok\n[-]cache failed: reason withheld\n[+]disk warn\nhealthz check passed with warnings\n',
    });
    expect(toProbeText(result, { exposeDetails: true }).body).toContain(
      '[-]cache failed: ECONNREFUSED 10.0.0.7:6379\n[+]disk warn: low\n',
    );
  });

  it('names the shutdown while draining', async () => {
    expect(toProbeText(await sample({}, { drain: true }))).toEqual({
      httpStatus: 503,
      body: '[-]shutdown failed: shutting down\nhealthz check failed\n',
    });
  });

  it('uses the k8s endpoint names', async () => {
    const clock = createFakeClock();
    const health = createHealthRegistry({}, { clock });
    health.register('db', () => ({ status: 'fail' }), { probes: ['readiness', 'startup'] });
    expect(toProbeText(await health.check({ probe: 'readiness' })).body).toMatch(/readyz check failed\n$/);
    expect(toProbeText(await health.check({ probe: 'startup' })).body).toMatch(/startupz check failed\n$/);
  });
});

describe('toServiceHealthReport', () => {
  it('renders the DESIGN report shape with observed fields and SLA compliance', async () => {
    const report = toServiceHealthReport(await sample(), {
      exposeDetails: true,
      slaCompliance: { availability: 99.95, errorRate: 0.03, responseTimeP95: 187 },
    });
    expect(report).toEqual({
      timestamp: '2024-01-15T10:00:00.000Z',
      status: 'degraded',
      services: {
        api: { status: 'up', latency_ms: 45 },
        database: { status: 'up', connections: 12 },
        cache: { status: 'down' },
        disk: { status: 'degraded', observed_value: 0.08 },
      },
      sla_compliance: { availability: 99.95, error_rate: 0.03, response_time_p95: 187 },
    });
    expect(serviceHealthReportSchema.parse(report)).toEqual(report);
  });

  it('withholds observed values by default and maps fail to unhealthy', async () => {
    const clock = createFakeClock();
    const health = createHealthRegistry({}, { clock });
    health.register('db', () => ({ status: 'fail', observedValue: 3 }));
    const report = toServiceHealthReport(await health.check());
    expect(report).toEqual({
      timestamp: '1970-01-01T00:00:00.000Z',
      status: 'unhealthy',
      services: { db: { status: 'down' } },
    });
    expect(serviceHealthReportSchema.safeParse(report).success).toBe(true);
  });

  it('rejects SLA figures out of range', async () => {
    const result = await sample();
    expect(() =>
      toServiceHealthReport(result, {
        slaCompliance: { availability: Number.NaN, errorRate: 0, responseTimeP95: 1 },
      }),
    ).toThrow(ConfigError);
    expect(() =>
      toServiceHealthReport(result, {
        slaCompliance: { availability: 101, errorRate: 0, responseTimeP95: 1 },
      }),
    ).toThrow('slaCompliance.availability: expected a number <= 100, received 101');
  });

  it('the schema rejects a malformed report', () => {
    expect(
      serviceHealthReportSchema.safeParse({
        timestamp: 'now',
        status: 'ok',
        services: { a: { status: 'up' } },
      }).success,
    ).toBe(false);
  });
});
