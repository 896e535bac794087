// Issue 13, item 12: readiness right after a recovery reported the incident as still open for a few
// ms, because the resolution its own health check triggered was still in flight. Readiness now waits
// for the incident bookkeeping its check triggered, and says when an incident is only waiting out its
// hysteresis.
import { describe, expect, it } from 'vitest';
import { createHealthRegistry, createMonitor } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

async function rig(resolveAfterMs?: number) {
  const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
  const health = createHealthRegistry({}, { clock });
  let up = false;
  health.register('database', () => {
    if (!up) throw new Error('connection refused');
  });
  const monitor = createMonitor(
    { service: 'shop', health, ...(resolveAfterMs === undefined ? {} : { resolveAfterMs }) },
    { clock },
  );
  await monitor.evaluate();
  expect(monitor.incidents.list({ status: 'open' })).toHaveLength(1);
  const recover = () => {
    up = true;
  };
  return { clock, health, monitor, recover };
}

describe('issue 13: readiness judges on the bookkeeping of its own check', () => {
  it('without hysteresis: the recovery its check sees resolves the incident before the verdict', async () => {
    const { health, monitor, recover } = await rig(0);
    recover();
    const readiness = await monitor.deploymentReadiness();
    expect(readiness).toMatchObject({ ready: true, reasons: [] });
    expect(monitor.incidents.list({ status: 'open' })).toEqual([]);
    await monitor.close();
    health.close();
  });

  it('with hysteresis: the incident still blocks, and the reason says it is recovering', async () => {
    const { health, monitor, recover } = await rig();
    recover();
    const readiness = await monitor.deploymentReadiness();
    expect(readiness.ready).toBe(false);
    expect(readiness.reasons).toEqual([
      expect.stringMatching(
        /^Incident INC-2026-001 \(P1\) is still open: Critical health check database is failing: connection refused \(its signal has been clear for 0 s; it resolves once clear for 30 s\)\.$/,
      ),
    ]);
    await monitor.close();
    health.close();
  });
});
