// Issue 6: the anchors' hung-check failures. terminus answers /health only when every check settles, so
// one hung dependency hangs the probe until the kubelet restarts the pod; under-pressure's background
// check that never settles leaves its status frozen at the last "healthy" forever.
import { describe, expect, it } from 'vitest';
import { createHealthRegistry, toHealthJson } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

describe('issue 6: a hung check never hangs a probe or freezes a status', () => {
  it('a probe with a hung dependency answers 503 at the check timeout', async () => {
    const clock = createFakeClock();
    const health = createHealthRegistry({ defaultTimeoutMs: 300 }, { clock });
    health.register('db', () => new Promise<never>(() => {}));
    health.register('cache', () => {});
    const pending = health.check({ probe: 'readiness' });
    await clock.advanceAsync(300);
    const { httpStatus, body } = toHealthJson(await pending);
    expect(httpStatus).toBe(503);
    expect(body.checks?.['db']?.[0]?.status).toBe('fail');
    expect(body.checks?.['cache']?.[0]?.status).toBe('pass');
  });

  it('a background check that passed, then hangs, turns to fail instead of staying healthy', async () => {
    const clock = createFakeClock();
    const health = createHealthRegistry({ defaultTimeoutMs: 500 }, { clock });
    let hang = false;
    health.register('db', () => (hang ? new Promise<never>(() => {}) : Promise.resolve()), {
      intervalMs: 1_000,
    });
    await clock.advanceAsync(0);
    expect((await health.check()).status).toBe('pass');
    hang = true;
    await clock.advanceAsync(1_000 + 500); // the next run starts at 1000 and times out at 1500
    expect((await health.check()).checks[0]).toMatchObject({ status: 'fail', output: 'timed out' });
    hang = false;
    await clock.advanceAsync(1_000); // and it recovers on the run after
    expect((await health.check()).status).toBe('pass');
    health.close();
  });
});
