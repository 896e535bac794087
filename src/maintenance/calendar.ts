import {
  ConfigError,
  describeValue,
  parseOptions,
  resolveDeps,
  type Clock,
  type Deps,
} from '../core/index.js';
import { alertLabels, parseMatcher, type Alert, type LabelMatcher } from '../incidents/index.js';
import {
  maintenanceCalendarOptionsSchema,
  maintenanceWindowInputSchema,
  toEpochMs,
  type MaintenanceCalendarOptions,
  type MaintenanceTime,
  type MaintenanceWindowInput,
  type ParsedWindowInput,
} from './calendar-options.js';
import { explainWindow, type MaintenanceExplanation, type WindowExplanation } from './explain.js';
import { HORIZON_DAYS } from './occurrences.js';
import { FieldError, hasDayWithin, parseRecurrence, type ParsedRecurrence } from './recurrence.js';
import { localDayOf } from './time-zone.js';
import {
  HeldWindow,
  type ActiveMaintenance,
  type MaintenanceRecurrenceView,
  type MaintenanceWindow,
} from './window.js';

/** Alerts the maintenance machinery raises itself (reminders) carry this `source` and are never silenced. */
export const MAINTENANCE_SOURCE = 'maintenance';
/** The most occurrences {@link MaintenanceCalendar.occurrences} returns. */
export const MAX_OCCURRENCES = 1_000;

/** A window open at some time, as {@link MaintenanceCalendar.occurrences} lists it. */
export type MaintenanceOccurrence = ActiveMaintenance;

/**
 * When maintenance happens and what it covers: one-off and recurring windows over alert labels. It
 * answers "what is open now" (`active`), "does this alert fall in a window, and why" (`silencing`,
 * `explain`) and "when was it open" (`occurrences`); the alert router silences with it, the monitor
 * holds incidents and excludes SLO events with it, the scheduler annotates job runs with it.
 */
export interface MaintenanceCalendar {
  /** The zone recurring windows are read in when they name none, if any. */
  readonly timeZone: string | undefined;
  /** The wall time of the calendar's clock, epoch ms: the time `active()` reads when given none. */
  now(): number;
  /**
   * Adds a window.
   * @throws {ConfigError} naming the bad field: an unknown time zone, a recurring window with no time
   *   zone, an end not after the start, a malformed matcher or day field, a duplicate `id`, or no room.
   */
  add(window: MaintenanceWindowInput): MaintenanceWindow;
  /** Removes a window; returns whether it was there. */
  remove(id: string): boolean;
  /**
   * Closes a window at `at` (default now): it stays listed, so the time it was open is still known,
   * but opens no more. Returns the window as changed, or undefined when there is no such window.
   */
  close(id: string, at?: MaintenanceTime): MaintenanceWindow | undefined;
  get(id: string): MaintenanceWindow | undefined;
  /** Every window held, in the order added. */
  list(): readonly MaintenanceWindow[];
  /**
   * The windows open at `at` (default now), each with the span it is in. A comparison per window: the
   * span is computed once, when it changes.
   */
  active(at?: MaintenanceTime): readonly ActiveMaintenance[];
  /**
   * The first silencing window (`silence: true`) open at `atMs` whose matchers accept `alert`, as the
   * alert router asks; alerts whose `source` is `maintenance` (the reminders) are never silenced.
   */
  silencing(alert: Alert, atMs: number): ActiveMaintenance | undefined;
  /**
   * Which windows cover `alert` at `at` (default now), and why each does or does not: the matchers with
   * the label values they saw, and the day and time fields that matched or the first that did not.
   */
  explain(alert: Alert, at?: MaintenanceTime): MaintenanceExplanation;
  /** The spans during which each window was or will be open within `[from, to)`, oldest first (at most 1,000). */
  occurrences(from: MaintenanceTime, to: MaintenanceTime): readonly MaintenanceOccurrence[];
}

/**
 * Creates a maintenance calendar. Recurring windows are read in an IANA time zone, the window's own or
 * the calendar's, and one is required: there is no silent UTC. Across DST changes an occurrence is one
 * continuous span from the first moment the wall clock shows its start to the last moment it shows its
 * end; a start the clock skips opens at the jump.
 *
 * @example
 * ```ts
 * const calendar = createMaintenanceCalendar({ timeZone: 'Europe/Berlin' });
 * calendar.add({
 *   id: 'db-weekly', title: 'Weekly database restart', createdBy: 'ops',
 *   matchers: ['service="checkout"', 'component="database"'],
 *   recurring: { weekdays: ['sunday'], times: [{ start: '02:00', end: '03:00' }] },
 * });
 * calendar.active(); // the windows open now
 * ```
 * @throws {ConfigError} when options are invalid (an unknown time zone).
 */
