// What stands between a change and production besides the SLOs and incidents: the canary judge the
// agent's `judge_canary` asks, the progressive rollouts whose latest verdict readiness reads, and the
// per-route performance budgets. Reads only; the rollouts and budgets are the caller's objects.
import type { InternalErrorHandler } from '../core/index.js';
import {
  createCanaryJudge,
  type CanaryJudge,
  type CanaryObservation,
  type CanaryVerdict,
  type PerformanceBudget,
  type PerformanceBudgetReport,
  type RolloutGate,
  type RolloutStatus,
} from '../canary/index.js';
import type { LatencyTracker } from '../latency/index.js';

/** A performance budget's verdict, or the error evaluating it threw. */
export type PerformanceOutcome = { readonly report: PerformanceBudgetReport } | { readonly error: unknown };

/** The monitor's canary judge, rollouts and performance budgets. */
export class ReleaseGates {
  readonly #canary: CanaryJudge | undefined;
  readonly #rollouts: readonly RolloutGate[];
  readonly #budget: PerformanceBudget | undefined;
  readonly #latency: LatencyTracker | undefined;
  #defaultJudge: CanaryJudge | undefined;

  constructor(options: {
    readonly canary: CanaryJudge | undefined;
    readonly rollouts: readonly RolloutGate[];
    readonly performanceBudget: PerformanceBudget | undefined;
    readonly latency: LatencyTracker | undefined;
  }) {
    this.#canary = options.canary;
    this.#rollouts = [...options.rollouts];
    this.#budget = options.performanceBudget;
    this.#latency = options.latency;
  }

  /** The given judge's verdict, or a default judge's (created on first use). */
  judge(observation: CanaryObservation): CanaryVerdict {
    return (this.#defaultJudge ??= this.#canary ?? createCanaryJudge()).evaluate(observation);
  }

  /** Where each rollout stands. */
  rollouts(): RolloutStatus[] {
    return this.#rollouts.map((gate) => gate.status());
  }

  /** The budgets' verdict on the latency tracker, undefined without a budget or a tracker. */
  performance(): PerformanceOutcome | undefined {
    if (this.#budget === undefined || this.#latency === undefined) return undefined;
    try {
      return { report: this.#budget.evaluate(this.#latency) };
    } catch (error) {
      return { error };
    }
  }

  /** The budgets' report for a performance analysis; an evaluation that throws goes to `onError`. */
  budgetsForAnalysis(onError: InternalErrorHandler, source: string): PerformanceBudgetReport | undefined {
    const performance = this.performance();
    if (performance === undefined) return undefined;
    if ('report' in performance) return performance.report;
    onError(performance.error, { source, task: 'performance budgets' });
    return undefined;
  }
}
