import {
  ConfigError,
  ErrorCode,
  SreError,
  describeValue,
  parseOptions,
  resolveDeps,
  type Clock,
  type Deps,
} from '../core/index.js';
import type { CountsBlock } from './counts-block.js';
import { HdrLayout, decodeCounts, encodeCounts } from './hdr-engine.js';
import {
  Accumulator,
  cumulativeAtIndices,
  valuesAtPercentiles,
  type HistogramView,
} from './histogram-view.js';
import { histogramOfView, type LatencyHistogram } from './histogram.js';
import { latencyTrackerOptionsSchema, type LatencyTrackerOptions } from './options.js';
import { Series } from './series.js';
import { DensePool } from './window-ring.js';

/** The key records without a key go to. */
export const LATENCY_DEFAULT_KEY = '__default__';
/** The key that records with keys past `maxKeys` are folded into. */
export const LATENCY_OTHER_KEY = '__other__';

/** Which data a query reads: everything since creation (or reset), or only the sliding window. */
export type LatencyView = 'lifetime' | 'window';

/** Options of every latency query. */
export interface LatencyQueryOptions {
  /**
   * `'lifetime'`: every value since the tracker was created or reset. `'window'`: only values whose
   * window slice has not expired (the tracker must have a window).
   * @default 'lifetime'
   */
  readonly window?: LatencyView;
}

/** A latency distribution in milliseconds; every field is 0 when `count` is 0. */
export interface LatencySummary {
  /** How many values were recorded (overflowing values included, invalid ones not). */
  readonly count: number;
  /** The smallest value, exact to the microsecond for values recorded here. */
  readonly min: number;
  /** The largest value, exact to the microsecond for values recorded here. */
  readonly max: number;
  /** The exact mean of the values recorded here (merged values contribute their bucket midpoints). */
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  /** The 99.9th percentile. */
  readonly p999: number;
}

/** How many values were at or below a threshold, out of how many: an SLI's good and total events. */
export interface LatencyCount {
  /** Values at or below the threshold. */
  readonly good: number;
  /** All values. */
  readonly total: number;
}

/** Counters that say what the tracker dropped, clamped or folded. */
export interface LatencyStats {
  /** Keys with their own histogram, including `'__default__'` and `'__other__'` when used. */
  readonly keys: number;
  /** Distinct keys folded into `'__other__'` past `maxKeys` (exact up to 10,000, a lower bound past it). */
  readonly foldedKeys: number;
  /** Values dropped because they were NaN, negative, ±Infinity or not numbers. */
  readonly invalid: number;
  /** Values above `highestTrackableMs`, recorded as `highestTrackableMs`. */
  readonly overflow: number;
}

/** One cumulative bucket: how many values were at or below `le` milliseconds. */
export interface LatencyBucket {
  /** The upper bound in ms; the last bucket's is `Infinity` (Prometheus' `+Inf`). */
  readonly le: number;
  /** Values at or below `le`. */
  readonly count: number;
}

/** A Prometheus/OpenMetrics-style histogram: cumulative buckets, the exact sum (ms) and the count. */
export interface LatencyBuckets {
  /** One bucket per boundary asked for, in order, then `le: Infinity` holding `count`. */
  readonly buckets: readonly LatencyBucket[];
  /** Sum of every value in ms (exact for values recorded here). */
  readonly sum: number;
  /** How many values: the `+Inf` bucket's count. */
  readonly count: number;
}

/**
 * Per-key HDR latency histograms with a sliding window, exact threshold counts and cross-process
 * merge. Values are milliseconds in, kept as integer microseconds.
 */
