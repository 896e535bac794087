import { describe, expect, it } from 'vitest';
import {
  BulkheadFullError,
  CircuitOpenError,
  ErrorCode,
  InjectedFaultError,
  RetryBudgetExhaustedError,
  RetryExhaustedError,
  SreError,
  isSreError,
} from 'sre-kit';

describe('resilience errors', () => {
  it.each([
    [new CircuitOpenError('db', 250), ErrorCode.CIRCUIT_OPEN, 'CircuitOpenError', 'Circuit db is open'],
    [
      new RetryExhaustedError(4, new Error('x')),
      ErrorCode.RETRY_EXHAUSTED,
      'RetryExhaustedError',
      'Gave up after 4 attempts',
    ],
    [
      new RetryBudgetExhaustedError(2, new Error('x')),
      ErrorCode.RETRY_BUDGET_EXHAUSTED,
      'RetryBudgetExhaustedError',
      'Retry budget exhausted after 2 attempts',
    ],
    [
      new BulkheadFullError(10, 5),
      ErrorCode.BULKHEAD_FULL,
      'BulkheadFullError',
      'Bulkhead full (10 running, 5 queued)',
    ],
    [new InjectedFaultError(), ErrorCode.INJECTED_FAULT, 'InjectedFaultError', 'Injected fault'],
  ])('%s has its code, name and message', (error, code, name, message) => {
    expect(error).toBeInstanceOf(SreError);
    expect(isSreError(error, code)).toBe(true);
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
  });

  it('carry what callers branch on', () => {
    const cause = new Error('socket hang up');
    expect(new RetryExhaustedError(3, cause)).toMatchObject({ attempts: 3, cause });
    expect(new RetryBudgetExhaustedError(1, cause)).toMatchObject({ attempts: 1, cause });
    expect(new CircuitOpenError('db', 1_500)).toMatchObject({ breaker: 'db', retryAfterMs: 1_500 });
    expect(new BulkheadFullError(1, 0)).toMatchObject({ maxConcurrent: 1, maxQueued: 0 });
  });
});
