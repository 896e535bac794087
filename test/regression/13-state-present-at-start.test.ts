// Issue 13, item 10: a breaker already open and a critical check already failing when createMonitor
// ran never got an incident (and the later "resolved" matched nothing): the monitor only listened for
// changes. The first evaluation now treats the state it finds like a change.
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, createHealthRegistry, createMonitor } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

describe('issue 13: the first evaluation sees the state present at start', () => {
  it('opens incidents for a breaker already open and a critical check already failing', async () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    const payments = createCircuitBreaker(
      { name: 'payments', failureThreshold: { kind: 'consecutive', count: 1 }, openMs: 60_000 },
      { clock },
    );
    await payments.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
    const health = createHealthRegistry({}, { clock });
    let dbUp = false;
    health.register('database', () => {
      if (!dbUp) throw new Error('connection refused');
    });
    await health.check(); // a probe ran before the monitor: the check's change is already past
    expect(payments.state).toBe('open');

    const monitor = createMonitor({ service: 'shop', breakers: [payments], health }, { clock });
    await monitor.evaluate();
    const open = monitor.incidents.list({ status: 'open' });
    expect(open.map((i) => [i.dedupKey, i.severity])).toEqual([
      ['breaker:payments', 'P3'],
      ['check:database', 'P1'],
    ]);
    expect(open[0]?.rootCause).toBe(
      'Dependency payments is failing (the breaker was already open when the monitor first saw it)',
    );

    // And their recoveries resolve them.
    dbUp = true;
    payments.reset();
    for (let i = 0; i < 4; i++) await clock.advanceAsync(10_000);
    expect(monitor.incidents.list({ status: ['open', 'acknowledged'] })).toEqual([]);
    await monitor.close();
    payments.close();
    health.close();
  });
});
