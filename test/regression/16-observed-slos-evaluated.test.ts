// Issue 16 after issue 13: an SLO tracker's reads no longer judge its alerts; only evaluate() does
// (or recording, once a second of traffic closes). The SLOs a tracked dependency or pipeline brings
// are the monitor's to evaluate like its own: a dependency that fails a burst of calls and then gets
// no more (callers gave up, or its breaker refuses them) must still page, open an incident, and
// resolve both once the burn is over, on the monitor's evaluations alone.
import { describe, expect, it, vi } from 'vitest';
import { createMonitor, trackDependency, trackPipeline, type SloAlertEvent } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const HOUR = 3_600_000;
// Long enough that the monitor's own timer never runs during the test: only our calls evaluate.
const NEVER_MS = 2_147_483_647;

describe('regression #16: the monitor evaluates the SLOs of its dependencies and pipelines', () => {
  it('a dependency outage with no further calls opens and resolves through evaluate() alone', async () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    const payments = trackDependency(
      { name: 'payments-api', slo: { availability: 0.999 }, breaker: false, retry: false, timeoutMs: false },
      { clock },
    );
    const monitor = createMonitor(
      // resolveAfterMs 0: the first clear evaluation resolves.
      { service: 'checkout', dependencies: [payments], evaluateIntervalMs: NEVER_MS, resolveAfterMs: 0 },
      { clock },
    );
    const availability = payments.slos[0]!;
    const events: SloAlertEvent[] = [];
    availability.on('alert', (event) => {
      events.push(event);
    });
    const open = () =>
      monitor.incidents.list({ status: ['open', 'acknowledged'] }).map((i) => i.dedupKey ?? i.title);

    // 50 failed calls within one second, then none: recording alone never closes a second to judge.
    for (let i = 0; i < 50; i++)
      await payments.call(() => Promise.reject(new Error('503'))).catch(() => undefined);
    clock.advance(10_000);
    expect(events).toEqual([]);

    await monitor.evaluate();
    expect(events.filter((e) => e.firing).map((e) => e.severity)).toContain('page');
    expect(open()).toContain('slo:payments-api:availability:page');

    clock.advance(7 * HOUR); // past the longest short window (6 h)
    await monitor.evaluate();
    expect(events.filter((e) => !e.firing).map((e) => e.severity)).toContain('page');
    expect(open()).toEqual([]);

    await monitor.close();
    await payments.close();
  });

  it('evaluates every dependency and pipeline SLO on each evaluation', async () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    const payments = trackDependency(
      { name: 'payments-api', slo: { availability: 0.999, latencyMs: 300 } },
      { clock },
    );
    const sync = trackPipeline({ name: 'orders-sync', maxLagMs: 300_000 }, { clock });
    const monitor = createMonitor(
      { service: 'checkout', dependencies: [payments], pipelines: [sync], evaluateIntervalMs: NEVER_MS },
      { clock },
    );
    const owned = [...payments.slos, sync.slo!];
    expect(owned.map((slo) => slo.name)).toEqual([
      'payments-api:availability',
      'payments-api:latency',
      'orders-sync:freshness',
    ]);
    const spies = owned.map((slo) => vi.spyOn(slo, 'evaluate'));
    await monitor.evaluate();
    await monitor.evaluate();
    for (const spy of spies) expect(spy).toHaveBeenCalledTimes(2);
    await monitor.close();
    await payments.close();
    sync.close();
  });
});
