import { z } from 'zod';
import { CAPACITY_SIGNALS, type CapacitySignal } from './forecast.js';

// Per-hour, service-wide history feeding the day/week/month reports and the capacity trend.
//
// Sources, chosen so a restart or a missed evaluation never double-counts:
// - SLO good/total per hour is recomputed on every evaluation from the tracker's 5-minute tier
//   (3 days of buckets, epoch-aligned, so every hour is whole): an hour the tier still covers is exact.
//   After a restart without restoring the tracker, an hour split across the two processes keeps the
//   larger side (counts are merged with max, never added).
// - Traffic: requests are the largest SLO total of the hour and errors the fewest bad events among the
//   SLOs with that total (an availability SLO and a latency SLO fed the same requests: the
//   availability one's bad events are the errors). Without SLOs, requests are the latency tracker's
//   count and errors are unknown (0).
// - Latency: the delta of the latency tracker's lifetime cumulative buckets (all routes together) at
//   LATENCY_BOUNDARIES_MS between evaluations, filed under the hour of the evaluation; percentiles of an
//   hour, day or month are read from those buckets, linearly interpolated (within 26 % of the value).
// - Saturation: min/mean/max/last per signal per hour, plus a ring of the last MAX_SAMPLES raw
//   samples for the least-squares capacity trend.
//
// Memory: an hour holds at most 2 numbers per SLO, 56 latency buckets and 5 numbers per signal. Its
// JSON form with two SLOs, busy latency and every signal is about 710 bytes (measured in
// test/unit/monitor/history.test.ts); in memory about 1 KB (the bucket array alone is 448 bytes). The
// default 35 days (840 hours) are therefore about 0.6 MB on disk and under 1 MB in memory, plus the
// sample ring: 1,024 samples, about 64 KB of JSON.

/** One hour, in epoch ms. */
export const HOUR_MS = 3_600_000;
/** Raw saturation samples kept for the capacity trend (at the default 10 s evaluation: 2.8 hours). */
export const MAX_SAMPLES = 1_024;
/** SLOs kept per hour; more are ignored. */
export const MAX_SLOS = 64;

/** Latency bucket upper bounds (ms): 0.25 ms × 2^(k/3), three per doubling, up to about 64 s. */
export const LATENCY_BOUNDARIES_MS: readonly number[] = Object.freeze(
  Array.from({ length: 55 }, (_, k) => Number((0.25 * 2 ** (k / 3)).toPrecision(3))),
);
const BUCKETS = LATENCY_BOUNDARIES_MS.length + 1;

/** A saturation sample as the history keeps it. */
export interface SaturationPoint {
  /** Wall time, epoch ms. */
  readonly at: number;
  readonly values: Readonly<Record<CapacitySignal, number>>;
}

interface SignalStats {
  min: number;
  max: number;
  sum: number;
  n: number;
  last: number;
}

interface Hour {
  readonly hour: number;
  readonly slos: Map<string, [good: number, total: number]>;
  latency: Float64Array | undefined;
  readonly saturation: Map<CapacitySignal, SignalStats>;
}

/** What a span of history adds up to. */
export interface HistoryAggregate {
  /** The first hour included, epoch ms (or `fromMs` when none). */
  readonly startMs: number;
  readonly hours: number;
  readonly slos: ReadonlyMap<string, { readonly good: number; readonly total: number }>;
  readonly requests: number;
  readonly errors: number;
  /** Latency values seen, and their percentiles in ms (`null` when none). */
  readonly latencyCount: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const stat = z.tuple([z.number(), z.number(), z.number(), z.number(), count]);

/** The schema of the history's JSON form (what `history.file` holds). */
export const historySnapshotSchema = z.strictObject({
  version: z.literal(1),
  boundariesMs: z.array(z.number()),
  hours: z.array(
    z.strictObject({
      hour: z.number().int(),
      /** SLO name → [good, total]. */
      slos: z.record(z.string(), z.tuple([count, count])),
      /** Sparse latency buckets: [bucket index, count]. */
      latency: z.array(z.tuple([z.number().int().min(0), count])),
      /** Signal → [min, mean, max, last, samples]. */
      saturation: z.record(z.string(), stat),
    }),
  ),
  /** Raw samples: [at, ...values in CAPACITY_SIGNALS order]. */
  samples: z.array(z.array(z.number()).length(1 + CAPACITY_SIGNALS.length)),
});

/** The history's JSON form. */
export type HistorySnapshot = z.infer<typeof historySnapshotSchema>;

/** The monitor's hourly history. Not thread-safe, not hot-path: fed once per evaluation. */
export class History {
  readonly #retainHours: number;
  readonly #hours = new Map<number, Hour>();
  readonly #samples: (SaturationPoint | undefined)[] = new Array<SaturationPoint | undefined>(MAX_SAMPLES);
  #sampleHead = 0;
  #sampleCount = 0;
  #lastLatency: Float64Array | undefined;
  #lastLatencyTotal = 0;
  #newestHour = -Infinity;

  constructor(retainDays: number) {
    this.#retainHours = Math.max(1, Math.round(retainDays * 24));
  }

