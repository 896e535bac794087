// The public surface of the SLO primitive: pure error-budget math, the tracker, and the exporters.
export {
  errorBudget,
  burnRate,
  budgetRemaining,
  timeToExhaustion,
  type ErrorBudget,
  type ErrorBudgetInput,
  type BudgetUsage,
  type BudgetUsageInput,
  type TimeToExhaustionInput,
} from './budget.js';
export {
  burnRateAlerts,
  type BurnRateSeverity,
  type BurnRateAlert,
  type BurnRateAlertsInput,
  type BurnRatePreset,
} from './burn-rate-alerts.js';
export { calendarPeriod, type CalendarPeriod, type CalendarPeriodInput } from './calendar.js';
export { BURN_RATE_WINDOWS, type BurnRateWindowName } from './durations.js';
export type {
  SloTrackerOptions,
  SloObjective,
  AvailabilityObjective,
  LatencyObjective,
  FreshnessObjective,
  SloWindow,
  RollingWindow,
  CalendarWindow,
  SloAlertWindow,
} from './options.js';
export {
  sloSnapshotSchema,
  type SloSnapshot,
  type SloSnapshotTier,
  type SloSnapshotPeriod,
} from './snapshot.js';
export { sloSnapshotDelta } from './snapshot-delta.js';
export {
  createSloTracker,
  type SloTracker,
  type SloTrackerDeps,
  type SloSample,
  type SloStatus,
  type SloBurnRates,
  type SloAlertStatus,
  type SloEvents,
  type SloAlertEvent,
  type SloBudgetExhaustedEvent,
  type SloDiagnostics,
  type SloCounts,
  type SloWindowInfo,
} from './tracker.js';
export {
  toPrometheusRules,
  formatPrometheusRules,
  type PrometheusRulesOptions,
  type SloQueryTemplates,
  type PrometheusRuleFile,
  type PrometheusRuleGroup,
  type PrometheusRecordingRule,
  type PrometheusAlertingRule,
} from './prometheus-rules.js';
export {
  toOpenSlo,
  fromOpenSlo,
  type ToOpenSloOptions,
  type OpenSloDocument,
  type OpenSloSlo,
  type OpenSloSli,
  type OpenSloSliSpec,
  type OpenSloMetadata,
  type OpenSloMetric,
  type OpenSloMetricSource,
  type OpenSloObjective,
  type OpenSloTimeWindow,
} from './openslo.js';
