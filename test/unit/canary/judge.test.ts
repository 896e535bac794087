import { describe, expect, it } from 'vitest';
import {
  canaryVerdictSchema,
  ConfigError,
  createCanaryJudge,
  createLatencyTracker,
  decodeLatencyHistogram,
  ErrorCode,
  isSreError,
  type LatencyTracker,
} from 'sre-kit';

function latency(values: Record<string, readonly number[]>): LatencyTracker {
  const tracker = createLatencyTracker({ window: false });
  for (const [key, list] of Object.entries(values)) for (const v of list) tracker.record(v, key);
  return tracker;
}

/** `n` values spread evenly over [low, high). */
const spread = (n: number, low: number, high: number): number[] =>
  Array.from({ length: n }, (_, i) => low + ((high - low) * (i + 0.5)) / n);

describe('createCanaryJudge', () => {
  it('passes a canary like its baseline, saying why for every metric', () => {
    const judge = createCanaryJudge({ minRequests: 500 });
    const tracker = latency({ stable: spread(20_000, 10, 30), canary: spread(20_000, 10, 30) });
    const verdict = judge.evaluate({
      baseline: { requests: 100_000, errors: 1_000, latency: tracker.encode('stable') },
      canary: { requests: 20_000, errors: 200, latency: tracker.encode('canary') },
    });
    expect(canaryVerdictSchema.parse(verdict)).toEqual(verdict);
    expect(verdict).toMatchObject({
      verdict: 'pass',
      score: 100,
      requests: { baseline: 100_000, canary: 20_000 },
    });
    expect(verdict.why).toBe('Pass: score 100 (errors, latency passed), at or above the pass score 95.');
    const [errors, lat] = verdict.metrics;
    expect(errors).toMatchObject({ name: 'errors', verdict: 'pass', critical: true, effect: 0 });
    expect(errors?.why).toMatch(
      /^errors: 1 % of 20,000 canary requests failed against 1 % of 100,000 baseline requests \(\+0 points, interval −0\.\d+ points to \+0\.\d+ points\): the interval rules out an increase beyond the 0\.5 points tolerance\.$/,
    );
    expect(lat?.checks.map((c) => [c.test, c.quantile, c.verdict])).toEqual([
      ['mann-whitney', undefined, 'pass'],
      ['quantile', 0.5, 'pass'],
      ['quantile', 0.99, 'pass'],
    ]);
    // The false-fail rate split over 4 tests: the errors' e-value, the rank test, two quantiles.
    expect(lat?.checks.every((c) => c.alpha === 0.0025)).toBe(true);
  });

  it('fails a critical metric at once, with the e-value and the interval', () => {
    const judge = createCanaryJudge({ metrics: [{ name: 'errors', kind: 'error-rate', critical: true }] });
    const verdict = judge.evaluate({
      baseline: { requests: 38_000, errors: 380 },
      canary: { requests: 2_000, errors: 60 },
    });
    expect(verdict.verdict).toBe('fail');
    expect(verdict.why).toMatch(
      /^Fail: critical metric errors failed\. errors: 3 % of 2,000 canary requests failed/,
    );
    const [errors] = verdict.metrics;
    expect(errors?.eValue).toBeGreaterThan(100);
    expect(errors?.pValue).toBe(1 / (errors?.eValue ?? 1));
    expect(errors?.effect).toBeCloseTo(0.02, 10);
    expect(errors?.confidenceInterval?.[0]).toBeGreaterThan(0.005);
  });

  it('catches sparse errors where the baseline has none (Kayenta #426)', () => {
    const judge = createCanaryJudge({ metrics: [{ name: 'errors', kind: 'error-rate' }] });
    const verdict = judge.evaluate({
      baseline: { requests: 50_000, errors: 0 },
      canary: { requests: 2_500, errors: 25 },
    });
    expect(verdict.metrics[0]?.verdict).toBe('fail');
  });

  it('reads each metric from its own field when the arm names one', () => {
    const judge = createCanaryJudge({
      metrics: [
        { name: 'http-5xx', kind: 'error-rate' },
        { name: 'timeouts', kind: 'error-rate' },
      ],
    });
    const verdict = judge.evaluate({
      baseline: { requests: 50_000, metrics: { 'http-5xx': 50, timeouts: 50 } },
      canary: { requests: 5_000, metrics: { 'http-5xx': 5, timeouts: 100 } },
    });
    expect(verdict.metrics.map((m) => [m.name, m.verdict])).toEqual([
      ['http-5xx', 'pass'],
      ['timeouts', 'fail'],
    ]);
    expect(verdict).toMatchObject({ verdict: 'fail', score: 50 });
  });

  it('scores by weight: marginal between the thresholds', () => {
    const judge = createCanaryJudge({
      metrics: [
        { name: 'a', kind: 'error-rate', weight: 4 },
        { name: 'b', kind: 'error-rate', weight: 1 },
      ],
      passScore: 90,
      marginalScore: 70,
    });
    const verdict = judge.evaluate({
      baseline: { requests: 50_000, metrics: { a: 50, b: 50 } },
      canary: { requests: 5_000, metrics: { a: 5, b: 100 } },
    });
    expect(verdict).toMatchObject({ verdict: 'marginal', score: 80 });
    expect(verdict.why).toBe(
      'Marginal: score 80 (a passed; b failed), between the marginal score 70 and the pass score 90.',
    );
  });

  it('is inconclusive while a metric cannot be decided, naming it', () => {
    const judge = createCanaryJudge({ minRequests: 500 });
    const tracker = latency({ stable: spread(600, 10, 30), canary: spread(100, 10, 30) });
    const verdict = judge.evaluate({
      baseline: { requests: 600, errors: 6, latency: tracker.histogram('stable') },
      canary: { requests: 600, errors: 6, latency: tracker.histogram('canary') },
    });
    expect(verdict.verdict).toBe('inconclusive');
    expect(verdict.metrics[1]?.why).toBe(
      'latency: the canary has 100 latency values, fewer than the 500 needed to judge.',
    );
    expect(verdict.why).toMatch(/^Inconclusive: errors, latency cannot be judged yet/);
  });

  it('judges only what both arms gained since an earlier observation', () => {
    const judge = createCanaryJudge({ minRequests: 500 });
    const tracker = latency({ stable: spread(5_000, 10, 30), canary: spread(5_000, 10, 30) });
    const before = {
      baseline: { requests: 5_000, errors: 50, latency: tracker.histogram('stable') },
      canary: { requests: 5_000, errors: 50, latency: tracker.histogram('canary') },
    };
    for (const v of spread(1_000, 10, 30)) tracker.record(v, 'stable');
    for (const v of spread(1_000, 30, 60)) tracker.record(v, 'canary');
    const after = {
      baseline: { requests: 6_000, errors: 60, latency: tracker.histogram('stable') },
      canary: { requests: 6_000, errors: 60, latency: tracker.histogram('canary') },
    };
    const step = judge.evaluate(after, { since: before });
    expect(step.requests).toEqual({ baseline: 1_000, canary: 1_000 });
    expect(step.metrics[1]?.n).toEqual({ baseline: 1_000, canary: 1_000 });
    expect(step.metrics[1]?.verdict).toBe('fail');
    expect(() => judge.evaluate(before, { since: after })).toThrow(/earlier snapshot/);
  });

  it('rejects a bad observation naming the field, and an unreadable histogram', () => {
    const judge = createCanaryJudge();
    const code = (observation: unknown): unknown => {
      try {
        judge.evaluate(observation as never);
      } catch (error) {
        return isSreError(error) ? `${error.code} ${error.message}` : error;
      }
      return 'accepted';
    };
    expect(code(null)).toMatch(/ERR_SRE_INVALID_INPUT .*observation must be an object/);
    expect(code({ baseline: { requests: -1, errors: 0, latency: '' }, canary: {} })).toMatch(
      /baseline\.requests/,
    );
    expect(code({ baseline: { requests: 10, errors: 11 }, canary: { requests: 1, errors: 0 } })).toMatch(
      /baseline\.errors must be at most baseline\.requests/,
    );
    expect(code({ baseline: { requests: 10, errors: 1 }, canary: { requests: 10, errors: 1 } })).toMatch(
      /baseline\.latency/,
    );
    expect(
      code({
        baseline: { requests: 10, errors: 1, latency: 'not a histogram' },
        canary: { requests: 10, errors: 1, latency: 'x' },
      }),
    ).toMatch(new RegExp(ErrorCode.INVALID_ENCODING));
  });

  it('rejects bad options with a ConfigError naming the field', () => {
    expect(() => createCanaryJudge({ falseFailRate: 0 })).toThrow(ConfigError);
    expect(() => createCanaryJudge({ passScore: 70, marginalScore: 80 })).toThrow(/marginalScore/);
    expect(() =>
      createCanaryJudge({
        metrics: [
          { name: 'x', kind: 'error-rate' },
          { name: 'x', kind: 'latency' },
        ],
      }),
    ).toThrow(/metrics\[1\]/);
    expect(() => createCanaryJudge({ metrics: [{ name: 'l', kind: 'latency', quantiles: [1] }] })).toThrow(
      /quantiles/,
    );
    expect(() => createCanaryJudge({ metrics: [] })).toThrow(/metrics/);
  });

  it('decodes encode() output bucket for bucket like histogram()', () => {
    const tracker = latency({ k: spread(1_000, 1, 200) });
    const decoded = decodeLatencyHistogram(tracker.encode('k'));
    const direct = tracker.histogram('k');
    expect(decoded.count).toBe(1_000);
    expect([...decoded.counts]).toEqual([...direct.counts]);
    expect([...decoded.lowMs]).toEqual([...direct.lowMs]);
    expect([...decoded.highMs]).toEqual([...direct.highMs]);
    expect(decoded.significantDigits).toBe(2);
  });
});
