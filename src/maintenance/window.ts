// One maintenance window as the calendar holds it: its public view, its parsed matchers and schedule,
// and a memo of its current span so `active()` is a comparison, not a time-zone computation.
import type { Alert, LabelMatcher } from '../incidents/index.js';
import {
  HORIZON_DAYS,
  occurrenceAt,
  occurrencesBetween,
  spanAtOrAfter,
  type Occurrence,
  type Schedule,
  type Span,
} from './occurrences.js';
import type { ParsedRecurrence } from './recurrence.js';

const DAY_MS = 86_400_000;

/** A recurrence as a window reports it: each field as its entries were written (absent: every day). */
export interface MaintenanceRecurrenceView {
  readonly weekdays?: readonly string[];
  readonly times: readonly string[];
  readonly daysOfMonth?: readonly string[];
  readonly months?: readonly string[];
  readonly years?: readonly string[];
  readonly timeZone: string;
}

/** A maintenance window as the calendar holds it (frozen; times are epoch ms). */
export interface MaintenanceWindow {
  readonly id: string;
  readonly title: string;
  readonly matchers: readonly string[];
  /** When it opens (one-off) or its occurrences may begin (recurring); `null`: from when it was added. */
  readonly start: number | null;
  /** When it closes (one-off) or its occurrences stop (recurring); `null`: never. */
  readonly end: number | null;
  /** Its days and times, or `null` for a one-off window. */
  readonly recurring: MaintenanceRecurrenceView | null;
  readonly silence: boolean;
  readonly excludeFromSlo: boolean | readonly string[];
  readonly createdBy: string;
  readonly comment: string;
  /** When it was added to the calendar. */
  readonly createdAt: number;
}

/** A window open now, with the span of the occurrence it is in. */
export interface ActiveMaintenance {
  readonly window: MaintenanceWindow;
  /** When this span of the window opened, epoch ms. */
  readonly startsAt: number;
  /** When it closes, epoch ms. */
  readonly endsAt: number;
}

function labelOf(alert: Alert, name: string): string {
  if (name === 'alertname') return alert.name;
  if (name === 'severity') return alert.severity;
  if (name === 'service') return alert.service;
  const labels = alert.labels;
  return labels !== undefined && Object.hasOwn(labels, name) ? (labels[name] ?? '') : '';
}

/** @internal A window with what the calendar computes from it. */
export class HeldWindow {
  readonly view: MaintenanceWindow;
  readonly matchers: readonly LabelMatcher[];
  readonly #schedule: Schedule | undefined;
  readonly #from: number;
  readonly #until: number;
  // The memo: no span of this window is open in [#memoFrom, #memo.start), and #memo is the next one.
  #memoFrom = Number.POSITIVE_INFINITY;
  #memo: ActiveMaintenance | undefined;
  #memoUntil = Number.NEGATIVE_INFINITY;

  constructor(
    view: MaintenanceWindow,
    matchers: readonly LabelMatcher[],
    recurrence: { readonly parsed: ParsedRecurrence; readonly timeZone: string } | undefined,
  ) {
    this.view = view;
    this.matchers = matchers;
    this.#from = view.start ?? view.createdAt;
    this.#until = view.end ?? Number.POSITIVE_INFINITY;
    this.#schedule =
      recurrence === undefined
        ? undefined
        : {
            recurrence: recurrence.parsed,
            timeZone: recurrence.timeZone,
            from: this.#from,
            until: this.#until,
          };
  }

  /** Whether `labels` satisfy every matcher. */
  matches(labels: Readonly<Record<string, string>>): boolean {
    for (const matcher of this.matchers) if (!matcher.matches(labels)) return false;
    return true;
  }

  /**
   * Whether the alert's labels (its own, plus `alertname`, `severity` and `service`, which win) satisfy
   * every matcher, read one by one: the router asks this for every alert, so no labels object is built.
   */
  matchesAlert(alert: Alert): boolean {
    for (const matcher of this.matchers) if (!matcher.test(labelOf(alert, matcher.name))) return false;
    return true;
  }

  /** The span open at `at`, or undefined. Answered from the memo while `at` is inside it. */
  openAt(at: number): ActiveMaintenance | undefined {
    if (!(at >= this.#memoFrom && at < this.#memoUntil)) this.#remember(at);
    const memo = this.#memo;
    return memo !== undefined && at >= memo.startsAt ? memo : undefined;
  }

  /**
   * The next moment after `at` at which {@link HeldWindow.openAt} may answer differently (the span opens
   * or closes, or the memo runs out). Call after `openAt(at)`.
   */
  changesAfter(at: number): number {
    const memo = this.#memo;
    return memo !== undefined && at < memo.startsAt ? memo.startsAt : this.#memoUntil;
  }

  /** When the window is next open at or after `at` (its current span when open), or undefined. */
  nextSpan(at: number): Span | undefined {
    if (this.#schedule === undefined)
      return at < this.#until ? { start: this.#from, end: this.#until } : undefined;
    return spanAtOrAfter(this.#schedule, at);
  }

  /** The occurrences overlapping `[from, to)` (a one-off window is one occurrence). */
  spansBetween(from: number, to: number, limit: number): Span[] {
    if (this.#schedule === undefined)
      return this.#from < to && this.#until > from ? [{ start: this.#from, end: this.#until }] : [];
    return occurrencesBetween(this.#schedule, from, to, limit);
  }

  /** The occurrence containing `at`, with how its ends fell on the wall clock (recurring windows). */
  occurrenceAt(at: number): Occurrence | undefined {
    return this.#schedule === undefined ? undefined : occurrenceAt(this.#schedule, at);
  }

  /** The recurrence, for explanations. */
  get schedule(): Schedule | undefined {
    return this.#schedule;
  }

  /** Whether the window can never open again at or after `at`. */
  closedFor(at: number): boolean {
    return at >= this.#until;
  }

  #remember(at: number): void {
    const span = this.nextSpan(at);
    this.#memoFrom = at;
    if (span === undefined) {
      this.#memo = undefined;
      // Nothing within the horizon: look again once past it (or never, for a closed one-off window).
      this.#memoUntil = this.#schedule === undefined ? Number.POSITIVE_INFINITY : at + HORIZON_DAYS * DAY_MS;
      return;
    }
    this.#memo = Object.freeze({ window: this.view, startsAt: span.start, endsAt: span.end });
    this.#memoUntil = span.end;
  }
}
