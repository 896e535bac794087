// Least-squares trends for capacity planning. Pure functions: no clock, no state.

/** One observation of a trend: `x` (e.g. time in ms) and the value seen then. */
export interface TrendPoint {
  readonly x: number;
  readonly y: number;
}

/** A fitted line `y = intercept + slope × x` and how well it explains the points. */
export interface TrendFit {
  /** Change of `y` per unit of `x`. */
  readonly slope: number;
  /** `y` at `x = 0`. */
  readonly intercept: number;
  /**
   * The coefficient of determination r², 0 to 1: the share of the variance the line explains. 1 when
   * the points lie on the line (a flat series included), 0 with fewer than two distinct `x`.
   */
  readonly confidence: number;
  /** Points used (non-finite ones are skipped). */
  readonly samples: number;
}

/**
 * Fits a straight line through `points` by ordinary least squares. Computed on centred values so
 * epoch-millisecond `x` keeps its precision; never returns NaN (non-finite points are skipped, and
 * fewer than two distinct `x` give a flat line through the mean with confidence 0).
 *
 * @example
 * ```ts
 * fitTrend([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]); // { slope: 2, intercept: 1, confidence: 1, samples: 3 }
 * ```
 */
export function fitTrend(points: readonly TrendPoint[]): TrendFit {
  let n = 0;
  let sumX = 0;
  let sumY = 0;
  for (const { x, y } of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    n++;
    sumX += x;
    sumY += y;
  }
  if (n === 0) return { slope: 0, intercept: 0, confidence: 0, samples: 0 };
  const meanX = sumX / n;
  const meanY = sumY / n;
  // Deviations are scaled to at most 1 so tiny or huge values neither underflow nor overflow.
  let scaleX = 0;
  let scaleY = 0;
  for (const { x, y } of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    scaleX = Math.max(scaleX, Math.abs(x - meanX));
    scaleY = Math.max(scaleY, Math.abs(y - meanY));
  }
  if (!(scaleX > 0) || !Number.isFinite(scaleX))
    return { slope: 0, intercept: meanY, confidence: 0, samples: n };
  // A flat series (up to the rounding of its mean) is explained exactly by a flat line.
  if (!(scaleY > Math.abs(meanY) * 1e-12) || !Number.isFinite(scaleY))
    return { slope: 0, intercept: meanY, confidence: 1, samples: n };
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const { x, y } of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const dx = (x - meanX) / scaleX;
    const dy = (y - meanY) / scaleY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = (sxy / sxx) * (scaleY / scaleX);
  const intercept = meanY - slope * meanX;
  // r² = explained / total variance.
  const confidence = (sxy / sxx) * (sxy / syy);
  return {
    slope: Number.isFinite(slope) ? slope : 0,
    intercept: Number.isFinite(intercept) ? intercept : meanY,
    confidence: Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : 0,
    samples: n,
  };
}

/**
 * How long after `x` the fitted line reaches `limit`: 0 when `current` (or the line at `x`) is already
 * there, `null` when the line is flat or falling (it never does).
 */
export function timeToLimit(fit: TrendFit, x: number, limit: number, current?: number): number | null {
  const now = fit.intercept + fit.slope * x;
  if ((current !== undefined && current >= limit) || now >= limit) return 0;
  if (!(fit.slope > 0)) return null;
  const left = (limit - now) / fit.slope;
  return Number.isFinite(left) ? left : null;
}

/** The saturation signals the capacity forecast follows. */
export const CAPACITY_SIGNALS = [
  'eventLoopUtilization',
  'eventLoopDelayP99Ms',
  'heapRatio',
  'rssBytes',
  'cpuRatio',
] as const;

/** One saturation signal the capacity forecast follows. */
export type CapacitySignal = (typeof CAPACITY_SIGNALS)[number];

/**
 * The limits a capacity forecast uses when neither the monitor's `capacityLimits` nor an overload of
 * the saturation monitor says otherwise: 90 % event-loop utilization, 200 ms p99 event-loop delay
 * (where requests start queueing visibly), 90 % of the V8 heap limit, 90 % of one core. RSS has no
 * portable default and is computed from the machine (90 % of the smaller of total and cgroup memory).
 */
export const DEFAULT_CAPACITY_LIMITS: Readonly<Omit<Record<CapacitySignal, number>, 'rssBytes'>> =
  Object.freeze({
    eventLoopUtilization: 0.9,
    eventLoopDelayP99Ms: 200,
    heapRatio: 0.9,
    cpuRatio: 0.9,
  });
