import type { SignalStep } from './correlate.js';

// Whether a golden signal stepped up after a change: the share of bad events (errors, or requests
// slower than an SLO's threshold) in a window after the change against the same-length window before.

/** Bad and total events over a window. */
export interface WindowCounts {
  readonly bad: number;
  readonly total: number;
}

/** The fewest events on each side before a step is judged. */
const MIN_EVENTS = 20;
/** How many standard deviations above the before-rate the after-count must be. */
const MIN_Z = 3;

/**
 * Compares the bad share after a change with the share before it: `stepped` when the after-share is at
 * least twice the before-share, with at least 3 bad events, and the after-count is at least 3 standard
 * deviations above what the before-share predicts (a binomial z, the before-share smoothed by half an
 * event so a clean before does not make one error a step). A step's `strength` is the log-likelihood
 * ratio of two rates split at the change against one rate over both windows: the change-point
 * statistic, largest for the change the step really followed. `undefined` with fewer than 20 events on
 * either side: the signal cannot tell.
 *
 * @example
 * ```ts
 * signalStepOf('SLO availability', { bad: 12, total: 12_000 }, { bad: 46, total: 2_000 });
 * // { stepped: true, strength: 70.9, evidence: 'SLO availability: bad 0.1 % before (12 of 12000), 2.3 % after (46 of 2000)' }
 * ```
 */
export function signalStepOf(
  label: string,
  before: WindowCounts,
  after: WindowCounts,
): SignalStep | undefined {
  if (before.total < MIN_EVENTS || after.total < MIN_EVENTS) return undefined;
  const base = (before.bad + 0.5) / (before.total + 1);
  const rate = after.bad / after.total;
  const z = (after.bad - after.total * base) / Math.sqrt(after.total * base * (1 - base));
  const stepped = after.bad >= 3 && rate >= 2 * base && z >= MIN_Z;
  return {
    stepped,
    strength: stepped ? stepLogLikelihoodRatio(before, after) : 0,
    evidence: `${label}: bad ${share(before.bad / before.total)} before (${before.bad} of ${before.total}), ${share(rate)} after (${after.bad} of ${after.total})`,
  };
}

// How much better two rates (before, after) explain the counts than one rate: the change-point
// statistic, largest when the split falls where the rate really changed.
function stepLogLikelihoodRatio(before: WindowCounts, after: WindowCounts): number {
  const ll = (bad: number, total: number, p: number): number =>
    (bad > 0 ? bad * Math.log(p) : 0) + (total - bad > 0 ? (total - bad) * Math.log1p(-p) : 0);
  const pooled = (before.bad + after.bad) / (before.total + after.total);
  const llr =
    ll(before.bad, before.total, before.bad / before.total) +
    ll(after.bad, after.total, after.bad / after.total) -
    ll(before.bad + after.bad, before.total + after.total, pooled);
  return Math.max(0, llr);
}

function share(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10} %`;
}
