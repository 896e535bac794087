// The definition of one SLO: what counts as good, over which window, and which alerts watch it. The
// tracker, the Prometheus rule generator and the OpenSLO exporter all take this same shape.
import { z } from 'zod';
import { targetSchema as target } from './budget.js';
import type { BurnRateSeverity, BurnRatePreset } from './burn-rate-alerts.js';
import { DAY_MS, MINUTE_MS, SECOND_MS } from './durations.js';

/** Good iff the request succeeded. */
export interface AvailabilityObjective {
  /** Counts each recorded event as good when `ok`. */
  readonly kind: 'availability';
  /**
   * The share of events that must be good, in (0, 1) exclusive: `0.999` for 99.9 %. Every target is
   * rounded once to 12 decimals, so `99.9 / 100` (0.9990000000000001) is tracked as `0.999`.
   */
  readonly target: number;
}

/** Good iff the request succeeded within a latency threshold. */
export interface LatencyObjective {
  /** Counts each event as good when `ok` and `latencyMs <= thresholdMs`. */
  readonly kind: 'latency';
  /** The share of events that must be good, in (0, 1) exclusive: `0.95` for "95 % under 200 ms". */
  readonly target: number;
  /** The latency limit in ms; an event exactly at the limit is good. */
  readonly thresholdMs: number;
}

/** Good time slices: a slice is good iff it saw a sample and every sample's lag was within bounds. */
export interface FreshnessObjective {
  /** Budgets time slices rather than events (OpenSLO "Timeslices"). */
  readonly kind: 'freshness';
  /** The share of slices that must be fresh, in (0, 1) exclusive. */
  readonly target: number;
  /** The largest acceptable lag in ms: `observeFreshness(t)` is fresh when `now - t <= maxLagMs`. */
  readonly maxLagMs: number;
  /**
   * The slice length in ms, a whole number of seconds. A slice with no sample counts as bad once
   * judging has started (at the first sample).
   * @default 60_000
   */
  readonly sliceMs?: number;
}

/** What the SLO measures. */
export type SloObjective = AvailabilityObjective | LatencyObjective | FreshnessObjective;

/** The last `durationMs`, moving with the clock. */
export interface RollingWindow {
  /** A window that slides with time. */
  readonly kind: 'rolling';
  /** The window length in ms: a whole number of seconds, from 1 minute to 366 days. */
  readonly durationMs: number;
}

/** The current calendar month, ISO week (from Monday) or day, in an IANA time zone. */
export interface CalendarWindow {
  /** A window that resets at each calendar boundary. */
  readonly kind: 'calendar';
  /** Which calendar period. */
  readonly unit: 'month' | 'week' | 'day';
  /**
   * The IANA time zone whose local midnight starts a period, e.g. `Europe/Berlin`.
   * @default 'UTC'
   */
  readonly timeZone?: string;
}

/** The window the budget is computed over. */
export type SloWindow = RollingWindow | CalendarWindow;

/** A custom alert window pair: give its burn rate or the budget share it stands for, not both. */
export interface SloAlertWindow {
  /** How loud the alert is. */
  readonly severity: BurnRateSeverity;
  /** The long window in ms (whole seconds, at most 3 days or the rolling window if longer). */
  readonly longWindowMs: number;
  /** The short window in ms (whole seconds, shorter than the long one). */
  readonly shortWindowMs: number;
  /** Fire when both windows burn faster than this. */
  readonly burnRate?: number;
  /** Or: fire when the long window alone would spend this share of the budget (Sloth style). */
  readonly budgetConsumed?: number;
}

/** Options of {@link createSloTracker}, {@link toPrometheusRules} and {@link toOpenSlo}: one SLO. */
export interface SloTrackerOptions {
  /**
   * Names the SLO in status, events, Prometheus labels and OpenSLO documents: 1 to 128 characters
   * from `A-Z a-z 0-9 . _ : -`, starting with a letter or digit.
   */
  readonly name: string;
  /** What counts as good, and the target share. */
  readonly objective: SloObjective;
  /**
   * The budget window.
   * @default { kind: 'rolling', durationMs: 30 days }
   */
  readonly window?: SloWindow;
  /**
   * Burn-rate alerts: a preset, a list of window pairs, or `false` for none. Calendar windows use their
   * nominal length (month 30 d, week 7 d, day 1 d) to derive thresholds.
   * @default 'google'
   */
  readonly alerts?: BurnRatePreset | false | readonly SloAlertWindow[];
  /** A human description, carried into alert annotations and OpenSLO documents. */
  readonly description?: string;
}

