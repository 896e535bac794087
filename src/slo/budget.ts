// Pure error-budget math: no state, no clock, safe for any agent or tool to call. Inputs are validated
// with zod because these functions are called rarely and from untrusted places (an agent's request);
// the tracker's hot path never calls them, it uses the unchecked helpers at the bottom.
import { z } from 'zod';
import { parseOptions } from '../core/index.js';

/** Targets are kept to 12 decimals: beyond that a target is binary noise (99.9 / 100 = 0.9990000000000001). */
const TARGET_DECIMALS = 12;
/** Ratios derived from counts keep 12 significant digits, far below any meaningful difference. */
const RATIO_DIGITS = 12;
// 1e0 … 1e22, every one an exact double; a table, because `10 ** n` is slow for a variable n.
const POWERS_OF_TEN: readonly number[] = Array.from({ length: 23 }, (_, n) => Number(`1e${n}`));

/**
 * A target as a ratio in (0, 1), normalised once to 12 decimals, so `99.9 / 100` is the `0.999` the
 * user meant and every budget computed from it is exact. Shared by every schema that takes a target.
 */
export const targetSchema = z
  .number()
  .gt(0)
  .lt(1)
  .refine((value) => normalizeTarget(value) > 0 && normalizeTarget(value) < 1, {
    message: 'a target in (0, 1) that stays inside it at 12 decimals',
  })
  .transform(normalizeTarget);
const countSchema = z.number().min(0);

/** Input of {@link errorBudget}. */
export interface ErrorBudgetInput {
  /** The SLO target as a ratio in (0, 1), e.g. `0.999` for 99.9 %. */
  readonly target: number;
  /** The length of the SLO window in milliseconds, e.g. `30 * 86_400_000`. */
  readonly windowMs: number;
}

/** The error budget of an SLO: the share of events (or time) allowed to be bad. */
export interface ErrorBudget {
  /** `1 - target`, computed in decimal so `0.999` gives exactly `0.001`. */
  readonly ratio: number;
  /** How long the service may be fully down within the window: `windowMs × ratio`. */
  readonly allowedDowntimeMs: number;
}

/** Input of {@link burnRate} and {@link budgetRemaining}. */
export interface BudgetUsageInput {
  /** The SLO target as a ratio in (0, 1). */
  readonly target: number;
  /** Good events (or good time slices) in the window; at most `total`. */
  readonly good: number;
  /** All events (or time slices) in the window. */
  readonly total: number;
}

/**
 * How much of the error budget a window used, as ratios of the whole budget, each rounded to 12
 * significant digits (7 bad in 10,000 at 99.9 % is `0.7`, not `0.7000000000000001`).
 */
export interface BudgetUsage {
  /**
   * The share of the budget used: 0 = none, 1 = all of it; above 1 when overspent. The window met its
   * target while `consumed <= 1`; the tracker calls the budget exhausted from `consumed >= 1`.
   */
  readonly consumed: number;
  /** `1 - consumed`; negative when the budget is overspent. */
  readonly remaining: number;
}

/** Input of {@link timeToExhaustion}. */
export interface TimeToExhaustionInput {
  /** The length of the SLO window in milliseconds. */
  readonly windowMs: number;
  /** The share of the budget left, as {@link BudgetUsage.remaining} reports it (may be negative). */
  readonly remaining: number;
  /** The burn rate to extrapolate, e.g. the last hour's. */
  readonly burnRate: number;
}

const errorBudgetSchema = z.strictObject({ target: targetSchema, windowMs: z.number().gt(0) });

const usageSchema = z
  .strictObject({ target: targetSchema, good: countSchema, total: countSchema })
  .superRefine((value, ctx) => {
    if (value.good > value.total)
      ctx.addIssue({ code: 'custom', path: ['good'], message: `a number <= total (${value.total})` });
  });

const exhaustionSchema = z.strictObject({
  windowMs: z.number().gt(0),
  remaining: z.number(),
  burnRate: z.number().min(0),
});

/**
 * The error budget of an SLO over a window.
 *
 * @example
 * ```ts
 * errorBudget({ target: 0.999, windowMs: 30 * 86_400_000 }); // { ratio: 0.001, allowedDowntimeMs: 2_592_000 } = 43.2 min
 * ```
 * @throws {ConfigError} when `target` is not in (0, 1) or `windowMs` is not a positive number.
 */
export function errorBudget(input: ErrorBudgetInput): ErrorBudget {
  const { target, windowMs } = parseOptions(errorBudgetSchema, input, 'errorBudget');
  const ratio = budgetRatioOf(target);
  return { ratio, allowedDowntimeMs: windowMs * ratio };
}

