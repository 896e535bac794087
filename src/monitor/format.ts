import { HOUR_MS } from './history.js';

// How the monitor's reports write times and numbers into their fields and sentences.

/** The last instant a report writes as a time: 9999-12-31T23:59:59.999Z (ISO-8601's four-digit years). */
export const LATEST_REPORTED_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** An epoch-ms time as an ISO-8601 string. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Whether `ms` is a time a report states: finite and no later than {@link LATEST_REPORTED_TIME_MS}.
 * `Date` itself reaches year 275760, but `+018453-…` is no ISO-8601 time a consumer (or our own
 * schemas) accepts, and a forecast that far out means "never" for every practical purpose.
 */
export function isRepresentableTime(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= LATEST_REPORTED_TIME_MS;
}

/**
 * A forecast "`left` ms after `now`" as the reports state it: the duration and its ISO time, or both
 * `null` ("never") when `left` is not a finite, non-negative duration or lands past 9999-12-31.
 */
export function forecastTime(
  now: number,
  left: number | null,
): { readonly inMs: number | null; readonly at: string | null } {
  if (left === null || !(left >= 0) || !isRepresentableTime(now + left)) return { inMs: null, at: null };
  return { inMs: left, at: iso(now + left) };
}

/** `value` rounded to `decimals` places. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** A number for a sentence: whole from 100 up, two decimals below. */
export function fmt(value: number): string {
  return String(round(value, value >= 100 ? 0 : 2));
}

/** A ratio for a sentence, as a percentage: `12.5 %`. */
export function pct(ratio: number): string {
  return `${round(ratio * 100, 2)} %`;
}

/** A duration for a sentence: `5 min`, `6 h`, `3 d`. */
export function describeMs(ms: number): string {
  if (ms >= 2 * 24 * HOUR_MS) return `${round(ms / (24 * HOUR_MS), 1)} d`;
  if (ms >= HOUR_MS) return `${round(ms / HOUR_MS, 1)} h`;
  if (ms >= 120_000) return `${round(ms / 60_000, 1)} min`;
  return `${round(ms / 1000, 1)} s`;
}
