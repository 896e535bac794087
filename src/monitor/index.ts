// The monitor's public surface: the factory, its contract, its report schemas and the trend math.
export { createMonitor } from './monitor.js';
export {
  fitTrend,
  timeToLimit,
  CAPACITY_SIGNALS,
  DEFAULT_CAPACITY_LIMITS,
  type TrendFit,
  type TrendPoint,
  type CapacitySignal,
} from './forecast.js';
export { historySnapshotSchema, type HistorySnapshot } from './history.js';
export {
  MAINTENANCE_LOOKAHEAD_MS,
  MAX_MAINTENANCE_WINDOWS,
  type ScheduledMaintenanceSource,
  type ScheduledMaintenanceView,
  type ScheduledMaintenance,
} from './maintenance.js';
export {
  COMPONENT_STATUSES,
  worseStatus,
  type ComponentStatus,
  type StatusSource,
  type StatusSourceKind,
} from './component-status.js';
export type {
  IncidentPhase,
  IncidentView,
  MonitorStatus,
  LatencySpan,
  UptimeReport,
  UptimeReportDay,
} from './status-view.js';
export {
  DAY_MS,
  UPTIME_DAYS,
  MAX_UPTIME_SOURCES,
  uptimeSnapshotSchema,
  type UptimeDay,
  type UptimeSnapshot,
} from './uptime-days.js';
export { DEFAULT_FORECAST_GATES, type ForecastGates } from './forecast-gates.js';
export { FOCUS_AREAS, type FocusArea } from './performance-analysis.js';
export { GOLDEN_SIGNAL_ANOMALY_SIGNALS, type GoldenSignal } from './anomaly-feed.js';
export { PREDICTION_EXPIRY_MS, type PredictionInput } from './external-predictions.js';
export {
  errorGroupReportSchema,
  anomalyEvidenceReportSchema,
  anomalyStatusReportSchema,
  anomalyPredictionReportSchema,
  externalPredictionSchema,
  anomalyReportSchema,
  type ErrorGroupReport,
  type AnomalyStatusReport,
  type AnomalyPredictionReport,
  type ExternalPrediction,
  type AnomalyReport,
} from './insight-schemas.js';
export {
  forecastEvidenceSchema,
  forecastStatusSchema,
  performanceCauseSchema,
  budgetPredictionSchema,
  capacityPredictionSchema,
  predictionsSchema,
  sloSummarySchema,
  openIncidentSchema,
  monitorHealthReportSchema,
  slaEntrySchema,
  slaReportSchema,
  bottleneckSchema,
  performanceAnalysisSchema,
  capacityForecastSchema,
  deploymentReadinessSchema,
  type MonitorHealthReport,
  type Predictions,
  type BudgetPrediction,
  type CapacityPrediction,
  type SloSummary,
  type OpenIncidentSummary,
  type SlaReport,
  type SlaEntry,
  type PerformanceAnalysis,
  type Bottleneck,
  type CapacityForecast,
  type DeploymentReadiness,
  type ForecastEvidenceReport,
  type PerformanceCause,
} from './report-schemas.js';
export type {
  Monitor,
  MonitorQueries,
  ChangeQueries,
  MonitorOptions,
  MonitorDeps,
  MonitorHistoryOptions,
  MonitorForecastOptions,
  AutoIncidentOptions,
  Timeframe,
  SlaPeriod,
} from './types.js';
export type { BreakerLike, SloBudgetCheckOptions, SloBudgetSource } from '../health/index.js';
