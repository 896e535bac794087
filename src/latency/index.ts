// The latency tracker's public surface: the factory, its reserved keys and its types. The
// hdr-histogram-js engine stays behind hdr-engine.ts; none of its types leak out.
export { createLatencyTracker, LATENCY_DEFAULT_KEY, LATENCY_OTHER_KEY } from './latency-tracker.js';
export type {
  LatencyTracker,
  LatencySummary,
  LatencyCount,
  LatencyStats,
  LatencyBucket,
  LatencyBuckets,
  LatencyQueryOptions,
  LatencyView,
} from './latency-tracker.js';
export type { LatencyTrackerOptions, LatencyWindowOptions } from './options.js';
export { decodeLatencyHistogram, type LatencyHistogram } from './histogram.js';
