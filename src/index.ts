// The public surface of `sre-kit`: an explicit list, values and types kept apart, so nothing internal
// leaks by accident and tree-shaking stays exact.

export { systemClock, ErrorCode, SreError, ConfigError, TimeoutError, isSreError } from './core/index.js';

export type {
  Clock,
  CancelScheduled,
  ScheduleOptions,
  ErrorCodeValue,
  ConfigIssue,
  SreErrorOptions,
  EventMap,
  EventSource,
  Listener,
  Deps,
  InternalErrorHandler,
  InternalErrorContext,
} from './core/index.js';

// Saturation
export { createSaturationMonitor, createProcessProbe } from './saturation/index.js';
export type {
  SaturationMonitor,
  SaturationOptions,
  SaturationSnapshot,
  SaturationEvents,
  SaturationDeps,
  SaturationProbe,
  SaturationReading,
  Overload,
} from './saturation/index.js';

// Metrics exposition
export {
  renderMetrics,
  negotiateMetricsFormat,
  METRICS_CONTENT_TYPE,
  saturationMetrics,
} from './metrics/index.js';
export type {
  MetricFamily,
  MetricSample,
  MetricLabels,
  MetricType,
  MetricsSource,
  Exemplar,
  RenderMetricsOptions,
  ExpositionFormat,
} from './metrics/index.js';

// Golden signals (the HTTP adapters' shared core)
export {
  createGoldenSignals,
  traceIdFromTraceparent,
  UNMATCHED_ROUTE,
  OVERFLOW_ROUTE,
} from './signals/index.js';
export type {
  GoldenSignals,
  GoldenSignalsOptions,
  GoldenSignalsStats,
  RouteSignals,
  ShedDecision,
  RequestOutcome,
  LatencySink,
  SloSink,
  OverloadSignal,
} from './signals/index.js';

// Health
export {
  createHealthRegistry,
  checks,
  toHealthJson,
  toProbeText,
  toServiceHealthReport,
  httpStatusOf,
  gracefulShutdown,
  HEALTH_JSON_CONTENT_TYPE,
  healthJsonBodySchema,
  healthJsonCheckSchema,
  serviceHealthReportSchema,
  serviceHealthSchema,
  slaComplianceSchema,
  checkResultSchema,
  healthCheckResultSchema,
} from './health/index.js';
export type {
  HealthRegistry,
  HealthRegistryOptions,
  HealthRegistryEvents,
  HealthStatusChangedEvent,
  HealthCheckRequest,
  HealthCheckOptions,
  HealthStatus,
  HealthProbe,
  ObservedValue,
  HealthCheckOutcome,
  HealthCheckContext,
  HealthCheckFn,
  HealthCheckDefinition,
  CheckResult,
  HealthServiceInfo,
  HealthCheckResult,
  EventLoopDelayCheckOptions,
  HeapUsageCheckOptions,
  RssCheckOptions,
  DiskSpaceCheckOptions,
  HttpCheckOptions,
  TcpCheckOptions,
  TlsCertificateCheckOptions,
  FreshnessCheckOptions,
  LastUpdatedAt,
  HealthJsonBody,
  HealthJsonCheck,
  HealthJsonOptions,
  RenderedHealth,
  ProbeTextOptions,
  ServiceHealthReport,
  ServiceHealth,
  ServiceHealthReportOptions,
  SlaComplianceInput,
  GracefulShutdown,
  GracefulShutdownOptions,
  GracefulShutdownDeps,
  ShutdownServer,
  ShutdownProcess,
  ShutdownHook,
  ShutdownOutcome,
  Drainable,
} from './health/index.js';

// Latency
export { createLatencyTracker, LATENCY_DEFAULT_KEY, LATENCY_OTHER_KEY } from './latency/index.js';
export type {
  LatencyTracker,
  LatencyTrackerOptions,
  LatencyWindowOptions,
  LatencyQueryOptions,
  LatencyView,
  LatencySummary,
  LatencyCount,
  LatencyStats,
  LatencyBucket,
  LatencyBuckets,
} from './latency/index.js';
