import { constrainedMemory } from 'node:process';
import { totalmem } from 'node:os';
import { CAPACITY_SIGNALS, fitTrend, timeToLimit, type CapacitySignal, type TrendPoint } from './forecast.js';
import { iso, isRepresentableTime } from './format.js';
import { HOUR_MS, type SaturationPoint } from './history.js';
import type { CapacityForecast, CapacityPrediction } from './report-schemas.js';

/** The horizon a capacity forecast (and the performance analysis) looks ahead by default: a week. */
export const DEFAULT_HORIZON_MS = 7 * 24 * HOUR_MS;

/** Per saturation signal, the least-squares trend of `samples` toward its limit, as seen at `now`. */
export function capacityPredictions(
  samples: readonly SaturationPoint[],
  limits: Readonly<Record<CapacitySignal, number>>,
  now: number,
): CapacityPrediction[] {
  if (samples.length === 0) return [];
  const out: CapacityPrediction[] = [];
  for (const signal of CAPACITY_SIGNALS) {
    const points = samples.map((p) => ({ x: p.at, y: p.values[signal] }));
    out.push(predictSignal(signal, points, lastFinite(samples, signal), limits[signal], now));
  }
  return out;
}

/**
 * One signal's least-squares trend toward `limit`, as seen at `now`: silent (`reachesLimitInMs: null`)
 * below 3 samples unless the signal is at its limit already.
 */
export function predictSignal(
  signal: string,
  points: readonly TrendPoint[],
  current: number,
  limit: number,
  now: number,
): CapacityPrediction {
  const fit = fitTrend(points);
  let left = fit.samples >= 3 ? timeToLimit(fit, now, limit, current) : current >= limit ? 0 : null;
  if (left !== null && !isRepresentableTime(now + left)) left = null;
  return {
    signal,
    current,
    limit,
    slopePerHour: fit.slope * HOUR_MS,
    reachesLimitInMs: left,
    reachesLimitAt: left === null ? null : iso(now + left),
    confidence: fit.confidence,
    samples: fit.samples,
  };
}

// The history keeps raw samples, a non-finite reading included; the fit skips those, and so does this.
function lastFinite(samples: readonly SaturationPoint[], signal: CapacitySignal): number {
  for (let i = samples.length - 1; i >= 0; i--) {
    const value = samples[i]?.values[signal];
    if (value !== undefined && Number.isFinite(value)) return value;
  }
  return 0;
}

/** The capacity forecast: every signal's prediction, and those reaching their limit within `horizonMs`. */
export function capacityForecast(
  signals: readonly CapacityPrediction[],
  horizonMs: number = DEFAULT_HORIZON_MS,
): CapacityForecast {
  return {
    horizonMs,
    atRisk: signals
      .filter((s) => s.reachesLimitInMs !== null && s.reachesLimitInMs <= horizonMs)
      .map((s) => s.signal),
    signals: [...signals],
  };
}

/** The RSS limit when none is configured: 90 % of the smaller of the machine's and the cgroup's memory. */
export function defaultRssLimit(): number {
  const total = totalmem();
  const constrained = constrainedMemory();
  const memory = constrained !== undefined && constrained > 0 && constrained < total ? constrained : total;
  return Math.round(memory * 0.9);
}
