import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRetryPolicy, type Jitter } from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

// Runs `promise` to completion, moving fake time to each pending timer in turn.
async function drive(clock: FakeClock, promise: Promise<unknown>): Promise<void> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 10_000 && !done; i++) {
    const next = clock.timers()[0];
    await clock.advanceAsync(next === undefined ? 0 : next.dueAt - clock.now());
  }
  expect(done).toBe(true);
}

const planArb = fc
  .record({
    jitter: fc.constantFrom<Jitter>('full', 'equal', 'decorrelated', 'none'),
    minDelayMs: fc.integer({ min: 0, max: 2_000 }),
    extraMaxMs: fc.integer({ min: 0, max: 20_000 }),
    factor: fc.double({ min: 1, max: 4, noNaN: true }),
    retries: fc.integer({ min: 0, max: 8 }),
  })
  .map(({ extraMaxMs, ...rest }) => ({ ...rest, maxDelayMs: rest.minDelayMs + extraMaxMs }));

// Random numbers the policy draws, including the edges 0 and just under 1, and a few bad values a
// broken random source might return.
const randomsArb = fc.array(
  fc.oneof(
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    fc.constantFrom(0, 0.9999999999, 1, -0.5, Number.NaN),
  ),
  { minLength: 1, maxLength: 20 },
);

describe('retry delays (property)', () => {
  it('every delay lies within its jitter formula and the cap, and is the time actually slept', async () => {
    await fc.assert(
      fc.asyncProperty(planArb, randomsArb, async (plan, randoms) => {
        const clock = createFakeClock();
        let i = 0;
        const random = () => randoms[i++ % randoms.length]!;
        const retry = createRetryPolicy({ ...plan, respectRetryAfter: false }, { clock, random });
        const delays: number[] = [];
        retry.on('retry', (e) => {
          delays.push(e.delayMs);
        });
        const attemptsAt: number[] = [];
        await drive(
          clock,
          retry.execute(() => {
            attemptsAt.push(clock.now());
            return Promise.reject(new Error('down'));
          }),
        );
        expect(delays).toHaveLength(plan.retries);
        let previous = plan.minDelayMs;
        delays.forEach((delay, k) => {
          const exp = Math.min(plan.maxDelayMs, plan.minDelayMs * plan.factor ** k);
          const [low, high] =
            plan.jitter === 'none'
              ? [exp, exp]
              : plan.jitter === 'full'
                ? [0, exp]
                : plan.jitter === 'equal'
                  ? [exp / 2, exp]
                  : [plan.minDelayMs, Math.min(plan.maxDelayMs, 3 * previous)];
          expect(delay).toBeGreaterThanOrEqual(low - 1e-9);
          expect(delay).toBeLessThanOrEqual(high + 1e-9);
          expect(delay).toBeLessThanOrEqual(plan.maxDelayMs);
          expect(attemptsAt[k + 1]! - attemptsAt[k]!).toBeCloseTo(delay, 6);
          previous = delay;
        });
      }),
      { numRuns: 300 },
    );
  });

  it('total sleep never exceeds maxElapsedMs, whatever the attempts take and Retry-After asks', async () => {
    await fc.assert(
      fc.asyncProperty(
        planArb,
        fc.integer({ min: 1, max: 60_000 }),
        fc.array(
          fc.record({ tookMs: fc.nat({ max: 3_000 }), retryAfterMs: fc.option(fc.nat({ max: 15_000 })) }),
          {
            minLength: 1,
            maxLength: 10,
          },
        ),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (plan, maxElapsedMs, attempts, r) => {
          const clock = createFakeClock();
          const retry = createRetryPolicy({ ...plan, maxElapsedMs }, { clock, random: () => r });
          let slept = 0;
          retry.on('retry', (e) => {
            slept += e.delayMs;
          });
          let n = 0;
          await drive(
            clock,
            retry.execute(() => {
              const attempt = attempts[n++ % attempts.length]!;
              clock.advance(attempt.tookMs);
              const error = Object.assign(new Error('down'), attempt.retryAfterMs === null ? {} : attempt);
              return Promise.reject(error);
            }),
          );
          expect(slept).toBeLessThanOrEqual(maxElapsedMs);
        },
      ),
      { numRuns: 300 },
    );
  });
});
