import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  createCanaryJudge,
  createChangeLog,
  createLatencyTracker,
  createMonitor,
  createPerformanceBudget,
  createRolloutGate,
  createSloTracker,
  incidentReportSchema,
  performanceAnalysisSchema,
  slaReportSchema,
  type CanaryObservation,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

// The monitor wired with a change log, canary rollouts and performance budgets: incidents carry the
// changes before them, the SLA report the DORA block, readiness the canary and budgets.

const START = '2026-03-10T12:00:00.000Z';
const MIN = 60_000;

function rig(clock: FakeClock) {
  const changes = createChangeLog(
    { service: 'checkout', dependencies: { checkout: ['payments'] } },
    { clock },
  );
  const availability = createSloTracker(
    { name: 'availability', objective: { kind: 'availability', target: 0.999 } },
    { clock },
  );
  const monitor = createMonitor({ service: 'checkout', slos: [availability], changes }, { clock });
  const close = async () => {
    await monitor.close();
    availability.close();
  };
  return { changes, availability, monitor, close };
}

describe('monitor + change log: incidents name the changes before them', () => {
  it('an incident opened by hand gets its top 3 changes with reasons, in its report and timeline', async () => {
    const clock = createFakeClock({ start: START });
    const { changes, monitor, close } = rig(clock);
    const now = clock.wallNow();
    changes.record({ id: 'flag-3', kind: 'flag', startedAt: now - 50 * MIN, finishedAt: now - 50 * MIN });
    changes.record({ id: 'pay-77', kind: 'deploy', service: 'payments', startedAt: now - 20 * MIN });
    changes.record({
      id: 'deploy-812',
      kind: 'deploy',
      version: 'v2.3.1',
      startedAt: now - 8 * MIN,
      finishedAt: now - 4 * MIN,
    });
    changes.record({ id: 'infra-old', kind: 'infra', startedAt: now - 3 * 86_400_000 });
    const incident = await monitor.incidents.open({ title: 'Checkout errors', severity: 'P2' });
    await monitor.evaluate(); // settles the correlation begun when the incident opened

    const report = incidentReportSchema.parse(monitor.incidentReport(incident.id));
    expect(report.related_changes?.map((c) => c.change_id)).toEqual(['deploy-812', 'pay-77', 'flag-3']);
    expect(report.related_changes?.[0]).toMatchObject({ kind: 'deploy', version: 'v2.3.1' });
    expect(report.related_changes?.[0]?.reasons).toEqual(
      expect.arrayContaining(['opened 4 min after deploy-812 finished', 'same service (checkout)']),
    );
    expect(report.related_changes?.[1]?.reasons).toContain('checkout depends on payments');
    const note = monitor.incidents.get(incident.id)?.timeline.find((e) => e.kind === 'noted');
    expect(note).toMatchObject({ by: 'monitor' });
    expect(note?.text).toMatch(/^Changes before this incident, most suspected first: deploy-812 \(score/);
    // Reading the correlation again is the same answer and changes nothing.
    const before = monitor.incidents.get(incident.id);
    expect(monitor.changeCorrelation(incident.id).map((c) => c.change.id)).toEqual([
      'deploy-812',
      'pay-77',
      'flag-3',
    ]);
    expect(monitor.incidents.get(incident.id)).toBe(before);
    await close();
  });

  it('an automatic SLO incident names the deploy its error rate stepped after, with the evidence', async () => {
    const clock = createFakeClock({ start: START });
    const { changes, availability, monitor, close } = rig(clock);
    // An hour of clean traffic, a config change, more clean traffic, then a deploy that breaks it.
    for (let m = 0; m < 90; m++) {
      if (m === 40)
        changes.record({
          id: 'config-9',
          kind: 'config',
          startedAt: clock.wallNow(),
          finishedAt: clock.wallNow(),
        });
      for (let i = 0; i < 100; i++) availability.record(true);
      await clock.advanceAsync(MIN);
    }
    const deployedAt = clock.wallNow();
    changes.record({
      id: 'deploy-813',
      kind: 'deploy',
      version: 'v2.3.2',
      startedAt: deployedAt - MIN,
      finishedAt: deployedAt,
    });
    for (let m = 0; m < 10; m++) {
      for (let i = 0; i < 100; i++) availability.record(i >= 20);
      await clock.advanceAsync(MIN);
    }
    await monitor.evaluate();
    const [incident] = monitor.incidents.list({ status: 'open' });
    expect(incident).toBeDefined();
    const report = monitor.incidentReport(incident!.id);
    const top = report.related_changes?.[0];
    expect(top?.change_id).toBe('deploy-813');
    expect(
      top?.reasons.some((r) => r.startsWith('a golden signal stepped up after it (SLO availability')),
    ).toBe(true);
    // The config change an hour earlier saw no step.
    const config = monitor.changeCorrelation(incident!.id).find((c) => c.change.id === 'config-9');
    expect(config?.factors.signal).toBe(0.5);
    await close();
  });

  it('without a change log, incidents carry no related changes and the change queries say so', async () => {
    const clock = createFakeClock({ start: START });
    const monitor = createMonitor({ service: 'checkout' }, { clock });
    const incident = await monitor.incidents.open({ title: 'x', severity: 'P3' });
    await monitor.evaluate();
    expect(monitor.incidentReport(incident.id).related_changes).toBeUndefined();
    expect(() => monitor.changeCorrelation(incident.id)).toThrow(/no change log/);
    expect(() => monitor.recordChange({ id: 'd', kind: 'deploy', startedAt: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_SRE_NOT_CONFIGURED' }),
    );
    await monitor.close();
  });
});

describe('monitor + change log: the SLA report', () => {
  it('gains the DORA block and incident frequency, counted as of the period end', async () => {
    const clock = createFakeClock({ start: '2026-03-31T12:00:00.000Z' });
    const { changes, monitor, close } = rig(clock);
    const t = Date.parse('2026-03-10T10:00:00Z');
    changes.record({ id: 'd1', kind: 'deploy', startedAt: t, finishedAt: t + 5 * MIN });
    changes.record({
      id: 'd2',
      kind: 'deploy',
      startedAt: t + 86_400_000,
      finishedAt: t + 86_400_000 + 5 * MIN,
    });
    changes.record({
      id: 'd2',
      kind: 'deploy',
      startedAt: t + 86_400_000,
      finishedAt: t + 86_400_000 + 5 * MIN,
    }); // a retried webhook
    // March 31 23:30: a deploy whose rollback only comes in April.
    const late = Date.parse('2026-03-31T23:30:00Z');
    changes.record({ id: 'd3', kind: 'deploy', startedAt: late - 5 * MIN, finishedAt: late });
    await monitor.incidents.open({ title: 'a', severity: 'P3' });
    await monitor.incidents.open({ title: 'b', severity: 'P4' });
    await monitor.evaluate();
    await clock.advanceAsync(12 * 3_600_000); // now April 1, 00:00
    changes.record({
      id: 'rb-1',
      kind: 'rollback',
      rollbackOf: 'd3',
      startedAt: Date.parse('2026-04-01T00:10:00Z'),
      finishedAt: Date.parse('2026-04-01T00:15:00Z'),
    });
    await clock.advanceAsync(3_600_000);
    const march = slaReportSchema.parse(
      monitor.slaReport({ period: 'month', at: Date.parse('2026-03-15T00:00:00Z') }),
    );
    expect(march.incidents.frequency).toEqual({ incidents: 2, days: 31, perDay: 2 / 31, perWeek: 14 / 31 });
    expect(march.dora?.deploymentFrequency).toMatchObject({ deployments: 3, days: 31 });
    // The April rollback is after March ended: March's report does not change because of it.
    expect(march.dora?.changeFailRate).toEqual({ failed: 0, deployments: 3, ratio: 0 });
    const april = monitor.doraReport({ period: 'month' });
    expect(april.deploymentReworkRate).toEqual({ rework: 1, deployments: 1, ratio: 1 });
    const range = monitor.doraReport({
      since: '2026-03-01T00:00:00Z',
      until: '2026-04-02T00:00:00Z',
    });
    expect(range.changeFailRate).toEqual({ failed: 1, deployments: 4, ratio: 0.25 });
    expect(() => monitor.doraReport({ since: 'yesterday', until: Date.now() })).toThrow(/since/);
    await close();
  });
});

/** A latency tracker keyed by route, filled with `n` values of `ms` on `route`. */
function latencyWith(clock: FakeClock, route: string, ms: number, n: number) {
  const latency = createLatencyTracker({ window: { durationMs: 3_600_000, slices: 6 } }, { clock });
  for (let i = 0; i < n; i++) latency.record(ms + (i % 5), route);
  return latency;
}

describe('monitor: readiness and analysis with canaries, budgets and change freezes', () => {
  it('a route over its performance budget fails readiness and is listed by analyze_performance', async () => {
    const clock = createFakeClock({ start: START });
    const latency = latencyWith(clock, 'GET /orders/:id', 350, 200);
    const performanceBudget = createPerformanceBudget({ routes: { 'GET /orders/:id': { p99Ms: 200 } } });
    const monitor = createMonitor({ service: 'checkout', latency, performanceBudget }, { clock });
    await clock.advanceAsync(MIN);
    await monitor.evaluate();
    const readiness = await monitor.deploymentReadiness();
    expect(readiness.ready).toBe(false);
    expect(readiness.reasons.some((r) => r.startsWith('Performance budget: GET /orders/:id'))).toBe(true);
    const analysis = performanceAnalysisSchema.parse(
      monitor.performanceAnalysis({ focusAreas: ['api_latency'] }),
    );
    expect(analysis.budgets?.routes[0]).toMatchObject({
      route: 'GET /orders/:id',
      quantile: 'p99',
      status: 'over',
    });
    expect(analysis.immediate.some((line) => line.startsWith('Performance budget:'))).toBe(true);
    await monitor.close();
    await latency.close();
  });

  it('a running canary with a failing verdict fails readiness until it is rolled back', async () => {
    const clock = createFakeClock({ start: START });
    const arms = { baseline: { requests: 0, errors: 0 }, canary: { requests: 0, errors: 0 } };
    let weight = 0;
    const gate = createRolloutGate(
      {
        name: 'checkout-v2',
        judge: createCanaryJudge({
          metrics: [{ name: 'errors', kind: 'error-rate', maxIncrease: 0.005, critical: true }],
        }),
        steps: [10, 50, 100],
        intervalMs: MIN,
        consecutiveFailures: 2,
        observe: (): CanaryObservation => ({ baseline: { ...arms.baseline }, canary: { ...arms.canary } }),
        setWeight: (percent) => void (weight = percent),
      },
      { clock },
    );
    const monitor = createMonitor({ service: 'checkout', rollouts: [gate] }, { clock });
    const done = gate.start({ version: 'v2.0.0' });
    const flow = () => {
      const canary = (10_000 * weight) / 100;
      arms.canary.requests += canary;
      arms.canary.errors += canary * 0.05;
      arms.baseline.requests += 10_000 - canary;
      arms.baseline.errors += (10_000 - canary) * 0.001;
    };
    // One failing check: the canary is still running, and readiness says why.
    await clock.advanceAsync(1);
    flow();
    await clock.advanceAsync(MIN);
    expect(gate.status()).toMatchObject({ state: 'running', consecutiveFailures: 1 });
    const held = await monitor.deploymentReadiness();
    expect(held.ready).toBe(false);
    expect(held.reasons[0]).toMatch(/^Canary checkout-v2 \(v2\.0\.0\) is failing at 10 % of traffic: /);
    // The second rolls it back: nothing of it is serving, nothing holds deployments.
    flow();
    await clock.advanceAsync(MIN);
    await expect(done).resolves.toMatchObject({ state: 'rolled_back', weight: 0 });
    expect(await monitor.deploymentReadiness()).toMatchObject({ ready: true, reasons: [] });
    await monitor.close();
    await gate.close();
  });

  it('an exhausted error budget is a change freeze: readiness and recordChange say so', async () => {
    const clock = createFakeClock({ start: START });
    const { availability, monitor, close } = rig(clock);
    for (let i = 0; i < 1_000; i++) availability.record(i % 10 !== 0);
    await clock.advanceAsync(MIN);
    const readiness = await monitor.deploymentReadiness();
    expect(readiness.reasons.some((r) => r.startsWith('Change freeze: SLO availability'))).toBe(true);
    const recorded = monitor.recordChange({
      id: 'hotfix-1',
      kind: 'deploy',
      hotfix: true,
      startedAt: clock.wallNow(),
    });
    expect(recorded).toMatchObject({ action: 'recorded', change: { id: 'hotfix-1', hotfix: true } });
    expect(recorded.changeFreeze).toEqual([
      'SLO availability has exhausted its error budget: only fixes and rollbacks should ship.',
    ]);
    await close();
  });
});

describe('monitor: change options', () => {
  it.each([
    [{ changes: {} }, 'changes'],
    [{ canary: { judge: 1 } }, 'canary'],
    [{ performanceBudget: 'fast' }, 'performanceBudget'],
    [
      {
        rollouts: [
          { name: 'a', status: () => 0, start: () => 0 },
          { name: 'a', status: () => 0, start: () => 0 },
        ],
      },
      'rollout',
    ],
  ])('rejects %j naming the field', (options, field) => {
    expect(() => createMonitor({ service: 'a', ...options } as never)).toThrow(ConfigError);
    expect(() => createMonitor({ service: 'a', ...options } as never)).toThrow(field);
  });
});
