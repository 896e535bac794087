// Why an alert is or is not covered by a window: each matcher with the label value it saw, and the day
// and time fields that matched (AND across fields, OR within one) or the first that did not.
import { formatMinute, isDayMatch, matchDay } from './recurrence.js';
import { localDayOf, localTime } from './time-zone.js';
import type { HeldWindow } from './window.js';

/** One matcher of a window against an alert. */
export interface MatcherExplanation {
  /** The matcher as written: `component="database"`. */
  readonly matcher: string;
  /** The label it reads. */
  readonly label: string;
  /** The alert's value of that label, or `null` when it has none (matched as the empty string). */
  readonly value: string | null;
  readonly matched: boolean;
}

/** The day fields of a recurring window's occurrence: the entry of each field that matched (`any` when unset). */
export interface MatchedFields {
  readonly weekday: string;
  readonly dayOfMonth: string;
  readonly month: string;
  readonly year: string;
  /** The time range, as written: `02:00-03:00`. */
  readonly time: string;
  readonly timeZone: string;
}

/** Whether a window was open at the time asked about, and why. */
export interface TimeExplanation {
  readonly open: boolean;
  /** One sentence: which fields matched, or which did not. */
  readonly reason: string;
  /** The span it was in (open), or its next span (closed); `null` when it opens no more. */
  readonly startsAt: number | null;
  readonly endsAt: number | null;
  /** For an open recurring window: the entries that matched, field by field. */
  readonly fields: MatchedFields | null;
}

/** One window's verdict on one alert. */
export interface WindowExplanation {
  readonly id: string;
  readonly title: string;
  readonly silence: boolean;
  /** Labels and time both matched: the window covers the alert. */
  readonly covers: boolean;
  readonly labels: { readonly matched: boolean; readonly matchers: readonly MatcherExplanation[] };
  readonly time: TimeExplanation;
}

/** What {@link MaintenanceCalendar.explain} answers. */
export interface MaintenanceExplanation {
  /** The time asked about, epoch ms. */
  readonly at: number;
  /** The silencing window that holds the alert (as the router would see it), or `null`. */
  readonly silencedBy: string | null;
  /** Every window whose matchers accept the alert or that is open then, in the order added. */
  readonly windows: readonly WindowExplanation[];
}

/** Explains one window against an alert's labels at `at`. */
export function explainWindow(
  held: HeldWindow,
  labels: Readonly<Record<string, string>>,
  at: number,
): WindowExplanation {
  const matchers = held.matchers.map((matcher, i): MatcherExplanation => ({
    matcher: held.view.matchers[i] ?? `${matcher.name}${matcher.op}${JSON.stringify(matcher.value)}`,
    label: matcher.name,
    value: Object.hasOwn(labels, matcher.name) ? (labels[matcher.name] ?? null) : null,
    matched: matcher.matches(labels),
  }));
  const labelsMatched = matchers.every((m) => m.matched);
  const time = explainTime(held, at);
  return {
    id: held.view.id,
    title: held.view.title,
    silence: held.view.silence,
    covers: labelsMatched && time.open,
    labels: { matched: labelsMatched, matchers },
    time,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function explainTime(held: HeldWindow, at: number): TimeExplanation {
  const open = held.openAt(at);
  const schedule = held.schedule;
  if (schedule === undefined) {
    const { start, end } = held.view;
    const from = start ?? held.view.createdAt;
    if (open !== undefined)
      return {
        open: true,
        reason: `one-off window open until ${iso(open.endsAt)}`,
        startsAt: from,
        endsAt: end,
        fields: null,
      };
    return at < from
      ? {
          open: false,
          reason: `one-off window opens at ${iso(from)}`,
          startsAt: from,
          endsAt: end,
          fields: null,
        }
      : {
          open: false,
          reason: `one-off window closed at ${iso(end ?? at)}`,
          startsAt: null,
          endsAt: null,
          fields: null,
        };
  }
  const { timeZone } = schedule;
  if (open !== undefined) {
    const occurrence = held.occurrenceAt(at);
    const match = occurrence === undefined ? undefined : matchDay(schedule.recurrence, occurrence.day);
    const fields =
      occurrence !== undefined && match !== undefined && isDayMatch(match)
        ? { ...match, time: occurrence.time.text, timeZone }
        : null;
    const reason =
      fields === null
        ? `open until ${iso(open.endsAt)}`
        : `open until ${iso(open.endsAt)}: weekday ${fields.weekday}, day ${fields.dayOfMonth}, month ${fields.month}, year ${fields.year}, time ${fields.time} in ${timeZone}`;
    return { open: true, reason, startsAt: open.startsAt, endsAt: open.endsAt, fields };
  }
  const next = held.nextSpan(at);
  const day = localDayOf(timeZone, at);
  const match = matchDay(schedule.recurrence, day);
  let reason: string;
  if (at < schedule.from) reason = `its occurrences begin at ${iso(schedule.from)}`;
  else if (at >= schedule.until) reason = `its occurrences ended at ${iso(schedule.until)}`;
  else if (!isDayMatch(match))
    reason = `${match.value} is not in ${match.field} [${match.entries.join(', ')}] (fields are ANDed)`;
  else {
    const local = localTime(timeZone, at);
    const times = schedule.recurrence.times.map((t) => t.text).join(', ');
    reason = `${formatMinute(local.hour * 60 + local.minute)} in ${timeZone} is outside times [${times}]`;
  }
  return {
    open: false,
    reason: next === undefined ? `${reason}; it opens no more` : `${reason}; next open ${iso(next.start)}`,
    startsAt: next?.start ?? null,
    endsAt: next?.end ?? null,
    fields: null,
  };
}
