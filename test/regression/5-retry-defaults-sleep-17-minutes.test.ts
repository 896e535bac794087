// Issue 5: p-retry 7's defaults (10 retries from 1 s, doubling, no cap) sleep about 17 minutes
// before giving up. Ours: 3 retries from 100 ms, full jitter, 10 s cap: at most 0.7 s.
import pRetry from 'p-retry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetryExhaustedError, createRetryPolicy } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

afterEach(() => {
  vi.useRealTimers();
});

describe('regression #5: default retries give up in under a second', () => {
  it('plain p-retry sleeps 1023 s with its defaults', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const call = pRetry(() => Promise.reject(new Error('down'))).catch(() => Date.now() - start);
    await vi.runAllTimersAsync();
    expect(await call).toBe(1_023_000);
  });

  it('ours sleeps at most 700 ms with its defaults', async () => {
    const clock = createFakeClock();
    const retry = createRetryPolicy({}, { clock, random: () => 0.9999999 });
    let settled: unknown;
    const call = retry.execute(() => Promise.reject(new Error('down'))).catch((e: unknown) => (settled = e));
    while (settled === undefined) await clock.advanceAsync(50);
    await call;
    expect(settled).toBeInstanceOf(RetryExhaustedError);
    expect(clock.now()).toBeLessThanOrEqual(700);
  });
});
