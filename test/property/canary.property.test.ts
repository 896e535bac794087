import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCanaryJudge, createLatencyTracker, type CanaryJudge, type CanaryVerdict } from 'sre-kit';
import { mulberry32 } from '../helpers/seeded-random.js';

// Issue 14's proof of the canary judge, every run seeded (fast-check draws the scenarios, a seeded
// PRNG inside each run draws the requests), every rate printed:
//   - A/A, checked every "minute" for 60 minutes: a failing verdict in at most 1 % of 2,000 runs (the
//     error-rate test is anytime-valid); the whole default judge (errors + latency) too, over 200 runs;
//   - 1 % → 3 % errors at 5 % canary traffic: caught within 2,000 canary requests in at least 95 %;
//   - +20 % latency: caught with 200 values per arm (judge tolerating 10 %);
//   - the same median with a longer tail (p99 only): caught by the quantile check;
//   - an arm without requests, or below minRequests: inconclusive, never a pass.

/** An exact Binomial(n, p) draw by inversion (p small: a few steps). */
function binomial(random: () => number, n: number, p: number): number {
  const u = random();
  const odds = p / (1 - p);
  let term = Math.pow(1 - p, n);
  let cdf = term;
  let k = 0;
  while (cdf < u && k < n) {
    term *= ((n - k) / (k + 1)) * odds;
    k++;
    cdf += term;
  }
  return k;
}

/** A log-normal latency in ms with median `median` and log-σ `sigma`. */
function lognormal(random: () => number, median: number, sigma: number): number {
  const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return median * Math.exp(sigma * gaussian);
}

const errorsOnly = createCanaryJudge({
  metrics: [{ name: 'errors', kind: 'error-rate', maxIncrease: 0.005, critical: true }],
  falseFailRate: 0.01,
  minRequests: 500,
});

/** Minute by minute, cumulative counts; returns the verdict of each check until `stop` says so. */
function runErrors(
  judge: CanaryJudge,
  seed: number,
  perMinute: number,
  share: number,
  baselineRate: number,
  canaryRate: number,
  checks: number,
  stop: (verdict: CanaryVerdict, canaryRequests: number) => boolean,
): CanaryVerdict | undefined {
  const random = mulberry32(seed);
  const canaryPerMinute = Math.round(perMinute * share);
  const baselinePerMinute = perMinute - canaryPerMinute;
  const arms = { baseline: { requests: 0, errors: 0 }, canary: { requests: 0, errors: 0 } };
  for (let minute = 0; minute < checks; minute++) {
    arms.baseline.requests += baselinePerMinute;
    arms.baseline.errors += binomial(random, baselinePerMinute, baselineRate);
    arms.canary.requests += canaryPerMinute;
    arms.canary.errors += binomial(random, canaryPerMinute, canaryRate);
    const verdict = judge.evaluate({ baseline: { ...arms.baseline }, canary: { ...arms.canary } });
    if (stop(verdict, arms.canary.requests)) return verdict;
  }
  return undefined;
}

const percent = (k: number, n: number): string => `${k} of ${n} (${((100 * k) / n).toFixed(2)} %)`;

