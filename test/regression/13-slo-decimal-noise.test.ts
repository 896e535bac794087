// Issue 13, item 7: `targetPercent: 99.9` became 0.9990000000000001, and the SLA report said
// `budgetUsed: 0.9999999999999991` exactly on a 99.9 % budget and `1.0000000000001101` with
// `met: true` at 99.99 %. Targets are normalised once, budget shares read as decimals, and `met`
// is the same comparison the tracker makes: met while no more than the whole budget is used.
import { describe, expect, it } from 'vitest';
import { budgetRemaining, createMonitor, createSloTracker, fromOpenSlo, toPrometheusRules } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const openSlo = (objective: Record<string, number>) => ({
  apiVersion: 'openslo/v1',
  kind: 'SLO',
  metadata: { name: 'web' },
  spec: {
    indicator: {
      metadata: { name: 'web-sli' },
      spec: {
        ratioMetric: {
          counter: true,
          good: { metricSource: { type: 'Prometheus', spec: { query: 'a' } } },
          total: { metricSource: { type: 'Prometheus', spec: { query: 'b' } } },
        },
      },
    },
    budgetingMethod: 'Occurrences',
    timeWindow: [{ duration: '28d', isRolling: true }],
    objectives: [objective],
  },
});

describe('regression #13 (7): targets and budget shares without binary noise', () => {
  it('normalises a target once, wherever it comes from', () => {
    expect(fromOpenSlo(openSlo({ targetPercent: 99.9 }))[0]?.objective.target).toBe(0.999);
    expect(fromOpenSlo(openSlo({ targetPercent: 99.99 }))[0]?.objective.target).toBe(0.9999);
    const slo = createSloTracker({ name: 'web', objective: { kind: 'availability', target: 99.99 / 100 } });
    expect(slo.target).toBe(0.9999);
    expect(slo.status().target).toBe(0.9999);
    const rules = toPrometheusRules({ name: 'web', objective: { kind: 'availability', target: 99.9 / 100 } });
    const objective = rules.groups[0]?.rules.find((r) => 'record' in r && r.record === 'slo:objective:ratio');
    expect(objective?.expr).toBe('vector(0.999)');
  });

  it('gives budget shares as decimals in the tracker and the pure math', () => {
    const slo = createSloTracker({ name: 'api', objective: { kind: 'availability', target: 0.999 } });
    slo.record(true, 9_991);
    slo.record(false, 9);
    expect(slo.status().budget).toEqual({ consumed: 0.9, remaining: 0.1 });
    expect(budgetRemaining({ target: 0.999, good: 9_993, total: 10_000 })).toEqual({
      consumed: 0.7,
      remaining: 0.3,
    });
  });

  it('reports budgetUsed and met in the SLA report as the tracker judges them', async () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    const exact = createSloTracker(
      { name: 'exact', objective: { kind: 'availability', target: 99.99 / 100 } },
      { clock },
    );
    const onBudget = createSloTracker(
      { name: 'on-budget', objective: { kind: 'availability', target: 0.999 } },
      { clock },
    );
    const over = createSloTracker(
      { name: 'over', objective: { kind: 'availability', target: 0.999 } },
      { clock },
    );
    exact.record(true, 9_999);
    exact.record(false, 1);
    onBudget.record(true, 9_990);
    onBudget.record(false, 10);
    over.record(true, 9_987);
    over.record(false, 13);
    clock.advance(1_000);
    const monitor = createMonitor({ service: 'checkout', slos: [exact, onBudget, over] }, { clock });
    const report = monitor.slaReport({ period: 'month' });
    expect(report.slos.map((s) => [s.slo, s.objective, s.budgetUsed, s.met])).toEqual([
      ['exact', 99.99, 1, true],
      ['on-budget', 99.9, 1, true],
      ['over', 99.9, 1.3, false],
    ]);
    // The tracker agrees: exactly the whole budget is used, none is left.
    expect(exact.status().budget).toEqual({ consumed: 1, remaining: 0 });
    await monitor.close();
  });
});
