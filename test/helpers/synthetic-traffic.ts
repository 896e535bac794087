// A seeded synthetic per-minute request count with known anomalies, for the anomaly benchmark.
// Traffic is Poisson around a rate with a diurnal cycle (low at 03:00, high at 15:00), a weekly one
// (quieter weekends, blended over the evening so days do not step at midnight), slow drifts, a holiday
// (a weekday with Sunday traffic), permanent level shifts and short spikes of at least 4 sigma of the
// Poisson noise at that moment. Every anomaly is labelled with its buckets.

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** A labelled deviation in the series, by minute index. */
export interface LabelledEvent {
  readonly kind: 'spike' | 'shift' | 'holiday';
  /** First minute affected. */
  readonly start: number;
  /** Last minute affected (inclusive); for a shift, the last minute of its adaptation window. */
  readonly end: number;
  /** Size in sigmas of the Poisson noise at the start (spikes, shifts). */
  readonly sigmas: number;
}

/** The series and its ground truth. */
export interface SyntheticTraffic {
  /** Epoch ms of minute 0 (a Monday, 00:00 UTC). */
  readonly startMs: number;
  /** Requests per minute. */
  readonly counts: Int32Array;
  /** The underlying rate per minute, noise-free. */
  readonly rates: Float64Array;
  readonly events: readonly LabelledEvent[];
}

/** Options of {@link syntheticTraffic}. */
export interface SyntheticTrafficOptions {
  readonly seed: number;
  readonly weeks: number;
  /** Mean requests per minute on a weekday. */
  readonly baseRate: number;
  readonly spikes: number;
  /** How long after a shift's start alerts still belong to it, in minutes. */
  readonly shiftWindowMinutes: number;
}

/** Mulberry32: a small seeded PRNG with uniform output in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A Poisson sample: Knuth's product method for small means, Hörmann's PTRS (transformed rejection
 * with squeeze, 1993) for means of 10 and more.
 */
export function poisson(mean: number, random: () => number): number {
  if (mean < 10) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = random();
    while (p > limit && k < 1_000) {
      k++;
      p *= random();
    }
    return k;
  }
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const u = random() - 0.5;
    const v = random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
      -mean + k * loglam - logFactorial(k)
    )
      return k;
  }
  return Math.round(mean);
}

function logFactorial(k: number): number {
  if (k < 2) return 0;
  // Stirling's series; exact enough for k >= 2 at the precision the rejection test needs.
  return (k + 0.5) * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * k) - 1 / (360 * k * k * k);
}

// Weekday factors, Monday first.
const WEEKDAY = [1, 1, 1, 1, 1, 0.75, 0.62];
const BLEND_HOURS = 4;

function dayFactor(dayIndex: number, holiday: number): number {
  if (dayIndex === holiday) return WEEKDAY[6] as number;
  return WEEKDAY[dayIndex % 7] as number;
}

// The day's factor, blended with the next day's over the last BLEND_HOURS of the day.
function weeklyFactor(minute: number, holiday: number): number {
  const day = Math.floor(minute / 1440);
  const intoDay = (minute % 1440) / 60;
  const today = dayFactor(day, holiday);
  const blendFrom = 24 - BLEND_HOURS;
  if (intoDay < blendFrom) return today;
  const t = (intoDay - blendFrom) / BLEND_HOURS;
  const smooth = (1 - Math.cos(Math.PI * t)) / 2;
  return today + (dayFactor(day + 1, holiday) - today) * smooth;
}

function diurnal(minute: number): number {
  const hour = (minute % 1440) / 60;
  return 1 + 0.6 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
}

/** Builds the series. Deterministic for a given seed and options. */
export function syntheticTraffic(options: SyntheticTrafficOptions): SyntheticTraffic {
  const random = seededRandom(options.seed);
  const minutes = Math.round((options.weeks * WEEK_MS) / MINUTE_MS);
  const startMs = Date.UTC(2024, 0, 1); // a Monday
  const holiday = 7 * 3 + 2; // the Wednesday of the fourth week
  // Permanent level shifts: [minute, factor]. One before seasonality is trusted, three after.
  const shifts: Array<readonly [number, number]> = [
    [day(10) + hour(14) + 17, 1.35],
    [day(17) + hour(10) + 41, 0.75],
    [day(26) + hour(16) + 23, 1.3],
    [day(33) + hour(9) + 5, 0.8],
  ];
  // Slow drifts: [first minute, last minute, total factor change].
  const drifts: Array<readonly [number, number, number]> = [
    [day(4), day(9), 0.12],
    [day(29), day(32), -0.1],
  ];
  const events: LabelledEvent[] = [];
  const baseline = new Float64Array(minutes);
  for (let m = 0; m < minutes; m++) {
    let rate = options.baseRate * diurnal(m) * weeklyFactor(m, holiday);
    for (const [at, factor] of shifts) if (m >= at) rate *= factor;
    for (const [from, to, change] of drifts) {
      if (m >= to) rate *= 1 + change;
      else if (m > from) rate *= 1 + (change * (m - from)) / (to - from);
    }
    baseline[m] = rate;
  }
  for (const [at] of shifts) {
    const before = baseline[at - 1] as number;
    const after = baseline[at] as number;
    events.push({
      kind: 'shift',
      start: at,
      end: at + options.shiftWindowMinutes - 1,
      sigmas: Math.abs(after - before) / Math.sqrt(before),
    });
  }
  events.push({
    kind: 'holiday',
    start: day(holiday) - hour(BLEND_HOURS),
    end: day(holiday + 1) + hour(2),
    sigmas: 0,
  });

  // Spikes at random times at least 6 hours from every other event, after the first day.
  const rates = Float64Array.from(baseline);
  const clear = 6 * 60;
  let placed = 0;
  for (let attempt = 0; placed < options.spikes && attempt < 100_000; attempt++) {
    const start = day(1) + Math.floor(random() * (minutes - day(1) - 60));
    const length = 5 + Math.floor(random() * 11);
    const end = start + length - 1;
    if (events.some((e) => start <= e.end + clear && end >= e.start - clear)) continue;
    const sigmas = 4 + random() * 4;
    const lift = sigmas * Math.sqrt(baseline[start] as number);
    for (let m = start; m <= end; m++) rates[m] = (rates[m] as number) + lift;
    events.push({ kind: 'spike', start, end, sigmas });
    placed++;
  }
  events.sort((a, b) => a.start - b.start);
  const counts = new Int32Array(minutes);
  for (let m = 0; m < minutes; m++) counts[m] = poisson(rates[m] as number, random);
  return { startMs, counts, rates, events };
}

function day(n: number): number {
  return n * 1440;
}

function hour(n: number): number {
  return n * 60;
}

export { MINUTE_MS, HOUR_MS };
