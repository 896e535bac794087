// Wall-clock arithmetic in IANA time zones, on Intl only (no time-zone database of our own). Cold
// paths: the calendar calls these when it computes an occurrence, never on every `active()`.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Distinct zones whose formatter is kept; past it formatters are built per call (slower, still right). */
const MAX_ZONES = 256;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size < MAX_ZONES) formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone this runtime knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** A calendar day: year, month 1-12, day 1-31. */
export interface LocalDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The wall-clock reading of an instant in a zone. */
export interface LocalTime extends LocalDay {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** What the wall clock of `timeZone` shows at `epochMs`. */
export function localTime(timeZone: string, epochMs: number): LocalTime {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterOf(timeZone).formatToParts(epochMs)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  return fields;
}

/** The zone's offset from UTC at `epochMs`, in ms (Berlin in summer: +7_200_000). */
export function offsetAt(timeZone: string, epochMs: number): number {
  const t = localTime(timeZone, epochMs);
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return wall - Math.floor(epochMs / 1_000) * 1_000;
}

/** The weekday of a calendar day: 0 Sunday … 6 Saturday. */
export function weekdayOf(day: LocalDay): number {
  return new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
}

/** How many days the month of `day` has. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar day `days` after `day` (negative: before). */
export function addDays(day: LocalDay, days: number): LocalDay {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** How a wall-clock time was found on the clock that day. */
export type Resolution = 'exact' | 'skipped' | 'repeated';

/** A wall-clock time turned into an instant. */
export interface ResolvedTime {
  readonly at: number;
  readonly resolution: Resolution;
}

/**
 * The instant the wall clock of `timeZone` shows `minuteOfDay` (0-1440) on `day`. A time shown twice
 * (the hour repeated when clocks go back) is its first showing for `'first'` and its second for
 * `'last'`. A time never shown (the hour skipped when clocks go forward) is the instant of the jump:
 * the first moment after it that the clock does show.
 */
export function resolveLocal(
  timeZone: string,
  day: LocalDay,
  minuteOfDay: number,
  which: 'first' | 'last',
): ResolvedTime {
  const wall = Date.UTC(day.year, day.month - 1, day.day) + minuteOfDay * MINUTE_MS;
  // The offsets a day either side bracket any transition near this time (zones change at most once
  // within two days), so the instant is `wall - offset` for one of them, or for both in an overlap.
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const candidates: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const at = wall - offset;
    if (offsetAt(timeZone, at) === offset && !candidates.includes(at)) candidates.push(at);
  }
  candidates.sort((a, b) => a - b);
  if (candidates.length === 2)
    return { at: which === 'first' ? candidates[0]! : candidates[1]!, resolution: 'repeated' };
  if (candidates.length === 1) return { at: candidates[0]!, resolution: 'exact' };
  return { at: jumpInstant(timeZone, wall - after, wall - before, after), resolution: 'skipped' };
}

// The first instant in [low, high] at which the zone's offset is already `after`: the moment the
// clock jumped over the skipped time. Transitions fall on whole seconds.
function jumpInstant(timeZone: string, low: number, high: number, after: number): number {
  let lo = Math.floor(low / 1_000);
  let hi = Math.ceil(high / 1_000);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(timeZone, mid * 1_000) === after) hi = mid;
    else lo = mid + 1;
  }
  return lo * 1_000;
}

/** The calendar day of an instant in a zone. */
export function localDayOf(timeZone: string, epochMs: number): LocalDay {
  const { year, month, day } = localTime(timeZone, epochMs);
  return { year, month, day };
}
