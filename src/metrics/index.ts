export { saturationMetrics } from './saturation-metrics.js';
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
