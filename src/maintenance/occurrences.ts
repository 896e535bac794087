// When a recurring window is open, as spans of real time. Each occurrence is one continuous span from
// its start to its end, resolved on the wall clock of its zone:
// - a start shown twice (clocks going back) is its first showing, an end shown twice its second, so the
//   span covers every minute the wall clock names;
// - a time the clock skips (clocks going forward) is the moment of the jump;
// - a span the skipped hour swallows whole (02:00-03:00 on the spring-forward night in Berlin) keeps
//   its nominal length from the jump (03:00-04:00), as croner runs a fixed-time job set inside the gap
//   at the jump: the work it covers still happens, so it is still covered;
// - an end at or before the start (23:00-01:00) is on the next day;
// - occurrences that touch or overlap (a whole Saturday and a whole Sunday) merge into one span.
import { addDays, localDayOf, resolveLocal, type LocalDay, type Resolution } from './time-zone.js';
import { isDayMatch, matchDay, type ParsedRecurrence, type TimeRange } from './recurrence.js';

const MINUTE_MS = 60_000;
/** How far ahead an occurrence is looked for before the window counts as closed for that long. */
export const HORIZON_DAYS = 3_700;
/** How many days of touching occurrences are merged into one span before it is cut (an always-open window). */
const MAX_MERGE_DAYS = 400;

/** One occurrence: a span of real time, and how its ends were found on the wall clock. */
export interface Occurrence {
  readonly start: number;
  readonly end: number;
  /** The local day it starts on. */
  readonly day: LocalDay;
  readonly time: TimeRange;
  readonly startResolution: Resolution;
  readonly endResolution: Resolution;
}

/** A recurrence with its zone and the bounds it applies within (`start`/`end` of its window). */
export interface Schedule {
  readonly recurrence: ParsedRecurrence;
  readonly timeZone: string;
  readonly from: number;
  readonly until: number;
}

/** The occurrences that start on `day`, clipped to the schedule's bounds (possibly none). */
export function occurrencesOn(schedule: Schedule, day: LocalDay): Occurrence[] {
  if (!isDayMatch(matchDay(schedule.recurrence, day))) return [];
  const out: Occurrence[] = [];
  for (const time of schedule.recurrence.times) {
    const start = resolveLocal(schedule.timeZone, day, time.startMinute, 'first');
    const endDay = time.endMinute > time.startMinute ? day : addDays(day, 1);
    const end = resolveLocal(schedule.timeZone, endDay, time.endMinute, 'last');
    let endAt = end.at;
    // Swallowed by a skipped hour: keep the nominal length from the jump.
    if (endAt <= start.at) endAt = start.at + time.minutes * MINUTE_MS;
    const clippedStart = Math.max(start.at, schedule.from);
    const clippedEnd = Math.min(endAt, schedule.until);
    if (clippedEnd <= clippedStart) continue;
    out.push({
      start: clippedStart,
      end: clippedEnd,
      day,
      time,
      startResolution: start.resolution,
      endResolution: end.resolution,
    });
  }
  return out;
}

/** A span of real time during which a window is open without a break. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * The span containing `at`, or else the first span after it; `undefined` when none begins within
 * {@link HORIZON_DAYS}. Touching occurrences merge, up to {@link MAX_MERGE_DAYS} days.
 */
export function spanAtOrAfter(schedule: Schedule, at: number): Span | undefined {
  const from = Math.max(at, schedule.from);
  if (from >= schedule.until) return undefined;
  // An occurrence that began yesterday may still be open (23:00-01:00), so the search starts a day back.
  const first = addDays(localDayOf(schedule.timeZone, from), -1);
  let span: { start: number; end: number } | undefined;
  let day = first;
  let found = -1;
  for (let i = 0; i < HORIZON_DAYS; i++, day = addDays(day, 1)) {
    for (const occurrence of occurrencesOn(schedule, day)) {
      if (span !== undefined && occurrence.start <= span.end) span.end = Math.max(span.end, occurrence.end);
      else if (span !== undefined && span.end > at) return extendBack(schedule, span, first);
      else {
        span = { start: occurrence.start, end: occurrence.end };
        found = i;
      }
    }
    if (span !== undefined && span.end > at && i - found > MAX_MERGE_DAYS) break;
  }
  return span !== undefined && span.end > at ? extendBack(schedule, span, first) : undefined;
}

// A span found from `first` may continue occurrences of earlier days (a window open all week): its
// start is walked back while the day before holds an occurrence that touches it.
function extendBack(schedule: Schedule, span: { start: number; end: number }, first: LocalDay): Span {
  let day = first;
  for (let i = 0; i < MAX_MERGE_DAYS; i++) {
    day = addDays(day, -1);
    let earliest = span.start;
    for (const occurrence of occurrencesOn(schedule, day))
      if (occurrence.start < earliest && occurrence.end >= span.start) earliest = occurrence.start;
    if (earliest === span.start) break;
    span.start = earliest;
  }
  return span;
}

/** Every occurrence that overlaps `[from, to)`, in order (at most `limit`). */
export function occurrencesBetween(
  schedule: Schedule,
  from: number,
  to: number,
  limit: number,
): Occurrence[] {
  const out: Occurrence[] = [];
  const lo = Math.max(from, schedule.from);
  const hi = Math.min(to, schedule.until);
  if (hi <= lo) return out;
  let day = addDays(localDayOf(schedule.timeZone, lo), -1);
  const last = localDayOf(schedule.timeZone, hi);
  for (let i = 0; i < HORIZON_DAYS && out.length < limit; i++, day = addDays(day, 1)) {
    for (const occurrence of occurrencesOn(schedule, day))
      if (occurrence.end > lo && occurrence.start < hi && out.length < limit) out.push(occurrence);
    if (day.year === last.year && day.month === last.month && day.day === last.day) break;
  }
  return out;
}

/** The occurrence containing `at`, if any (the latest-starting one when two overlap). */
export function occurrenceAt(schedule: Schedule, at: number): Occurrence | undefined {
  let found: Occurrence | undefined;
  const today = localDayOf(schedule.timeZone, at);
  for (const day of [addDays(today, -1), today])
    for (const occurrence of occurrencesOn(schedule, day))
      if (occurrence.start <= at && at < occurrence.end) found = occurrence;
  return found;
}
