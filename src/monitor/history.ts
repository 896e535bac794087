import { z } from 'zod';
import { CAPACITY_SIGNALS, type CapacitySignal } from './forecast.js';
import { BUCKETS, LATENCY_BOUNDARIES_MS, percentileOf, RouteHistogram } from './latency-buckets.js';

export { LATENCY_BOUNDARIES_MS } from './latency-buckets.js';

// Per-hour, service-wide history feeding the day/week/month reports and the capacity trend.
//
// Sources, chosen so a restart or a missed evaluation never double-counts:
// - SLO good/total per hour is recomputed on every evaluation from the tracker's 5-minute tier
//   (3 days of buckets, epoch-aligned, so every hour is whole): an hour the tier still covers is exact.
//   After a restart without restoring the tracker, an hour split across the two processes keeps the
//   larger side (counts are merged with max, never added).
// - Traffic: requests are the largest SLO total of the hour and errors the fewest bad events among the
//   SLOs with that total (an availability SLO and a latency SLO fed the same requests: the
//   availability one's bad events are the errors). Only the SLOs that judge the service's own requests
//   count (a dependency's SLO counts its calls, not the service's requests). Without them, requests are
//   the latency tracker's count and errors are unknown (0).
// - Latency: the delta of the latency tracker's lifetime cumulative buckets at LATENCY_BOUNDARIES_MS
//   between evaluations, filed under the hour of the evaluation, service-wide and per route (the
//   service's own routes, such as /metrics and /agent, left out of both); percentiles of an hour, day or
//   month are read from those buckets, linearly interpolated (within 26 % of the value).
// - Observed time: the part of each hour the monitor was running and evaluating, so rates divide by the
//   time actually observed. An hour with data but no observed time (filled from a restored tracker or
//   an older file) counts as observed whole.
// - Saturation: min/mean/max/last per signal per hour, plus a ring of MAX_SAMPLES raw samples, at
//   least `sampleGapMs` apart, for the least-squares capacity trend.
//
// Memory: an hour holds at most 2 numbers per SLO, 56 service-wide latency buckets and 5 numbers per
// signal: about 710 bytes of JSON with two SLOs, busy latency and every signal (measured in
// test/unit/monitor/history.test.ts), about 1 KB in memory. Per-route latency is kept for the last
// ROUTE_RETAIN_HOURS only (the longest timeframe), for at most MAX_ROUTES_PER_HOUR routes an hour, each
// holding only the buckets it used (typically a dozen: about 200 bytes). The default 35 days (840 hours)
// are therefore under 1 MB, plus about 2 MB for a week of 64 busy routes, plus the sample ring: 1,024
// samples, about 64 KB of JSON.

/** One hour, in epoch ms. */
export const HOUR_MS = 3_600_000;
/** Raw saturation samples kept for the capacity trend (at the default 10 s evaluation: 2.8 hours). */
export const MAX_SAMPLES = 1_024;
/** SLOs kept per hour; more are ignored. */
export const MAX_SLOS = 64;
/** Routes whose latency an hour keeps apart; later ones share {@link OTHER_ROUTE}. */
export const MAX_ROUTES_PER_HOUR = 64;
/** The route the routes past {@link MAX_ROUTES_PER_HOUR} share. */
export const OTHER_ROUTE = '__other__';
/** Hours per-route latency is kept: the longest timeframe of a performance analysis, a week. */
export const ROUTE_RETAIN_HOURS = 7 * 24;

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
  routes: Map<string, RouteHistogram> | undefined;
  readonly saturation: Map<CapacitySignal, SignalStats>;
  /** Milliseconds of this hour the monitor observed. */
  observedMs: number;
}

/** One route's latency values to file: per-bucket counts at LATENCY_BOUNDARIES_MS and their sum. */
export interface RouteLatencyDelta {
  readonly route: string;
  readonly counts: Float64Array;
  readonly sum: number;
}

