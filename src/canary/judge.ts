import { ErrorCode, SreError, parseOptions } from '../core/index.js';
import type { LatencyHistogram } from '../latency/index.js';
import { count } from './format.js';
import { judgeErrorRate, judgeLatency, testsOf } from './metric-checks.js';
import { readArm, since as subtract, type ArmData, type CanaryObservation } from './observation.js';
import {
  canaryJudgeOptionsSchema,
  type CanaryJudgeOptions,
  type ParsedCanaryJudgeOptions,
} from './options.js';
import type { CanaryMetricResult, CanaryVerdict } from './verdict.js';

/** Options of one {@link CanaryJudge.evaluate} call. */
export interface CanaryEvaluateOptions {
  /**
   * An earlier observation of the same two arms: only what they gained since is judged. A rollout gate
   * passes the observation taken when its current step began, so each traffic split is judged alone.
   */
  readonly since?: CanaryObservation;
}

/** Compares a canary with its baseline, metric by metric, into a scored verdict that says why. */
export interface CanaryJudge {
  /** The options in force, defaults filled in. */
  readonly options: ParsedCanaryJudgeOptions;
  /**
   * Judges the canary against the baseline from their cumulative counts and latency histograms. Pure:
   * the same observation always gives the same verdict, and asking often (every minute) keeps the
   * error-rate tests' false-fail rate (they are anytime-valid).
   * @throws {SreError} `ERR_SRE_INVALID_INPUT` naming a bad field, `ERR_SRE_INVALID_ENCODING` for a
   *   latency string that is not an HdrHistogram.
   */
  evaluate(observation: CanaryObservation, options?: CanaryEvaluateOptions): CanaryVerdict;
}

/**
 * Creates a canary judge. Each error-rate metric is tested with a mixture e-value (anytime-valid, after
 * Lindon & Malek), each latency metric with a tie-corrected Mann-Whitney test and Hodges–Lehmann ratio
 * on HDR bucket counts plus a bounded ratio per quantile. A metric fails on significant harm beyond its
 * tolerance, passes when its interval rules that out, and is otherwise inconclusive; the verdict is
 * `inconclusive` (never `pass`) below `minRequests` or with an empty arm, `fail` when a critical metric
 * fails, and otherwise follows the weighted score of the metrics that passed.
 *
 * @example
 * ```ts
 * const judge = createCanaryJudge({
 *   metrics: [
 *     { name: 'errors', kind: 'error-rate', maxIncrease: 0.005, critical: true },
 *     { name: 'latency', kind: 'latency', quantiles: [0.5, 0.99], maxIncreaseRatio: 1.2 },
 *   ],
 *   falseFailRate: 0.01,
 *   minRequests: 500,
 * });
 * const verdict = judge.evaluate({
 *   baseline: { requests: 9_500, errors: 95, latency: stable.encode('GET /orders/:id') },
 *   canary: { requests: 500, errors: 6, latency: canary.encode('GET /orders/:id') },
 * });
 * console.log(verdict.verdict, verdict.score, verdict.metrics.map((m) => m.why));
 * ```
 * @throws {ConfigError} when options are invalid (two metrics of one name, marginalScore above passScore, ...).
 */
export function createCanaryJudge(options: CanaryJudgeOptions = {}): CanaryJudge {
  return new CanaryJudgeImpl(parseOptions(canaryJudgeOptionsSchema, options, 'createCanaryJudge'));
}

class CanaryJudgeImpl implements CanaryJudge {
  readonly options: ParsedCanaryJudgeOptions;
  /** The false-fail rate each test is held to: the judge's, split evenly over its tests. */
  readonly #alpha: number;

  constructor(options: ParsedCanaryJudgeOptions) {
    this.options = options;
    let tests = 0;
    for (const metric of options.metrics) tests += testsOf(metric);
    this.#alpha = options.falseFailRate / tests;
  }

