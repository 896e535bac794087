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
