import { HOUR_MS } from './history.js';

// How the monitor's reports write times and numbers into their fields and sentences.

/** An epoch-ms time as an ISO-8601 string. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Whether `ms` is a time {@link iso} can write: `Date` holds ±8.64e15 ms (about 275,000 years either
 * side of 1970). A forecast beyond that is "never" for every practical purpose.
 */
export function isRepresentableTime(ms: number): boolean {
  return Math.abs(ms) <= 8.64e15;
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
  if (ms >= 2 * HOUR_MS) return `${round(ms / HOUR_MS, 1)} h`;
  if (ms >= 120_000) return `${round(ms / 60_000, 1)} min`;
  return `${round(ms / 1000, 1)} s`;
}
