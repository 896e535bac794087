import { describe, expectTypeOf, it } from 'vitest';
import {
  createCanaryJudge,
  createMonitor,
  handleAgentRequest,
  type ChangeQueries,
  type Monitor,
  type MonitorQueries,
  createChangeLog,
  createPerformanceBudget,
  createRolloutGate,
  type CanaryJudgeOptions,
  type CanaryVerdict,
  type ChangeInput,
  type ChangeLogOptions,
  type CorrelatedChange,
  type DoraReport,
  type PerformanceBudgetOptions,
  type RolloutGateOptions,
  type RolloutStatus,
} from 'sre-kit';
import type { canaryJudgeOptionsSchema } from '../../src/canary/options.js';
import type { performanceBudgetOptionsSchema } from '../../src/canary/performance-budget.js';
import type { rolloutGateOptionsSchema } from '../../src/canary/rollout-options.js';
import type { changeInputSchema } from '../../src/changes/change.js';
import type { changeLogOptionsSchema } from '../../src/changes/options.js';
import type { Bound } from './bound.js';

describe('changes and canary types', () => {
  it('binds every options interface to its schema', () => {
    expectTypeOf<Bound<ChangeLogOptions, typeof changeLogOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<ChangeInput, typeof changeInputSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<CanaryJudgeOptions, typeof canaryJudgeOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<RolloutGateOptions, typeof rolloutGateOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<
      Bound<PerformanceBudgetOptions, typeof performanceBudgetOptionsSchema>
    >().toEqualTypeOf<true>();
  });

  it('the factories return their interfaces and typed answers', () => {
    const changes = createChangeLog({ service: 'checkout' });
    expectTypeOf(changes.correlate({ openedAt: 0 })).toEqualTypeOf<CorrelatedChange[]>();
    expectTypeOf(changes.dora({ since: 0, until: 1 })).toEqualTypeOf<DoraReport>();
    const judge = createCanaryJudge();
    expectTypeOf(
      judge.evaluate({ baseline: { requests: 1 }, canary: { requests: 1 } }),
    ).toEqualTypeOf<CanaryVerdict>();
    const gate = createRolloutGate({
      judge,
      steps: [5, 100],
      intervalMs: 60_000,
      observe: () => ({ baseline: { requests: 0 }, canary: { requests: 0 } }),
      setWeight: () => undefined,
    });
    expectTypeOf(gate.start()).toEqualTypeOf<Promise<RolloutStatus>>();
    // @ts-expect-error: a change kind outside the union
    changes.record({ id: 'x', kind: 'release', startedAt: 0 });
    // @ts-expect-error: budgets are p50Ms … p999Ms
    createPerformanceBudget({ routes: { 'GET /': { p98Ms: 1 } } });
  });

  it('the monitor has the change queries; a hand-built MonitorQueries may leave them out', () => {
    const monitor = createMonitor({ service: 'checkout' });
    expectTypeOf<Monitor['recordChange']>().toEqualTypeOf<ChangeQueries['recordChange']>();
    expectTypeOf(monitor.doraReport({ period: 'month' })).toEqualTypeOf<DoraReport>();
    expectTypeOf(monitor.changeCorrelation('INC-2026-001')).toEqualTypeOf<CorrelatedChange[]>();
    expectTypeOf<MonitorQueries['recordChange']>().toEqualTypeOf<ChangeQueries['recordChange'] | undefined>();
    const bare: Omit<Monitor, keyof ChangeQueries> = monitor;
    expectTypeOf(handleAgentRequest).toBeCallableWith(bare, {});
    // @ts-expect-error: a DORA query is a period or a range
    monitor.doraReport({ since: 0 });
  });
});
