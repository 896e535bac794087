// Issue 13, item 22 (first part): `createCircuitBreaker({})` silently named the breaker
// `circuitBreaker`, so two unnamed breakers rendered one metric series, one status-page entry and one
// health check name between them. The name is required: leaving it out is a ConfigError naming `name`.
import { describe, expect, it } from 'vitest';
import { ConfigError, createCircuitBreaker } from 'sre-kit';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('accepted');
}

describe('regression #13 (22): a circuit breaker must be named', () => {
  it.each([
    ['no options', () => createCircuitBreaker(undefined as never)],
    ['{}', () => createCircuitBreaker({} as never)],
    ['an empty name', () => createCircuitBreaker({ name: '' })],
    ['a name that is not a string', () => createCircuitBreaker({ name: 42 as never })],
  ])('%s is a ConfigError naming `name`', (_, create) => {
    const error = configError(create);
    expect(error.issues.map((issue) => issue.field)).toEqual(['name']);
    expect(error.message).toMatch(/\bname: expected/);
  });

  it('a named breaker keeps its name', () => {
    expect(createCircuitBreaker({ name: 'payments' }).name).toBe('payments');
  });
});
