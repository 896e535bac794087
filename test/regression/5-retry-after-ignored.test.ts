// Issue 5: p-retry has no Retry-After support: it retries a 503 asking for 5 s after its own delay.
// Ours treats Retry-After as the least delay.
import pRetry from 'p-retry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRetryPolicy } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const unavailable = () =>
  Object.assign(new Error('503'), {
    response: new Response(null, { status: 503, headers: { 'retry-after': '5' } }),
  });

afterEach(() => {
  vi.useRealTimers();
});

describe('regression #5: a Retry-After is honoured', () => {
  it('plain p-retry retries after 100 ms', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const at: number[] = [];
    const call = pRetry(
      () => {
        at.push(Date.now() - start);
        return at.length === 1 ? Promise.reject(unavailable()) : Promise.resolve('ok');
      },
      { retries: 1, minTimeout: 100 },
    );
    await vi.runAllTimersAsync();
    await call;
    expect(at).toEqual([0, 100]);
  });

  it('ours waits the 5 s the server asked for', async () => {
    const clock = createFakeClock();
    const retry = createRetryPolicy({ retries: 1, minDelayMs: 100 }, { clock });
    const at: number[] = [];
    const call = retry.execute(() => {
      at.push(clock.now());
      return at.length === 1 ? Promise.reject(unavailable()) : Promise.resolve('ok');
    });
    await clock.advanceAsync(10_000);
    await call;
    expect(at).toEqual([0, 5_000]);
  });
});
