import { describe, expect, it, vi } from 'vitest';
import {
  BulkheadFullError,
  CircuitOpenError,
  ConfigError,
  ErrorCode,
  RetryBudgetExhaustedError,
  TimeoutError,
  createCircuitBreaker,
  isSreError,
  type CircuitBreakerOptions,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const boom = (): Promise<never> => Promise.reject(new Error('boom'));
const ok = (): Promise<string> => Promise.resolve('ok');
const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (v) => v,
    (e: unknown) => e,
  );

function setup<F = never>(options: Omit<CircuitBreakerOptions<F>, 'name'> & { readonly name?: string } = {}) {
  const clock = createFakeClock();
  const breaker = createCircuitBreaker<F>({ name: 'db', ...options }, { clock });
  return { clock, breaker };
}

describe('createCircuitBreaker', () => {
  it('passes results and errors through while closed', async () => {
    const { breaker } = setup();
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    await expect(breaker.execute(() => 42)).resolves.toBe(42);
    await expect(breaker.execute(boom)).rejects.toThrow('boom');
    await expect(
      breaker.execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(breaker.state).toBe('closed');
  });

  it('opens after `count` consecutive failures; a success resets the run', async () => {
    const { breaker } = setup({ failureThreshold: { kind: 'consecutive', count: 3 } });
    await settle(breaker.execute(boom));
    await settle(breaker.execute(boom));
    await breaker.execute(ok);
    await settle(breaker.execute(boom));
    await settle(breaker.execute(boom));
    expect(breaker.state).toBe('closed');
    await settle(breaker.execute(boom));
    expect(breaker.state).toBe('open');
    const work = vi.fn(ok);
    const error = await settle(breaker.execute(work));
    expect(work).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toMatchObject({ code: 'ERR_SRE_CIRCUIT_OPEN', retryAfterMs: 30_000, breaker: 'db' });
  });

  it('opens on the failure rate once the window holds minimumCalls', async () => {
    const { breaker, clock } = setup({
      failureThreshold: { kind: 'rate', ratio: 0.5, minimumCalls: 4, windowMs: 10_000 },
    });
    await settle(breaker.execute(boom));
    await settle(breaker.execute(boom));
    await settle(breaker.execute(boom));
    expect(breaker.state).toBe('closed'); // 3 calls < minimumCalls
    await breaker.execute(ok);
    // the success brings the window to minimumCalls at 3 / 4 >= 0.5: checked on every call (issue 13)
    expect(breaker.stats().failureWindow).toEqual({ calls: 4, failures: 3, ratio: 0.75 });
    expect(breaker.state).toBe('open');
    breaker.reset();
    await settle(breaker.execute(boom));
    await breaker.execute(ok);
    expect(breaker.stats().failureWindow).toEqual({ calls: 2, failures: 1, ratio: 0.5 });
    clock.advance(10_000); // the window empties lazily
    expect(breaker.stats().failureWindow).toEqual({ calls: 0, failures: 0, ratio: 0 });
    for (let i = 0; i < 3; i++) await breaker.execute(ok);
    await settle(breaker.execute(boom));
    expect(breaker.state).toBe('closed'); // 1 / 4 < 0.5
    await settle(breaker.execute(boom));
    expect(breaker.state).toBe('closed'); // 2 / 5 < 0.5
    await settle(breaker.execute(boom));
    expect(breaker.state).toBe('open'); // 3 / 6 >= 0.5
  });

  it('opens when the slow-call ratio is reached, even though the calls succeed', async () => {
    const { breaker, clock } = setup({
      slowCall: { thresholdMs: 1_000, ratio: 0.5, minimumCalls: 4 },
    });
    const slow = () =>
      breaker.execute(() => {
        clock.advance(1_000);
        return Promise.resolve('slow');
      });
    await slow();
    await breaker.execute(ok);
    await slow();
    expect(breaker.state).toBe('closed');
    await slow();
    expect(breaker.state).toBe('open');
    expect(breaker.stats()).toMatchObject({ successes: 4, failures: 0, slowCalls: 3 });
  });

  it('goes half-open after openMs and closes when halfOpenProbes probes succeed', async () => {
    const { breaker, clock } = setup({
      failureThreshold: { kind: 'consecutive', count: 1 },
      openMs: 5_000,
      halfOpenProbes: 2,
    });
    await settle(breaker.execute(boom));
    clock.advance(4_999);
    expect(((await settle(breaker.execute(ok))) as CircuitOpenError).retryAfterMs).toBe(1);
    clock.advance(1);
    expect(breaker.state).toBe('halfOpen');
    await breaker.execute(ok);
    expect(breaker.state).toBe('halfOpen');
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
  });

  it('lets at most halfOpenProbes probes run at once and re-opens on a failed probe', async () => {
    const { breaker, clock } = setup({
      failureThreshold: { kind: 'consecutive', count: 1 },
      openMs: 1_000,
      halfOpenProbes: 2,
    });
    await settle(breaker.execute(boom));
    clock.advance(1_000);
    let fail!: (e: Error) => void;
    const first = settle(breaker.execute(() => new Promise((_, reject) => (fail = reject))));
    const second = settle(breaker.execute(() => new Promise(() => {})));
    const third = await settle(breaker.execute(ok));
    expect(third).toBeInstanceOf(CircuitOpenError);
    expect((third as CircuitOpenError).retryAfterMs).toBe(0);
    fail(new Error('probe failed'));
    await first;
    expect(breaker.state).toBe('open');
    void second;
  });

  it('forgets failures from before an outage once it closes', async () => {
    const { breaker, clock } = setup({
      failureThreshold: { kind: 'rate', ratio: 0.5, minimumCalls: 2, windowMs: 60_000 },
      openMs: 1_000,
    });
    for (let i = 0; i < 10; i++) await settle(breaker.execute(boom));
    expect(breaker.state).toBe('open');
    clock.advance(1_000);
    await breaker.execute(ok);
    expect(breaker.state).toBe('closed');
    await settle(breaker.execute(boom)); // one failure after recovery: 1 / 1, but below minimumCalls
    expect(breaker.state).toBe('closed');
    await breaker.execute(ok);
    expect(breaker.stats().failureWindow).toEqual({ calls: 2, failures: 1, ratio: 0.5 });
  });

  describe('ignored errors', () => {
    it('isFailure false: neither failure nor success, rethrown, no fallback', async () => {
      const fallback = vi.fn(() => 'fallback');
      const { breaker, clock } = setup({
        failureThreshold: { kind: 'consecutive', count: 1 },
        openMs: 1_000,
        isFailure: (e) => (e as Error).message !== 'not found',
        fallback,
      });
      const notFound = new Error('not found');
      await expect(breaker.execute(() => Promise.reject(notFound))).rejects.toBe(notFound);
      expect(breaker.state).toBe('closed');
      expect(fallback).not.toHaveBeenCalled();
      await expect(breaker.execute(boom)).resolves.toBe('fallback');
      clock.advance(1_000);
      expect(breaker.state).toBe('halfOpen');
      await expect(breaker.execute(() => Promise.reject(notFound))).rejects.toBe(notFound);
      expect(breaker.state).toBe('halfOpen'); // an ignored probe does not close it
      expect(breaker.stats()).toMatchObject({ ignored: 2, failures: 1, successes: 0 });
      await breaker.execute(ok); // and its probe slot was given back
      expect(breaker.state).toBe('closed');
    });

    it("never counts sre-kit's own rejections", async () => {
      const { breaker } = setup({ failureThreshold: { kind: 'consecutive', count: 1 } });
      const inner = setup({ failureThreshold: { kind: 'consecutive', count: 1 } }).breaker;
      inner.isolate();
      for (const error of [
        new BulkheadFullError(1, 0),
        new RetryBudgetExhaustedError(2, new Error('x')),
        await settle(inner.execute(ok)),
      ]) {
        await expect(breaker.execute(() => Promise.reject(error as Error))).rejects.toBe(error);
      }
      expect(breaker.state).toBe('closed');
      expect(breaker.stats().ignored).toBe(3);
    });

    it("never counts an error after the caller's signal aborted", async () => {
      const { breaker } = setup({ failureThreshold: { kind: 'consecutive', count: 1 } });
      const controller = new AbortController();
      const call = breaker.execute(
        ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
        { signal: controller.signal },
      );
      controller.abort(new Error('user left'));
      await expect(call).rejects.toThrow('user left');
      expect(breaker.state).toBe('closed');
      await expect(breaker.execute(ok, { signal: controller.signal })).rejects.toThrow('user left');
    });

    it('a throwing isFailure counts as a failure and is reported', async () => {
      const onInternalError = vi.fn();
      const breaker = createCircuitBreaker(
        {
          name: 'db',
          failureThreshold: { kind: 'consecutive', count: 1 },
          isFailure: () => {
            throw new Error('bad predicate');
          },
        },
        { clock: createFakeClock(), onInternalError },
      );
      await settle(breaker.execute(boom));
      expect(breaker.state).toBe('open');
      expect(onInternalError).toHaveBeenCalledWith(expect.objectContaining({ message: 'bad predicate' }), {
        source: 'circuitBreaker:db',
        task: 'isFailure',
      });
    });
  });

  it('uses the fallback for failures and rejections; a throwing fallback rejects', async () => {
    const seen: unknown[] = [];
    const { breaker } = setup({
      failureThreshold: { kind: 'consecutive', count: 1 },
      fallback: (error) => {
        seen.push(error);
        return 'cached';
      },
    });
    await expect(breaker.execute(boom)).resolves.toBe('cached');
    await expect(breaker.execute(ok)).resolves.toBe('cached');
    expect(seen[0]).toMatchObject({ message: 'boom' });
    expect(seen[1]).toBeInstanceOf(CircuitOpenError);
    const { breaker: throwing } = setup({
      fallback: () => {
        throw new Error('no cache either');
      },
    });
    await expect(throwing.execute(boom)).rejects.toThrow('no cache either');
  });

  describe('timeoutMs', () => {
    it('fails a call still running with TimeoutError, aborting its signal, counted as a failure', async () => {
      const { breaker, clock } = setup({
        timeoutMs: 1_000,
        failureThreshold: { kind: 'consecutive', count: 1 },
      });
      const events: string[] = [];
      breaker.on('timeout', (e) => {
        events.push(`timeout ${e.timeoutMs}`);
      });
      breaker.on('failure', (e) => {
        events.push(`failure ${(e.error as Error).name}`);
      });
      let signal!: AbortSignal;
      const call = settle(
        breaker.execute((context) => {
          signal = context.signal;
          return new Promise(() => {});
        }),
      );
      clock.advance(999);
      expect(signal.aborted).toBe(false);
      clock.advance(1);
      const error = await call;
      expect(error).toBeInstanceOf(TimeoutError);
      expect(signal.reason).toBe(error);
      expect(breaker.state).toBe('open');
      expect(events).toEqual(['timeout 1000', 'failure TimeoutError']);
      expect(breaker.stats()).toMatchObject({ timeouts: 1, failures: 1 });
    });

    it('never aborts the signal of a call that finished in time', async () => {
      const { breaker, clock } = setup({ timeoutMs: 1_000 });
      let signal!: AbortSignal;
      await breaker.execute((context) => {
        signal = context.signal;
        return ok();
      });
      clock.advance(5_000);
      expect(signal.aborted).toBe(false);
    });
  });

  describe('isolate, reset, close', () => {
    it('isolate holds it open until every handle is released', async () => {
      const { breaker, clock } = setup({ openMs: 10 });
      const a = breaker.isolate();
      const b = breaker.isolate();
      expect(breaker.state).toBe('isolated');
      clock.advance(1_000_000);
      const error = await settle(breaker.execute(ok));
      expect(error).toMatchObject({ code: 'ERR_SRE_CIRCUIT_OPEN', retryAfterMs: Number.POSITIVE_INFINITY });
      a.release();
      a.release();
      expect(breaker.state).toBe('isolated');
      b.release();
      expect(breaker.state).toBe('closed');
    });

    it('reset closes it, clears counts, cancels isolations; totals stay', async () => {
      const { breaker } = setup({ failureThreshold: { kind: 'consecutive', count: 2 } });
      await settle(breaker.execute(boom));
      const handle = breaker.isolate();
      breaker.reset();
      expect(breaker.state).toBe('closed');
      expect(breaker.stats()).toMatchObject({ consecutiveFailures: 0, failures: 1 });
      breaker.isolate();
      handle.release(); // stale: does not release the new isolation
      expect(breaker.state).toBe('isolated');
    });

    it('close() shuts it for good and is idempotent', async () => {
      const { breaker } = setup();
      const listener = vi.fn();
      breaker.on('reject', listener);
      breaker.close();
      breaker.close();
      const error = await settle(breaker.execute(ok));
      expect(isSreError(error, ErrorCode.CLOSED)).toBe(true);
      expect(listener).not.toHaveBeenCalled();
      await breaker[Symbol.asyncDispose]();
    });
  });

  describe('events', () => {
    it('emits one payload per event, in order', async () => {
      const { breaker, clock } = setup({ failureThreshold: { kind: 'consecutive', count: 1 }, openMs: 100 });
      const seen: Array<[string, object]> = [];
      for (const name of [
        'open',
        'halfOpen',
        'close',
        'reject',
        'success',
        'failure',
        'stateChange',
      ] as const) {
        breaker.on(name, (payload) => {
          seen.push([name, payload]);
        });
      }
      await settle(breaker.execute(boom));
      await settle(breaker.execute(ok));
      clock.advance(100);
      await breaker.execute(() => {
        clock.advance(7);
        return Promise.resolve(1);
      });
      expect(seen).toEqual([
        ['failure', { name: 'db', error: expect.any(Error), durationMs: 0, slow: false }],
        ['stateChange', { name: 'db', from: 'closed', to: 'open' }],
        ['open', { name: 'db', from: 'closed', reason: 'consecutiveFailures' }],
        ['reject', { name: 'db', state: 'open', retryAfterMs: 100 }],
        ['stateChange', { name: 'db', from: 'open', to: 'halfOpen' }],
        ['halfOpen', { name: 'db' }],
        ['stateChange', { name: 'db', from: 'halfOpen', to: 'closed' }],
        ['close', { name: 'db', from: 'halfOpen' }],
        ['success', { name: 'db', durationMs: 7, slow: false }],
      ]);
    });

    it('a throwing listener never breaks the call', async () => {
      const onInternalError = vi.fn();
      const breaker = createCircuitBreaker({ name: 'db' }, { clock: createFakeClock(), onInternalError });
      breaker.on('success', () => {
        throw new Error('listener bug');
      });
      await expect(breaker.execute(ok)).resolves.toBe('ok');
      expect(onInternalError).toHaveBeenCalledOnce();
    });
  });

  it('stats and toJSON describe it', async () => {
    const { breaker, clock } = setup({ failureThreshold: { kind: 'consecutive', count: 1 } });
    clock.setWallTime('2026-01-01T00:00:00Z');
    await breaker.execute(ok);
    await settle(breaker.execute(boom));
    await settle(breaker.execute(ok));
    const json = JSON.parse(JSON.stringify(breaker)) as Record<string, unknown>;
    expect(json).toEqual({
      name: 'db',
      state: 'open',
      openedAt: '2026-01-01T00:00:00.000Z',
      stats: {
        name: 'db',
        state: 'open',
        calls: 2,
        successes: 1,
        failures: 1,
        ignored: 0,
        rejections: 1,
        timeouts: 0,
        slowCalls: 0,
        consecutiveFailures: 1,
      },
    });
  });

  it('results of calls admitted before a state change do not move the new state', async () => {
    const { breaker } = setup({ failureThreshold: { kind: 'consecutive', count: 1 } });
    let fail!: (e: Error) => void;
    const slow = settle(breaker.execute(() => new Promise((_, reject) => (fail = reject))));
    breaker.isolate();
    breaker.reset();
    fail(new Error('late'));
    await slow;
    expect(breaker.state).toBe('closed');
    expect(breaker.stats()).toMatchObject({ failures: 1, consecutiveFailures: 0 });
  });

  it.each([
    [{ openMs: 0 }, 'openMs: expected a number > 0, received 0'],
    [
      { failureThreshold: { kind: 'rate', ratio: 1.5 } },
      'failureThreshold.ratio: expected a number <= 1, received 1.5',
    ],
    [
      { failureThreshold: { kind: 'sliding' } },
      'failureThreshold.kind: expected one of "consecutive" | "rate", received "sliding"',
    ],
    [{ halfOpenProbes: 0.5 }, 'halfOpenProbes: expected an integer, received 0.5'],
    [{ timeoutMs: true }, 'timeoutMs: expected false or a number'],
    [{ isFailure: 'yes' }, 'isFailure: expected a function, received "yes"'],
    [{ slowCall: { ratio: 0.5 } }, 'slowCall.thresholdMs: expected a number, received undefined'],
    [{ colour: 'red' }, 'colour: expected no such option'],
  ])('rejects bad options %j', (options, message) => {
    expect(() => createCircuitBreaker({ name: 'db', ...options } as never)).toThrow(ConfigError);
    expect(() => createCircuitBreaker({ name: 'db', ...options } as never)).toThrow(message);
  });
});
