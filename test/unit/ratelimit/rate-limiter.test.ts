import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  RateLimitedError,
  compose,
  createRateLimiter,
  createRetryPolicy,
  createTimeout,
  isSreError,
  type RateLimitDecision,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (v) => v,
    (e: unknown) => e,
  );

const copy = (d: RateLimitDecision): RateLimitDecision => ({ ...d });

describe('createRateLimiter (GCRA)', () => {
  it('admits burst + 1 at once from an idle key, then one per emission interval', () => {
    const clock = createFakeClock();
    // 10 per second: one every 100 ms; burst 2: three at once.
    const limiter = createRateLimiter({ rate: 10, perMs: 1_000, burst: 2 }, { clock });
    expect(copy(limiter.consume('a'))).toEqual({
      allowed: true,
      remaining: 2,
      resetMs: 100,
      retryAfterMs: 0,
    });
    expect(copy(limiter.consume('a'))).toEqual({
      allowed: true,
      remaining: 1,
      resetMs: 200,
      retryAfterMs: 0,
    });
    expect(copy(limiter.consume('a'))).toEqual({
      allowed: true,
      remaining: 0,
      resetMs: 300,
      retryAfterMs: 0,
    });
    expect(copy(limiter.consume('a'))).toEqual({
      allowed: false,
      remaining: 0,
      resetMs: 300,
      retryAfterMs: 100,
    });
    clock.advance(99);
    expect(limiter.consume('a').allowed).toBe(false);
    clock.advance(1);
    expect(copy(limiter.consume('a'))).toMatchObject({ allowed: true, remaining: 0 });
    // Another key is unaffected.
    expect(limiter.consume('b')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('a refusal takes nothing, and idle time restores the allowance up to burst + 1', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ rate: 1, perMs: 1_000, burst: 4 }, { clock });
    for (let i = 0; i < 5; i++) expect(limiter.consume('k').allowed).toBe(true);
    for (let i = 0; i < 10; i++) expect(limiter.consume('k').allowed).toBe(false);
    clock.advance(1_000);
    expect(limiter.consume('k')).toMatchObject({ allowed: true, remaining: 0 });
    clock.advance(60_000);
    expect(limiter.consume('k')).toMatchObject({ allowed: true, remaining: 4, resetMs: 1_000 });
  });

  it('weighs requests by cost; a cost above burst + 1 can never pass', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ rate: 10, perMs: 1_000, burst: 4 }, { clock });
    expect(limiter.consume('k', 3)).toMatchObject({ allowed: true, remaining: 2, resetMs: 300 });
    expect(limiter.consume('k', 3)).toMatchObject({ allowed: false, retryAfterMs: 100 });
    expect(limiter.consume('k', 6)).toMatchObject({ allowed: false, retryAfterMs: Number.POSITIVE_INFINITY });
    expect(limiter.consume('k', 0)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('counts and refuses a bad cost without touching the key', () => {
    const limiter = createRateLimiter({ rate: 1, burst: 0 }, { clock: createFakeClock() });
    for (const cost of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      expect(limiter.consume('k', cost)).toMatchObject({ allowed: false });
    }
    expect(limiter.stats()).toMatchObject({ invalid: 3, refused: 3, allowed: 0, keys: 0 });
    expect(limiter.consume('k').allowed).toBe(true);
  });

  it('hands out one reused decision object (no allocation per call)', () => {
    const limiter = createRateLimiter({ rate: 5 }, { clock: createFakeClock() });
    expect(limiter.consume('a')).toBe(limiter.consume('b'));
  });

  it('exposes its limits for the headers', () => {
    const limiter = createRateLimiter({ rate: 100, perMs: 60_000, burst: 20, policyName: 'api' });
    expect(limiter.limits).toEqual({
      algorithm: 'gcra',
      rate: 100,
      perMs: 60_000,
      burst: 20,
      capacity: 21,
      quota: 100,
      maxKeys: 100_000,
      policyName: 'api',
    });
    expect(Object.isFrozen(limiter.limits)).toBe(true);
  });

  it('rejects bad options with a ConfigError naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [{ rate: 0 }, 'rate'],
      [{ rate: 10, perMs: -1 }, 'perMs'],
      [{ rate: 10, burst: 1.5 }, 'burst'],
      [{ rate: 10, maxKeys: 0 }, 'maxKeys'],
      [{ rate: 10, algorithm: 'leaky' }, 'algorithm'],
      [{ rate: 10, policyName: 'has space' }, 'policyName'],
      [{ rate: 10, extra: 1 }, 'extra'],
      [{ rate: 1e7, perMs: 1 }, 'rate'],
      [{ rate: 0.5, algorithm: 'sliding-window' }, 'rate'],
    ];
    for (const [options, field] of cases) {
      const error = (() => {
        try {
          createRateLimiter(options as never);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, JSON.stringify(options)).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.field)).toContain(field);
    }
  });
});