/** One route's latency over a span of history. */
export interface RouteAggregate {
  readonly route: string;
  readonly count: number;
  readonly meanMs: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/** What a span of history adds up to. */
export interface HistoryAggregate {
  /** The first hour included, epoch ms (or `fromMs` when none). */
  readonly startMs: number;
  readonly hours: number;
  /** Milliseconds of the included hours the data covers (see the observed-time rule above). */
  readonly observedMs: number;
  readonly slos: ReadonlyMap<string, { readonly good: number; readonly total: number }>;
  readonly requests: number;
  readonly errors: number;
  /** Latency values seen, and their percentiles in ms (`null` when none). */
  readonly latencyCount: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  /** Per route (the last {@link ROUTE_RETAIN_HOURS} only), most time spent first. */
  readonly routes: readonly RouteAggregate[];
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
      /** Milliseconds of the hour the monitor observed (absent: the whole hour, if it has data). */
      observedMs: z.number().min(0).max(HOUR_MS).optional(),
      /** Route → [sum of values in ms, sparse latency buckets]. */
      routes: z
        .record(z.string(), z.tuple([z.number().min(0), z.array(z.tuple([z.number().int().min(0), count]))]))
        .optional(),
    }),
  ),
  /** Raw samples: [at, ...values in CAPACITY_SIGNALS order]. */
  samples: z.array(z.array(z.number()).length(1 + CAPACITY_SIGNALS.length)),
  /** Error types seen (fingerprint, first seen), so a restart does not make them new again. */
  knownErrors: z
    .array(z.tuple([z.string().min(1).max(64), z.number()]))
    .max(1_000)
    .optional(),
  /** The anomaly detector's baselines (its own snapshot format, validated when restored). */
  anomalies: z.unknown().optional(),
});

/** The history's JSON form. */
export type HistorySnapshot = z.infer<typeof historySnapshotSchema>;

/** The monitor's hourly history. Not thread-safe, not hot-path: fed once per evaluation. */
export class History {
  readonly #retainHours: number;
  readonly #sampleGapMs: number;
  readonly #countsTraffic: (slo: string) => boolean;
  readonly #hours = new Map<number, Hour>();
  readonly #samples: (SaturationPoint | undefined)[] = new Array<SaturationPoint | undefined>(MAX_SAMPLES);
  #sampleHead = 0;
  #sampleCount = 0;
  #lastSampleAt = -Infinity;
  #newestHour = -Infinity;

  /**
   * @param retainDays Hours older than this are dropped.
   * @param sampleGapMs Raw samples closer than this to the previous one kept stay out of the ring (they
   *   still count in the hourly figures), so the ring spans at least `MAX_SAMPLES × sampleGapMs`.
   * @param countsTraffic Whether an SLO's events are the service's requests (its traffic and errors).
   */
  constructor(retainDays: number, sampleGapMs = 0, countsTraffic: (slo: string) => boolean = () => true) {
    this.#retainHours = Math.max(1, Math.round(retainDays * 24));
    this.#sampleGapMs = sampleGapMs;
    this.#countsTraffic = countsTraffic;
  }

  /** Hours currently held. */
  get size(): number {
    return this.#hours.size;
  }