export interface LatencyTracker {
  /**
   * Records one latency in milliseconds under `key` (default `'__default__'`). NaN, negative, ±Infinity
   * and non-numbers are dropped and counted in `stats().invalid`; it never throws and never allocates
   * once the key exists. `atMs` is the `clock.now()` reading to file the value under in the sliding
   * window, for callers that already took one (it saves the tracker's own read, the costliest step);
   * by default the tracker reads the clock itself.
   */
  record(valueMs: number, key?: string, atMs?: number): void;
  /**
   * Records `valueMs` plus the values a stalled load generator failed to send (valueMs - interval,
   * valueMs - 2 * interval, ... down to `expectedIntervalMs`), correcting coordinated omission as
   * HdrHistogram's `recordValueWithExpectedInterval` does. Costs O(buckets), not O(values).
   */
  recordCorrected(valueMs: number, expectedIntervalMs: number, key?: string): void;
  /** Starts timing on `deps.clock`; the returned function records the elapsed ms once and returns it. */
  startTimer(key?: string): () => number;
  /** Count, min, max, exact mean and p50/p90/p95/p99/p99.9 for `key`, or for every key together. */
  summary(key?: string, options?: LatencyQueryOptions): LatencySummary;
  /**
   * The value in ms at percentile `p` (0..100) for `key` or every key: within 10^-significantDigits
   * of the exact nearest-rank value, never outside [min, max]. 0 when empty.
   * @throws {ConfigError} when `p` is not a number from 0 to 100.
   */
  percentile(p: number, key?: string, options?: LatencyQueryOptions): number;
  /**
   * How many values were at or below `thresholdMs`: exact for a threshold declared in `thresholdsMs`,
   * otherwise from the histogram buckets (the bucket holding the threshold counts as at or below).
   * @throws {ConfigError} when `thresholdMs` is not a finite number >= 0.
   */
  countAtOrBelow(thresholdMs: number, key?: string, options?: LatencyQueryOptions): LatencyCount;
  /**
   * Cumulative counts at the given `le` boundaries (ms, ascending) plus `+Inf`, the exact sum and the
   * count, in one pass: what a Prometheus histogram exposes. Boundaries declared in `thresholdsMs` are
   * exact; others come from the buckets (within the tracker's precision).
   * @throws {ConfigError} when the boundaries are not finite numbers >= 0 in increasing order.
   */
  cumulativeBuckets(
    boundariesMs: readonly number[],
    key?: string,
    options?: LatencyQueryOptions,
  ): LatencyBuckets;
  /** The keys that have their own histogram, in first-seen order. */
  keys(): string[];
  /** Invalid, overflowing and folded counts. */
  stats(): LatencyStats;
  /**
   * `key`'s (or every key's) histogram as HdrHistogram V2 compressed base64, values in integer µs:
   * decodable by any HdrHistogram implementation and by {@link LatencyTracker.merge} elsewhere.
   */
  encode(key?: string, options?: LatencyQueryOptions): string;
  /**
   * `key`'s (or every key's) non-empty buckets in ms, ascending: the in-process form of
   * {@link LatencyTracker.encode} that a canary judge compares in O(buckets), without compressing.
   */
  histogram(key?: string, options?: LatencyQueryOptions): LatencyHistogram;
  /**
   * Adds an encoded HdrHistogram (from `encode()` in another process, or hdr-histogram-js; values in µs)
   * to `key`. Merged values count as recorded now: they enter the lifetime and the current window slice.
   * @throws {SreError} with code `ERR_SRE_INVALID_ENCODING` when `encoded` cannot be decoded.
   */
  merge(encoded: string, key?: string): void;
  /** Forgets `key` (freeing its place under `maxKeys`), or everything and every counter. */
  reset(key?: string): void;
  /** Frees every histogram; later records are ignored and queries throw `ERR_SRE_CLOSED`. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const SUMMARY_PERCENTILES = [50, 90, 95, 99, 99.9] as const;
const FOLDED_NAMES_CAP = 10_000;
const EMPTY: HistogramView = { dense: null, count: 0, sumUs: 0, minUs: 0, maxUs: 0, bands: [] };
// Never equal to a key: makes the one-entry key cache miss until the first record.
const NO_KEY: unknown = Symbol('no key');

class LatencyTrackerImpl implements LatencyTracker {
  readonly #clock: Clock;
  readonly #layout: HdrLayout;
  readonly #highestUs: number;
  readonly #thresholdsUs: Float64Array;
  readonly #thresholdIndex: Float64Array;
  readonly #bandCount: number;
  readonly #maxKeys: number;
  readonly #slices: number;
  readonly #sliceMs: number;
  readonly #pool: DensePool;
  readonly #acc: Accumulator;
  readonly #percentileOut = new Float64Array(SUMMARY_PERCENTILES.length);
  // Every key a record can name, folded names included (mapped to the '__other__' series).
  readonly #lookup = new Map<string, Series>();
  // The series themselves, in first-seen order.
  readonly #series: Series[] = [];
  // Round-robin tidying of windows after each slice boundary, one series per record, so keys that
  // went quiet release their expired slices without a timer and without one long pause.
  #sweepCursor = 0;
  #sweepLeft = 0;
  #ownKeys = 0;
  #foldedKeys = 0;
  #invalid = 0;
  #overflow = 0;
  #lastKey: unknown = NO_KEY;
  #lastSeries: Series | undefined;
  #epoch = 0;
  #nextBoundary: number;
  #closed = false;

  constructor(options: LatencyTrackerOptions, clock: Clock) {
    const parsed = parseOptions(latencyTrackerOptionsSchema, options, 'createLatencyTracker');
    this.#clock = clock;
    this.#highestUs = Math.round(parsed.highestTrackableMs * 1000);
    this.#layout = new HdrLayout(this.#highestUs, parsed.significantDigits);
    const thresholds = [...new Set(parsed.thresholdsMs.map((ms) => Math.round(ms * 1000)))].sort(
      (a, b) => a - b,
    );
    this.#thresholdsUs = Float64Array.from(thresholds);
    this.#thresholdIndex = Float64Array.from(thresholds, (us) => this.#layout.indexOf(us));
    this.#bandCount = thresholds.length + 1;
    this.#maxKeys = parsed.maxKeys;
    this.#slices = parsed.window === false ? 0 : parsed.window.slices;
    this.#sliceMs =
      parsed.window === false ? Number.POSITIVE_INFINITY : parsed.window.durationMs / parsed.window.slices;
    this.#nextBoundary = this.#sliceMs;
    this.#pool = new DensePool(this.#layout.length);
    this.#acc = new Accumulator(this.#layout, this.#bandCount);
  }

  record(valueMs: number, key?: string, atMs?: number): void {
    if (typeof valueMs !== 'number' || !(valueMs >= 0) || valueMs === Number.POSITIVE_INFINITY) {
      if (!this.#closed) this.#invalid++;
      return;
    }
    // A clock read costs more than the rest of record(); callers that just read it pass it in.
    const now = this.#slices === 0 ? 0 : typeof atMs === 'number' && atMs === atMs ? atMs : this.#clock.now();
    this.#add(valueMs, key, now);
  }

  #add(valueMs: number, key: string | undefined, now: number): void {
    if (this.#closed) return;
    // `+ 0` turns -0 into 0, which would otherwise show up as a min of -0.
    let us = Math.round(valueMs * 1000) + 0;
    if (us > this.#highestUs) {
      us = this.#highestUs;
      this.#overflow++;
    }
    const series = key === this.#lastKey ? (this.#lastSeries as Series) : this.#seriesFor(key);
    const index = this.#layout.indexOf(us);
    const thresholds = this.#thresholdsUs;
    let band = 0;
    while (band < thresholds.length && us > (thresholds[band] as number)) band++;
    series.life.add(us, index, band);
    const ring = series.ring;
    if (ring !== null) {
      if (now >= this.#nextBoundary) this.#advanceEpoch(now);
      let slice = ring.cur;
      if (slice.epoch !== this.#epoch) slice = ring.rotate(this.#epoch, this.#layout, this.#pool);
      slice.add(us, index, band);
      if (this.#sweepLeft > 0) this.#sweepStep();
    }
  }

  #sweepStep(): void {
    this.#sweepLeft--;
    if (this.#sweepCursor >= this.#series.length) this.#sweepCursor = 0;
    this.#series[this.#sweepCursor++]?.ring?.tidy(this.#epoch, this.#layout, this.#pool);
  }

  // Slice numbers only grow, whatever the clock does, and boundaries are exact multiples of sliceMs.
  #advanceEpoch(now: number): void {
    const sliceMs = this.#sliceMs;
    let epoch = Math.max(Math.floor(now / sliceMs), this.#epoch + 1);
    while (now >= (epoch + 1) * sliceMs) epoch++;
    this.#epoch = epoch;
    this.#nextBoundary = (epoch + 1) * sliceMs;
    this.#sweepLeft = this.#series.length;
  }

  #currentEpoch(): number {
    const now = this.#clock.now();
    if (now >= this.#nextBoundary) this.#advanceEpoch(now);
    return this.#epoch;
  }

  #seriesFor(key: string | undefined): Series {
    const name = typeof key === 'string' ? key : LATENCY_DEFAULT_KEY;
    const series = this.#lookup.get(name) ?? this.#admit(name);
    this.#lastKey = key;
    this.#lastSeries = series;
    return series;
  }

  #admit(name: string): Series {
    const reserved = name === LATENCY_DEFAULT_KEY || name === LATENCY_OTHER_KEY;
    if (reserved || this.#ownKeys < this.#maxKeys) {
      const series = new Series(name, this.#layout, this.#bandCount, this.#slices);
      this.#series.push(series);
      this.#lookup.set(name, series);
      if (!reserved) this.#ownKeys++;
      return series;
    }
    const other = this.#lookup.get(LATENCY_OTHER_KEY) ?? this.#admit(LATENCY_OTHER_KEY);
    // Remember folded names (so their next record is one lookup) up to a cap: the names are user data.
    if (this.#foldedKeys < FOLDED_NAMES_CAP) {
      this.#lookup.set(name, other);
      this.#foldedKeys++;
    }
    return other;
  }

  #bandOfIndex = (index: number): number => {
    let band = 0;
    while (band < this.#thresholdIndex.length && index > (this.#thresholdIndex[band] as number)) band++;
    return band;
  };

  recordCorrected(valueMs: number, expectedIntervalMs: number, key?: string): void {
    if (typeof valueMs !== 'number' || !(valueMs >= 0) || valueMs === Number.POSITIVE_INFINITY) {
      if (!this.#closed) this.#invalid++;
      return;
    }
    const now = this.#slices === 0 ? 0 : this.#clock.now();
    this.#add(valueMs, key, now);
    if (this.#closed || !(expectedIntervalMs > 0) || !Number.isFinite(expectedIntervalMs)) return;
    const us = Math.min(Math.round(valueMs * 1000), this.#highestUs);
    const stepUs = Math.round(expectedIntervalMs * 1000);
    if (stepUs < 1 || us < 2 * stepUs) return;
    const series = this.#lastSeries as Series;
    const slice = series.ring === null ? null : series.ring.cur;
    this.#addSequence(us, stepUs, series.life, slice);
  }

  // Adds the values us - k*step for k = 1..n (n = floor(us/step) - 1, the last one >= step) in runs that
  // share a bucket and a threshold band, so the cost is bounded by the buckets spanned.
  #addSequence(us: number, step: number, life: CountsBlock, slice: CountsBlock | null): void {
    const n = Math.floor(us / step) - 1;
    const layout = this.#layout;
    const thresholds = this.#thresholdsUs;
    const high = us - step;
    let value = us - n * step;
    while (value <= high) {
      const index = layout.indexOf(value);
      let band = 0;
      while (band < thresholds.length && value > (thresholds[band] as number)) band++;
      let end = Math.min(layout.highestAt(index), high);
      if (band < thresholds.length) end = Math.min(end, thresholds[band] as number);
      // Terms in [value, end]: k from ceil((us - end) / step) to (us - value) / step.
      const kLow = Math.ceil((us - end) / step);
      const kHigh = (us - value) / step;
      const count = kHigh - kLow + 1;
      const lowest = value;
      const highest = us - kLow * step;
      const sum = ((lowest + highest) * count) / 2;
      life.addRun(index, band, count, sum, lowest, highest);
      slice?.addRun(index, band, count, sum, lowest, highest);
      value = highest + step;
    }
  }

  startTimer(key?: string): () => number {
    const start = this.#clock.now();
    let elapsed = -1;
    return () => {
      if (elapsed < 0) {
        const now = this.#clock.now();
        elapsed = Math.max(now - start, 0);
        this.#add(elapsed, key, now);
      }
      return elapsed;
    };
  }

  summary(key?: string, options?: LatencyQueryOptions): LatencySummary {
    const view = this.#view(key, options, 'summary');
    const out = this.#percentileOut;
    valuesAtPercentiles(this.#layout, view, SUMMARY_PERCENTILES, out);
    const count = view.count;
    if (count === 0) return { count: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0 };
    return {
      count,
      min: view.minUs / 1000,
      max: view.maxUs / 1000,
      mean: view.sumUs / count / 1000,
      p50: (out[0] as number) / 1000,
      p90: (out[1] as number) / 1000,
      p95: (out[2] as number) / 1000,
      p99: (out[3] as number) / 1000,
      p999: (out[4] as number) / 1000,
    };
  }

  percentile(p: number, key?: string, options?: LatencyQueryOptions): number {
    if (typeof p !== 'number' || !(p >= 0 && p <= 100)) {
      throw new ConfigError('percentile', [
        { field: 'p', received: describeValue(p), expected: 'a number from 0 to 100' },
      ]);
    }
    const view = this.#view(key, options, 'percentile');
    const out = this.#percentileOut;
    valuesAtPercentiles(this.#layout, view, [p], out);
    return (out[0] as number) / 1000;
  }

  countAtOrBelow(thresholdMs: number, key?: string, options?: LatencyQueryOptions): LatencyCount {
    if (typeof thresholdMs !== 'number' || !(thresholdMs >= 0) || !Number.isFinite(thresholdMs)) {
      throw new ConfigError('countAtOrBelow', [
        { field: 'thresholdMs', received: describeValue(thresholdMs), expected: 'a finite number >= 0' },
      ]);
    }
    const view = this.#view(key, options, 'countAtOrBelow');
    const good = new Float64Array(1);
    this.#cumulative(view, [Math.round(thresholdMs * 1000)], good);
    return { good: good[0] as number, total: view.count };
  }

  cumulativeBuckets(
    boundariesMs: readonly number[],
    key?: string,
    options?: LatencyQueryOptions,
  ): LatencyBuckets {
    const boundariesUs = this.#checkBoundaries(boundariesMs);
    const view = this.#view(key, options, 'cumulativeBuckets');
    const counts = new Float64Array(boundariesUs.length);
    this.#cumulative(view, boundariesUs, counts);
    const buckets: LatencyBucket[] = [];
    for (let k = 0; k < boundariesUs.length; k++) {
      buckets.push({ le: boundariesMs[k] as number, count: counts[k] as number });
    }
    buckets.push({ le: Number.POSITIVE_INFINITY, count: view.count });
    return { buckets, sum: view.sumUs / 1000, count: view.count };
  }

  #checkBoundaries(boundariesMs: readonly number[]): number[] {
    const bad = (received: unknown, field: string, expected: string): never => {
      throw new ConfigError('cumulativeBuckets', [{ field, received: describeValue(received), expected }]);
    };
    if (!Array.isArray(boundariesMs)) bad(boundariesMs, 'boundariesMs', 'an array of numbers');
    const count =
      boundariesMs.length > 0 && boundariesMs.at(-1) === Number.POSITIVE_INFINITY
        ? boundariesMs.length - 1
        : boundariesMs.length;
    const out: number[] = [];
    let previous = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < count; k++) {
      const le = boundariesMs[k];
      if (typeof le !== 'number' || !Number.isFinite(le) || le < 0)
        bad(le, `boundariesMs[${k}]`, 'a finite number >= 0');
      const leMs = le as number;
      if (leMs <= previous) bad(le, `boundariesMs[${k}]`, `a number > ${previous} (boundaries increase)`);
      previous = leMs;
      out.push(Math.round(leMs * 1000));
    }
    return out;
  }

  // Counts at or below each µs boundary (ascending): exact from the threshold bands where the boundary
  // is declared, else up to and including the boundary's bucket. Bucket estimates can only overcount
  // (they take the whole bucket), so a backward pass keeps them under the exact counts that follow.
  #cumulative(view: HistogramView, boundariesUs: readonly number[], out: Float64Array): void {
    const layout = this.#layout;
    cumulativeAtIndices(
      layout,
      view,
      boundariesUs.map((us) => (us >= this.#highestUs ? layout.length : layout.indexOf(us))),
      out,
    );
    for (let k = 0; k < boundariesUs.length; k++) {
      const declared = this.#thresholdsUs.indexOf(boundariesUs[k] as number);
      if (declared < 0) continue;
      let good = 0;
      for (let j = 0; j <= declared; j++) good += view.bands[j] ?? 0;
      out[k] = good;
    }
    for (let k = boundariesUs.length - 2; k >= 0; k--)
      out[k] = Math.min(out[k] as number, out[k + 1] as number);
  }

  keys(): string[] {
    return this.#series.map((series) => series.name);
  }

  stats(): LatencyStats {
    return {
      keys: this.#series.length,
      foldedKeys: this.#foldedKeys,
      invalid: this.#invalid,
      overflow: this.#overflow,
    };
  }

  encode(key?: string, options?: LatencyQueryOptions): string {
    const view = this.#view(key, options, 'encode');
    const layout = this.#layout;
    if (view.count === 0 || view.dense === null) return encodeCounts(layout, [], 0, -1);
    return encodeCounts(layout, view.dense, layout.indexOf(view.minUs), layout.indexOf(view.maxUs));
  }

  histogram(key?: string, options?: LatencyQueryOptions): LatencyHistogram {
    return histogramOfView(this.#layout, this.#view(key, options, 'histogram'));
  }

  merge(encoded: string, key?: string): void {
    this.#assertOpen('merge');
    const decoded = decodeCounts(this.#layout, encoded);
    if (decoded.total === 0) return;
    const series = this.#seriesFor(key);
    series.life.addDecoded(this.#layout, decoded, this.#bandOfIndex);
    this.#overflow += decoded.overflow;
    const ring = series.ring;
    if (ring !== null) {
      const epoch = this.#currentEpoch();
      const slice = ring.cur.epoch === epoch ? ring.cur : ring.rotate(epoch, this.#layout, this.#pool);
      slice.addDecoded(this.#layout, decoded, this.#bandOfIndex);
    }
  }

  reset(key?: string): void {
    this.#lastKey = NO_KEY;
    this.#lastSeries = undefined;
    if (key === undefined) {
      for (const series of this.#series) series.release(this.#layout, this.#pool);
      this.#series.length = 0;
      this.#lookup.clear();
      this.#ownKeys = 0;
      this.#foldedKeys = 0;
      this.#invalid = 0;
      this.#overflow = 0;
      return;
    }
    const series = this.#own(key);
    if (series === undefined) return;
    series.release(this.#layout, this.#pool);
    this.#series.splice(this.#series.indexOf(series), 1);
    this.#lookup.delete(key);
    if (key === LATENCY_OTHER_KEY) {
      // Folded names point at the series being dropped: forget them so they can be admitted afresh.
      for (const [name, target] of this.#lookup) if (target === series) this.#lookup.delete(name);
      this.#foldedKeys = 0;
    } else if (key !== LATENCY_DEFAULT_KEY) {
      this.#ownKeys--;
    }
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.reset();
      this.#closed = true;
    }
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // The series named `key` itself (a folded name maps to '__other__' in #lookup, but is not its own).
  #own(key: string): Series | undefined {
    const series = this.#lookup.get(key);
    return series?.name === key ? series : undefined;
  }

  #assertOpen(where: string): void {
    if (this.#closed) throw new SreError(ErrorCode.CLOSED, `latency tracker: ${where}() after close()`);
  }

  #view(key: string | undefined, options: LatencyQueryOptions | undefined, where: string): HistogramView {
    this.#assertOpen(where);
    const mode = options?.window ?? 'lifetime';
    if (mode !== 'lifetime' && mode !== 'window') {
      throw new ConfigError(where, [
        { field: 'window', received: describeValue(mode), expected: '"lifetime" | "window"' },
      ]);
    }
    if (mode === 'window' && this.#slices === 0) {
      throw new ConfigError(where, [
        {
          field: 'window',
          received: '"window"',
          expected: '"lifetime" (the tracker was created with window: false)',
        },
      ]);
    }
    const one = key === undefined ? undefined : this.#own(key);
    if (key !== undefined && one === undefined) return EMPTY;
    if (mode === 'lifetime') {
      if (one !== undefined) return one.life;
      const acc = this.#acc.reset();
      for (const series of this.#series) acc.add(series.life);
      return acc;
    }
    const epoch = this.#currentEpoch();
    const acc = this.#acc.reset();
    const visit = (block: CountsBlock): void => acc.add(block);
    for (const series of one === undefined ? this.#series : [one]) {
      series.ring?.forEachLive(epoch, this.#layout, this.#pool, visit);
    }
    return acc;
  }
}

/**
 * Creates a latency tracker: per-key HDR histograms (values in ms, kept as integer µs), a sliding
 * window rotated lazily from `deps.clock`, exact counts for declared thresholds, and HdrHistogram
 * encodings to merge many processes.
 *
 * @example
 * ```ts
 * const latency = createLatencyTracker({ thresholdsMs: [200] });
 * latency.record(12.5, 'GET /users/:id');
 * const stop = latency.startTimer('GET /users/:id');
 * stop(); // records and returns the elapsed ms
 * latency.summary('GET /users/:id'); // { count, min, max, mean, p50, p90, p95, p99, p999 }
 * latency.countAtOrBelow(200, 'GET /users/:id', { window: 'window' }); // { good, total }
 * ```
 * @throws {ConfigError} naming each bad option.
 */
export function createLatencyTracker(options: LatencyTrackerOptions = {}, deps?: Deps): LatencyTracker {
  const { clock } = resolveDeps(deps);
  return new LatencyTrackerImpl(options, clock);
}
