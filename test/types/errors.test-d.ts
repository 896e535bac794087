import { describe, expectTypeOf, it } from 'vitest';
import type {
  BulkheadFullError,
  CircuitOpenError,
  ConfigError,
  DeliveryError,
  InjectedFaultError,
  RateLimitedError,
  RetryBudgetExhaustedError,
  RetryExhaustedError,
  TimeoutError,
} from 'sre-kit';
import {
  ErrorCode,
  SreError,
  isSreError,
  type ErrorCodeValue,
  type SreErrorByCode,
  type SreErrorOf,
} from 'sre-kit';
import * as slo from 'sre-kit/slo';

// Every code whose errors are a subclass, and that subclass: the table isSreError narrows by.
type Expected = Readonly<{
  [ErrorCode.INVALID_OPTIONS]: ConfigError;
  [ErrorCode.CIRCUIT_OPEN]: CircuitOpenError;
  [ErrorCode.TIMEOUT]: TimeoutError;
  [ErrorCode.RETRY_EXHAUSTED]: RetryExhaustedError;
  [ErrorCode.RETRY_BUDGET_EXHAUSTED]: RetryBudgetExhaustedError;
  [ErrorCode.BULKHEAD_FULL]: BulkheadFullError;
  [ErrorCode.DELIVERY_FAILED]: DeliveryError;
  [ErrorCode.INJECTED_FAULT]: InjectedFaultError;
  [ErrorCode.RATE_LIMITED]: RateLimitedError;
}>;

describe('isSreError narrows by code', () => {
  it('to CircuitOpenError, so retryAfterMs and breaker type-check', () => {
    const error: unknown = null;
    if (isSreError(error, ErrorCode.CIRCUIT_OPEN)) {
      expectTypeOf(error).toEqualTypeOf<CircuitOpenError>();
      expectTypeOf(error.retryAfterMs).toEqualTypeOf<number>();
      expectTypeOf(error.breaker).toEqualTypeOf<string>();
      expectTypeOf(error.code).toEqualTypeOf<'ERR_SRE_CIRCUIT_OPEN'>();
    }
  });

  it('to the subclass of every code that has one', () => {
    const error: unknown = null;
    if (isSreError(error, ErrorCode.INVALID_OPTIONS))
      expectTypeOf(error.issues).toEqualTypeOf<readonly ConfigIssueOf[]>();
    if (isSreError(error, ErrorCode.TIMEOUT)) expectTypeOf(error.timeoutMs).toEqualTypeOf<number>();
    if (isSreError(error, ErrorCode.RETRY_EXHAUSTED)) expectTypeOf(error.attempts).toEqualTypeOf<number>();
    if (isSreError(error, ErrorCode.RETRY_BUDGET_EXHAUSTED))
      expectTypeOf(error.attempts).toEqualTypeOf<number>();
    if (isSreError(error, ErrorCode.BULKHEAD_FULL)) expectTypeOf(error.maxQueued).toEqualTypeOf<number>();
    if (isSreError(error, ErrorCode.DELIVERY_FAILED)) expectTypeOf(error.retryable).toEqualTypeOf<boolean>();
    if (isSreError(error, ErrorCode.INJECTED_FAULT)) expectTypeOf(error).toEqualTypeOf<InjectedFaultError>();
    if (isSreError(error, ErrorCode.RATE_LIMITED)) expectTypeOf(error.key).toEqualTypeOf<string>();
  });

  it('the code → class table is exactly the subclasses', () => {
    expectTypeOf<SreErrorByCode>().toEqualTypeOf<Expected>();
    expectTypeOf<SreErrorOf<typeof ErrorCode.BULKHEAD_FULL>>().toEqualTypeOf<BulkheadFullError>();
  });

  it('a code with no subclass narrows to an SreError carrying that code', () => {
    const error: unknown = null;
    if (isSreError(error, ErrorCode.CLOSED)) {
      expectTypeOf(error).toExtend<SreError>();
      expectTypeOf(error.code).toEqualTypeOf<'ERR_SRE_CLOSED'>();
    }
  });

  it('a code only known as ErrorCodeValue narrows to SreError', () => {
    const error: unknown = null;
    const code = ErrorCode.TIMEOUT as ErrorCodeValue;
    if (isSreError(error, code)) {
      expectTypeOf(error).toExtend<SreError>();
      expectTypeOf(error.code).toEqualTypeOf<ErrorCodeValue>();
    }
  });

  it('without a code narrows to SreError', () => {
    const error: unknown = null;
    if (isSreError(error)) expectTypeOf(error).toEqualTypeOf<SreError>();
    const maybe = undefined as ErrorCodeValue | undefined;
    if (isSreError(error, maybe)) expectTypeOf(error).toEqualTypeOf<SreError>();
  });

  it('the false branch keeps the declared type (no subclass is structurally SreError)', () => {
    const error = new SreError(ErrorCode.INTERNAL, 'x');
    for (const code of Object.values(ErrorCode)) {
      if (!isSreError(error, code)) expectTypeOf(error).toEqualTypeOf<SreError>();
    }
    if (!isSreError(error, ErrorCode.INJECTED_FAULT)) expectTypeOf(error).toEqualTypeOf<SreError>();
    if (!isSreError(error, ErrorCode.CIRCUIT_OPEN)) expectTypeOf(error).toEqualTypeOf<SreError>();
  });

  it('narrows a caught Error too', () => {
    const error = new Error('x');
    if (isSreError(error, ErrorCode.TIMEOUT)) expectTypeOf(error.timeoutMs).toEqualTypeOf<number>();
  });

  it('sre-kit/slo exposes the same guard', () => {
    const error: unknown = null;
    if (slo.isSreError(error, slo.ErrorCode.INVALID_OPTIONS))
      expectTypeOf(error).toEqualTypeOf<ConfigError>();
    expectTypeOf<slo.SreErrorByCode>().toEqualTypeOf<SreErrorByCode>();
  });
});

type ConfigIssueOf = ConfigError['issues'][number];
