/** How a retry delay is randomised (AWS's names; see "Exponential Backoff And Jitter"). */
export type Jitter = 'full' | 'equal' | 'decorrelated' | 'none';

/** The numbers a delay is computed from, fixed at construction. */
export interface DelayPlan {
  readonly jitter: Jitter;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
}

// A random source outside [0, 1) (or NaN) must not push a delay out of its bounds.
function unit(random: () => number): number {
  const r = random();
  return r >= 0 && r < 1 ? r : 0;
}

/**
 * The delay before retry number `retry` (1 for the first retry), in ms, never above `maxDelayMs`.
 * With `exp = min(maxDelayMs, minDelayMs * factor^(retry - 1))`:
 * - none: `exp`
 * - full: uniform in `[0, exp)`
 * - equal: uniform in `[exp / 2, exp)`
 * - decorrelated: uniform in `[minDelayMs, min(maxDelayMs, 3 * previous))`, `previous` being the last
 *   delay (`minDelayMs` before the first retry)
 */
export function retryDelay(plan: DelayPlan, retry: number, previous: number, random: () => number): number {
  if (plan.jitter === 'decorrelated') {
    const upper = Math.min(plan.maxDelayMs, 3 * Math.max(previous, plan.minDelayMs));
    return Math.min(plan.maxDelayMs, plan.minDelayMs + unit(random) * (upper - plan.minDelayMs));
  }
  const exp = Math.min(plan.maxDelayMs, plan.minDelayMs * plan.factor ** (retry - 1));
  switch (plan.jitter) {
    case 'none':
      return exp;
    case 'full':
      return unit(random) * exp;
    case 'equal':
      return exp / 2 + (unit(random) * exp) / 2;
  }
}
