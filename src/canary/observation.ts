import { ErrorCode, SreError } from '../core/index.js';
import { decodeLatencyHistogram, type LatencyHistogram } from '../latency/index.js';
import type { ParsedCanaryMetric } from './options.js';

/** What one arm (the baseline or the canary) saw: cumulative counts and latency since it started. */
export interface CanaryArm {
  /** Requests served. */
  readonly requests: number;
  /** Failed requests among them (what an error-rate metric reads unless `metrics` names its own). */
  readonly errors?: number;
  /**
   * The latency: a latency tracker's `encode(key)` (any process) or `histogram(key)` (this process).
   * What a latency metric reads unless `metrics` names its own.
   */
  readonly latency?: string | LatencyHistogram;
  /** Per metric name, that metric's own data: a failed-request count, or a latency histogram. */
  readonly metrics?: Readonly<Record<string, number | string | LatencyHistogram>>;
}

/** Both arms of a canary comparison. */
export interface CanaryObservation {
  readonly baseline: CanaryArm;
  readonly canary: CanaryArm;
}

/** One arm as the tests read it: requests, and per metric its failed count or histogram. */
export interface ArmData {
  readonly requests: number;
  readonly byMetric: ReadonlyMap<string, number | LatencyHistogram>;
}

/** The largest count an arm may state (a safe integer). */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;

function invalid(field: string, expected: string): SreError {
  return new SreError(ErrorCode.INVALID_INPUT, `Invalid canary observation: ${field} must be ${expected}`);
}

function isHistogram(value: unknown): value is LatencyHistogram {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LatencyHistogram).count === 'number' &&
    (value as LatencyHistogram).counts instanceof Float64Array &&
    (value as LatencyHistogram).lowMs instanceof Float64Array &&
    (value as LatencyHistogram).highMs instanceof Float64Array
  );
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_COUNT)
    throw invalid(field, 'a whole number >= 0');
  return value;
}

/**
 * Reads and checks one arm for the judge's metrics, decoding encoded histograms.
 * @throws {SreError} `ERR_SRE_INVALID_INPUT` naming the bad field, `ERR_SRE_INVALID_ENCODING`.
 */
export function readArm(arm: CanaryArm, path: string, metrics: readonly ParsedCanaryMetric[]): ArmData {
  if (typeof arm !== 'object' || (arm as unknown) === null) throw invalid(path, 'an object');
  const requests = count(arm.requests, `${path}.requests`);
  const byMetric = new Map<string, number | LatencyHistogram>();
  const own = arm.metrics;
  if (own !== undefined && (typeof own !== 'object' || (own as unknown) === null))
    throw invalid(`${path}.metrics`, 'an object');
  for (const metric of metrics) {
    const named = own !== undefined && Object.hasOwn(own, metric.name);
    const field = named
      ? `${path}.metrics.${metric.name}`
      : `${path}.${metric.kind === 'error-rate' ? 'errors' : 'latency'}`;
    const raw: unknown = named ? own[metric.name] : metric.kind === 'error-rate' ? arm.errors : arm.latency;
    if (metric.kind === 'error-rate') {
      if (raw === undefined) throw invalid(field, `the failed-request count of metric ${metric.name}`);
      const errors = count(raw, field);
      if (errors > requests) throw invalid(field, `at most ${path}.requests (${requests})`);
      byMetric.set(metric.name, errors);
    } else if (typeof raw === 'string') {
      byMetric.set(metric.name, decodeLatencyHistogram(raw));
    } else if (isHistogram(raw)) {
      byMetric.set(metric.name, raw);
    } else {
      throw invalid(
        field,
        `the latency histogram of metric ${metric.name} (an encode() string or a histogram())`,
      );
    }
  }
  return { requests, byMetric };
}

/**
 * What `current` gained since `earlier` (an earlier snapshot of the same arm): counts subtracted,
 * histograms subtracted bucket by bucket.
 * @throws {SreError} `ERR_SRE_INVALID_INPUT` when `earlier` holds more than `current` anywhere.
 */
export function since(current: ArmData, earlier: ArmData, path: string): ArmData {
  if (earlier.requests > current.requests)
    throw invalid(`since.${path}.requests`, `at most ${path}.requests (an earlier snapshot)`);
  const byMetric = new Map<string, number | LatencyHistogram>();
  for (const [name, value] of current.byMetric) {
    const before = earlier.byMetric.get(name);
    const field = `since.${path} (metric ${name})`;
    if (typeof value === 'number') {
      const errors = value - (before as number);
      if (errors < 0) throw invalid(field, 'an earlier snapshot: its count is larger');
      byMetric.set(name, errors);
    } else {
      byMetric.set(name, subtractHistogram(value, before as LatencyHistogram, field));
    }
  }
  return { requests: current.requests - earlier.requests, byMetric };
}

function subtractHistogram(
  current: LatencyHistogram,
  earlier: LatencyHistogram,
  field: string,
): LatencyHistogram {
  const lowMs: number[] = [];
  const highMs: number[] = [];
  const counts: number[] = [];
  let j = 0;
  for (let i = 0; i < current.counts.length; i++) {
    const low = current.lowMs[i] as number;
    let left = current.counts[i] as number;
    if (j < earlier.counts.length && (earlier.lowMs[j] as number) < low)
      throw invalid(field, 'an earlier snapshot of the same histogram: it has a bucket the later one lacks');
    if (j < earlier.counts.length && earlier.lowMs[j] === low) left -= earlier.counts[j++] as number;
    if (left < 0) throw invalid(field, 'an earlier snapshot of the same histogram: a bucket holds more');
    if (left > 0) {
      lowMs.push(low);
      highMs.push(current.highMs[i] as number);
      counts.push(left);
    }
  }
  if (j < earlier.counts.length)
    throw invalid(field, 'an earlier snapshot of the same histogram: it has a bucket the later one lacks');
  let total = 0;
  for (const c of counts) total += c;
  return {
    count: total,
    significantDigits: current.significantDigits,
    lowMs: Float64Array.from(lowMs),
    highMs: Float64Array.from(highMs),
    counts: Float64Array.from(counts),
  };
}