  #hour(hour: number): Hour | undefined {
    if (hour <= this.#newestHour - this.#retainHours) return undefined;
    let bucket = this.#hours.get(hour);
    if (bucket === undefined) {
      bucket = {
        hour,
        slos: new Map(),
        latency: undefined,
        routes: undefined,
        saturation: new Map(),
        observedMs: 0,
      };
      this.#hours.set(hour, bucket);
      if (hour > this.#newestHour) {
        this.#newestHour = hour;
        for (const old of this.#hours.values()) {
          if (old.hour <= hour - this.#retainHours) this.#hours.delete(old.hour);
          else if (old.hour <= hour - ROUTE_RETAIN_HOURS) old.routes = undefined;
        }
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
   * Files the latency values seen since the previous evaluation under the hour of `atMs`: `service`
   * holds the per-bucket counts of every measured route together, `routes` each route's own.
   */
  recordLatency(atMs: number, service: Float64Array, routes: readonly RouteLatencyDelta[] = []): void {
    const bucket = this.#hour(Math.floor(atMs / HOUR_MS));
    if (bucket === undefined) return;
    let any = false;
    for (let i = 0; i < BUCKETS; i++) if ((service[i] ?? 0) > 0) any = true;
    if (any) {
      bucket.latency ??= new Float64Array(BUCKETS);
      for (let i = 0; i < BUCKETS; i++) {
        const delta = service[i] ?? 0;
        if (delta > 0) bucket.latency[i]! += delta;
      }
    }
    for (const { route, counts, sum } of routes) {
      let total = 0;
      for (let i = 0; i < BUCKETS; i++) total += counts[i] ?? 0;
      if (!(total > 0)) continue;
      bucket.routes ??= new Map();
      let histogram = bucket.routes.get(route);
      if (histogram === undefined) {
        const key = bucket.routes.size < MAX_ROUTES_PER_HOUR ? route : OTHER_ROUTE;
        histogram = bucket.routes.get(key) ?? new RouteHistogram();
        bucket.routes.set(key, histogram);
      }
      for (let i = 0; i < BUCKETS; i++) histogram.add(i, counts[i] ?? 0);
      if (Number.isFinite(sum) && sum > 0) histogram.sum += sum;
    }
  }

  /** Notes that the monitor observed `[fromMs, toMs)`: each hour it overlaps gains that much observed time. */
  observe(fromMs: number, toMs: number): void {
    if (!(toMs > fromMs) || !Number.isFinite(fromMs) || !Number.isFinite(toMs)) return;
    // A clock that jumped far ahead must not make one call loop over thousands of hours.
    const from = Math.max(fromMs, toMs - this.#retainHours * HOUR_MS);
    for (let hour = Math.floor(from / HOUR_MS); hour * HOUR_MS < toMs; hour++) {
      const start = hour * HOUR_MS;
      const covered = Math.min(toMs, start + HOUR_MS) - Math.max(from, start);
      const bucket = covered > 0 ? this.#hour(hour) : undefined;
      if (bucket !== undefined) bucket.observedMs = Math.min(HOUR_MS, bucket.observedMs + covered);
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
    if (point.at - this.#lastSampleAt < this.#sampleGapMs) return;
    this.#pushSample(point);
  }

  #pushSample(point: SaturationPoint): void {
    this.#lastSampleAt = point.at;
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

  /**
   * Adds up the hours that overlap `[fromMs, toMs)`. Hours are whole: the counts and the observed
   * time both cover the same hours, so their ratio is a true rate.
   */
  aggregate(fromMs: number, toMs: number): HistoryAggregate {
    const slos = new Map<string, { good: number; total: number }>();
    const latency = new Float64Array(BUCKETS);
    const routes = new Map<string, { counts: Float64Array; sum: number; count: number }>();
    let requests = 0;
    let errors = 0;
    let hours = 0;
    let observedMs = 0;
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
        if (!this.#countsTraffic(name)) continue;
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
      for (const [route, histogram] of bucket.routes ?? []) {
        let sum = routes.get(route);
        if (sum === undefined) {
          sum = { counts: new Float64Array(BUCKETS), sum: 0, count: 0 };
          routes.set(route, sum);
        }
        histogram.addTo(sum.counts);
        sum.sum += histogram.sum;
        sum.count += histogram.count;
      }
      const hasData = most > 0 || latencyCount > 0 || bucket.saturation.size > 0;
      // Data the monitor did not see arrive (a restored tracker, an older file): the whole hour, up to `toMs`.
      observedMs +=
        bucket.observedMs > 0
          ? bucket.observedMs
          : hasData
            ? Math.max(0, Math.min(HOUR_MS, toMs - start))
            : 0;
    }
    let latencyCount = 0;
    for (let i = 0; i < BUCKETS; i++) latencyCount += latency[i]!;
    const routeList: RouteAggregate[] = [];
    for (const [route, { counts, sum, count }] of routes)
      routeList.push({
        route,
        count,
        meanMs: count > 0 ? sum / count : 0,
        p95Ms: percentileOf(counts, count, 0.95) ?? 0,
        p99Ms: percentileOf(counts, count, 0.99) ?? 0,
      });
    routeList.sort((a, b) => b.meanMs * b.count - a.meanMs * a.count);
    return {
      startMs: hours === 0 ? fromMs : startMs,
      hours,
      observedMs,
      slos,
      requests,
      errors,
      latencyCount,
      p50Ms: percentileOf(latency, latencyCount, 0.5),
      p95Ms: percentileOf(latency, latencyCount, 0.95),
      p99Ms: percentileOf(latency, latencyCount, 0.99),
      routes: routeList,
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
        const hour: HistorySnapshot['hours'][number] = { hour: bucket.hour, slos, latency, saturation };
        if (bucket.observedMs > 0) hour.observedMs = bucket.observedMs;
        if (bucket.routes !== undefined && bucket.routes.size > 0) {
          const routes: Record<string, [number, [number, number][]]> = {};
          for (const [route, histogram] of bucket.routes)
            routes[route] = [histogram.sum, histogram.entries()];
          hour.routes = routes;
        }
        return hour;
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
      if (sameBoundaries && restored.routes !== undefined && restored.hour > newest - ROUTE_RETAIN_HOURS) {
        const routes = (bucket.routes ??= new Map<string, RouteHistogram>());
        for (const [route, [sum, entries]] of Object.entries(restored.routes)) {
          if (routes.size >= MAX_ROUTES_PER_HOUR && !routes.has(route)) continue;
          const histogram = routes.get(route) ?? new RouteHistogram();
          for (const [i, c] of entries) histogram.add(i, c);
          histogram.sum += sum;
          routes.set(route, histogram);
        }
      }
      if (restored.observedMs !== undefined)
        bucket.observedMs = Math.min(HOUR_MS, bucket.observedMs + restored.observedMs);
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
      this.#pushSample({ at: at ?? 0, values: point });
    }
  }
}
