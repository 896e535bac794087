// Pure error-budget math: no state, no clock, safe for any agent or tool to call. Inputs are validated
// with zod because these functions are called rarely and from untrusted places (an agent's request);
// the tracker's hot path never calls them, it uses the unchecked helpers at the bottom.
import { z } from 'zod';
import { parseOptions } from '../core/index.js';

const targetSchema = z.number().gt(0).lt(1);
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

/** How much of the error budget a window used, as ratios of the whole budget. */
export interface BudgetUsage {
  /** The share of the budget used: 0 = none, 1 = all of it; above 1 when overspent. */
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
  return { consumed, remaining: 1 - consumed };
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

/**
 * `1 - target` without binary noise: a target written with d decimals has a budget with at most d
 * decimals, so rounding to d decimals recovers it exactly (1 - 0.999 = 0.0010000000000000009 → 0.001).
 * That makes "burn rate = 1 when the error ratio equals the budget" hold exactly.
 */
export function budgetRatioOf(target: number): number {
  const raw = 1 - target;
  const text = String(target);
  const dot = text.indexOf('.');
  if (dot === -1 || text.includes('e')) return raw;
  const decimals = text.length - dot - 1;
  return decimals <= 15 ? Number(raw.toFixed(decimals)) : raw;
}

/** Unchecked burn rate for internal callers that validated already. */
export function burnOf(good: number, total: number, budget: number): number {
  return total === 0 ? 0 : (total - good) / total / budget;
}

/** Unchecked {@link timeToExhaustion}. */
export function exhaustionOf(windowMs: number, remaining: number, rate: number): number {
  if (remaining <= 0) return 0;
  if (rate === 0) return Number.POSITIVE_INFINITY;
  return (remaining * windowMs) / rate;
}
