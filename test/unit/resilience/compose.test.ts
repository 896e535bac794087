import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  CircuitOpenError,
  TimeoutError,
  compose,
  createBulkhead,
  createCircuitBreaker,
  createRetryPolicy,
  createTimeout,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

describe('compose', () => {
  it('nests outermost first: the retry sees each breaker outcome, each attempt gets the timeout', async () => {
    const clock = createFakeClock();
    const retry = createRetryPolicy({ retries: 2, jitter: 'none', minDelayMs: 10 }, { clock });
    const breaker = createCircuitBreaker(
      { name: 'db', failureThreshold: { kind: 'consecutive', count: 5 } },
      { clock },
    );
    const timeout = createTimeout(100, { clock });
    const policy = compose(retry, breaker, timeout);
    const seen: number[] = [];
    const call = policy.execute(({ attempt, signal }) => {
      seen.push(attempt);
      expect(signal).toBeInstanceOf(AbortSignal);
      return attempt < 3 ? new Promise<number>(() => {}) : Promise.resolve(attempt);
    });
    await clock.advanceAsync(100);
    await clock.advanceAsync(10);
    await clock.advanceAsync(100);
    await clock.advanceAsync(20);
    await expect(call).resolves.toBe(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(breaker.stats()).toMatchObject({ failures: 2, timeouts: 0, successes: 1 });
  });

  it("does not retry an open circuit, and the breaker's fallback flows out", async () => {
    const breaker = createCircuitBreaker({ name: 'db', fallback: () => 'cached' });
    breaker.isolate();
    const work = vi.fn(() => 'fresh');
    await expect(compose(createRetryPolicy(), breaker).execute(work)).resolves.toBe('cached');
    const strict = createCircuitBreaker({ name: 'db' });
    strict.isolate();
    await expect(compose(createRetryPolicy(), strict).execute(work)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(work).not.toHaveBeenCalled();
  });

  it("an outer timeout aborts the inner work's signal through every layer", async () => {
    const clock = createFakeClock();
    const policy = compose(
      createTimeout(1_000, { clock }),
      createBulkhead({ maxConcurrent: 1 }, { clock }),
      createCircuitBreaker({ name: 'db' }, { clock }),
    );
    let signal!: AbortSignal;
    const call = policy
      .execute((context) => {
        signal = context.signal;
        return new Promise(() => {});
      })
      .catch((e: unknown) => e);
    clock.advance(1_000);
    expect(await call).toBeInstanceOf(TimeoutError);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(TimeoutError);
  });

  it("a caller's abort reaches the work through every layer", async () => {
    const policy = compose(createRetryPolicy(), createCircuitBreaker({ name: 'db' }), createTimeout(1_000));
    const controller = new AbortController();
    const call = policy.execute(
      ({ signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
      { signal: controller.signal },
    );
    controller.abort(new Error('bye'));
    await expect(call).rejects.toThrow('bye');
  });

  it('work with nothing to abort it shares one never-aborting signal that keeps no listeners', async () => {
    const policy = compose(
      createRetryPolicy(),
      createCircuitBreaker({ name: 'db' }),
      createBulkhead({ maxConcurrent: 4 }),
    );
    const signals = new Set<AbortSignal>();
    for (let i = 0; i < 100; i++) {
      await policy.execute(({ signal }) => {
        signals.add(signal);
        signal.addEventListener('abort', () => {}); // as fetch does, never removed
      });
    }
    expect(signals.size).toBe(1);
    const [signal] = signals;
    expect(signal!.aborted).toBe(false);
    expect(getEventListeners(signal!, 'abort')).toHaveLength(0);
  });
});