  evaluate(observation: CanaryObservation, evaluateOptions: CanaryEvaluateOptions = {}): CanaryVerdict {
    const { metrics } = this.options;
    const arms = (value: unknown, path: string): { baseline: ArmData; canary: ArmData } => {
      if (typeof value !== 'object' || value === null)
        throw new SreError(ErrorCode.INVALID_INPUT, `Invalid canary observation: ${path} must be an object`);
      const { baseline, canary } = value as CanaryObservation;
      const prefix = path === 'observation' ? '' : `${path}.`;
      return {
        baseline: readArm(baseline, `${prefix}baseline`, metrics),
        canary: readArm(canary, `${prefix}canary`, metrics),
      };
    };
    let { baseline, canary } = arms(observation, 'observation');
    if (evaluateOptions.since !== undefined) {
      const earlier = arms(evaluateOptions.since, 'since');
      baseline = subtract(baseline, earlier.baseline, 'baseline');
      canary = subtract(canary, earlier.canary, 'canary');
    }
    return this.#judge(baseline, canary);
  }

  #judge(baseline: ArmData, canary: ArmData): CanaryVerdict {
    const { metrics, minRequests, passScore, marginalScore, falseFailRate } = this.options;
    const requests = { baseline: baseline.requests, canary: canary.requests };
    const base = { falseFailRate, requests };
    const short =
      canary.requests < minRequests ? 'canary' : baseline.requests < minRequests ? 'baseline' : undefined;
    if (short !== undefined) {
      const has = requests[short];
      const why =
        has === 0
          ? `Inconclusive: the ${short} has no requests, so there is nothing to judge (never a pass without data).`
          : `Inconclusive: the ${short} has ${count(has)} requests, fewer than the ${count(minRequests)} needed (never a pass without data).`;
      return { ...base, verdict: 'inconclusive', score: null, why, metrics: [] };
    }
    const results: CanaryMetricResult[] = metrics.map((metric) => {
      const b = baseline.byMetric.get(metric.name);
      const c = canary.byMetric.get(metric.name);
      return metric.kind === 'error-rate'
        ? judgeErrorRate(
            metric,
            { requests: baseline.requests, errors: b as number },
            { requests: canary.requests, errors: c as number },
            this.#alpha,
          )
        : judgeLatency(
            metric,
            b as LatencyHistogram,
            c as LatencyHistogram,
            this.#alpha,
            metric.minSamples ?? minRequests,
          );
    });
    let total = 0;
    let passed = 0;
    let undecided = 0;
    for (const r of results) {
      total += r.weight;
      if (r.verdict === 'pass') passed += r.weight;
      else if (r.verdict === 'inconclusive') undecided += r.weight;
    }
    const score = round((100 * passed) / total);
    const best = round((100 * (passed + undecided)) / total);
    const critical = results.find((r) => r.critical && r.verdict === 'fail');
    const named = (verdict: string): string =>
      results
        .filter((r) => r.verdict === verdict)
        .map((r) => r.name)
        .join(', ');
    const scored = `score ${score} (${named('pass') || 'no metric'} passed`;
    let verdict: CanaryVerdict['verdict'];
    let why: string;
    if (critical !== undefined) {
      verdict = 'fail';
      why = `Fail: critical metric ${critical.name} failed. ${critical.why}`;
    } else if (best < marginalScore) {
      verdict = 'fail';
      why = `Fail: ${scored}; ${named('fail')} failed), below the marginal score ${marginalScore} even if ${named('inconclusive') || 'nothing else'} passed.`;
    } else if (undecided > 0) {
      verdict = 'inconclusive';
      why = `Inconclusive: ${named('inconclusive')} cannot be judged yet: ${scored}); no pass until every metric is decided.`;
    } else if (score >= passScore) {
      verdict = 'pass';
      why = `Pass: ${scored}), at or above the pass score ${passScore}.`;
    } else if (score >= marginalScore) {
      verdict = 'marginal';
      why = `Marginal: ${scored}; ${named('fail')} failed), between the marginal score ${marginalScore} and the pass score ${passScore}.`;
    } else {
      verdict = 'fail';
      why = `Fail: ${scored}; ${named('fail')} failed), below the marginal score ${marginalScore}.`;
    }
    return { ...base, verdict, score, why, metrics: results };
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
