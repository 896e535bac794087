// Issue 13, item 6: the January SLA report run on Feb 1 said `mttrMs: null`, on Feb 5 `176,290,000`:
// an incident opened in January and resolved in February changed a closed period's figures. A period's
// report counts only what happened inside it, and says so.
import { describe, expect, it } from 'vitest';
import { createMonitor, createSloTracker, slaReportSchema, type SlaReport } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const withoutAsOf = ({ asOf: _asOf, ...rest }: SlaReport) => rest;

describe('issue 13: a closed period report never changes', () => {
  it('the January report on Feb 1 and on Feb 5 are the same', async () => {
    const clock = createFakeClock({ start: '2026-01-31T20:00:00.000Z' });
    const slo = createSloTracker(
      { name: 'availability', objective: { kind: 'availability', target: 0.999 } },
      { clock },
    );
    const monitor = createMonitor({ service: 'api', slos: [slo] }, { clock });
    const quick = await monitor.incidents.open({
      title: 'Blip',
      severity: 'P3',
      labels: { slo: 'availability' },
    });
    clock.advance(10 * 60_000);
    await monitor.incidents.resolve(quick.id);
    const late = await monitor.incidents.open({
      title: 'Outage',
      severity: 'P2',
      labels: { slo: 'availability' },
    });

    clock.advanceTo('2026-02-01T00:00:00.000Z');
    const february1 = slaReportSchema.parse(
      monitor.slaReport({ period: 'month', at: Date.parse('2026-01-15') }),
    );
    clock.advanceTo('2026-02-03T01:00:00.000Z');
    await monitor.incidents.resolve(late.id); // resolved in February
    clock.advanceTo('2026-02-05T00:00:00.000Z');
    const february5 = slaReportSchema.parse(
      monitor.slaReport({ period: 'month', at: Date.parse('2026-01-15') }),
    );

    expect(withoutAsOf(february5)).toEqual(withoutAsOf(february1));
    expect(february5.final).toBe(true);
    expect(february5.incidents).toMatchObject({ total: 2, mttrMs: 10 * 60_000 });
    expect(february5.incidents.rule).toContain('resolved before the period ended');
    expect(february5.slos[0]).toMatchObject({ incidents: 2, mttrMs: 10 * 60_000 });
    // The recorder's own metrics follow the same rule for a window that has ended.
    expect(
      monitor.incidents.metrics({ since: Date.parse('2026-01-01'), until: Date.parse('2026-02-01') }),
    ).toMatchObject({ count: 2, mttrMs: 10 * 60_000, open: 1 });
    await monitor.close();
    slo.close();
  });

  it('a reopened incident counts as of the period end: resolved then, whatever came later', async () => {
    const clock = createFakeClock({ start: '2026-01-31T23:20:00.000Z' });
    const monitor = createMonitor({ service: 'api' }, { clock });
    const incident = await monitor.incidents.open({ title: 'Flaky', severity: 'P3', dedupKey: 'flaky' });
    clock.advance(30 * 60_000);
    await monitor.incidents.resolve(incident.id);
    const before = monitor.slaReport({ period: 'month', at: Date.parse('2026-01-15') });
    clock.advanceTo('2026-02-01T00:10:00.000Z');
    await monitor.incidents.trigger({ title: 'Flaky', severity: 'P3', dedupKey: 'flaky' }); // reopens it
    clock.advance(60 * 60_000);
    await monitor.incidents.resolve(incident.id);
    const after = monitor.slaReport({ period: 'month', at: Date.parse('2026-01-15') });
    expect(after.incidents.mttrMs).toBe(30 * 60_000);
    expect(after.incidents.mttrMs).toBe(before.incidents.mttrMs);
    await monitor.close();
  });
});