describe('key table', () => {
  it('never holds more than maxKeys; evicting a live key is counted', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ rate: 1, perMs: 60_000, maxKeys: 3 }, { clock });
    for (const key of ['a', 'b', 'c', 'd']) limiter.consume(key);
    expect(limiter.stats()).toMatchObject({ keys: 3, evicted: 1, expired: 0 });
    // 'a' was the least recently used: it was forgotten and starts over.
    expect(limiter.consume('a').allowed).toBe(true);
    // 'b' was the coldest now and was forgotten for 'a'; 'c' and 'd' are still limited.
    expect(limiter.consume('c').allowed).toBe(false);
    expect(limiter.consume('d').allowed).toBe(false);
  });

  it('a lookup moves its key to the hot end, so the coldest goes first', () => {
    const limiter = createRateLimiter({ rate: 1, perMs: 60_000, maxKeys: 2 }, { clock: createFakeClock() });
    limiter.consume('a');
    limiter.consume('b');
    limiter.consume('a');
    limiter.consume('c');
    expect(limiter.consume('a').allowed).toBe(false);
    expect(limiter.consume('b').allowed).toBe(true);
  });

  it('idle keys expire lazily as traffic comes, with no timer', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ rate: 10, perMs: 1_000, maxKeys: 100 }, { clock });
    for (let i = 0; i < 50; i++) limiter.consume(`idle-${i}`);
    expect(clock.pendingCount).toBe(0);
    clock.advance(1_000);
    // Reading stats changes nothing.
    expect(limiter.stats().keys).toBe(50);
    expect(limiter.stats().keys).toBe(50);
    for (let i = 0; i < 30; i++) limiter.consume('busy');
    expect(limiter.stats()).toMatchObject({ keys: 1, expired: 50, evicted: 0 });
  });

  it('reset forgets one key or all', () => {
    const limiter = createRateLimiter({ rate: 1, perMs: 60_000 }, { clock: createFakeClock() });
    limiter.consume('a');
    limiter.consume('b');
    limiter.reset('a');
    expect(limiter.consume('a').allowed).toBe(true);
    expect(limiter.consume('b').allowed).toBe(false);
    limiter.reset();
    expect(limiter.stats().keys).toBe(0);
    expect(limiter.consume('b').allowed).toBe(true);
  });

  it('grows past its first block of slots and keeps every key apart', () => {
    const limiter = createRateLimiter(
      { rate: 1, perMs: 60_000, maxKeys: 5_000 },
      { clock: createFakeClock() },
    );
    let firstAllowed = 0;
    let secondAllowed = 0;
    for (let i = 0; i < 5_000; i++) if (limiter.consume(`k${i}`).allowed) firstAllowed++;
    for (let i = 0; i < 5_000; i++) if (limiter.consume(`k${i}`).allowed) secondAllowed++;
    expect([firstAllowed, secondAllowed]).toEqual([5_000, 0]);
    expect(limiter.stats()).toMatchObject({ keys: 5_000, evicted: 0 });
  });
});

describe('createRateLimiter (sliding window)', () => {
  it('admits rate + burst per window, weighing the previous window by its share still inside', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ algorithm: 'sliding-window', rate: 10, perMs: 1_000 }, { clock });
    for (let i = 0; i < 10; i++) expect(limiter.consume('k').allowed).toBe(true);
    const refused = copy(limiter.consume('k'));
    expect(refused).toMatchObject({ allowed: false, remaining: 0, resetMs: 2_000 });
    // In the next window, the previous 10 count for 10 × (1 - 0.25) = 7.5 at 250 ms: 2 more fit.
    expect(refused.retryAfterMs).toBe(1_100);
    clock.advance(1_250);
    expect(limiter.consume('k')).toMatchObject({ allowed: true, remaining: 1 });
    expect(limiter.consume('k')).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.consume('k').allowed).toBe(false);
    expect(limiter.limits).toMatchObject({ capacity: 10, quota: 10 });
  });

  it('a key idle for two windows is as new, and expires', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter(
      { algorithm: 'sliding-window', rate: 2, burst: 1, perMs: 1_000 },
      { clock },
    );
    for (let i = 0; i < 3; i++) limiter.consume('k');
    clock.advance(2_000);
    expect(limiter.consume('k')).toMatchObject({ allowed: true, remaining: 2 });
    clock.advance(2_000);
    limiter.consume('other');
    // 'k' expired twice: swept before its own lookup above, and before 'other' now.
    expect(limiter.stats()).toMatchObject({ keys: 1, expired: 2 });
  });
});