  /** Hours currently held. */
  get size(): number {
    return this.#hours.size;
  }

  #hour(hour: number): Hour | undefined {
    if (hour <= this.#newestHour - this.#retainHours) return undefined;
    let bucket = this.#hours.get(hour);
    if (bucket === undefined) {
      bucket = { hour, slos: new Map(), latency: undefined, saturation: new Map() };
      this.#hours.set(hour, bucket);
      if (hour > this.#newestHour) {
        this.#newestHour = hour;
        for (const old of this.#hours.keys()) if (old <= hour - this.#retainHours) this.#hours.delete(old);
      }
    }
    return bucket;
  }

  /**
   * Files an SLO's counts from one tier of its tracker's snapshot: `buckets` are
   * `[floor(t / granularityMs), good, total]`, and hours starting at or after `coveredFromMs` are whole.
   */
  recordSlo(
    name: string,
    granularityMs: number,
    buckets: ReadonlyArray<readonly [number, number, number]>,
    coveredFromMs: number,
  ): void {
    const sums = new Map<number, [number, number]>();
    for (const [index, good, total] of buckets) {
      const hour = Math.floor((index * granularityMs) / HOUR_MS);
      const sum = sums.get(hour);
      if (sum === undefined) sums.set(hour, [good, total]);
      else {
        sum[0] += good;
        sum[1] += total;
      }
    }
    for (const [hour, [good, total]] of sums) {
      if (hour * HOUR_MS < coveredFromMs) continue;
      const bucket = this.#hour(hour);
      if (bucket === undefined) continue;
      const held = bucket.slos.get(name);
      if (held === undefined) {
        if (bucket.slos.size < MAX_SLOS) bucket.slos.set(name, [good, total]);
      } else if (total > held[1]) {
        held[0] = good;
        held[1] = total;
      }
    }
  }

  /**
   * Files the latency values seen since the previous call: `cumulative[i]` is the tracker's lifetime
   * count at or below `LATENCY_BOUNDARIES_MS[i]`, `total` its whole count. A smaller total than last
   * time means the tracker was reset: everything it holds now is new.
   */
  recordLatency(cumulative: readonly number[], total: number, atMs: number): void {
    const current = new Float64Array(BUCKETS);
    let previous = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const upTo = i < LATENCY_BOUNDARIES_MS.length ? (cumulative[i] ?? total) : total;
      current[i] = Math.max(0, upTo - previous);
      previous = Math.max(previous, upTo);
    }
    const last = this.#lastLatency;
    const reset = last === undefined ? false : total < this.#lastLatencyTotal;
    this.#lastLatency = current;
    this.#lastLatencyTotal = total;
    if (last === undefined && total === 0) return;
    const bucket = this.#hour(Math.floor(atMs / HOUR_MS));
    if (bucket === undefined) return;
    bucket.latency ??= new Float64Array(BUCKETS);
    for (let i = 0; i < BUCKETS; i++) {
      const delta = last === undefined || reset ? current[i]! : current[i]! - last[i]!;
      if (delta > 0) bucket.latency[i]! += delta;
    }
  }

