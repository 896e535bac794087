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
