// Issue 5: opossum's healthCheck() interval survives shutdown() and re-opens (un-shuts) the breaker.
// Ours has no timer left after close(), and stays closed for good.
import OpossumCircuitBreaker from 'opossum';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, createCircuitBreaker, isSreError } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

afterEach(() => {
  vi.useRealTimers();
});

describe('regression #5: nothing outlives shutting the breaker down', () => {
  it('plain opossum: the health check keeps running after shutdown and un-shuts the breaker', async () => {
    vi.useFakeTimers();
    const breaker = new OpossumCircuitBreaker(() => Promise.resolve('ok'));
    breaker.healthCheck(() => Promise.reject(new Error('unhealthy')), 1_000);
    await vi.advanceTimersByTimeAsync(0);
    breaker.shutdown();
    expect(breaker.isShutdown).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    expect(breaker.isShutdown).toBe(false);
    expect(breaker.opened).toBe(true);
  });

  it('ours: no timer survives close(), and calls keep failing with ERR_SRE_CLOSED', async () => {
    vi.useFakeTimers(); // also catches any real timer opossum might hold underneath
    const clock = createFakeClock();
    const breaker = createCircuitBreaker({ name: 'db', timeoutMs: 1_000, openMs: 1_000 }, { clock });
    breaker.isolate(); // opened: opossum holds a reset timer until shut down
    breaker.close();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    clock.advance(60_000);
    expect(clock.pendingCount).toBe(0);
    const error = await breaker.execute(() => 'ok').catch((e: unknown) => e);
    expect(isSreError(error, ErrorCode.CLOSED)).toBe(true);
  });
});
