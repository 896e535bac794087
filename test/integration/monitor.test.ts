import { describe, expect, it } from 'vitest';
import {
  agentResponseSchema,
  createCircuitBreaker,
  createHealthRegistry,
  createMonitor,
  createSloTracker,
  deploymentReadinessSchema,
  incidentReportSchema,
  slaReportSchema,
  type SloTracker,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

// End to end on the fake clock: real primitives wired by a real monitor, faults injected by feeding
// them. Nothing of ours is mocked and nothing sleeps.

const START = '2026-03-10T00:00:00.000Z';
const MINUTE = 60_000;
const RATE = 10; // requests per second
const STEP = 10_000;
/** The monitor's default hysteresis: 3 × its default 10 s evaluation interval. */
const RESOLVE_AFTER = 30_000;

// A page alert over 5 min / 1 min windows at 10× the 1 % budget: fires when both see > 10 % errors.
const availability = (clock: FakeClock) =>
  createSloTracker(
    {
      name: 'availability',
      objective: { kind: 'availability', target: 0.99 },
      alerts: [{ severity: 'page', longWindowMs: 5 * MINUTE, shortWindowMs: MINUTE, burnRate: 10 }],
    },
    { clock },
  );

/** Feeds `ms` of traffic in 10 s steps at RATE req/s, all ok or all failing; returns what it fed. */
async function traffic(clock: FakeClock, slo: SloTracker, ms: number, ok: boolean) {
  let fed = 0;
  for (let t = 0; t < ms; t += STEP) {
    await clock.advanceAsync(STEP);
    slo.record(ok, (RATE * STEP) / 1000);
    fed += (RATE * STEP) / 1000;
  }
  return fed;
}

describe('monitor: an injected outage', () => {
  it('opens exactly one P2 incident, resolves it automatically, and reports it', async () => {
    const clock = createFakeClock({ start: START });
    const slo = availability(clock);
    const errors: unknown[] = [];
    const monitor = createMonitor(
      { service: 'checkout', slos: [slo] },
      { clock, onInternalError: (e) => errors.push(e) },
    );

    // A quiet night: 2 M good requests at 01:00 (outside the alert windows), then steady traffic.
    await clock.advanceAsync(60 * MINUTE);
    slo.record(true, 2_000_000);
    let good = 2_000_000;
    let bad = 0;
    good += await traffic(clock, slo, 60 * MINUTE, true);
    expect((await monitor.deploymentReadiness()).ready).toBe(true);

    const outageStart = clock.wallNow();
    bad += await traffic(clock, slo, 10 * MINUTE, false);
    const outageEnd = clock.wallNow();
    await monitor.evaluate();

    const during = await monitor.deploymentReadiness();
    expect(deploymentReadinessSchema.parse(during).ready).toBe(false);
    expect(during.reasons.some((r) => r.startsWith('SLO availability has a page alert firing'))).toBe(true);
    expect(during.reasons.some((r) => /^Incident INC-2026-\d+ \(P2\) is still open/.test(r))).toBe(true);
    expect(monitor.incidents.list({ status: ['open', 'acknowledged'] })).toHaveLength(1);

    good += await traffic(clock, slo, 10 * MINUTE, true);
    await monitor.evaluate();

    const all = monitor.incidents.list();
    expect(all).toHaveLength(1);
    const incident = all[0]!;
    expect(incident).toMatchObject({
      severity: 'P2',
      status: 'resolved',
      automated: true,
      dedupKey: 'slo:availability:page',
      source: 'slo',
    });
    const kinds = incident.timeline.map((entry) => entry.kind);
    expect(kinds[0]).toBe('opened');
    expect(kinds.at(-1)).toBe('resolved');
    expect(incident.timeline.at(-1)?.text).toMatch(/resolved/i);
    // Detection lags by at most the long window's share of bad traffic; recovery by the short window,
    // plus the time the signal must stay clear before the incident resolves.
    expect(incident.openedAt - outageStart).toBeGreaterThanOrEqual(0);
    expect(incident.openedAt - outageStart).toBeLessThanOrEqual(MINUTE);
    expect(incident.resolvedAt! - outageEnd).toBeGreaterThan(RESOLVE_AFTER);
    expect(incident.resolvedAt! - outageEnd).toBeLessThanOrEqual(MINUTE + STEP + RESOLVE_AFTER);
    const mttr = monitor.incidents.metrics().mttrMs!;
    expect(Math.abs(mttr - 10 * MINUTE)).toBeLessThanOrEqual(MINUTE + STEP + RESOLVE_AFTER);

    const after = await monitor.deploymentReadiness();
    expect(after).toMatchObject({ ready: true, reasons: [] });

    const day = slaReportSchema.parse(monitor.slaReport({ period: 'day' }));
    expect(day.from).toBe(START);
    expect(day.to).toBe('2026-03-11T00:00:00.000Z');
    const entry = day.slos[0]!;
    expect(entry).toMatchObject({ slo: 'availability', good, total: good + bad, incidents: 1, met: true });
    expect(entry.achieved).toBeCloseTo((100 * good) / (good + bad), 6);
    expect(entry.budgetUsed).toBeCloseTo(bad / ((good + bad) * 0.01), 6);
    expect(entry.mttrMs).toBe(mttr);
    expect(day.traffic).toEqual({ requests: good + bad, errors: bad });
    expect(day.incidents).toMatchObject({ total: 1, mttrMs: mttr });
    expect(day.incidents.bySeverity.P2).toBe(1);

    const report = incidentReportSchema.parse(monitor.incidentReport(incident.id));
    expect(report.severity).toBe('P2');
    expect(report.duration_minutes).toBeCloseTo(mttr / MINUTE, 1);

    // Every agent action answers from this monitor with a response its schema accepts.
    for (const request of [
      { action: 'health_check', include_predictions: true },
      { action: 'analyze_performance', timeframe: 'last_hour', focus_areas: ['api_latency'] },
      { action: 'slo_status' },
      { action: 'incident_report', id: incident.id },
      { action: 'incident_report', recent: 5 },
      { action: 'capacity_plan', horizon_days: 30 },
      { action: 'deployment_readiness' },
    ]) {
      const response = agentResponseSchema.parse(
        await monitor.handle({ agent: 'sre-reliability', ...request }),
      );
      expect(response, request.action).toMatchObject({ ok: true });
    }

    // The previous day saw nothing.
    const yesterday = monitor.slaReport({ period: 'day', at: Date.parse(START) - 1 });
    expect(yesterday.slos[0]).toMatchObject({ total: 0, achieved: null, met: true, incidents: 0 });
    await monitor.close();
    expect(errors).toEqual([]);
    expect(clock.pendingCount).toBe(0);
  });
});

describe('monitor: breakers and critical checks', () => {
  it('a breaker opening opens a P3 incident that its closing resolves, once clear for 30 s', async () => {
    const clock = createFakeClock({ start: START });
    const breaker = createCircuitBreaker(
      { name: 'payments', failureThreshold: { kind: 'consecutive', count: 2 }, openMs: 30_000 },
      { clock },
    );
    const monitor = createMonitor({ service: 'checkout', breakers: [breaker] }, { clock });
    for (let i = 0; i < 2; i++)
      await expect(breaker.execute(() => Promise.reject(new Error('503')))).rejects.toThrow('503');
    await monitor.evaluate();
    const [opened] = monitor.incidents.list();
    expect(opened).toMatchObject({ severity: 'P3', status: 'open', dedupKey: 'breaker:payments' });
    const readiness = await monitor.deploymentReadiness();
    expect(readiness.reasons).toContain('Circuit breaker payments is open.');

    await clock.advanceAsync(30_000);
    await breaker.execute(() => Promise.resolve('ok'));
    await monitor.evaluate();
    expect(monitor.incidents.get(opened!.id)).toMatchObject({ status: 'open' }); // clear for 0 s
    await clock.advanceAsync(RESOLVE_AFTER);
    const resolved = monitor.incidents.get(opened!.id)!;
    expect(resolved).toMatchObject({ status: 'resolved', automated: true });
    expect(resolved.resolvedAt! - resolved.openedAt).toBe(30_000 + RESOLVE_AFTER);
    expect(monitor.incidents.list()).toHaveLength(1);
    expect((await monitor.deploymentReadiness()).ready).toBe(true);
    await monitor.close();
    breaker.close();
  });

  it('a critical check failing opens a P1 incident, noticed by evaluate without traffic', async () => {
    const clock = createFakeClock({ start: START });
    const health = createHealthRegistry({}, { clock });
    let up = true;
    health.register('database', () => (up ? { status: 'pass' } : { status: 'fail', output: 'ECONNREFUSED' }));
    health.register('cache', () => (up ? undefined : { status: 'fail' }), { critical: false });
    const monitor = createMonitor({ service: 'checkout', health, evaluateIntervalMs: 5_000 }, { clock });
    await clock.advanceAsync(5_000);
    up = false;
    await clock.advanceAsync(5_000); // the monitor's own timer runs the checks
    await monitor.evaluate();
    const open = monitor.incidents.list();
    expect(open).toHaveLength(1); // the non-critical cache opens nothing
    expect(open[0]).toMatchObject({ severity: 'P1', dedupKey: 'check:database' });
    expect(open[0]!.title).toBe('Critical health check database is failing: ECONNREFUSED');
    const readiness = await monitor.deploymentReadiness();
    expect(readiness.ready).toBe(false);
    // The check's error text stays out of what other agents read unless the registry exposes details.
    expect(readiness.reasons).toContain('Critical health check database is failing.');

    up = true;
    await clock.advanceAsync(5_000);
    await monitor.evaluate();
    expect(monitor.incidents.get(open[0]!.id)).toMatchObject({ status: 'open' }); // clear, not for long
    await clock.advanceAsync(3 * 5_000); // resolveAfterMs: 3 × evaluateIntervalMs
    expect(monitor.incidents.get(open[0]!.id)).toMatchObject({ status: 'resolved', automated: true });
    await monitor.close();
    health.close();
  });
});

describe('monitor: several alert windows', () => {
  it('keeps one page incident open while any page window fires, and opens one P3 for the ticket', async () => {
    const clock = createFakeClock({ start: START });
    const slo = createSloTracker(
      {
        name: 'availability',
        objective: { kind: 'availability', target: 0.99 },
        alerts: [
          { severity: 'page', longWindowMs: 5 * MINUTE, shortWindowMs: MINUTE, burnRate: 10 },
          { severity: 'page', longWindowMs: 30 * MINUTE, shortWindowMs: 5 * MINUTE, burnRate: 5 },
          { severity: 'ticket', longWindowMs: 60 * MINUTE, shortWindowMs: 10 * MINUTE, burnRate: 1 },
        ],
      },
      { clock },
    );
    const monitor = createMonitor({ service: 'checkout', slos: [slo] }, { clock });
    await traffic(clock, slo, 60 * MINUTE, true);
    await traffic(clock, slo, 10 * MINUTE, false);
    const outageEnd = clock.wallNow();
    await traffic(clock, slo, 2 * MINUTE, true);
    await monitor.evaluate();
    // The 5 min / 1 min window has recovered; the 30 min / 5 min one still fires.
    expect(
      monitor.incidents
        .list({ status: 'open' })
        .map((i) => i.dedupKey)
        .sort(),
    ).toEqual(['slo:availability:page', 'slo:availability:ticket']);
    await traffic(clock, slo, 30 * MINUTE, true);
    await monitor.evaluate();
    const incidents = monitor.incidents.list();
    expect(incidents.map((i) => [i.dedupKey, i.severity, i.status])).toEqual([
      ['slo:availability:page', 'P2', 'resolved'],
      ['slo:availability:ticket', 'P3', 'resolved'],
    ]);
    const page = incidents[0]!;
    expect(page.resolvedAt! - outageEnd).toBeGreaterThan(4 * MINUTE);
    expect(page.resolvedAt! - outageEnd).toBeLessThanOrEqual(5 * MINUTE + STEP + RESOLVE_AFTER);
    expect(page.occurrences).toBe(1); // the second page window folded into nothing new
    await monitor.close();
  });
});
