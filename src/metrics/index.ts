export { saturationMetrics } from './saturation-metrics.js';
export { sloMetrics, type SloMetricsSource } from './slo-metrics.js';
export { breakerMetrics, type BreakerStatsSource } from './breaker-metrics.js';
export { latencyMetrics, type LatencyMetricsOptions } from './latency-metrics.js';
export { DEFAULT_LATENCY_BUCKETS_MS, histogramBucketsMsSchema } from './histogram-buckets.js';
export { primitiveSources, type PrimitiveMetrics } from './primitive-sources.js';
export type {
  MetricFamily,
  MetricSample,
  MetricLabels,
  MetricType,
  MetricsSource,
  Exemplar,
} from './metric-family.js';
export { renderMetrics, formatValue, type RenderMetricsOptions } from './render.js';
export { METRICS_CONTENT_TYPE, negotiateMetricsFormat, type ExpositionFormat } from './content-type.js';
