import { describe, expect, it, vi } from 'vitest';
import { CircuitOpenError, ConfigError, ErrorCode, SreError, TimeoutError, isSreError } from 'sre-kit';

describe('SreError', () => {
  it('carries a stable code, the cause and its class name', () => {
    const cause = new Error('socket hang up');
    const error = new SreError(ErrorCode.INTERNAL, 'boom', { cause });
    expect(error.code).toBe('ERR_SRE_INTERNAL');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('SreError');
    expect(error).toBeInstanceOf(Error);
    expect(new TimeoutError(250).name).toBe('TimeoutError');
  });

  it('leaves cause unset when none is given', () => {
    expect('cause' in new SreError(ErrorCode.INTERNAL, 'x')).toBe(false);
  });

  it('isSreError recognises errors by brand and optionally by code', () => {
    const timeout = new TimeoutError(250);
    expect(isSreError(timeout)).toBe(true);
    expect(isSreError(timeout, ErrorCode.TIMEOUT)).toBe(true);
    expect(isSreError(timeout, ErrorCode.CIRCUIT_OPEN)).toBe(false);
    for (const value of [new Error('x'), null, undefined, 'ERR_SRE_TIMEOUT', { code: 'ERR_SRE_TIMEOUT' }]) {
      expect(isSreError(value)).toBe(false);
    }
  });

  it('isSreError recognises an error from a second copy of the library', async () => {
    vi.resetModules();
    const copy = await import('../../../src/core/errors.js');
    const foreign = new copy.TimeoutError(10);
    expect(foreign).not.toBeInstanceOf(TimeoutError);
    expect(isSreError(foreign, ErrorCode.TIMEOUT)).toBe(true);
  });

  it('narrowing by code reads the subclass fields of an error from a second copy', async () => {
    vi.resetModules();
    const copy = await import('../../../src/core/errors.js');
    const thrown: unknown = new copy.CircuitOpenError('payments', 1_500);
    expect(thrown).not.toBeInstanceOf(CircuitOpenError);
    if (!isSreError(thrown, ErrorCode.CIRCUIT_OPEN)) throw new Error('not recognised across copies');
    // Typed as CircuitOpenError by the guard, so these reads type-check without a cast.
    expect([thrown.breaker, thrown.retryAfterMs, thrown.code]).toEqual([
      'payments',
      1_500,
      'ERR_SRE_CIRCUIT_OPEN',
    ]);
    expect(isSreError(thrown, ErrorCode.TIMEOUT)).toBe(false);
  });
});

describe('ConfigError', () => {
  it('names where, every field, the value and what was expected', () => {
    const error = new ConfigError('createThing', [
      { field: 'maxKeys', received: '-1', expected: 'a number > 0' },
      { field: 'window.slices', received: '"6"', expected: 'an integer' },
    ]);
    expect(error.code).toBe(ErrorCode.INVALID_OPTIONS);
    expect(error.message).toBe(
      'Invalid options for createThing: maxKeys: expected a number > 0, received -1; window.slices: expected an integer, received "6"',
    );
    expect(error.issues).toHaveLength(2);
    expect(isSreError(error, ErrorCode.INVALID_OPTIONS)).toBe(true);
  });
});