const wholeSeconds = (min: number, max: number) => z.number().int().min(min).max(max).multipleOf(SECOND_MS);

/** The longest tracked burn-rate window; alert windows may reach the rolling window when it is longer. */
export const MAX_FIXED_SPAN_MS = 3 * DAY_MS;
/** The longest rolling window. */
export const MAX_ROLLING_MS = 366 * DAY_MS;

export const objectiveSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('availability'), target }),
  z.strictObject({ kind: z.literal('latency'), target, thresholdMs: z.number().gt(0) }),
  z.strictObject({
    kind: z.literal('freshness'),
    target,
    maxLagMs: z.number().gt(0),
    sliceMs: wholeSeconds(SECOND_MS, DAY_MS).default(MINUTE_MS),
  }),
]);

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const windowSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rolling'), durationMs: wholeSeconds(MINUTE_MS, MAX_ROLLING_MS) }),
  z.strictObject({
    kind: z.literal('calendar'),
    unit: z.enum(['month', 'week', 'day']),
    timeZone: z
      .string()
      .refine(isTimeZone, { message: 'an IANA time zone (e.g. "Europe/Berlin")' })
      .default('UTC'),
  }),
]);

const alertWindowSchema = z
  .strictObject({
    severity: z.enum(['page', 'ticket']),
    longWindowMs: wholeSeconds(2 * SECOND_MS, MAX_ROLLING_MS),
    shortWindowMs: wholeSeconds(SECOND_MS, MAX_ROLLING_MS),
    burnRate: z.number().gt(0).optional(),
    budgetConsumed: z.number().gt(0).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.burnRate === undefined) === (value.budgetConsumed === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['burnRate'],
        message: 'exactly one of burnRate or budgetConsumed',
      });
    if (value.shortWindowMs >= value.longWindowMs)
      ctx.addIssue({
        code: 'custom',
        path: ['shortWindowMs'],
        message: `a window shorter than longWindowMs (${value.longWindowMs})`,
      });
  });

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const sloOptionsSchema = z
  .strictObject({
    name: z.string().refine((value) => NAME.test(value), {
      message: '1-128 characters from A-Z a-z 0-9 . _ : - (starting alphanumeric)',
    }),
    objective: objectiveSchema,
    window: windowSchema.default({ kind: 'rolling', durationMs: 30 * DAY_MS }),
    alerts: z
      .union([z.enum(['google', 'sloth']), z.literal(false), z.array(alertWindowSchema).max(16).readonly()])
      .default('google'),
    description: z.string().max(1024).optional(),
  })
  .superRefine((value, ctx) => {
    if (!Array.isArray(value.alerts)) return;
    const limit = Math.max(MAX_FIXED_SPAN_MS, value.window.kind === 'rolling' ? value.window.durationMs : 0);
    value.alerts.forEach((alert: { longWindowMs: number }, i: number) => {
      if (alert.longWindowMs > limit)
        ctx.addIssue({
          code: 'custom',
          path: ['alerts', i, 'longWindowMs'],
          message: `at most ${limit} ms (3 days, or the rolling window when longer)`,
        });
    });
  });

/** Parsed, defaulted SLO options. */
export type ParsedSloOptions = z.output<typeof sloOptionsSchema>;

/** The window length alert thresholds are derived from: calendar periods use their nominal length. */
export function nominalWindowMs(window: ParsedSloOptions['window']): number {
  if (window.kind === 'rolling') return window.durationMs;
  return window.unit === 'month' ? 30 * DAY_MS : window.unit === 'week' ? 7 * DAY_MS : DAY_MS;
}
