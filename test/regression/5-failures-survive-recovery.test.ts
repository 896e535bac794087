// Issue 5: opossum keeps failures in its window after the breaker closes, so one failure after
// recovery re-opens it. Ours starts counting afresh on every close.
import OpossumCircuitBreaker from 'opossum';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCircuitBreaker } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const call = (fail: boolean) => (fail ? Promise.reject(new Error('down')) : Promise.resolve('ok'));

afterEach(() => {
  vi.useRealTimers();
});

// The same story for both: one success, two failures (open), wait, a good probe (close), one failure.
describe('regression #5: failures from before an outage do not count after recovery', () => {
  it('plain opossum re-opens on the first failure after recovery', async () => {
    vi.useFakeTimers();
    const breaker = new OpossumCircuitBreaker(call, {
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      resetTimeout: 1_000,
      timeout: false,
    });
    await breaker.fire(false);
    await breaker.fire(true).catch(() => {});
    await breaker.fire(true).catch(() => {});
    expect(breaker.opened).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    await breaker.fire(false);
    expect(breaker.closed).toBe(true);
    await breaker.fire(true).catch(() => {});
    expect(breaker.opened).toBe(true);
    breaker.shutdown();
  });

  it('ours stays closed after one failure following recovery', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker(
      { name: 'db', failureThreshold: { kind: 'rate', ratio: 0.5, minimumCalls: 3 }, openMs: 1_000 },
      { clock },
    );
    await breaker.execute(() => call(false));
    await breaker.execute(() => call(true)).catch(() => {});
    await breaker.execute(() => call(true)).catch(() => {});
    expect(breaker.state).toBe('open');
    clock.advance(1_000);
    await breaker.execute(() => call(false));
    expect(breaker.state).toBe('closed');
    await breaker.execute(() => call(true)).catch(() => {});
    expect(breaker.state).toBe('closed');
  });
});
