// Time constants and duration formatting shared by the SLO math, the tracker and the rule generators.

/** Milliseconds in one second. */
export const SECOND_MS = 1_000;
/** Milliseconds in one minute. */
export const MINUTE_MS = 60_000;
/** Milliseconds in one hour. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/**
 * The burn-rate windows `status().burnRates` always reports, in the order it reports them: the short
 * and long windows of the Google SRE Workbook and Sloth alert presets.
 */
export const BURN_RATE_WINDOWS = Object.freeze({
  '5m': 5 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': HOUR_MS,
  '2h': 2 * HOUR_MS,
  '6h': 6 * HOUR_MS,
  '1d': DAY_MS,
  '3d': 3 * DAY_MS,
});

/** The name of one of the {@link BURN_RATE_WINDOWS}. */
export type BurnRateWindowName = keyof typeof BURN_RATE_WINDOWS;

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', DAY_MS],
  ['h', HOUR_MS],
  ['m', MINUTE_MS],
  ['s', SECOND_MS],
];

/**
 * Formats a whole number of seconds as a Prometheus duration in its largest exact unit
 * (`300000` → `5m`, `259200000` → `3d`). Callers validate that `ms` is a positive multiple of 1000.
 */
export function formatDuration(ms: number): string {
  for (const [unit, size] of UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
