import { describe, expect, it } from 'vitest';
import { ConfigError, createRetryBudget } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

describe('createRetryBudget', () => {
  it('allows ratio × requests + minPerSecond × window seconds retries in the window', () => {
    const clock = createFakeClock();
    const budget = createRetryBudget({ ratio: 0.1, minPerSecond: 0.2, windowMs: 10_000 }, { clock });
    for (let i = 0; i < 30; i++) budget.recordRequest();
    // 0.1 × 30 + 0.2 × 10 = 5
    const granted = Array.from({ length: 8 }, () => budget.tryAcquire()).filter(Boolean).length;
    expect(granted).toBe(5);
    expect(budget.stats()).toEqual({ requests: 30, retries: 5, available: 0, refused: 3 });
    clock.advance(10_000);
    expect(budget.stats()).toEqual({ requests: 0, retries: 0, available: 2, refused: 3 });
    expect(budget.tryAcquire()).toBe(true);
  });

  it('defaults to 10% and 10 per second over 10 s', () => {
    const budget = createRetryBudget({}, { clock: createFakeClock() });
    expect(budget.stats().available).toBe(100);
  });

  it('rejects bad options', () => {
    expect(() => createRetryBudget({ ratio: -1 })).toThrow(ConfigError);
    expect(() => createRetryBudget({ windowMs: 0 })).toThrow('windowMs: expected a number > 0, received 0');
  });
});
