// Issue 13, item 11: removing a failing critical check left its P1 open forever. The registry now says
// when a check is unregistered, and the monitor resolves its incident at once, with the reason.
import { describe, expect, it } from 'vitest';
import { createHealthRegistry, createMonitor, type HealthCheckUnregisteredEvent } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

describe('issue 13: an unregistered check resolves its incident', () => {
  it('resolves the P1 of a failing critical check that is removed, saying why', async () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    const health = createHealthRegistry({}, { clock });
    const events: HealthCheckUnregisteredEvent[] = [];
    health.on('unregistered', (event) => void events.push(event));
    const unregister = health.register('legacy-db', () => {
      throw new Error('gone for good');
    });
    const monitor = createMonitor({ service: 'shop', health }, { clock });
    await monitor.evaluate();
    const [incident] = monitor.incidents.list();
    expect(incident).toMatchObject({ severity: 'P1', status: 'open' });

    unregister();
    expect(events).toEqual([
      { name: 'legacy-db', critical: true, last: expect.objectContaining({ status: 'fail' }) as unknown },
    ]);
    await monitor.evaluate();
    expect(monitor.incidents.get(incident!.id)).toMatchObject({
      status: 'resolved',
      resolution:
        'Alert CriticalHealthCheckFailing resolved at its source: Critical health check legacy-db was unregistered',
    });
    await monitor.close();
    health.close();
  });
});
