// Issue 13, item 4: readiness saw only the newest 100 open incidents (`.slice(-100)`): one open P1,
// then 100 newer P5s, and `ready: true`. Readiness and the health report now consider every open
// incident, the most severe first, and say how many a bounded list left out.
import { describe, expect, it } from 'vitest';
import { createMonitor, deploymentReadinessSchema, monitorHealthReportSchema } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

describe('issue 13: every open incident counts', () => {
  it('one open P1 under 100 newer P5s still blocks a deploy and heads the health report', async () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    const monitor = createMonitor({ service: 'api' }, { clock });
    const p1 = await monitor.incidents.open({ title: 'Checkout down', severity: 'P1' });
    for (let i = 0; i < 100; i++) {
      clock.advance(1_000);
      await monitor.incidents.open({ title: `Noise ${i}`, severity: 'P5' });
    }
    const readiness = deploymentReadinessSchema.parse(await monitor.deploymentReadiness());
    expect(readiness.ready).toBe(false);
    expect(readiness.reasons).toEqual([`Incident ${p1.id} (P1) is still open: Checkout down.`]);

    const report = monitorHealthReportSchema.parse(await monitor.healthReport());
    expect(report.openIncidents).toHaveLength(100);
    expect(report.openIncidents[0]).toMatchObject({ id: p1.id, severity: 'P1' });
    expect(report.openIncidentsOmitted).toBe(1);
    expect(report.status).toBe('degraded');
    await monitor.close();
  });

  it('names the first 20 blocking incidents, most severe first, and counts the rest', async () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    const monitor = createMonitor({ service: 'api' }, { clock });
    for (let i = 0; i < 20; i++) await monitor.incidents.open({ title: `Slow ${i}`, severity: 'P2' });
    for (let i = 0; i < 5; i++) await monitor.incidents.open({ title: `Down ${i}`, severity: 'P1' });
    const { reasons } = await monitor.deploymentReadiness();
    expect(reasons).toHaveLength(21);
    expect(reasons.slice(0, 5).every((r) => r.includes('(P1)'))).toBe(true);
    expect(reasons[20]).toBe('5 more open P1/P2 incidents are not listed.');
    await monitor.close();
  });
});