export function createMaintenanceCalendar(
  options: MaintenanceCalendarOptions = {},
  deps?: Deps,
): MaintenanceCalendar {
  const parsed = parseOptions(maintenanceCalendarOptionsSchema, options, 'createMaintenanceCalendar');
  return new Calendar(parsed, resolveDeps(deps).clock);
}

type ParsedCalendarOptions = ReturnType<typeof maintenanceCalendarOptionsSchema.parse>;

class Calendar implements MaintenanceCalendar {
  readonly timeZone: string | undefined;
  readonly #options: ParsedCalendarOptions;
  readonly #clock: Clock;
  readonly #windows = new Map<string, HeldWindow>();
  /** The windows in an array, for a loop without an iterator on `active()`. */
  #held: HeldWindow[] = [];
  // The last answer of active(), good for every time in [#openFrom, #openUntil): until a window opens
  // or closes (or the windows change), asking again is two comparisons.
  #open: readonly ActiveMaintenance[] = Object.freeze([]);
  #openHeld: HeldWindow[] = [];
  #openFrom = Number.POSITIVE_INFINITY;
  #openUntil = Number.NEGATIVE_INFINITY;

  constructor(options: ParsedCalendarOptions, clock: Clock) {
    this.#options = options;
    this.timeZone = options.timeZone;
    this.#clock = clock;
  }

  now(): number {
    return this.#clock.wallNow();
  }

