// Issue 13, item 5: reading an SLO used to evaluate its alerts. After 7 idle hours, one slaReport()
// resolved the two incidents an outage had opened, and so did a health report, a readiness check or
// a metrics scrape. Reads must never change state: alerts are judged by evaluate() (the monitor's
// timer, or record() while traffic flows), never by a report.
import { describe, expect, it } from 'vitest';
import {
  checks,
  createHealthRegistry,
  createMonitor,
  createSloTracker,
  renderMetrics,
  sloMetrics,
  type SloAlertEvent,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const HOUR = 3_600_000;
// Long enough that the monitor's own timer never runs during the test: only our calls judge alerts.
const NEVER_MS = 2_147_483_647;

describe('regression #13 (5): reading an SLO never changes its alerts or the incidents', () => {
  it('reports, readiness and scrapes after 7 idle hours resolve nothing; evaluate() then does', async () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    const slo = createSloTracker(
      { name: 'availability', objective: { kind: 'availability', target: 0.999 } },
      { clock },
    );
    const health = createHealthRegistry({ exposeDetails: true }, { clock });
    health.register('budget', checks.sloBudget(slo), { critical: false });
    const monitor = createMonitor(
      // resolveAfterMs 0: the first clear evaluation resolves, so only evaluate() can have done it.
      { service: 'checkout', health, slos: [slo], evaluateIntervalMs: NEVER_MS, resolveAfterMs: 0 },
      { clock },
    );
    const events: SloAlertEvent[] = [];
    slo.on('alert', (event) => {
      events.push(event);
    });

    // A 10-minute total outage: both page alerts and the ticket fire while the traffic flows.
    for (let s = 0; s < 600; s++) {
      slo.record(false, 10);
      clock.advance(1_000);
    }
    await monitor.evaluate();
    const open = () => monitor.incidents.list({ status: ['open', 'acknowledged'] });
    expect(
      open()
        .map((i) => i.labels.alert)
        .sort(),
    ).toEqual(['page', 'ticket']);
    expect(events.every((e) => e.firing)).toBe(true);
    const fired = events.length;

    clock.advance(7 * HOUR);
    monitor.slaReport({ period: 'month' });
    await monitor.healthReport({ includePredictions: true });
    await monitor.deploymentReadiness();
    monitor.sloStatus();
    await monitor.handle({ agent: 'sre-reliability', action: 'health_check', include_predictions: true });
    renderMetrics([sloMetrics([slo])]);
    await health.check();
    slo.status();
    slo.snapshot();
    slo.currentWindow();
    await Promise.resolve();

    expect(events.length).toBe(fired);
    expect(open()).toHaveLength(2);
    // What the reads saw is the truth now: nothing burns any more.
    expect(slo.status().alerts.some((a) => a.firing)).toBe(false);

    await monitor.evaluate();
    expect(events.slice(fired).map((e) => [e.severity, e.firing])).toEqual(
      expect.arrayContaining([
        ['page', false],
        ['ticket', false],
      ]),
    );
    expect(open()).toEqual([]);
    await monitor.close();
    health.close();
    slo.close();
  });

  it('a tracker alone judges alerts on evaluate(), never on status(), snapshot() or currentWindow()', () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    const slo = createSloTracker(
      { name: 'api', objective: { kind: 'availability', target: 0.999 } },
      { clock },
    );
    const events: Array<[string, boolean]> = [];
    const exhausted: number[] = [];
    slo.on('alert', (e) => {
      events.push([e.severity, e.firing]);
    });
    slo.on('budgetExhausted', (e) => {
      exhausted.push(e.consumed);
    });
    // Recorded in one second: no second closes during recording, so nothing was judged yet.
    slo.record(false, 1_000);
    clock.advance(2_000);
    slo.status();
    slo.snapshot();
    slo.currentWindow();
    expect(events).toEqual([]);
    expect(exhausted).toEqual([]);
    expect(slo.evaluate().alerts.filter((a) => a.firing)).toHaveLength(3);
    expect(events).toHaveLength(3);
    expect(exhausted).toHaveLength(1);
  });
});
