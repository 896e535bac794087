import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  compose,
  createBulkhead,
  createCircuitBreaker,
  createFaultInjector,
  createRetryPolicy,
  createTimeout,
  type BulkheadOptions,
  type CircuitBreakerOptions,
  type ExecuteContext,
  type FaultInjectorOptions,
  type Policy,
  type RetryBudgetOptions,
  type RetryContext,
  type RetryPolicyOptions,
  type TimeoutOptions,
} from 'sre-kit';
import type { bulkheadOptionsSchema } from '../../src/resilience/bulkhead.js';
import type { circuitBreakerOptionsSchema } from '../../src/resilience/circuit-breaker-options.js';
import type { faultInjectorOptionsSchema } from '../../src/resilience/fault-injector.js';
import type { retryBudgetOptionsSchema } from '../../src/resilience/retry-budget.js';
import type { retryPolicyOptionsSchema } from '../../src/resilience/retry-policy.js';
import type { timeoutOptionsSchema } from '../../src/resilience/timeout.js';

describe('resilience options are bound to their schemas', () => {
  it('same keys, and every documented value is accepted by the schema', () => {
    expectTypeOf<keyof CircuitBreakerOptions>().toEqualTypeOf<
      keyof z.input<typeof circuitBreakerOptionsSchema>
    >();
    expectTypeOf<CircuitBreakerOptions<string>>().toExtend<z.input<typeof circuitBreakerOptionsSchema>>();
    expectTypeOf<keyof RetryPolicyOptions>().toEqualTypeOf<keyof z.input<typeof retryPolicyOptionsSchema>>();
    expectTypeOf<RetryPolicyOptions>().toExtend<z.input<typeof retryPolicyOptionsSchema>>();
    expectTypeOf<keyof RetryBudgetOptions>().toEqualTypeOf<keyof z.input<typeof retryBudgetOptionsSchema>>();
    expectTypeOf<RetryBudgetOptions>().toExtend<z.input<typeof retryBudgetOptionsSchema>>();
    expectTypeOf<keyof TimeoutOptions>().toEqualTypeOf<keyof z.input<typeof timeoutOptionsSchema>>();
    expectTypeOf<TimeoutOptions>().toExtend<z.input<typeof timeoutOptionsSchema>>();
    expectTypeOf<keyof BulkheadOptions>().toEqualTypeOf<keyof z.input<typeof bulkheadOptionsSchema>>();
    expectTypeOf<BulkheadOptions>().toExtend<z.input<typeof bulkheadOptionsSchema>>();
    expectTypeOf<keyof FaultInjectorOptions>().toEqualTypeOf<
      keyof z.input<typeof faultInjectorOptionsSchema>
    >();
    expectTypeOf<FaultInjectorOptions>().toExtend<z.input<typeof faultInjectorOptionsSchema>>();
  });
});

describe('resilience policy types', () => {
  it('a breaker resolves with the work result or its fallback', () => {
    const plain = createCircuitBreaker({ name: 'typed' });
    expectTypeOf(plain.execute(() => 1)).toEqualTypeOf<Promise<number>>();
    const withFallback = createCircuitBreaker({ name: 'typed', fallback: () => 'cached' as const });
    expectTypeOf(withFallback.execute(() => Promise.resolve(1))).toEqualTypeOf<Promise<number | 'cached'>>();
  });

  it('work receives the signal, and the attempt under a retry', () => {
    void createTimeout(5).execute((context) => {
      expectTypeOf(context).toEqualTypeOf<ExecuteContext>();
    });
    void createRetryPolicy().execute((context) => {
      expectTypeOf(context).toEqualTypeOf<RetryContext>();
    });
  });

  it('compose merges contexts and fallbacks, outermost first', () => {
    const policy = compose(
      createRetryPolicy(),
      createCircuitBreaker({ name: 'typed', fallback: () => null }),
      createTimeout(1_000),
      createBulkhead({ maxConcurrent: 2 }),
      createFaultInjector(),
    );
    expectTypeOf(policy).toExtend<Policy<RetryContext, null>>();
    const result = policy.execute(({ attempt, signal }) => {
      expectTypeOf(attempt).toEqualTypeOf<number>();
      expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
      return 'x';
    });
    expectTypeOf(result).toEqualTypeOf<Promise<string | null>>();
    // @ts-expect-error compose needs at least one policy
    compose();
    // @ts-expect-error there is no attempt without a retry
    void compose(createTimeout(1)).execute(({ attempt }) => attempt);
  });
});