/**
 * How fast a window spends the error budget: its error ratio divided by the budget ratio, so 1 spends
 * exactly the budget over the SLO window and 14.4 spends a 30-day budget in 50 hours. 0 when `total` is 0.
 *
 * @example
 * ```ts
 * burnRate({ target: 0.999, good: 9_900, total: 10_000 }); // 10
 * ```
 * @throws {ConfigError} on a target outside (0, 1), negative counts, or `good > total`.
 */
export function burnRate(input: BudgetUsageInput): number {
  const { target, good, total } = parseOptions(usageSchema, input, 'burnRate');
  return burnOf(good, total, budgetRatioOf(target));
}

/**
 * How much of the error budget the events of a window consumed and how much is left. With no events
 * nothing is consumed; when the error ratio exceeds the budget, `remaining` goes negative.
 *
 * @example
 * ```ts
 * budgetRemaining({ target: 0.999, good: 999_400, total: 1_000_000 }); // { consumed: 0.6, remaining: 0.4 }
 * ```
 * @throws {ConfigError} on a target outside (0, 1), negative counts, or `good > total`.
 */
export function budgetRemaining(input: BudgetUsageInput): BudgetUsage {
  const { target, good, total } = parseOptions(usageSchema, input, 'budgetRemaining');
  const consumed = burnOf(good, total, budgetRatioOf(target));
  return { consumed, remaining: remainingOf(consumed) };
}

/**
 * How long until the budget is spent if the burn rate holds: `remaining × windowMs / burnRate`.
 * 0 when nothing remains; `Infinity` at burn rate 0.
 *
 * @example
 * ```ts
 * timeToExhaustion({ windowMs: 30 * 86_400_000, remaining: 0.4, burnRate: 6 }); // 172_800_000 (48 h)
 * ```
 * @throws {ConfigError} when `windowMs` is not positive or `burnRate` is negative or not finite.
 */
export function timeToExhaustion(input: TimeToExhaustionInput): number {
  const { windowMs, remaining, burnRate: rate } = parseOptions(exhaustionSchema, input, 'timeToExhaustion');
  return exhaustionOf(windowMs, remaining, rate);
}

/** Rounds a target to 12 decimals (see {@link targetSchema}); what every parsed target went through. */
export function normalizeTarget(target: number): number {
  return Number(target.toFixed(TARGET_DECIMALS));
}

/**
 * `1 - target` without binary noise: a target has at most 12 decimals once normalised, so its budget
 * has too, and rounding to 12 decimals recovers it exactly (1 - 0.999 = 0.0010000000000000009 → 0.001).
 * That makes "burn rate = 1 when the error ratio equals the budget" hold exactly.
 */
export function budgetRatioOf(target: number): number {
  return Number((1 - target).toFixed(TARGET_DECIMALS));
}

/**
 * Rounds a ratio derived from counts to 12 significant digits, so 7 bad events in 10,000 against a
 * 0.001 budget read 0.7, not 0.7000000000000001, and comparisons with 1 (spent, met) cannot flip on
 * binary noise. No strings and no allocation: the tracker calls it when it judges alerts on the
 * record path.
 */
export function tidyRatio(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const decimals = RATIO_DIGITS - 1 - decimalExponent(Math.abs(value));
  // Beyond 1e22 powers of ten are not exact doubles; a value that small or large carries no noise.
  if (decimals > 22 || decimals < -22) return value;
  if (decimals >= 0) {
    const scale = POWERS_OF_TEN[decimals] as number;
    return Math.round(value * scale) / scale;
  }
  const scale = POWERS_OF_TEN[-decimals] as number;
  return Math.round(value / scale) * scale;
}

// floor(log10(x)) for x > 0, clamped to ±22; ratios sit near 1, so a few comparisons beat Math.log10.
function decimalExponent(x: number): number {
  let e = 0;
  if (x >= 1) {
    while (e < 22 && x >= (POWERS_OF_TEN[e + 1] as number)) e++;
    return e;
  }
  e = -1;
  while (e > -22 && x * (POWERS_OF_TEN[-e] as number) < 1) e--;
  return e;
}

/** Unchecked burn rate (the share of the budget used, for a whole window) for validated callers. */
export function burnOf(good: number, total: number, budget: number): number {
  return total === 0 ? 0 : tidyRatio((total - good) / total / budget);
}

/** The share of the budget left once `consumed` is used: `1 - consumed`, without binary noise. */
export function remainingOf(consumed: number): number {
  return tidyRatio(1 - consumed);
}

/** Unchecked {@link timeToExhaustion}. */
export function exhaustionOf(windowMs: number, remaining: number, rate: number): number {
  if (remaining <= 0) return 0;
  if (rate === 0) return Number.POSITIVE_INFINITY;
  return (remaining * windowMs) / rate;
}
