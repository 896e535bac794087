// Multi-window, multi-burn-rate alerts (Google SRE Workbook, chapter 5). An alert fires when both its
// long window (is the budget really burning?) and its short window (is it still burning now?) run
// hotter than its burn rate; the short window makes it reset minutes after recovery.
import { z } from 'zod';
import { parseOptions } from '../core/index.js';
import { tidyRatio } from './budget.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './durations.js';
import { nominalWindowMs, type ParsedSloOptions } from './options.js';

/** How loud an alert is: `page` wakes someone up, `ticket` waits for working hours. */
export type BurnRateSeverity = 'page' | 'ticket';

/** A named set of alert windows: `google` (SRE Workbook) or `sloth` (Sloth's defaults). */
export type BurnRatePreset = 'google' | 'sloth';

/** One multi-window burn-rate alert, with its threshold and what firing means for the budget. */
export interface BurnRateAlert {
  /** How loud the alert is. */
  readonly severity: BurnRateSeverity;
  /** The long window, in ms: proves the budget is really burning. */
  readonly longWindowMs: number;
  /** The short window, in ms: proves it is still burning, so the alert resets soon after recovery. */
  readonly shortWindowMs: number;
  /** The alert fires when both windows burn faster than this. */
  readonly burnRate: number;
  /** The share of the whole budget spent when the long window burns at exactly `burnRate`. */
  readonly budgetConsumed: number;
}

/** Input of {@link burnRateAlerts}. */
export interface BurnRateAlertsInput {
  /** The SLO window in ms (for calendar windows, the nominal length: 30 d, 7 d or 1 d). */
  readonly windowMs: number;
  /**
   * `google`: fixed burn rates 14.4× (1 h / 5 m) and 6× (6 h / 30 m) page, 1× (3 d / 6 h) ticket.
   * `sloth`: fixed budget shares 2 % (1 h / 5 m) and 5 % (6 h / 30 m) page, 10 % (1 d / 2 h) and 10 %
   * (3 d / 6 h) ticket, with burn rate = share × window ÷ long window. Both agree on a 30-day window.
   * @default 'google'
   */
  readonly preset?: BurnRatePreset;
}

interface PresetEntry {
  readonly severity: BurnRateSeverity;
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  readonly burnRate?: number | undefined;
  readonly budgetConsumed?: number | undefined;
}

const PRESETS: Readonly<Record<BurnRatePreset, readonly PresetEntry[]>> = {
  google: [
    { severity: 'page', longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, burnRate: 14.4 },
    { severity: 'page', longWindowMs: 6 * HOUR_MS, shortWindowMs: 30 * MINUTE_MS, burnRate: 6 },
    { severity: 'ticket', longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * HOUR_MS, burnRate: 1 },
  ],
  sloth: [
    { severity: 'page', longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, budgetConsumed: 0.02 },
    { severity: 'page', longWindowMs: 6 * HOUR_MS, shortWindowMs: 30 * MINUTE_MS, budgetConsumed: 0.05 },
    { severity: 'ticket', longWindowMs: DAY_MS, shortWindowMs: 2 * HOUR_MS, budgetConsumed: 0.1 },
    { severity: 'ticket', longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * HOUR_MS, budgetConsumed: 0.1 },
  ],
};

const inputSchema = z.strictObject({
  windowMs: z.number().gt(0),
  preset: z.enum(['google', 'sloth']).default('google'),
});

/**
 * The multi-window, multi-burn-rate alerts of a preset for an SLO window. Alerts whose long window is
 * longer than the SLO window are left out (they could never fire on the budget they describe).
 *
 * @example
 * ```ts
 * burnRateAlerts({ windowMs: 28 * 86_400_000, preset: 'sloth' }).map((a) => a.burnRate); // [13.44, 5.6, 2.8, 0.933333333333]
 * ```
 * @throws {ConfigError} when `windowMs` is not positive or `preset` is unknown.
 */
export function burnRateAlerts(input: BurnRateAlertsInput): BurnRateAlert[] {
  const { windowMs, preset } = parseOptions(inputSchema, input, 'burnRateAlerts');
  return resolveAlertWindows(PRESETS[preset], windowMs);
}

/**
 * Completes alert windows given by burn rate or by budget share; preset windows longer than the SLO
 * window are dropped, a caller's own windows are kept.
 */
export function resolveAlertWindows(
  entries: readonly PresetEntry[],
  windowMs: number,
  keepLonger = false,
): BurnRateAlert[] {
  const out: BurnRateAlert[] = [];
  for (const entry of entries) {
    if (entry.longWindowMs > windowMs && !keepLonger) continue;
    const span = windowMs / entry.longWindowMs;
    const rate = entry.burnRate ?? tidyRatio((entry.budgetConsumed ?? 0) * span);
    out.push({
      severity: entry.severity,
      longWindowMs: entry.longWindowMs,
      shortWindowMs: entry.shortWindowMs,
      burnRate: rate,
      budgetConsumed: entry.budgetConsumed ?? tidyRatio(rate / span),
    });
  }
  return out;
}

/** The alerts an SLO's `alerts` option stands for, resolved against its (nominal) window. */
export function alertsOf(options: ParsedSloOptions): BurnRateAlert[] {
  const windowMs = nominalWindowMs(options.window);
  if (options.alerts === false) return [];
  if (typeof options.alerts === 'string') return resolveAlertWindows(PRESETS[options.alerts], windowMs);
  return resolveAlertWindows(options.alerts, windowMs, true);
}
