// Issue 5: cockatiel's retry ignores the abort signal while it sleeps between attempts. Ours wakes at
// once, rejecting with the signal's reason.
import { ConstantBackoff, handleAll, retry } from 'cockatiel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRetryPolicy } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

afterEach(() => {
  vi.useRealTimers();
});

describe('regression #5: aborting wakes a retry sleep at once', () => {
  it('plain cockatiel keeps sleeping after the abort', async () => {
    vi.useFakeTimers();
    const policy = retry(handleAll, { maxAttempts: 3, backoff: new ConstantBackoff(10_000) });
    const controller = new AbortController();
    let settled = false;
    const call = policy
      .execute(() => Promise.reject(new Error('down')), controller.signal)
      .catch(() => {})
      .finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await call;
    expect(settled).toBe(true);
  });

  it('ours rejects with the reason at once', async () => {
    const clock = createFakeClock();
    const policy = createRetryPolicy({ retries: 2, minDelayMs: 10_000, jitter: 'none' }, { clock });
    const controller = new AbortController();
    const call = policy.execute(() => Promise.reject(new Error('down')), { signal: controller.signal });
    await clock.advanceAsync(0);
    controller.abort(new Error('client went away'));
    await expect(call).rejects.toThrow('client went away');
    expect(clock.now()).toBe(0);
    expect(clock.pendingCount).toBe(0);
  });
});
