// A recurring window's day and time fields, Alertmanager's `time_intervals` in camelCase: weekdays,
// daysOfMonth (negative counts from the month's end), months, years and times. Fields are ANDed; the
// entries of one field are ORed; a field left out matches every day. Parsed once, when a window is
// added; matching a day is arithmetic on numbers.
import { addDays, daysInMonth, weekdayOf, type LocalDay } from './time-zone.js';

/** The week's days, Sunday first (0), as `weekdays` names them. */
export const WEEKDAYS = Object.freeze([
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const);

/** The months, January first (1), as `months` may name them. */
export const MONTHS = Object.freeze([
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const);

/** One entry of a field: an inclusive range (a single value is `from === to`), and how it was written. */
export interface FieldRange {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** One time range of a day, in minutes from local midnight; `end <= start` runs into the next day. */
export interface TimeRange {
  readonly startMinute: number;
  readonly endMinute: number;
  /** Nominal length in minutes (1 to 1440). */
  readonly minutes: number;
  readonly text: string;
}

/** A recurrence as parsed: `undefined` fields match every day. */
export interface ParsedRecurrence {
  readonly weekdays: readonly FieldRange[] | undefined;
  readonly daysOfMonth: readonly FieldRange[] | undefined;
  readonly months: readonly FieldRange[] | undefined;
  readonly years: readonly FieldRange[] | undefined;
  /** Sorted by start; the whole day (`00:00-24:00`) when none were given. */
  readonly times: readonly TimeRange[];
}

/** Which entry of each field a day matched; a field with no entry given is `'any'`. */
export interface DayMatch {
  readonly weekday: string;
  readonly dayOfMonth: string;
  readonly month: string;
  readonly year: string;
}

/** Why a day does not match: the first field (in weekday, day, month, year order) none of whose entries hold. */
export interface DayMismatch {
  readonly field: 'weekdays' | 'daysOfMonth' | 'months' | 'years';
  readonly value: string;
  readonly entries: readonly string[];
}

type Named = readonly string[];

function parseValue(text: string, names: Named | undefined, base: number): number | undefined {
  const lower = text.trim().toLowerCase();
  if (names !== undefined) {
    const index = names.indexOf(lower);
    if (index >= 0) return index + base;
  }
  return /^-?\d+$/.test(lower) ? Number(lower) : undefined;
}

/** What went wrong with one entry, for the ConfigError. */
export class FieldError extends Error {}

function parseRanges(
  entries: readonly (string | number)[],
  spec: { names?: Named; base: number; min: number; max: number; negative?: boolean; what: string },
): FieldRange[] {
  return entries.map((entry) => {
    const text = String(entry);
    const parts = typeof entry === 'number' ? [text] : text.split(':');
    if (parts.length > 2 || parts.some((p) => p.trim() === ''))
      throw new FieldError(`${spec.what} like 'a' or 'a:b' (received ${JSON.stringify(text)})`);
    const values = parts.map((p) => parseValue(p, spec.names, spec.base));
    for (const value of values) {
      const ok =
        value !== undefined &&
        Number.isInteger(value) &&
        ((value >= spec.min && value <= spec.max) ||
          (spec.negative === true && value <= -spec.min && value >= -spec.max));
      if (!ok) throw new FieldError(`${spec.what} (received ${JSON.stringify(text)})`);
    }
    const from = values[0]!;
    const to = values[1] ?? from;
    // Same-signed ranges must ascend; a mixed range (`1:-1`, the first to the last day) is resolved
    // per month and checked then.
    if (Math.sign(from) === Math.sign(to) && to < from)
      throw new FieldError(`an ascending range, e.g. two entries instead of ${JSON.stringify(text)}`);
    return { from, to, text: text.trim().toLowerCase() };
  });
}

function minuteOf(text: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return undefined;
  return hours * 60 + minutes;
}

/** The input of {@link parseRecurrence} (the `recurring` field of a window, time zone aside). */
export interface RecurrenceInput {
  readonly weekdays?: readonly string[] | undefined;
  readonly times?: readonly { readonly start: string; readonly end: string }[] | undefined;
  readonly daysOfMonth?: readonly (number | string)[] | undefined;
  readonly months?: readonly (number | string)[] | undefined;
  readonly years?: readonly (number | string)[] | undefined;
}

/**
 * Parses a recurrence; throws a {@link FieldError} whose message names what was expected, with the
 * field it belongs to in `field`.
 */
export function parseRecurrence(input: RecurrenceInput): ParsedRecurrence {
  const field = <T>(name: string, parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      if (error instanceof FieldError) throw Object.assign(error, { field: name });
      throw error;
    }
  };
  const weekdays =
    input.weekdays &&
    field('weekdays', () =>
      parseRanges(input.weekdays ?? [], {
        names: WEEKDAYS,
        base: 0,
        min: 0,
        max: 6,
        what: "weekday names ('monday', 'monday:friday')",
      }),
    );
  const daysOfMonth =
    input.daysOfMonth &&
    field('daysOfMonth', () =>
      parseRanges(input.daysOfMonth ?? [], {
        base: 1,
        min: 1,
        max: 31,
        negative: true,
        what: 'days 1 to 31, or -1 (the last day) to -31, or a range of them',
      }),
    );
  const months =
    input.months &&
    field('months', () =>
      parseRanges(input.months ?? [], {
        names: MONTHS,
        base: 1,
        min: 1,
        max: 12,
        what: "months 1 to 12 or their names ('january:march')",
      }),
    );
  const years =
    input.years &&
    field('years', () =>
      parseRanges(input.years ?? [], { base: 0, min: 1970, max: 9999, what: 'years 1970 to 9999' }),
    );
  const times = field('times', () =>
    (input.times ?? [{ start: '00:00', end: '24:00' }]).map(({ start, end }): TimeRange => {
      const startMinute = minuteOf(start);
      const endMinute = minuteOf(end);
      if (startMinute === undefined || endMinute === undefined || startMinute === 1_440)
        throw new FieldError(
          `times as 'HH:MM' from 00:00 to 23:59 and ends up to 24:00 (received ${JSON.stringify(`${start}-${end}`)})`,
        );
      if (startMinute === endMinute)
        throw new FieldError(`a start and an end that differ (received ${start}-${end})`);
      const minutes = endMinute > startMinute ? endMinute - startMinute : 1_440 - startMinute + endMinute;
      return { startMinute, endMinute: endMinute % 1_440, minutes, text: `${start}-${end}` };
    }),
  ).sort((a, b) => a.startMinute - b.startMinute);
  return {
    weekdays: weekdays && freeze(weekdays),
    daysOfMonth: daysOfMonth && freeze(daysOfMonth),
    months: months && freeze(months),
    years: years && freeze(years),
    times: freeze(times),
  };
}

function freeze<T>(items: T[]): readonly T[] {
  for (const item of items) Object.freeze(item);
  return Object.freeze(items);
}

function find(ranges: readonly FieldRange[] | undefined, value: number): FieldRange | 'any' | undefined {
  if (ranges === undefined) return 'any';
  for (const range of ranges) if (value >= range.from && value <= range.to) return range;
  return undefined;
}

// A day-of-month entry in the month at hand: negatives count back from its last day (-1 is the last),
// and entries past a short month's end are clamped to it, as Alertmanager does.
function findDayOfMonth(
  ranges: readonly FieldRange[] | undefined,
  day: number,
  monthDays: number,
): FieldRange | 'any' | undefined {
  if (ranges === undefined) return 'any';
  const resolve = (value: number): number =>
    value < 0 ? Math.max(1, monthDays + value + 1) : Math.min(value, monthDays);
  for (const range of ranges) {
    const from = resolve(range.from);
    const to = resolve(range.to);
    if (from <= to && day >= from && day <= to) return range;
  }
  return undefined;
}

/**
 * Whether `day` is one of the recurrence's days: every field holds (AND), each through any one of its
 * entries (OR). Returns the entries that matched, or the first field that failed.
 */
export function matchDay(recurrence: ParsedRecurrence, day: LocalDay): DayMatch | DayMismatch {
  const weekday = weekdayOf(day);
  const w = find(recurrence.weekdays, weekday);
  if (w === undefined)
    return { field: 'weekdays', value: WEEKDAYS[weekday]!, entries: texts(recurrence.weekdays) };
  const d = findDayOfMonth(recurrence.daysOfMonth, day.day, daysInMonth(day.year, day.month));
  if (d === undefined)
    return { field: 'daysOfMonth', value: String(day.day), entries: texts(recurrence.daysOfMonth) };
  const m = find(recurrence.months, day.month);
  if (m === undefined)
    return { field: 'months', value: MONTHS[day.month - 1]!, entries: texts(recurrence.months) };
  const y = find(recurrence.years, day.year);
  if (y === undefined) return { field: 'years', value: String(day.year), entries: texts(recurrence.years) };
  return { weekday: label(w), dayOfMonth: label(d), month: label(m), year: label(y) };
}

/** Whether {@link matchDay}'s answer is a match. */
export function isDayMatch(result: DayMatch | DayMismatch): result is DayMatch {
  return !('field' in result);
}

/** Whether the recurrence has any day at all in the `limitDays` from `day` (a 31 February never comes). */
export function hasDayWithin(recurrence: ParsedRecurrence, day: LocalDay, limitDays: number): boolean {
  for (let i = 0; i < limitDays; i++) if (isDayMatch(matchDay(recurrence, addDays(day, i)))) return true;
  return false;
}

function texts(ranges: readonly FieldRange[] | undefined): string[] {
  return (ranges ?? []).map((range) => range.text);
}

function label(entry: FieldRange | 'any'): string {
  return entry === 'any' ? 'any' : entry.text;
}

/** `HH:MM` of a minute of the day. */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
