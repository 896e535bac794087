// Issue 5: opossum's timeout aborts one shared AbortController, so one timed-out call aborts every
// call in flight. Ours gives each call its own signal, created only when the call reads it.
import OpossumCircuitBreaker from 'opossum';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCircuitBreaker } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

afterEach(() => {
  vi.useRealTimers();
});

describe('regression #5: one call timing out aborts only that call', () => {
  it('plain opossum aborts the signal of a call that has not timed out', async () => {
    vi.useFakeTimers();
    const signals: AbortSignal[] = [];
    // opossum 9 hands the action its one AbortController's signal (getSignal(), missing from @types/opossum 8).
    const breaker = new OpossumCircuitBreaker(
      () => {
        signals.push((breaker as unknown as { getSignal(): AbortSignal }).getSignal());
        return new Promise(() => {});
      },
      { timeout: 100, abortController: new AbortController() },
    );
    const first = breaker.fire().catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(50);
    void breaker.fire().catch(() => {});
    await vi.advanceTimersByTimeAsync(50);
    expect(await first).toMatchObject({ code: 'ETIMEDOUT' });
    expect(signals.map((s) => s.aborted)).toEqual([true, true]); // the second had 50 ms left
    breaker.shutdown();
  });

  it('ours aborts only the call that timed out', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker({ name: 'db', timeoutMs: 100 }, { clock });
    const signals: AbortSignal[] = [];
    const hang = ({ signal }: { signal: AbortSignal }) => {
      signals.push(signal);
      return new Promise(() => {});
    };
    const first = breaker.execute(hang).catch((e: Error) => e);
    clock.advance(50);
    void breaker.execute(hang).catch(() => {});
    clock.advance(50);
    expect(await first).toMatchObject({ code: 'ERR_SRE_TIMEOUT' });
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
  });
});
