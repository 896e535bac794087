// The public surface of the resilience primitives; engines (opossum, p-retry) stay behind their files.
export { createCircuitBreaker } from './circuit-breaker.js';
export type {
  CircuitBreaker,
  CircuitBreakerEvents,
  CircuitBreakerSnapshot,
  CircuitBreakerStats,
  CircuitState,
  IsolationHandle,
  OpenReason,
} from './circuit-breaker.js';
export type {
  CircuitBreakerOptions,
  ConsecutiveFailureThreshold,
  RateFailureThreshold,
  SlowCallOptions,
} from './circuit-breaker-options.js';
export { createRetryPolicy } from './retry-policy.js';
export type {
  GiveUpReason,
  RetryPolicy,
  RetryPolicyDeps,
  RetryPolicyEvents,
  RetryPolicyOptions,
} from './retry-policy.js';
export type { Jitter } from './retry-delay.js';
export { createRetryBudget } from './retry-budget.js';
export type { RetryBudget, RetryBudgetOptions, RetryBudgetStats } from './retry-budget.js';
export { createTimeout } from './timeout.js';
export type { Timeout, TimeoutOptions } from './timeout.js';
export { createBulkhead } from './bulkhead.js';
export type { Bulkhead, BulkheadOptions, BulkheadStats } from './bulkhead.js';
export { compose } from './compose.js';
export type { ComposedContext, ComposedExtra } from './compose.js';
export { createFaultInjector } from './fault-injector.js';
export type {
  FaultInjector,
  FaultInjectorOptions,
  FaultInjectorStats,
  FaultSettings,
} from './fault-injector.js';
export type { ExecuteContext, ExecuteOptions, Policy, RetryContext, Work } from './policy.js';
export {
  CircuitOpenError,
  RetryExhaustedError,
  RetryBudgetExhaustedError,
  BulkheadFullError,
  InjectedFaultError,
} from '../core/errors.js';
