// Core plumbing shared by every primitive. Internal: the public names are re-exported from src/index.ts.
export { systemClock, type Clock, type CancelScheduled, type ScheduleOptions } from './clock.js';
export {
  ErrorCode,
  SreError,
  ConfigError,
  TimeoutError,
  DeliveryError,
  RateLimitedError,
  isSreError,
  type ErrorCodeValue,
  type SreErrorByCode,
  type SreErrorOf,
  type ConfigIssue,
  type SreErrorOptions,
} from './errors.js';
export { parseOptions, describeValue, freezeDeep } from './options.js';
export { SafeEmitter, type EventMap, type EventSource, type Listener } from './events.js';
export {
  warnInternalError,
  guardInternalErrorHandler,
  type InternalErrorHandler,
  type InternalErrorContext,
} from './internal-error.js';
export { resolveDeps, type Deps, type ResolvedDeps } from './deps.js';
export { delay } from './delay.js';
export { invoke, rejectWith } from './invoke.js';
export { RollingCounter } from './rolling-counter.js';
export { startPoller, type Poller, type PollerOptions } from './poller.js';
export { checkUnique, type UniqueCheck, type UniqueIssueSink } from './unique-names.js';
