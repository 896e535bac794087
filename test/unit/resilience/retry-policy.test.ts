import { describe, expect, it, vi } from 'vitest';
import {
  BulkheadFullError,
  CircuitOpenError,
  ConfigError,
  RetryBudgetExhaustedError,
  RetryExhaustedError,
  TimeoutError,
  createRetryBudget,
  createRetryPolicy,
  type RetryPolicyOptions,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (v) => v,
    (e: unknown) => e,
  );

// Runs `promise` to completion, moving fake time through every sleep; returns the outcome and when.
async function drive<T>(clock: FakeClock, promise: Promise<T>): Promise<{ outcome: unknown; at: number }> {
  let done = false;
  let outcome: unknown;
  void promise.then(
    (v) => ((done = true), (outcome = v)),
    (e: unknown) => ((done = true), (outcome = e)),
  );
  for (let i = 0; i < 10_000 && !done; i++) {
    const next = clock.timers()[0];
    await clock.advanceAsync(next === undefined ? 0 : next.dueAt - clock.now());
  }
  if (!done) throw new Error('did not settle');
  return { outcome, at: clock.now() };
}

function setup(options: RetryPolicyOptions = {}, random = () => 0.5) {
  const clock = createFakeClock({ start: '2026-01-01T00:00:00Z' });
  const retry = createRetryPolicy(options, { clock, random });
  return { clock, retry };
}

// Fails `failures` times with errors from `make`, then resolves with the attempt number.
function flaky(failures: number, make: (attempt: number) => unknown = (n) => new Error(`fail ${n}`)) {
  return vi.fn(({ attempt }: { attempt: number }) => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- some tests throw non-errors
    if (attempt <= failures) return Promise.reject(make(attempt));
    return Promise.resolve(attempt);
  });
}