  /** Files one saturation sample. */
  recordSaturation(point: SaturationPoint): void {
    const bucket = this.#hour(Math.floor(point.at / HOUR_MS));
    if (bucket === undefined) return;
    for (const signal of CAPACITY_SIGNALS) {
      const value = point.values[signal];
      if (!Number.isFinite(value)) continue;
      const stats = bucket.saturation.get(signal);
      if (stats === undefined)
        bucket.saturation.set(signal, { min: value, max: value, sum: value, n: 1, last: value });
      else {
        if (value < stats.min) stats.min = value;
        if (value > stats.max) stats.max = value;
        stats.sum += value;
        stats.n++;
        stats.last = value;
      }
    }
    this.#samples[this.#sampleHead] = point;
    this.#sampleHead = (this.#sampleHead + 1) % MAX_SAMPLES;
    if (this.#sampleCount < MAX_SAMPLES) this.#sampleCount++;
  }

  /** The raw saturation samples held, oldest first. */
  samples(): SaturationPoint[] {
    const out: SaturationPoint[] = [];
    const start = (this.#sampleHead - this.#sampleCount + MAX_SAMPLES) % MAX_SAMPLES;
    for (let i = 0; i < this.#sampleCount; i++) {
      const point = this.#samples[(start + i) % MAX_SAMPLES];
      if (point !== undefined) out.push(point);
    }
    return out;
  }

  /** Adds up the hours that overlap `[fromMs, toMs)`. */
  aggregate(fromMs: number, toMs: number): HistoryAggregate {
    const slos = new Map<string, { good: number; total: number }>();
    const latency = new Float64Array(BUCKETS);
    let requests = 0;
    let errors = 0;
    let hours = 0;
    let startMs = Infinity;
    for (const bucket of this.#hours.values()) {
      const start = bucket.hour * HOUR_MS;
      if (start + HOUR_MS <= fromMs || start >= toMs) continue;
      hours++;
      if (start < startMs) startMs = start;
      let most = 0;
      let fewestBad = Infinity;
      for (const [name, [good, total]] of bucket.slos) {
        const sum = slos.get(name);
        if (sum === undefined) slos.set(name, { good, total });
        else {
          sum.good += good;
          sum.total += total;
        }
        if (total > most) {
          most = total;
          fewestBad = total - good;
        } else if (total === most && total - good < fewestBad) fewestBad = total - good;
      }
      let latencyCount = 0;
      if (bucket.latency !== undefined)
        for (let i = 0; i < BUCKETS; i++) {
          latency[i]! += bucket.latency[i]!;
          latencyCount += bucket.latency[i]!;
        }
      if (most > 0) {
        requests += most;
        errors += fewestBad;
      } else requests += latencyCount;
    }
    let latencyCount = 0;
    for (let i = 0; i < BUCKETS; i++) latencyCount += latency[i]!;
    return {
      startMs: hours === 0 ? fromMs : startMs,
      hours,
      slos,
      requests,
      errors,
      latencyCount,
      p50Ms: percentileOf(latency, latencyCount, 0.5),
      p95Ms: percentileOf(latency, latencyCount, 0.95),
      p99Ms: percentileOf(latency, latencyCount, 0.99),
    };
  }

  /** The history as plain JSON (see {@link historySnapshotSchema}). */
  toJSON(): HistorySnapshot {
    const hours = [...this.#hours.values()]
      .sort((a, b) => a.hour - b.hour)
      .map((bucket) => {
        const latency: [number, number][] = [];
        if (bucket.latency !== undefined)
          for (let i = 0; i < BUCKETS; i++) if (bucket.latency[i]! > 0) latency.push([i, bucket.latency[i]!]);
        const saturation: Record<string, [number, number, number, number, number]> = {};
        for (const [signal, s] of bucket.saturation)
          saturation[signal] = [s.min, s.sum / s.n, s.max, s.last, s.n];
        const slos: Record<string, [number, number]> = {};
        for (const [name, counts] of bucket.slos) slos[name] = [counts[0], counts[1]];
        return { hour: bucket.hour, slos, latency, saturation };
      });
    return {
      version: 1,
      boundariesMs: [...LATENCY_BOUNDARIES_MS],
      hours,
      samples: this.samples().map((p) => [p.at, ...CAPACITY_SIGNALS.map((s) => p.values[s])]),
    };
  }

  /**
   * Takes over a snapshot read back from a file (already validated by {@link historySnapshotSchema}).
   * Latency buckets recorded with other boundaries are dropped; hours past retention are ignored.
   */
  restore(snapshot: HistorySnapshot): void {
    const sameBoundaries =
      snapshot.boundariesMs.length === LATENCY_BOUNDARIES_MS.length &&
      snapshot.boundariesMs.every((b, i) => b === LATENCY_BOUNDARIES_MS[i]);
    const newest = snapshot.hours.reduce((max, h) => Math.max(max, h.hour), -Infinity);
    for (const restored of snapshot.hours) {
      if (restored.hour <= newest - this.#retainHours) continue;
      const bucket = this.#hour(restored.hour);
      if (bucket === undefined) continue;
      for (const [name, [good, total]] of Object.entries(restored.slos)) {
        if (bucket.slos.size < MAX_SLOS && good <= total) bucket.slos.set(name, [good, total]);
      }
      if (sameBoundaries && restored.latency.length > 0) {
        bucket.latency ??= new Float64Array(BUCKETS);
        for (const [i, c] of restored.latency) if (i < BUCKETS) bucket.latency[i]! += c;
      }
      for (const [signal, [min, mean, max, last, n]] of Object.entries(restored.saturation)) {
        if (!(CAPACITY_SIGNALS as readonly string[]).includes(signal) || n === 0) continue;
        bucket.saturation.set(signal as CapacitySignal, { min, max, sum: mean * n, n, last });
      }
    }
    for (const [at, ...values] of snapshot.samples.slice(-MAX_SAMPLES)) {
      const point = Object.fromEntries(CAPACITY_SIGNALS.map((s, i) => [s, values[i] ?? 0])) as Record<
        CapacitySignal,
        number
      >;
      this.#samples[this.#sampleHead] = { at: at ?? 0, values: point };
      this.#sampleHead = (this.#sampleHead + 1) % MAX_SAMPLES;
      if (this.#sampleCount < MAX_SAMPLES) this.#sampleCount++;
    }
  }
}

/** The `q` quantile of bucket counts, linearly interpolated inside its bucket; `null` when empty. */
function percentileOf(counts: Float64Array, total: number, q: number): number | null {
  if (total <= 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c <= 0) continue;
    if (seen + c >= rank) {
      const last = LATENCY_BOUNDARIES_MS.length - 1;
      const lower = i === 0 ? 0 : LATENCY_BOUNDARIES_MS[Math.min(i - 1, last)]!;
      const upper = LATENCY_BOUNDARIES_MS[Math.min(i, last)]!;
      return lower + ((upper - lower) * Math.max(0, rank - seen)) / c;
    }
    seen += c;
  }
  return LATENCY_BOUNDARIES_MS[LATENCY_BOUNDARIES_MS.length - 1]!;
}
