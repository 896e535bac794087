import { constrainedMemory } from 'node:process';
import { totalmem } from 'node:os';
import { z } from 'zod';
import { parseOptions } from '../core/index.js';
import { CAPACITY_SIGNALS, fitTrend, timeToLimit, type CapacitySignal, type TrendPoint } from './forecast.js';
import { judgeForecast, type ForecastGates } from './forecast-gates.js';
import { forecastTime } from './format.js';
import { HOUR_MS, type SaturationPoint } from './history.js';
import type { CapacityForecast, CapacityPrediction } from './report-schemas.js';

/** The horizon a capacity forecast (and the performance analysis) looks ahead by default: a week. */
export const DEFAULT_HORIZON_MS = 7 * 24 * HOUR_MS;

/**
 * Per saturation signal, the least-squares trend of `samples` toward its limit, as seen at `now`. A
 * signal's forecast is stated only when its evidence passes `gates`; otherwise it is
 * `insufficient_data` with `reachesLimitInMs: null` and what is missing.
 */
export function capacityPredictions(
  samples: readonly SaturationPoint[],
  limits: Readonly<Record<CapacitySignal, number>>,
  now: number,
  gates: ForecastGates,
): CapacityPrediction[] {
  if (samples.length === 0) return [];
  const out: CapacityPrediction[] = [];
  for (const signal of CAPACITY_SIGNALS) {
    // The history keeps raw samples, a non-finite reading included; the fit and the span skip those.
    const points: TrendPoint[] = [];
    for (const p of samples)
      if (Number.isFinite(p.at) && Number.isFinite(p.values[signal]))
        points.push({ x: p.at, y: p.values[signal] });
    out.push(predictSignal(signal, points, limits[signal], now, gates));
  }
  return out;
}

/**
 * One signal's least-squares trend toward `limit` as seen at `now`, from its finite `points` (oldest
 * first): stated only when its evidence passes `gates`, otherwise `insufficient_data` with
 * `reachesLimitInMs: null` and what is missing. Saturation signals and connection pools alike.
 */
export function predictSignal(
  signal: string,
  points: readonly TrendPoint[],
  limit: number,
  now: number,
  gates: ForecastGates,
): CapacityPrediction {
  const fit = fitTrend(points);
  const first = points[0];
  const last = points[points.length - 1];
  const current = last?.y ?? 0;
  const slopePerHour = fit.slope * HOUR_MS;
  const evidence = {
    spanMs: first === undefined || last === undefined ? 0 : last.x - first.x,
    samples: fit.samples,
    fitR2: fit.confidence,
    slopePerHour,
  };
  const verdict = judgeForecast(evidence, gates);
  const left = verdict.status === 'ok' ? timeToLimit(fit, now, limit, current) : null;
  const when = forecastTime(now, left);
  return {
    signal,
    current,
    limit,
    slopePerHour,
    reachesLimitInMs: when.inMs,
    reachesLimitAt: when.at,
    confidence: fit.confidence,
    samples: fit.samples,
    status: verdict.status,
    missing: verdict.missing,
    evidence,
  };
}

const forecastOptionsSchema = z.strictObject({
  horizonMs: z.number().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

/**
 * The capacity forecast: every signal's prediction, and those whose stated forecast reaches the limit
 * within `horizonMs` (a signal below its gates is never at risk: there is no forecast to act on).
 * @throws {ConfigError} when `horizonMs` is not a finite number of ms >= 0.
 */
export function capacityForecast(
  signals: readonly CapacityPrediction[],
  options: { readonly horizonMs?: number },
): CapacityForecast {
  const parsed = parseOptions(forecastOptionsSchema, options, 'monitor.capacityForecast');
  const horizonMs = parsed.horizonMs ?? DEFAULT_HORIZON_MS;
  return {
    horizonMs,
    atRisk: signals
      .filter((s) => s.status === 'ok' && s.reachesLimitInMs !== null && s.reachesLimitInMs <= horizonMs)
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