describe('createRetryPolicy', () => {
  it('succeeds first time without sleeping or scheduling anything', async () => {
    const { retry, clock } = setup();
    await expect(retry.execute(() => 'x')).resolves.toBe('x');
    expect(clock.pendingCount).toBe(0);
  });

  it('retries with the attempt number in the context, and gives up with RetryExhaustedError', async () => {
    const { retry, clock } = setup({ retries: 2 });
    const work = flaky(2);
    expect(await drive(clock, retry.execute(work))).toMatchObject({ outcome: 3 });
    expect(work.mock.calls.map(([c]) => c.attempt)).toEqual([1, 2, 3]);
    const { outcome } = await drive(clock, retry.execute(flaky(9)));
    expect(outcome).toBeInstanceOf(RetryExhaustedError);
    expect(outcome).toMatchObject({ code: 'ERR_SRE_RETRY_EXHAUSTED', attempts: 3 });
    expect((outcome as RetryExhaustedError).cause).toMatchObject({ message: 'fail 3' });
  });

  it('defaults: 3 retries, 100 ms base doubling, full jitter', async () => {
    const { retry, clock } = setup({}, () => 0.999);
    const { outcome, at } = await drive(clock, retry.execute(flaky(9)));
    expect(outcome).toMatchObject({ attempts: 4 });
    expect(at).toBeCloseTo(0.999 * (100 + 200 + 400), 6);
  });

  it('computes each jitter within its formula', async () => {
    const delays = async (options: RetryPolicyOptions, random: number) => {
      const { retry, clock } = setup(
        { retries: 4, minDelayMs: 100, maxDelayMs: 1_000, ...options },
        () => random,
      );
      const seen: number[] = [];
      retry.on('retry', (e) => {
        seen.push(e.delayMs);
      });
      await drive(clock, retry.execute(flaky(9)));
      return seen;
    };
    expect(await delays({ jitter: 'none' }, 0.5)).toEqual([100, 200, 400, 800]);
    expect(await delays({ jitter: 'full' }, 0.5)).toEqual([50, 100, 200, 400]);
    expect(await delays({ jitter: 'equal' }, 0)).toEqual([50, 100, 200, 400]);
    expect(await delays({ jitter: 'decorrelated' }, 0.5)).toEqual([200, 350, 550, 550]);
    expect(await delays({ jitter: 'none', factor: 3 }, 0)).toEqual([100, 300, 900, 1_000]);
  });

  it('does not retry errors retryOn refuses, and rethrows them as they are', async () => {
    const retryOn = vi.fn((error: unknown, _attempt: number) => (error as Error).message !== 'fatal');
    const { retry, clock } = setup({ retryOn });
    const fatal = new Error('fatal');
    const { outcome } = await drive(
      clock,
      retry.execute(flaky(9, (n) => (n === 2 ? fatal : new Error('x')))),
    );
    expect(outcome).toBe(fatal);
    expect(retryOn.mock.calls.map((c) => c[1])).toEqual([1, 2]);
  });

  it("never retries sre-kit's own refusals, and never asks retryOn about them", async () => {
    for (const error of [
      new CircuitOpenError('db', 1_000),
      new BulkheadFullError(1, 0),
      new RetryBudgetExhaustedError(1, null),
      new RetryExhaustedError(3, null),
    ]) {
      const retryOn = vi.fn(() => true);
      const { retry } = setup({ retryOn });
      const work = vi.fn(() => Promise.reject(error));
      await expect(retry.execute(work)).rejects.toBe(error);
      expect(work).toHaveBeenCalledOnce();
      expect(retryOn).not.toHaveBeenCalled();
    }
  });

  it('retries what p-retry would not: a TypeError, a thrown string', async () => {
    const { retry, clock } = setup();
    expect((await drive(clock, retry.execute(flaky(1, () => new TypeError('x'))))).outcome).toBe(2);
    expect((await drive(clock, retry.execute(flaky(1, () => 'just a string')))).outcome).toBe(2);
  });

  describe('Retry-After', () => {
    const cases: Array<[string, (attempt: number) => unknown, number]> = [
      ['an error with retryAfterMs', () => Object.assign(new Error('429'), { retryAfterMs: 3_000 }), 3_000],
      [
        'a thrown Response',
        () => new Response(null, { status: 503, headers: { 'retry-after': '2' } }),
        2_000,
      ],
      [
        'an error carrying the response',
        () =>
          Object.assign(new Error('429'), {
            response: new Response(null, { status: 429, headers: { 'Retry-After': '1.5' } }),
          }),
        1_500,
      ],
      [
        'plain headers (got, axios)',
        () => Object.assign(new Error('429'), { response: { headers: { 'retry-after': ['4'] } } }),
        4_000,
      ],
      [
        'an HTTP date',
        () =>
          Object.assign(new Error('429'), { headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' } }),
        5_000,
      ],
    ];
    it.each(cases)('is a floor from %s', async (_, make, expected) => {
      const { retry, clock } = setup({ retries: 1, minDelayMs: 100 });
      const { outcome, at } = await drive(clock, retry.execute(flaky(1, make)));
      expect(outcome).toBe(2);
      expect(at).toBe(expected);
    });

    it('is ignored when respectRetryAfter is false, and never lowers the delay', async () => {
      const make = () => Object.assign(new Error('429'), { retryAfterMs: 3_000 });
      const off = setup({ retries: 1, jitter: 'none', respectRetryAfter: false });
      expect((await drive(off.clock, off.retry.execute(flaky(1, make)))).at).toBe(100);
      const low = setup({ retries: 1, jitter: 'none', minDelayMs: 500 });
      const lowMake = () => Object.assign(new Error('429'), { retryAfterMs: 10 });
      expect((await drive(low.clock, low.retry.execute(flaky(1, lowMake)))).at).toBe(500);
    });

    it('gives up at once when it asks for longer than maxDelayMs', async () => {
      const { retry, clock } = setup({ maxDelayMs: 1_000 });
      const reasons: string[] = [];
      retry.on('giveUp', (e) => {
        reasons.push(e.reason);
      });
      const make = () => Object.assign(new Error('429'), { retryAfterMs: 60_000 });
      const { outcome, at } = await drive(clock, retry.execute(flaky(9, make)));
      expect(outcome).toBeInstanceOf(RetryExhaustedError);
      expect((outcome as Error).message).toContain('Retry-After 60000 ms exceeds maxDelayMs 1000');
      expect(at).toBe(0);
      expect(reasons).toEqual(['retryAfterTooLong']);
    });
  });

  it('gives up rather than start a retry that would end past maxElapsedMs', async () => {
    const { retry, clock } = setup({ retries: 10, jitter: 'none', minDelayMs: 100, maxElapsedMs: 1_000 });
    const { outcome, at } = await drive(clock, retry.execute(flaky(99)));
    expect(outcome).toMatchObject({ attempts: 4 });
    expect(at).toBe(700); // 100 + 200 + 400; the next 800 would end at 1500
  });

  it('limits each attempt with perAttemptTimeoutMs, and retries the timeout', async () => {
    const { retry, clock } = setup({ retries: 1, perAttemptTimeoutMs: 1_000, jitter: 'none' });
    const signals: AbortSignal[] = [];
    const call = retry.execute(({ attempt, signal }) => {
      signals.push(signal);
      return attempt === 1 ? new Promise<number>(() => {}) : Promise.resolve(attempt);
    });
    const { outcome, at } = await drive(clock, call);
    expect(outcome).toBe(2);
    expect(at).toBe(1_100);
    expect(signals[0]!.reason).toBeInstanceOf(TimeoutError);
    expect(signals[1]!.aborted).toBe(false);
    expect(signals[0]).not.toBe(signals[1]);
  });

  it("wakes from a sleep at once when the caller aborts, with the signal's reason", async () => {
    const { retry, clock } = setup({ minDelayMs: 10_000, jitter: 'none' });
    const controller = new AbortController();
    const work = vi.fn(() => Promise.reject(new Error('down')));
    const call = settle(retry.execute(work, { signal: controller.signal }));
    await clock.advanceAsync(0);
    expect(clock.timers()).toEqual([{ dueAt: 10_000, ref: true }]);
    const reason = new Error('shutting down');
    controller.abort(reason);
    expect(await call).toBe(reason);
    expect(clock.pendingCount).toBe(0);
    expect(clock.now()).toBe(0);
    expect(work).toHaveBeenCalledOnce();
    await expect(retry.execute(work, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('consults the budget before each retry', async () => {
    const clock = createFakeClock();
    const budget = createRetryBudget({ ratio: 0, minPerSecond: 0.1, windowMs: 10_000 }, { clock });
    const retry = createRetryPolicy({ retries: 5, budget }, { clock, random: () => 0 });
    const { outcome } = await drive(clock, retry.execute(flaky(99)));
    expect(outcome).toBeInstanceOf(RetryBudgetExhaustedError);
    expect(outcome).toMatchObject({ attempts: 2, code: 'ERR_SRE_RETRY_BUDGET_EXHAUSTED' });
    expect(budget.stats()).toMatchObject({ requests: 1, retries: 1, refused: 1 });
  });

  it('emits retry, giveUp and success', async () => {
    const { retry, clock } = setup({ retries: 1, jitter: 'none' });
    const events: unknown[] = [];
    retry.on('retry', (e) => {
      events.push(['retry', e.attempt, e.delayMs]);
    });
    retry.on('giveUp', (e) => {
      events.push(['giveUp', e.attempts, e.reason]);
    });
    retry.on('success', (e) => {
      events.push(['success', e.attempts]);
    });
    await drive(clock, retry.execute(flaky(1)));
    await drive(clock, retry.execute(flaky(9)));
    await retry.execute(() => 1);
    expect(events).toEqual([
      ['retry', 2, 100],
      ['success', 2],
      ['retry', 2, 100],
      ['giveUp', 2, 'retriesExhausted'],
      ['success', 1],
    ]);
  });

  it.each([
    [{ retries: -1 }, 'retries: expected a number >= 0, received -1'],
    [{ jitter: 'random' }, 'jitter: expected one of "full" | "equal" | "decorrelated" | "none"'],
    [{ minDelayMs: 500, maxDelayMs: 100 }, 'maxDelayMs: expected a number >= minDelayMs'],
    [{ factor: 0.5 }, 'factor: expected a number >= 1, received 0.5'],
    [{ budget: {} }, 'budget: expected a retry budget (createRetryBudget)'],
    [{ retryOn: true }, 'retryOn: expected a function, received true'],
  ])('rejects bad options %j', (options, message) => {
    expect(() => createRetryPolicy(options as never)).toThrow(ConfigError);
    expect(() => createRetryPolicy(options as never)).toThrow(message);
  });
});