describe('canary judge: false fails under continuous checking', () => {
  it('A/A error rates, checked every minute for 60 minutes, fail at most 1 % of 2,000 runs', () => {
    const runs = fc.sample(
      fc.record({
        seed: fc.integer(),
        perMinute: fc.integer({ min: 200, max: 2_000 }),
        share: fc.constantFrom(0.05, 0.1, 0.25, 0.5),
        rate: fc.double({ min: 0.001, max: 0.05, noNaN: true }),
      }),
      { numRuns: 2_000, seed: 1401 },
    );
    let failed = 0;
    // The e-value alone (before the 0.5-point tolerance is asked): Ville's inequality bounds it by α.
    let crossed = 0;
    for (const run of runs) {
      let significant = false;
      const fail = runErrors(errorsOnly, run.seed, run.perMinute, run.share, run.rate, run.rate, 60, (v) => {
        const check = v.metrics[0]?.checks[0];
        if (check?.eValue != null && check.eValue >= 1 / check.alpha) significant = true;
        return v.verdict === 'fail';
      });
      if (fail !== undefined) failed++;
      if (significant) crossed++;
    }
    console.log(
      `canary A/A (error rate, 60 checks per run): failed ${percent(failed, runs.length)}; e-value ever ≥ 1/α in ${percent(crossed, runs.length)}`,
    );
    expect(failed / runs.length).toBeLessThanOrEqual(0.01);
    expect(crossed / runs.length).toBeLessThanOrEqual(0.01);
  });

  it('A/A with the default judge (errors and latency), 60 checks per run, fail at most 1 % of 200 runs', () => {
    const judge = createCanaryJudge({ minRequests: 500 });
    const runs = fc.sample(
      fc.record({ seed: fc.integer(), median: fc.double({ min: 5, max: 500, noNaN: true }) }),
      {
        numRuns: 200,
        seed: 1402,
      },
    );
    let failed = 0;
    for (const run of runs) {
      const random = mulberry32(run.seed);
      const latency = createLatencyTracker({ window: false });
      const arms = { baseline: { requests: 0, errors: 0 }, canary: { requests: 0, errors: 0 } };
      for (let minute = 0; minute < 60; minute++) {
        arms.baseline.requests += 950;
        arms.baseline.errors += binomial(random, 950, 0.01);
        arms.canary.requests += 50;
        arms.canary.errors += binomial(random, 50, 0.01);
        // Latency of one request in five.
        for (let i = 0; i < 190; i++) latency.record(lognormal(random, run.median, 0.4), 'baseline');
        for (let i = 0; i < 10; i++) latency.record(lognormal(random, run.median, 0.4), 'canary');
        const verdict = judge.evaluate({
          baseline: { ...arms.baseline, latency: latency.histogram('baseline') },
          canary: { ...arms.canary, latency: latency.histogram('canary') },
        });
        if (verdict.verdict === 'fail') {
          failed++;
          break;
        }
      }
    }
    console.log(`canary A/A (default judge, 60 checks per run): failed ${percent(failed, runs.length)}`);
    expect(failed / runs.length).toBeLessThanOrEqual(0.01);
  });
});

