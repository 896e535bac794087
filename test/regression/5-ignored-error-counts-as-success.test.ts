// Issue 5: opossum's errorFilter treats a filtered error as a success (a half-open breaker closes on
// a 404) while still rejecting. Ours: an error isFailure rejects is ignored, neither success nor
// failure, and rethrown as it is.
import OpossumCircuitBreaker from 'opossum';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCircuitBreaker } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const notFound = Object.assign(new Error('not found'), { status: 404 });
const down = Object.assign(new Error('unavailable'), { status: 503 });

afterEach(() => {
  vi.useRealTimers();
});

describe('regression #5: an ignored error is not a success', () => {
  it('plain opossum counts a filtered error as a success and closes a half-open breaker on it', async () => {
    vi.useFakeTimers();
    const breaker = new OpossumCircuitBreaker((error: Error) => Promise.reject(error), {
      errorFilter: (error: { status?: number }) => error.status === 404,
      resetTimeout: 1_000,
      timeout: false,
    });
    const successes = vi.fn();
    breaker.on('success', successes);
    await breaker.fire(down).catch(() => {});
    expect(breaker.opened).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(breaker.halfOpen).toBe(true);
    await expect(breaker.fire(notFound)).rejects.toBe(notFound);
    expect(successes).toHaveBeenCalledOnce();
    expect(breaker.closed).toBe(true); // the dependency was never shown healthy
    breaker.shutdown();
  });

  it('ours neither counts it nor closes on it', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker(
      {
        name: 'db',
        failureThreshold: { kind: 'consecutive', count: 1 },
        openMs: 1_000,
        isFailure: (error) => (error as { status?: number }).status !== 404,
      },
      { clock },
    );
    const successes = vi.fn();
    breaker.on('success', successes);
    await breaker.execute(() => Promise.reject(down)).catch(() => {});
    expect(breaker.state).toBe('open');
    clock.advance(1_000);
    expect(breaker.state).toBe('halfOpen');
    await expect(breaker.execute(() => Promise.reject(notFound))).rejects.toBe(notFound);
    expect(successes).not.toHaveBeenCalled();
    expect(breaker.state).toBe('halfOpen');
    expect(breaker.stats()).toMatchObject({ successes: 0, failures: 1, ignored: 1 });
  });
});
