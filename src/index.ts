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