  add(input: MaintenanceWindowInput): MaintenanceWindow {
    const value = parseOptions(maintenanceWindowInputSchema, input, 'MaintenanceCalendar.add');
    const now = this.#clock.wallNow();
    const fail = (field: string, expected: string, received: unknown): never => {
      throw new ConfigError('MaintenanceCalendar.add', [
        { field, expected, received: describeValue(received) },
      ]);
    };
    if (this.#windows.has(value.id)) fail('id', `an id no window of this calendar has`, value.id);
    const start = value.start === undefined ? null : toEpochMs(value.start);
    const end = value.end === undefined ? null : toEpochMs(value.end);
    if (start !== null && end !== null && end <= start) fail('end', 'a time after start', value.end);
    const recurrence =
      value.recurring === undefined ? undefined : this.#recurrence(value, start ?? now, fail);
    this.#prune(now);
    if (this.#windows.size >= this.#options.maxWindows)
      fail(
        '(options)',
        `room in the calendar (it holds its maxWindows, ${this.#options.maxWindows})`,
        value.id,
      );
    const held = new HeldWindow(
      viewOf(value, start, end, recurrence, now),
      value.matchers.map((text) => parseMatcher(text) as LabelMatcher),
      recurrence,
    );
    this.#windows.set(value.id, held);
    this.#changed();
    return held.view;
  }

  #recurrence(
    value: ParsedWindowInput,
    from: number,
    fail: (field: string, expected: string, received: unknown) => never,
  ): { parsed: ParsedRecurrence; timeZone: string } {
    const recurring = value.recurring!;
    const timeZone = recurring.timeZone ?? this.timeZone;
    if (timeZone === undefined)
      return fail(
        'recurring.timeZone',
        "an IANA time zone ('Europe/Berlin'): a recurring window needs one, here or on the calendar",
        undefined,
      );
    let parsed: ParsedRecurrence;
    try {
      parsed = parseRecurrence(recurring);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      const field = (error as FieldError & { field?: string }).field ?? '';
      return fail(`recurring.${field}`, error.message, recurring[field as keyof typeof recurring]);
    }
    if (!hasDayWithin(parsed, localDayOf(timeZone, from), HORIZON_DAYS))
      return fail('recurring', 'days and times that occur (no day matches every field)', recurring);
    return { parsed, timeZone };
  }

  remove(id: string): boolean {
    const removed = this.#windows.delete(id);
    if (removed) this.#changed();
    return removed;
  }

  close(id: string, at?: MaintenanceTime): MaintenanceWindow | undefined {
    const held = this.#windows.get(id);
    if (held === undefined) return undefined;
    const when = at === undefined ? this.#clock.wallNow() : toEpochMs(at);
    const end = held.view.end === null ? when : Math.min(held.view.end, when);
    const start = held.view.start ?? held.view.createdAt;
    const view: MaintenanceWindow = Object.freeze({ ...held.view, start, end: Math.max(start, end) });
    const schedule = held.schedule;
    const replaced = new HeldWindow(
      view,
      held.matchers,
      schedule === undefined ? undefined : { parsed: schedule.recurrence, timeZone: schedule.timeZone },
    );
    this.#windows.set(id, replaced);
    this.#changed();
    return view;
  }

  get(id: string): MaintenanceWindow | undefined {
    return this.#windows.get(id)?.view;
  }

  list(): readonly MaintenanceWindow[] {
    return this.#held.map((held) => held.view);
  }

  active(at?: MaintenanceTime): readonly ActiveMaintenance[] {
    const when = at === undefined ? this.#clock.wallNow() : toEpochMs(at);
    if (when >= this.#openFrom && when < this.#openUntil) return this.#open;
    const out: ActiveMaintenance[] = [];
    const openHeld: HeldWindow[] = [];
    let until = Number.POSITIVE_INFINITY;
    const held = this.#held;
    for (let i = 0; i < held.length; i++) {
      const window = held[i]!;
      const open = window.openAt(when);
      if (open !== undefined) {
        out.push(open);
        openHeld.push(window);
      }
      until = Math.min(until, window.changesAfter(when));
    }
    this.#open = Object.freeze(out);
    this.#openHeld = openHeld;
    this.#openFrom = when;
    this.#openUntil = until;
    return this.#open;
  }

  silencing(alert: Alert, atMs: number): ActiveMaintenance | undefined {
    if (alert.source === MAINTENANCE_SOURCE) return undefined;
    const open = this.active(atMs);
    const held = this.#openHeld;
    for (let i = 0; i < held.length; i++) {
      const window = held[i]!;
      if (window.view.silence && window.matchesAlert(alert)) return open[i];
    }
    return undefined;
  }

  // The windows changed: active() must look again.
  #changed(): void {
    this.#held = [...this.#windows.values()];
    this.#openUntil = Number.NEGATIVE_INFINITY;
  }

  explain(alert: Alert, at?: MaintenanceTime): MaintenanceExplanation {
    const when = at === undefined ? this.#clock.wallNow() : toEpochMs(at);
    const labels = alertLabels(alert);
    const windows: WindowExplanation[] = [];
    for (const held of this.#held) {
      const explained = explainWindow(held, labels, when);
      if (explained.labels.matched || explained.time.open) windows.push(explained);
    }
    const silencedBy = this.silencing(alert, when)?.window.id ?? null;
    return { at: when, silencedBy, windows };
  }

  occurrences(from: MaintenanceTime, to: MaintenanceTime): readonly MaintenanceOccurrence[] {
    const lo = toEpochMs(from);
    const hi = toEpochMs(to);
    const out: MaintenanceOccurrence[] = [];
    for (const held of this.#held) {
      for (const span of held.spansBetween(lo, hi, MAX_OCCURRENCES))
        out.push({ window: held.view, startsAt: span.start, endsAt: span.end });
    }
    out.sort((a, b) => a.startsAt - b.startsAt);
    return out.slice(0, MAX_OCCURRENCES);
  }

  // Drops windows closed for good longer ago than retainClosedMs.
  #prune(now: number): void {
    const limit = now - this.#options.retainClosedMs;
    let changed = false;
    for (const [id, held] of this.#windows)
      if (held.view.end !== null && held.view.end < limit) {
        this.#windows.delete(id);
        changed = true;
      }
    if (changed) this.#changed();
  }
}

function viewOf(
  value: ParsedWindowInput,
  start: number | null,
  end: number | null,
  recurrence: { readonly parsed: ParsedRecurrence; readonly timeZone: string } | undefined,
  now: number,
): MaintenanceWindow {
  let recurring: MaintenanceRecurrenceView | null = null;
  if (recurrence !== undefined) {
    const { parsed, timeZone } = recurrence;
    const texts = (ranges: ParsedRecurrence['weekdays']): readonly string[] | undefined =>
      ranges === undefined ? undefined : Object.freeze(ranges.map((range) => range.text));
    recurring = Object.freeze({
      ...(parsed.weekdays === undefined ? {} : { weekdays: texts(parsed.weekdays) }),
      times: Object.freeze(parsed.times.map((time) => time.text)),
      ...(parsed.daysOfMonth === undefined ? {} : { daysOfMonth: texts(parsed.daysOfMonth) }),
      ...(parsed.months === undefined ? {} : { months: texts(parsed.months) }),
      ...(parsed.years === undefined ? {} : { years: texts(parsed.years) }),
      timeZone,
    }) as MaintenanceRecurrenceView;
  }
  return Object.freeze({
    id: value.id,
    title: value.title,
    matchers: value.matchers,
    start,
    end,
    recurring,
    silence: value.silence,
    excludeFromSlo: value.excludeFromSlo,
    createdBy: value.createdBy,
    comment: value.comment,
    createdAt: now,
  });
}
