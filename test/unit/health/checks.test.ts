import { describe, expect, it } from 'vitest';
import { ConfigError, checks, createHealthRegistry, type HealthCheckDefinition } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const signal = new AbortController().signal;
const run = (check: HealthCheckDefinition) => Promise.resolve(check.run({ signal }));

describe('checks: option validation', () => {
  it.each([
    [
      'eventLoopDelay',
      () => checks.eventLoopDelay({ warnMs: 500, failMs: 100 }),
      'warnMs: expected a number < failMs',
    ],
    ['eventLoopDelay', () => checks.eventLoopDelay({ failMs: -1 }), 'failMs: expected a number > 0'],
    ['heapUsage', () => checks.heapUsage({ failRatio: 1.5 }), 'failRatio: expected a number <= 1'],
    [
      'heapUsage',
      () => checks.heapUsage({ warnRatio: 0.9, failRatio: 0.8 }),
      'warnRatio: expected a number < failRatio',
    ],
    ['rss', () => checks.rss({} as never), 'failBytes: expected a number'],
    ['rss', () => checks.rss({ failBytes: 10, warnBytes: 20 }), 'warnBytes: expected a number < failBytes'],
    ['diskSpace', () => checks.diskSpace({ path: '' }), 'path: expected at least 1 characters'],
    [
      'diskSpace',
      () => checks.diskSpace({ warnFreeRatio: 0.01, failFreeRatio: 0.05 }),
      'warnFreeRatio: expected a number > failFreeRatio',
    ],
    [
      'http',
      () => checks.http({ url: 'ftp://x' }),
      'url: expected a string in url format, received "ftp://x"',
    ],
    ['http', () => checks.http({ url: 'http://x', expectStatus: [] }), 'expectStatus'],
    ['http', () => checks.http({ url: 'http://x', method: 'POST' as never }), 'method: expected one of'],
    ['tcp', () => checks.tcp({ host: 'db', port: 70_000 }), 'port: expected a number <= 65535'],
    ['tcp', () => checks.tcp({ host: '', port: 5432 }), 'host: expected at least 1 characters'],
    [
      'tlsCertificate',
      () => checks.tlsCertificate({ host: 'x', warnDays: 3, failDays: 7 }),
      'warnDays: expected a number > failDays',
    ],
    [
      'tlsCertificate',
      () => checks.tlsCertificate({ host: 'x', timeout: 1 } as never),
      'timeout: expected no such option',
    ],
    [
      'freshness',
      () => checks.freshness({ lastUpdatedAt: 5 as never, failLagMs: 1 }),
      'lastUpdatedAt: expected a function',
    ],
    [
      'freshness',
      () => checks.freshness({ lastUpdatedAt: () => 0, warnLagMs: 10, failLagMs: 5 }),
      'warnLagMs: expected a number < failLagMs',
    ],
  ])('checks.%s rejects bad options', (name, create, message) => {
    let error: unknown;
    try {
      create();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`Invalid options for checks.${name}`);
    expect((error as ConfigError).message).toContain(message);
  });
});

describe('checks: system checks', () => {
  it('heapUsage reports the used fraction of the heap limit', async () => {
    expect(await run(checks.heapUsage())).toMatchObject({ status: 'pass', observedUnit: 'ratio' });
    const tiny = await run(checks.heapUsage({ warnRatio: 0.000_001, failRatio: 0.999_999 }));
    expect(tiny).toMatchObject({ status: 'warn', observedUnit: 'ratio' });
    expect((tiny as { observedValue: number }).observedValue).toBeGreaterThan(0);
    expect((tiny as { observedValue: number }).observedValue).toBeLessThan(1);
  });

  it('rss reports bytes against its thresholds', async () => {
    expect(await run(checks.rss({ failBytes: 2 ** 50 }))).toMatchObject({
      status: 'pass',
      observedUnit: 'bytes',
    });
    expect(await run(checks.rss({ warnBytes: 1, failBytes: 2 ** 50 }))).toMatchObject({ status: 'warn' });
    const failed = await run(checks.rss({ failBytes: 1 }));
    expect(failed).toMatchObject({ status: 'fail', observedUnit: 'bytes' });
    expect((failed as { output: string }).output).toMatch(/^resident set \d+ bytes/);
  });

  it('diskSpace reports the free ratio of a real file system', async () => {
    const result = (await run(checks.diskSpace({ path: '.' }))) as { observedValue: number };
    expect(result).toMatchObject({ observedUnit: 'ratio' });
    expect(result.observedValue).toBeGreaterThanOrEqual(0);
    expect(result.observedValue).toBeLessThanOrEqual(1);
    await expect(run(checks.diskSpace({ path: '/no/such/dir' }))).rejects.toThrow(/ENOENT/);
  });

  it('eventLoopDelay reports a p99 in ms and releases its histogram on close', async () => {
    const check = checks.eventLoopDelay({ warnMs: 100, failMs: 1000 });
    expect(check).toMatchObject({ componentType: 'system', measurement: 'eventLoopDelay' });
    const result = (await run(check)) as { observedValue: number; observedUnit: string };
    expect(result.observedUnit).toBe('ms');
    expect(result.observedValue).toBeGreaterThanOrEqual(0);
    check.close?.();
    check.close?.();
  });

  it('the registry releases a built-in check it holds', async () => {
    const clock = createFakeClock();
    const health = createHealthRegistry({}, { clock });
    health.register('loop', checks.eventLoopDelay(), { probes: ['liveness'] });
    const live = await health.check({ probe: 'liveness' });
    expect(live.checks[0]).toMatchObject({ componentType: 'system', measurement: 'eventLoopDelay' });
    health.close();
  });
});

describe('checks.freshness', () => {
  const at = (wall: string) => createFakeClock({ start: wall });

  it('reports the lag on the injected wall clock against its thresholds', async () => {
    const clock = at('2026-01-01T00:10:00Z');
    let last: Date | number | undefined = new Date('2026-01-01T00:09:00Z');
    const check = checks.freshness(
      { lastUpdatedAt: () => last, warnLagMs: 120_000, failLagMs: 300_000 },
      { clock },
    );
    expect(await run(check)).toEqual({ status: 'pass', observedValue: 60_000, observedUnit: 'ms' });
    clock.advance(90_000);
    expect(await run(check)).toMatchObject({ status: 'warn', observedValue: 150_000 });
    clock.advance(150_000);
    expect(await run(check)).toMatchObject({
      status: 'fail',
      observedValue: 300_000,
      output: 'last updated at 2026-01-01T00:09:00.000Z',
    });
    last = clock.wallNow() + 5_000; // skewed into the future: as fresh as it gets
    expect(await run(check)).toMatchObject({ status: 'pass', observedValue: 0 });
    last = undefined;
    expect(await run(check)).toEqual({ status: 'fail', output: 'never updated' });
    last = Number.NaN;
    expect(await run(check)).toMatchObject({
      status: 'fail',
      output: 'lastUpdatedAt returned an invalid time',
    });
  });

  it('accepts an async lastUpdatedAt', async () => {
    const clock = at('2026-01-01T00:00:10Z');
    const check = checks.freshness(
      { lastUpdatedAt: () => Promise.resolve(Date.parse('2026-01-01T00:00:00Z')), failLagMs: 5_000 },
      { clock },
    );
    expect(await run(check)).toMatchObject({ status: 'fail', observedValue: 10_000 });
  });
});
