// Issue 13, item 22: configuration mistakes that used to pass silently — two breakers or SLOs with one
// name (duplicate series Prometheus drops), shedding with nothing to read overload from (never sheds),
// health routes with no registry (/livez 503 forever: a Kubernetes restart loop), and their kin in the
// adapters — are each a ConfigError naming the field.
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  breakerMetrics,
  createCircuitBreaker,
  createHealthRegistry,
  createMonitor,
  createSloTracker,
  sloMetrics,
  type HealthRegistry,
} from 'sre-kit';
import { healthRoutes, metricsHandler, sreMiddleware } from 'sre-kit/express';
import { sreFastify, type SreFastifyOptions } from 'sre-kit/fastify';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function breaker(name: string) {
  const b = createCircuitBreaker({ name });
  closers.push(() => b.close());
  return b;
}
function slo(name: string) {
  const s = createSloTracker({ name, objective: { kind: 'availability', target: 0.999 } });
  closers.push(() => s.close());
  return s;
}
function registry(): HealthRegistry {
  const h = createHealthRegistry({ service: 'checkout' });
  closers.push(() => h.close());
  return h;
}

/** The ConfigError `fn` throws (fails the test when it throws nothing or something else). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

async function fastifyError(options: SreFastifyOptions): Promise<ConfigError> {
  const app = Fastify();
  try {
    await app.register(sreFastify, options);
    await app.ready();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  } finally {
    await app.close();
  }
  throw new Error('expected a ConfigError, the plugin registered');
}

describe('issue 13 item 22: two breakers or SLOs with one name', () => {
  it('createMonitor rejects two breakers of one name, and two SLOs of one name', () => {
    const twoBreakers = configError(() =>
      createMonitor({ service: 'checkout', breakers: [breaker('payments'), breaker('payments')] }),
    );
    expect(twoBreakers.where).toBe('createMonitor');
    expect(twoBreakers.message).toContain('breakers[1]: expected unique breaker names (payments repeats)');
    const twoSlos = configError(() =>
      createMonitor({ service: 'checkout', slos: [slo('availability'), slo('availability')] }),
    );
    expect(twoSlos.message).toContain('slos[1]: expected unique SLO names (availability repeats)');
  });

  it('metricsHandler rejects two breakers or two SLOs of one name', () => {
    expect(
      configError(() => metricsHandler({ breakers: [breaker('payments'), breaker('payments')] })).message,
    ).toContain('breakers[1]: expected unique breaker names (payments repeats)');
    const a = slo('availability');
    expect(configError(() => metricsHandler({ slos: [a, slo('latency'), a] })).message).toContain(
      'slos[2]: expected unique SLO names (availability repeats)',
    );
  });

  it('the metric sources themselves reject duplicates too', () => {
    expect(configError(() => breakerMetrics([breaker('db'), breaker('db')])).message).toContain(
      'breakers[1]: expected unique breaker names (db repeats)',
    );
    expect(configError(() => sloMetrics([slo('x'), slo('x')])).message).toContain(
      'slos[1]: expected unique SLO names (x repeats)',
    );
  });

  it('sreMiddleware rejects one SLO tracker listed twice (every event would count twice) and two of one name', () => {
    const a = slo('availability');
    expect(configError(() => sreMiddleware({ slos: [a, a] })).message).toContain('slos[1]: expected');
    expect(configError(() => sreMiddleware({ slos: [a, slo('availability')] })).message).toContain(
      'slos[1]: expected unique SLO names (availability repeats)',
    );
    const sink = { record: () => undefined };
    expect(configError(() => sreMiddleware({ slos: [sink, sink] })).message).toContain(
      'slos[1]: expected each SLO tracker once (the same one is listed twice)',
    );
  });

  it('the Fastify plugin rejects two breakers or SLOs of one name', async () => {
    const breakers = await fastifyError({ metrics: true, breakers: [breaker('p'), breaker('p')] });
    expect(breakers.message).toContain('breakers[1]: expected unique breaker names (p repeats)');
    const slos = await fastifyError({ slos: [slo('a'), slo('a')] });
    expect(slos.message).toContain('slos[1]: expected unique SLO names (a repeats)');
  });
});

describe('issue 13 item 22: shedding with no saturation monitor never sheds', () => {
  it.each([true, { retryAfterSeconds: 5 }])(
    'sreMiddleware({ shedding: %j }) without saturation',
    (shedding) => {
      const error = configError(() => sreMiddleware({ shedding }));
      expect(error.issues[0]?.field).toBe('shedding');
      expect(error.message).toContain('a saturation monitor in `saturation` to read overload from');
    },
  );

  it('the Fastify plugin too', async () => {
    const error = await fastifyError({ shedding: true });
    expect(error.issues[0]?.field).toBe('shedding');
  });

  it('shedding: false without saturation stays valid', () => {
    expect(() => sreMiddleware({ shedding: false })).not.toThrow();
  });
});

describe('issue 13 item 22: health routes with no registry answer /livez 503 forever', () => {
  it('healthRoutes() with no registry is a ConfigError naming `health`', () => {
    const error = configError(() => (healthRoutes as (health?: unknown) => unknown)());
    expect(error.where).toBe('healthRoutes');
    expect(error.issues[0]?.field).toBe('health');
    expect(() => (healthRoutes as (health: unknown) => unknown)({ check: 1 })).toThrow(ConfigError);
  });

  it('healthRoutes rejects unknown, relative and clashing paths instead of never serving them', () => {
    const health = registry();
    expect(
      configError(() => healthRoutes(health, { paths: { livez: '/l' } } as never)).issues[0]?.field,
    ).toBe('paths.livez');
    expect(configError(() => healthRoutes(health, { paths: { liveness: 'livez' } })).message).toContain(
      'paths.liveness',
    );
    expect(configError(() => healthRoutes(health, { paths: { readiness: '/livez' } })).message).toContain(
      'paths.readiness: expected a path no other health route uses (/livez is also liveness)',
    );
  });

  it('the Fastify plugin rejects healthRoutes options without a registry, and a registry that is not one', async () => {
    expect((await fastifyError({ healthRoutes: { exposeDetails: true } })).issues[0]?.field).toBe(
      'healthRoutes',
    );
    expect((await fastifyError({ health: {} as HealthRegistry })).issues[0]?.field).toBe('health');
  });
});

describe('issue 13 item 22: more of the same kind in the adapters', () => {
  it('metricsHandler rejects unknown options (a typo served nothing), and values it cannot render', () => {
    expect(configError(() => metricsHandler({ slo: [slo('a')] } as never)).issues[0]?.field).toBe('slo');
    const sink = { record: () => undefined };
    expect(configError(() => metricsHandler({ slos: [sink as never] })).issues[0]?.field).toBe('slos[0]');
    expect(
      configError(() => metricsHandler({ saturation: { overloaded: () => false } as never })).issues[0]
        ?.field,
    ).toBe('saturation');
    expect(configError(() => metricsHandler({ http: {} as never })).issues[0]?.field).toBe('http');
    const sre = sreMiddleware();
    expect(configError(() => metricsHandler({ http: sre, sources: [sre.signals] })).message).toContain(
      'sources[0]: expected each source once (it is the `http` source already)',
    );
  });

  it('the Fastify plugin rejects breakers or sources with no metrics route to serve them', async () => {
    expect((await fastifyError({ breakers: [breaker('payments')] })).issues[0]?.field).toBe('breakers');
    expect((await fastifyError({ sources: [breakerMetrics([])] })).issues[0]?.field).toBe('sources');
    expect((await fastifyError({ metrics: { path: 'metrics' } })).issues[0]?.field).toBe('metrics.path');
  });
});