describe('wait and throttle', () => {
  it('GCRA waiters take their places at once and are spaced one interval apart', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ rate: 10, perMs: 1_000 }, { clock });
    const admitted: number[] = [];
    const waits = [0, 1, 2, 3].map((i) =>
      limiter.wait('partner').then(() => admitted.push(i * 1000 + clock.now())),
    );
    expect(limiter.stats().waiting).toBe(3);
    await clock.advanceAsync(300);
    await Promise.all(waits);
    expect(admitted).toEqual([0, 1_100, 2_200, 3_300]);
    expect(limiter.stats()).toMatchObject({ allowed: 4, waiting: 0 });
  });

  it('refuses a wait longer than maxWaitMs at once, taking no place', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ rate: 1, perMs: 1_000 }, { clock });
    await limiter.wait('p');
    const error = await settle(limiter.wait('p', { maxWaitMs: 500 }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: 'ERR_SRE_RATE_LIMITED', key: 'p', retryAfterMs: 1_000 });
    // The refused wait took nothing: a wait now is the next in line, 1 s from the first.
    const next = limiter.wait('p');
    await clock.advanceAsync(1_000);
    await next;
    expect(clock.pendingCount).toBe(0);
  });

  it('an aborted wait rejects with the reason and gives its place back', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ rate: 1, perMs: 1_000 }, { clock });
    await limiter.wait('p');
    const controller = new AbortController();
    const aborted = settle(limiter.wait('p', { signal: controller.signal }));
    controller.abort(new Error('caller left'));
    expect(await aborted).toMatchObject({ message: 'caller left' });
    expect(clock.pendingCount).toBe(0);
    clock.advance(1_000);
    // The place was given back: one request fits now, not zero.
    expect(limiter.consume('p').allowed).toBe(true);
    await expect(limiter.wait('p', { signal: AbortSignal.abort('gone') })).rejects.toBe('gone');
  });

  it('rejects a bad cost or maxWaitMs with a ConfigError', async () => {
    const limiter = createRateLimiter({ rate: 1 });
    await expect(limiter.wait('p', { cost: -1 })).rejects.toBeInstanceOf(ConfigError);
    await expect(limiter.wait('p', { maxWaitMs: Number.NaN })).rejects.toThrow(/maxWaitMs/);
    expect(() => limiter.throttle('p', { cost: Number.NaN })).toThrow(ConfigError);
  });

  it('a sliding-window wait re-checks after the computed time until it fits', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ algorithm: 'sliding-window', rate: 2, perMs: 1_000 }, { clock });
    await limiter.wait('p');
    await limiter.wait('p');
    let done = false;
    const third = limiter.wait('p', { maxWaitMs: 5_000 }).then(() => (done = true));
    await clock.advanceAsync(1_400);
    expect(done).toBe(false);
    await clock.advanceAsync(200);
    await third;
    expect(done).toBe(true);
    expect(limiter.stats()).toMatchObject({ allowed: 3, waiting: 0 });
  });

  it('throttle composes with retry and timeout; the work keeps the retry attempt and the signal', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ rate: 2, perMs: 1_000 }, { clock });
    const policy = compose(
      createRetryPolicy({ retries: 2, minDelayMs: 1, maxDelayMs: 1, jitter: 'none' }, { clock }),
      limiter.throttle('partner'),
      createTimeout(10_000, { clock }),
    );
    const seen: Array<{ attempt: number; at: number; aborted: boolean }> = [];
    const call = policy.execute(({ attempt, signal }) => {
      seen.push({ attempt, at: clock.now(), aborted: signal.aborted });
      if (attempt < 3) throw new Error('flaky');
      return 'ok';
    });
    await clock.advanceAsync(2_000);
    expect(await call).toBe('ok');
    // Each attempt waited for its turn: 500 ms apart (plus the retry's 1 ms delay).
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(seen[1]!.at - seen[0]!.at).toBe(500);
    expect(seen[2]!.at - seen[1]!.at).toBe(500);
    expect(seen.every((s) => !s.aborted)).toBe(true);
  });

  it('a throttle refusal is sre-kit’s own rejection, which a retry does not retry', async () => {
    const limiter = createRateLimiter({ rate: 1, perMs: 60_000 }, { clock: createFakeClock() });
    let calls = 0;
    const policy = compose(createRetryPolicy({ retries: 3 }), limiter.throttle('partner', { maxWaitMs: 0 }));
    await policy.execute(() => calls++);
    const error = await settle(policy.execute(() => calls++));
    expect(isSreError(error, 'ERR_SRE_RATE_LIMITED')).toBe(true);
    expect(calls).toBe(1);
  });
});