describe('canary judge: detection', () => {
  it('catches 1 % → 3 % errors at 5 % canary traffic within 2,000 canary requests in at least 95 %', () => {
    const runs = fc.sample(
      fc.record({ seed: fc.integer(), perMinute: fc.integer({ min: 500, max: 2_000 }) }),
      {
        numRuns: 1_000,
        seed: 1403,
      },
    );
    let caught = 0;
    const needed: number[] = [];
    for (const run of runs) {
      const verdict = runErrors(
        errorsOnly,
        run.seed,
        run.perMinute,
        0.05,
        0.01,
        0.03,
        10_000,
        (v, canaryRequests) => {
          if (v.verdict === 'fail') needed.push(canaryRequests);
          return v.verdict === 'fail' || canaryRequests >= 2_000;
        },
      );
      if (verdict?.verdict === 'fail') caught++;
    }
    needed.sort((a, b) => a - b);
    const median = needed[Math.floor(needed.length / 2)] ?? 0;
    console.log(
      `canary 1 % → 3 % errors at 5 % traffic: caught within 2,000 canary requests in ${percent(caught, runs.length)}; median ${median} canary requests`,
    );
    expect(caught / runs.length).toBeGreaterThanOrEqual(0.95);
  });

  it('catches a +20 % latency shift with 200 values per arm', () => {
    const judge = createCanaryJudge({
      metrics: [{ name: 'latency', kind: 'latency', maxIncreaseRatio: 1.1 }],
      minRequests: 200,
    });
    const runs = fc.sample(
      fc.record({ seed: fc.integer(), median: fc.double({ min: 5, max: 500, noNaN: true }) }),
      {
        numRuns: 500,
        seed: 1404,
      },
    );
    let caught = 0;
    for (const run of runs) {
      const random = mulberry32(run.seed);
      const latency = createLatencyTracker({ window: false });
      for (let i = 0; i < 200; i++) {
        latency.record(lognormal(random, run.median, 0.3), 'baseline');
        latency.record(lognormal(random, run.median * 1.2, 0.3), 'canary');
      }
      const verdict = judge.evaluate({
        baseline: { requests: 200, latency: latency.encode('baseline') },
        canary: { requests: 200, latency: latency.encode('canary') },
      });
      if (verdict.verdict === 'fail') caught++;
    }
    console.log(
      `canary +20 % latency (log-normal, σ 0.3, 200 values per arm): caught in ${percent(caught, runs.length)}`,
    );
    expect(caught / runs.length).toBeGreaterThanOrEqual(0.95);
  });

  it('catches a longer tail with the same median (a p99-only variance increase)', () => {
    const judge = createCanaryJudge({ metrics: [{ name: 'latency', kind: 'latency' }], minRequests: 500 });
    const runs = fc.sample(
      fc.record({ seed: fc.integer(), median: fc.double({ min: 5, max: 500, noNaN: true }) }),
      {
        numRuns: 200,
        seed: 1405,
      },
    );
    let caught = 0;
    let byQuantile = 0;
    for (const run of runs) {
      const random = mulberry32(run.seed);
      const latency = createLatencyTracker({ window: false });
      for (let i = 0; i < 5_000; i++) {
        latency.record(lognormal(random, run.median, 0.3), 'baseline');
        latency.record(lognormal(random, run.median, 0.5), 'canary'); // p99 1.59×, median unchanged
      }
      const verdict = judge.evaluate({
        baseline: { requests: 5_000, latency: latency.histogram('baseline') },
        canary: { requests: 5_000, latency: latency.histogram('canary') },
      });
      if (verdict.verdict === 'fail') caught++;
      const checks = verdict.metrics[0]?.checks ?? [];
      if (
        checks.find((c) => c.quantile === 0.99)?.verdict === 'fail' &&
        checks.find((c) => c.test === 'mann-whitney')?.verdict !== 'fail'
      )
        byQuantile++;
    }
    console.log(
      `canary p99-only variance increase (σ 0.3 → 0.5, 5,000 values per arm): caught in ${percent(caught, runs.length)}, by the p99 check alone in ${byQuantile}`,
    );
    expect(caught / runs.length).toBeGreaterThanOrEqual(0.95);
    expect(byQuantile / runs.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('canary judge: no pass without data', () => {
  const judge = createCanaryJudge({ minRequests: 500 });
  const latency = createLatencyTracker({ window: false });
  for (let i = 0; i < 1_000; i++) latency.record(10 + (i % 50), 'baseline');

  it('an arm with 0 requests is inconclusive', () => {
    const verdict = judge.evaluate({
      baseline: { requests: 10_000, errors: 10, latency: latency.encode('baseline') },
      canary: { requests: 0, errors: 0, latency: latency.encode('canary') },
    });
    expect(verdict).toMatchObject({ verdict: 'inconclusive', score: null, metrics: [] });
    expect(verdict.why).toBe(
      'Inconclusive: the canary has no requests, so there is nothing to judge (never a pass without data).',
    );
  });

  it('any arm below minRequests is inconclusive, never a pass', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 499 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.boolean(),
        (short, other, canaryShort) => {
          const arm = (requests: number) => ({
            requests,
            errors: 0,
            latency: latency.histogram('baseline'),
          });
          const verdict = judge.evaluate(
            canaryShort
              ? { baseline: arm(other), canary: arm(short) }
              : { baseline: arm(short), canary: arm(other) },
          );
          expect(verdict.verdict).toBe('inconclusive');
        },
      ),
      { seed: 1406, numRuns: 200 },
    );
  });
});
