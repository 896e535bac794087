// Outgoing dependencies, connection pools, caches and data pipelines, observed for the health report,
// the SLOs and the monitor.
export { trackDependency } from './dependency.js';
export type { DependencyStatus, TrackedDependency } from './dependency.js';
export type {
  TrackDependencyOptions,
  DependencySloOptions,
  DependencyThrottleOptions,
} from './dependency-options.js';
export { observePool } from './pool.js';
export type { ObservePoolOptions, ObservedPool, PoolStatus } from './pool.js';
export { observeCache } from './cache.js';
export type { ObserveCacheOptions, ObservedCache, CacheStatus } from './cache.js';
export { trackPipeline } from './pipeline.js';
export type {
  TrackPipelineOptions,
  PipelineSloOptions,
  PipelineRun,
  PipelineRunResult,
  PipelineRunRecord,
  PipelineStatus,
  TrackedPipeline,
} from './pipeline.js';
export type { ObservedService, ServiceState, ServiceVerdict, ServiceSloStatus } from './service.js';
