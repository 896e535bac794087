import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimitAlgorithm, type RateLimiter } from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

// Integer rates: "at most rate + burst requests" is a whole count only when rate is whole.
const limits = fc.record({
  rate: fc.integer({ min: 1, max: 50 }),
  perMs: fc.constantFrom(1_000, 1_500, 7_000, 60_000),
  burst: fc.integer({ min: 0, max: 10 }),
});

// Gaps between requests, in emission intervals: bursts (0), jittered, exactly on the pace, long idles.
const gaps = fc.array(
  fc.oneof(
    fc.constant(0),
    fc.constant(1),
    fc.double({ min: 0, max: 3, noNaN: true }),
    fc.integer({ min: 0, max: 40 }),
  ),
  { minLength: 1, maxLength: 400 },
);

/** The most admissions in any half-open span [t, t + spanMs), starting at each admission. */
function mostInAnySpan(times: readonly number[], spanMs: number): number {
  let most = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && times[end]! < times[start]! + spanMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

function drive(
  algorithm: RateLimitAlgorithm,
  options: { rate: number; perMs: number; burst: number },
  schedule: readonly number[],
): number[] {
  const clock = createFakeClock();
  const limiter = createRateLimiter({ algorithm, ...options }, { clock });
  const interval = options.perMs / options.rate;
  const admitted: number[] = [];
  for (const gap of schedule) {
    clock.advance(gap * interval);
    if (limiter.consume('client').allowed) admitted.push(clock.now());
  }
  return admitted;
}

/**
 * Drives one key through `schedule`; after each step checks that `remaining` is exactly how many more
 * requests pass at that instant, then hands the refusal that follows to `check`.
 */
function everyRefusal(
  algorithm: RateLimitAlgorithm,
  options: { rate: number; perMs: number; burst: number },
  schedule: readonly number[],
  check: (refusal: {
    limiter: RateLimiter;
    clock: FakeClock;
    retryAfterMs: number;
    interval: number;
  }) => void,
): void {
  const clock = createFakeClock();
  const limiter = createRateLimiter({ algorithm, ...options }, { clock });
  const interval = options.perMs / options.rate;
  for (const gap of schedule) {
    clock.advance(gap * interval);
    const { remaining } = limiter.consume('k');
    let passed = 0;
    while (limiter.consume('k').allowed) passed++;
    expect(passed).toBe(remaining);
    check({ limiter, clock, retryAfterMs: limiter.consume('k').retryAfterMs, interval });
  }
}

describe('GCRA (property)', () => {
  it('no span of perMs admits more than rate + burst, over any schedule', () => {
    fc.assert(
      fc.property(limits, gaps, (options, schedule) => {
        const admitted = drive('gcra', options, schedule);
        expect(mostInAnySpan(admitted, options.perMs)).toBeLessThanOrEqual(options.rate + options.burst);
      }),
      { numRuns: 300 },
    );
  });

  it('a client sending at exactly the rate is never refused, whatever other keys do', () => {
    fc.assert(
      fc.property(
        limits,
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 500 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (options, requests, noise, startMs) => {
          const clock = createFakeClock();
          const limiter = createRateLimiter(options, { clock });
          clock.advance(startMs);
          const start = clock.now();
          const interval = options.perMs / options.rate;
          for (let k = 0; k < requests; k++) {
            clock.advance(start + k * interval - clock.now());
            for (let n = 0; n < (noise[k] ?? 0); n++) limiter.consume(`other-${n}`);
            expect(limiter.consume('steady').allowed, `request ${k}`).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('remaining is exactly how many more requests pass at that instant; retryAfterMs is exact', () => {
    fc.assert(
      fc.property(limits, gaps, (options, schedule) =>
        everyRefusal('gcra', options, schedule, ({ limiter, clock, retryAfterMs, interval }) => {
          // It passes after retryAfterMs, not a hundredth of an interval sooner.
          clock.advance(retryAfterMs - interval / 100);
          expect(limiter.consume('k').allowed).toBe(false);
          clock.advance(interval / 100);
          expect(limiter.consume('k').allowed).toBe(true);
        }),
      ),
      { numRuns: 100 },
    );
  });
});

describe('sliding window (property)', () => {
  it('no aligned window admits more than rate + burst, no span more than twice that', () => {
    fc.assert(
      fc.property(limits, gaps, (options, schedule) => {
        const admitted = drive('sliding-window', options, schedule);
        const limit = options.rate + options.burst;
        const perWindow = new Map<number, number>();
        for (const t of admitted) {
          const window = Math.floor(t / options.perMs);
          perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
        }
        for (const count of perWindow.values()) expect(count).toBeLessThanOrEqual(limit);
        expect(mostInAnySpan(admitted, options.perMs)).toBeLessThan(2 * limit);
      }),
      { numRuns: 300 },
    );
  });

  it('with burst >= 1, a client at exactly the rate is never refused', () => {
    fc.assert(
      fc.property(
        limits.map((o) => ({ ...o, burst: Math.max(1, o.burst) })),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (options, requests, startMs) => {
          const clock = createFakeClock();
          const limiter = createRateLimiter({ algorithm: 'sliding-window', ...options }, { clock });
          clock.advance(startMs);
          const start = clock.now();
          for (let k = 0; k < requests; k++) {
            clock.advance(start + (k * options.perMs) / options.rate - clock.now());
            expect(limiter.consume('steady').allowed, `request ${k}`).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('remaining is exactly how many more requests pass at that instant', () => {
    fc.assert(
      fc.property(limits, gaps, (options, schedule) =>
        everyRefusal('sliding-window', options, schedule, ({ limiter, clock, retryAfterMs }) => {
          clock.advance(retryAfterMs);
          expect(limiter.consume('k').allowed).toBe(true);
        }),
      ),
      { numRuns: 100 },
    );
  });
});
