// The public surface of the canary primitive: the judge, the rollout gate and performance budgets.
export { createCanaryJudge, type CanaryJudge, type CanaryEvaluateOptions } from './judge.js';
export type {
  CanaryJudgeOptions,
  CanaryMetric,
  CanaryMetricBase,
  ErrorRateMetric,
  LatencyMetric,
} from './options.js';
export type { CanaryArm, CanaryObservation } from './observation.js';
export {
  canaryVerdictSchema,
  canaryMetricResultSchema,
  canaryCheckSchema,
  type CanaryVerdict,
  type CanaryMetricResult,
  type CanaryCheck,
} from './verdict.js';
export {
  createRolloutGate,
  type RolloutGate,
  type RolloutGateEvents,
  type RolloutStatus,
  type RolloutState,
  type RolloutCheck,
} from './rollout-gate.js';
export type { RolloutGateOptions } from './rollout-options.js';
export {
  createPerformanceBudget,
  performanceBudgetReportSchema,
  routeBudgetResultSchema,
  type PerformanceBudget,
  type PerformanceBudgetOptions,
  type PerformanceBudgetReport,
  type RouteBudgetResult,
  type RouteLatencyBudget,
} from './performance-budget.js';
