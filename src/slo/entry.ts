// `sre-kit/slo`: the lean entry for agents and tools that need SLO math without the runtime engines.
// It must never import opossum, p-retry or hdr-histogram-js (a package test guards this): everything
// here comes from src/slo and src/core, neither of which touches them.

export { ErrorCode, SreError, ConfigError, isSreError } from '../core/index.js';
export type {
  Clock,
  ErrorCodeValue,
  ConfigIssue,
  SreErrorByCode,
  SreErrorOf,
  Deps,
  InternalErrorHandler,
  EventSource,
  Listener,
} from '../core/index.js';
export * from './index.js';
