import { describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  ErrorCode,
  createHealthRegistry,
  healthCheckResultSchema,
  isSreError,
  type HealthCheckContext,
  type HealthStatusChangedEvent,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const never = (): Promise<never> => new Promise<never>(() => {});

function setup(options: Parameters<typeof createHealthRegistry>[0] = {}) {
  const clock = createFakeClock({ start: '2026-01-01T00:00:00Z' });
  const errors: unknown[] = [];
  const health = createHealthRegistry(options, { clock, onInternalError: (error) => errors.push(error) });
  return { clock, health, errors };
}

describe('createHealthRegistry: running checks', () => {
  it('passes a check that returns nothing and reports what a check returns', async () => {
    const { health } = setup({ service: 'checkout', version: '1.4.2', releaseId: 'abc123' });
    health.register('a', () => {});
    health.register('db', () => Promise.resolve({ status: 'pass', observedValue: 3, observedUnit: 'ms' }), {
      componentType: 'datastore',
      measurement: 'responseTime',
    });
    const result = await health.check();
    expect(result.status).toBe('pass');
    expect(result.checks.map((c) => [c.name, c.status])).toEqual([
      ['a', 'pass'],
      ['db', 'pass'],
    ]);
    expect(result.checks[1]).toMatchObject({
      observedValue: 3,
      observedUnit: 'ms',
      componentType: 'datastore',
      measurement: 'responseTime',
      critical: true,
      time: '2026-01-01T00:00:00.000Z',
    });
    expect(result.service).toEqual({
      serviceId: 'checkout',
      description: 'health of checkout',
      version: '1.4.2',
      releaseId: 'abc123',
    });
    expect(healthCheckResultSchema.parse(result)).toEqual(result);
  });

  it('fails a check that throws, rejects or returns garbage, keeping only one line of message', async () => {
    const { health } = setup();
    health.register('sync', () => {
      throw new Error('boom\n    at secret (/srv/app/db.js:1:1)');
    });
    health.register('async', () => Promise.reject(new Error('connection refused')));
    health.register('string', () => Promise.reject(new Error('')));
    health.register('garbage', () => 42 as never);
    health.register('badStatus', () => ({ status: 'ok' as never }));
    const result = await health.check();
    expect(result.status).toBe('fail');
    const outputs = Object.fromEntries(result.checks.map((c) => [c.name, c.output]));
    expect(outputs).toEqual({
      sync: 'boom at secret (/srv/app/db.js:1:1)',
      async: 'connection refused',
      string: 'Error',
      garbage: 'invalid check result',
      badStatus: 'invalid check status',
    });
    for (const check of result.checks) expect(check.output).not.toMatch(/\n/);
  });

  it('never includes a stack trace, even from an error whose message is empty', async () => {
    const { health } = setup();
    const error = new Error('db down');
    error.stack = 'Error: db down\n    at handler (/srv/app/index.js:10:5)';
    health.register('db', () => Promise.reject(error));
    const [check] = (await health.check()).checks;
    expect(check?.output).toBe('db down');
  });
});

describe('createHealthRegistry: timeouts', () => {
  it('fails a check that never settles at its timeout, aborts its signal and ignores its late result', async () => {
    const { clock, health } = setup({ defaultTimeoutMs: 500, cacheTtlMs: 10_000 });
    let signal: AbortSignal | undefined;
    let settle: (() => void) | undefined;
    health.register('hung', (ctx: HealthCheckContext) => {
      signal = ctx.signal;
      return new Promise<void>((resolve) => (settle = resolve));
    });
    let done = false;
    const pending = health.check().then((r) => ((done = true), r));
    await clock.advanceAsync(499);
    expect(done).toBe(false);
    expect(signal?.aborted).toBe(false);
    await clock.advanceAsync(1);
    const result = await pending;
    expect(result.status).toBe('fail');
    expect(result.checks[0]).toMatchObject({ status: 'fail', output: 'timed out', durationMs: 500 });
    expect(signal?.aborted).toBe(true);
    expect(isSreError(signal?.reason, ErrorCode.TIMEOUT)).toBe(true);

    settle?.(); // the late pass must not replace the timeout
    await clock.advanceAsync(0);
    expect((await health.check()).checks[0]).toMatchObject({ status: 'fail', output: 'timed out' });
    expect(clock.pendingCount).toBe(0);
  });

  it('hands a check that reads its signal late an already-aborted signal', async () => {
    const { clock, health } = setup({ defaultTimeoutMs: 100 });
    let read: (() => AbortSignal) | undefined;
    health.register('lazy', (ctx) => {
      read = () => ctx.signal;
      return never();
    });
    const pending = health.check();
    await clock.advanceAsync(100);
    expect((await pending).checks[0]?.output).toBe('timed out');
    expect(read?.().aborted).toBe(true);
    expect(read?.()).toBe(read?.());
  });

  it('uses each check’s own timeout over the default', async () => {
    const { clock, health } = setup({ defaultTimeoutMs: 500 });
    health.register('fast', never, { timeoutMs: 100 });
    health.register('slow', never);
    const pending = health.check();
    await clock.advanceAsync(500);
    const result = await pending;
    expect(result.checks.map((c) => c.durationMs)).toEqual([100, 500]);
  });

  it('keeps the process alive while a caller waits (ref timer) but not for background runs', () => {
    const { clock, health } = setup({ defaultTimeoutMs: 300 });
    health.register('bg', never, { intervalMs: 1_000 });
    expect(clock.timers()).toEqual([{ dueAt: 300, ref: false }]);
    health.register('fg', never);
    void health.check({ exclude: ['bg'] });
    expect(clock.timers()).toEqual([
      { dueAt: 300, ref: false },
      { dueAt: 300, ref: true },
    ]);
    health.close();
  });
});

describe('createHealthRegistry: single flight and caching', () => {
  it('runs each check once for 1,000 concurrent callers', async () => {
    const { clock, health } = setup();
    const fnA = vi.fn(() => new Promise<void>((resolve) => clock.schedule(50, resolve)));
    const fnB = vi.fn(() => Promise.resolve({ observedValue: 1 }));
    health.register('a', fnA);
    health.register('b', fnB);
    const calls = Array.from({ length: 1_000 }, () => health.check());
    await clock.advanceAsync(50);
    const results = await Promise.all(calls);
    expect(fnA).toHaveBeenCalledTimes(1);
    expect(fnB).toHaveBeenCalledTimes(1);
    expect(new Set(results.map((r) => r.checks[0])).size).toBe(1);
    expect(results.every((r) => r.status === 'pass')).toBe(true);
  });

  it('with cacheTtlMs 0 runs again once the previous run settled', async () => {
    const { health } = setup();
    const fn = vi.fn();
    health.register('a', fn);
    await health.check();
    await health.check();
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('reuses a result for cacheTtlMs, then runs again', async () => {
    const { clock, health } = setup({ cacheTtlMs: 1_000 });
    let n = 0;
    health.register('a', () => Promise.resolve({ observedValue: ++n }));
    expect((await health.check()).checks[0]?.observedValue).toBe(1);
    clock.advance(999);
    expect((await health.check()).checks[0]?.observedValue).toBe(1);
    clock.advance(1);
    expect((await health.check()).checks[0]?.observedValue).toBe(2);
  });

  it('treats a synchronous check as finished at once (nothing stays in flight)', async () => {
    const { health } = setup();
    let n = 0;
    health.register('sync', () => ({ observedValue: ++n }));
    expect((await health.check()).checks[0]?.observedValue).toBe(1);
    expect((await health.check()).checks[0]?.observedValue).toBe(2);
  });
});

describe('createHealthRegistry: background checks', () => {
  it('runs at once, re-arms after each run settles on unref timers, and answers from the latest run', async () => {
    const { clock, health } = setup({ defaultTimeoutMs: 10_000 });
    const starts: number[] = [];
    let n = 0;
    health.register(
      'bg',
      () => {
        starts.push(clock.now());
        const value = ++n;
        return new Promise((resolve) => clock.schedule(300, () => resolve({ observedValue: value })));
      },
      { intervalMs: 1_000 },
    );
    expect(starts).toEqual([0]);
    await clock.advanceAsync(300);
    expect((await health.check()).checks[0]?.observedValue).toBe(1);
    await clock.advanceAsync(2_700);
    // Runs start at 0, 1300, 2600: a 300 ms run plus a 1000 ms pause, never overlapping.
    expect(starts).toEqual([0, 1_300, 2_600]);
    expect((await health.check()).checks[0]?.observedValue).toBe(3);
    expect(starts).toHaveLength(3); // check() did not run it
    expect(clock.timers().every((t) => !t.ref)).toBe(true);
    health.close();
    expect(clock.pendingCount).toBe(0);
  });

  it('a background check that never settles turns to fail at its timeout and keeps polling', async () => {
    const { clock, health } = setup({ defaultTimeoutMs: 200 });
    const fn = vi.fn(never);
    health.register('bg', fn, { intervalMs: 1_000 });
    await clock.advanceAsync(200);
    expect((await health.check()).checks[0]).toMatchObject({ status: 'fail', output: 'timed out' });
    await clock.advanceAsync(1_200);
    expect(fn).toHaveBeenCalledTimes(2);
    health.close();
  });

  it('a caller arriving before the first background run finished shares that run', async () => {
    const { clock, health } = setup();
    const fn = vi.fn(() => new Promise<void>((resolve) => clock.schedule(100, resolve)));
    health.register('bg', fn, { intervalMs: 1_000 });
    const pending = health.check();
    await clock.advanceAsync(100);
    expect((await pending).status).toBe('pass');
    expect(fn).toHaveBeenCalledTimes(1);
    health.close();
  });
});

describe('createHealthRegistry: aggregation', () => {
  it.each([
    [[{ status: 'pass', critical: true }], 'pass'],
    [[{ status: 'fail', critical: true }], 'fail'],
    [[{ status: 'fail', critical: false }], 'warn'],
    [[{ status: 'warn', critical: true }], 'warn'],
    [
      [
        { status: 'warn', critical: false },
        { status: 'fail', critical: true },
      ],
      'fail',
    ],
    [
      [
        { status: 'fail', critical: false },
        { status: 'pass', critical: true },
      ],
      'warn',
    ],
    [[], 'pass'],
  ] as const)('%j aggregates to %s', async (specs, expected) => {
    const { health } = setup();
    specs.forEach((spec, i) =>
      health.register(`c${i}`, () => Promise.resolve({ status: spec.status }), { critical: spec.critical }),
    );
    expect((await health.check()).status).toBe(expected);
  });
});

describe('createHealthRegistry: probes', () => {
  it('defaults checks to readiness; liveness holds only the checks registered for it', async () => {
    const { health } = setup();
    health.register('db', () => Promise.reject(new Error('down')));
    health.register('loop', () => {}, { probes: ['liveness', 'readiness'] });
    const live = await health.check({ probe: 'liveness' });
    expect(live.status).toBe('pass');
    expect(live.checks.map((c) => c.name)).toEqual(['loop']);
    expect(live.probe).toBe('liveness');
    const ready = await health.check({ probe: 'readiness' });
    expect(ready.status).toBe('fail');
    expect(ready.checks.map((c) => c.name)).toEqual(['db', 'loop']);
  });

  it('startup passes for good once every startup check has passed once', async () => {
    const { health } = setup();
    let migrated = false;
    let cacheUp = false;
    const migrations = vi.fn(() => {
      if (!migrated) throw new Error('migrating');
    });
    health.register('migrations', migrations, { probes: ['startup'] });
    health.register('cache', () => ({ status: cacheUp ? 'pass' : 'fail' }), {
      probes: ['startup', 'readiness'],
    });
    expect((await health.check({ probe: 'startup' })).status).toBe('fail');
    migrated = true;
    expect((await health.check({ probe: 'startup' })).status).toBe('fail');
    cacheUp = true;
    expect((await health.check({ probe: 'startup' })).status).toBe('pass');
    migrated = false;
    cacheUp = false;
    const calls = migrations.mock.calls.length;
    expect((await health.check({ probe: 'startup' })).status).toBe('pass');
    expect(migrations).toHaveBeenCalledTimes(calls); // latched checks do not run again
    expect((await health.check({ probe: 'readiness' })).status).toBe('fail');
  });

  it('selects by tags and leaves out excluded names', async () => {
    const { health } = setup();
    health.register('db', () => {}, { tags: ['datastore'] });
    health.register('cache', () => {}, { tags: ['datastore', 'optional'] });
    health.register('payments', () => {});
    const names = async (request: Parameters<typeof health.check>[0]) =>
      (await health.check(request)).checks.map((c) => c.name);
    expect(await names({ tags: ['datastore'] })).toEqual(['db', 'cache']);
    expect(await names({ exclude: ['cache', 'nope'] })).toEqual(['db', 'payments']);
    expect(await names({ tags: ['datastore'], exclude: ['db'] })).toEqual(['cache']);
    expect(await names({ tags: [] })).toEqual(['db', 'cache', 'payments']);
  });

  it('rejects an unknown probe with a ConfigError', async () => {
    const { health } = setup();
    await expect(health.check({ probe: 'ready' as never })).rejects.toThrow(ConfigError);
  });
});

describe('createHealthRegistry: draining', () => {
  it('fails readiness with "shutting down" without running checks, while liveness keeps passing', async () => {
    const { health } = setup();
    const fn = vi.fn();
    health.register('db', fn, { probes: ['readiness', 'liveness'] });
    health.drain();
    health.drain();
    expect(health.draining).toBe(true);
    const ready = await health.check({ probe: 'readiness' });
    expect(ready).toMatchObject({ status: 'fail', draining: true, output: 'shutting down', checks: [] });
    expect((await health.check()).status).toBe('fail');
    expect(fn).not.toHaveBeenCalled();
    const live = await health.check({ probe: 'liveness' });
    expect(live.status).toBe('pass');
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('createHealthRegistry: callers, events and lifecycle', () => {
  it('rejects a caller whose signal aborts, while the shared run goes on for others', async () => {
    const { clock, health } = setup();
    const fn = vi.fn(() => new Promise<void>((resolve) => clock.schedule(100, resolve)));
    health.register('a', fn);
    const controller = new AbortController();
    const aborted = health.check({ signal: controller.signal });
    const other = health.check();
    controller.abort();
    await expect(aborted).rejects.toSatisfy((e) => isSreError(e, ErrorCode.ABORTED));
    await clock.advanceAsync(100);
    expect((await other).status).toBe('pass');
    expect(fn).toHaveBeenCalledTimes(1);
    await expect(health.check({ signal: AbortSignal.abort() })).rejects.toSatisfy((e) =>
      isSreError(e, ErrorCode.ABORTED),
    );
  });

  it('emits statusChanged on a check’s first run and each change', async () => {
    const { health } = setup();
    let up = true;
    health.register('db', () => ({ status: up ? 'pass' : 'fail' }));
    const events: HealthStatusChangedEvent[] = [];
    health.on('statusChanged', (e) => void events.push(e));
    await health.check();
    await health.check();
    up = false;
    await health.check();
    expect(events.map((e) => [e.name, e.previous, e.status])).toEqual([
      ['db', undefined, 'pass'],
      ['db', 'pass', 'fail'],
    ]);
  });

  it('unregister removes only its own check, once', async () => {
    const { health } = setup();
    const off = health.register('db', () => {});
    off();
    off();
    expect(health.names()).toEqual([]);
    health.register('db', () => ({ status: 'warn' }));
    off();
    expect(health.names()).toEqual(['db']);
    expect((await health.check()).status).toBe('warn');
  });

  it('unregister stops a background check and releases its definition', async () => {
    const { clock, health } = setup();
    const close = vi.fn();
    const off = health.register('bg', { run: () => {}, close }, { intervalMs: 1_000 });
    await clock.advanceAsync(0); // the first run starts at once; the poller re-arms when it settles
    expect(clock.pendingCount).toBe(1);
    off();
    expect(clock.pendingCount).toBe(0);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('close resolves runs in flight, clears every timer, and is idempotent', async () => {
    const { clock, health } = setup();
    let signal: AbortSignal | undefined;
    const close = vi.fn();
    health.register(
      'hung',
      {
        run: (ctx) => {
          signal = ctx.signal;
          return never();
        },
        close,
        componentType: 'datastore',
        measurement: 'ping',
      },
      {},
    );
    health.register('bg', () => {}, { intervalMs: 10 });
    const pending = health.check();
    health.close();
    health.close();
    const result = await pending;
    expect(result.checks[0]).toMatchObject({
      status: 'fail',
      output: 'registry closed',
      componentType: 'datastore',
      measurement: 'ping',
    });
    expect(signal?.aborted).toBe(true);
    expect(close).toHaveBeenCalledTimes(1);
    expect(clock.pendingCount).toBe(0);
    await expect(health.check()).rejects.toSatisfy((e) => isSreError(e, ErrorCode.CLOSED));
    expect(() => health.register('x', () => {})).toThrow(/closed/);
  });

  it('supports await using', async () => {
    const clock = createFakeClock();
    {
      await using health = createHealthRegistry({}, { clock });
      health.register('bg', () => {}, { intervalMs: 10 });
      await clock.advanceAsync(0);
      expect(clock.pendingCount).toBe(1);
    }
    expect(clock.pendingCount).toBe(0);
  });
});

describe('createHealthRegistry: validation', () => {
  it.each([
    [{ defaultTimeoutMs: 0 }, 'defaultTimeoutMs: expected a number > 0, received 0'],
    [{ cacheTtlMs: -1 }, 'cacheTtlMs: expected a number >= 0, received -1'],
    [{ exposeDetails: 'yes' }, 'exposeDetails: expected a boolean, received "yes"'],
    [{ serviceName: 'x' }, 'serviceName: expected no such option'],
  ])('rejects registry options %j', (options, message) => {
    expect(() => createHealthRegistry(options as never)).toThrow(message);
  });

  it.each([
    ['', () => {}, undefined, 'name: expected a string of letters'],
    ['a:b', () => {}, undefined, 'name: expected a string of letters'],
    ['ok', 'nope', undefined, 'check: expected a check function'],
    ['ok', { run: 1 }, undefined, 'check: expected a check function'],
    ['ok', () => {}, { timeoutMs: -5 }, "register('ok'): timeoutMs: expected a number > 0, received -5"],
    ['ok', () => {}, { probes: ['ready'] }, 'probes[0]: expected one of'],
    ['ok', () => {}, { critical: 1 }, 'critical: expected a boolean'],
    ['ok', () => {}, { intervalMs: 0 }, 'intervalMs: expected a number > 0'],
    ['ok', () => {}, { tags: ['has space'] }, 'tags[0]: expected a string of letters'],
  ])('register(%j, …) rejects bad input', (name, check, options, message) => {
    const { health } = setup();
    expect(() => health.register(name, check as never, options as never)).toThrow(message);
  });

  it('rejects a duplicate name', () => {
    const { health } = setup();
    health.register('db', () => {});
    expect(() => health.register('db', () => {})).toThrow('name: expected a name not registered yet');
  });
});
