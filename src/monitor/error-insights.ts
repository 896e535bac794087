import type { InternalErrorHandler } from '../core/index.js';
import type { ErrorGroups, ErrorGroupsEvents, ErrorGroupSummary } from '../errors/index.js';
import { describeMs, iso } from './format.js';
import type { MonitorAlert } from './incident-conditions.js';
import type { ErrorGroupReport } from './insight-schemas.js';

// What the monitor makes of the error groups: the top error types and locations for its reports, and
// a warning alert for an error type that is new since the service started. "New" means not seen by
// this process before the start and not known from before it: the fingerprints seen are kept in the
// monitor's history file, so a restart (a deploy) does not make every familiar error new again.

/** The most fingerprints remembered across restarts. */
export const MAX_KNOWN_ERRORS = 1_000;
/** The most new-error alerts held open at once (the rest are reported, not alerted). */
const MAX_RAISED = 100;
/** Groups read from the error groups for a report. */
const READ_LIMIT = 100;

/** What {@link ErrorInsights} reads and where its alerts go. */
export interface ErrorInsightsOptions {
  readonly errors: Pick<ErrorGroups, 'top' | 'on' | 'stats'>;
  readonly service: string;
  /** When the monitor started, epoch ms. */
  readonly startedAt: number;
  /** An error type first seen within this long after the start is new. */
  readonly newWithinMs: number;
  readonly send: (alert: MonitorAlert) => void;
  readonly onError: InternalErrorHandler;
  readonly source: string;
}

/** The monitor's view of the error groups. */
export class ErrorInsights {
  readonly #options: ErrorInsightsOptions;
  /** Fingerprints known from before the start (from the history file), with when each was first seen. */
  readonly #known = new Map<string, number>();
  /** New-error alerts held open: fingerprint → the alert. */
  readonly #raised = new Map<string, Omit<MonitorAlert, 'status'>>();

  constructor(options: ErrorInsightsOptions) {
    this.#options = options;
  }

  /** Takes the fingerprints a previous process knew (from the history file). */
  restore(known: readonly (readonly [string, number])[]): void {
    for (const [fingerprint, firstSeen] of known.slice(-MAX_KNOWN_ERRORS))
      this.#known.set(fingerprint, firstSeen);
  }

  /** The fingerprints to remember across a restart: those known before, then those seen since. */
  toJSON(now: number): Array<[string, number]> {
    const all = new Map(this.#known);
    for (const group of this.#read(now))
      if (!all.has(group.fingerprint)) all.set(group.fingerprint, group.firstSeen);
    return [...all].slice(-MAX_KNOWN_ERRORS);
  }

  /** Listens for new error groups; returns the unsubscribe function. */
  subscribe(): () => void {
    return this.#options.errors.on('newGroup', (event) => this.#onNewGroup(event));
  }

  /**
   * Resolves the new-error alerts whose error has not recurred for `newWithinMs` (or whose group was
   * displaced from the error groups).
   */
  sweep(now: number): void {
    if (this.#raised.size === 0) return;
    const lastSeen = new Map(this.#read(now).map((g) => [g.fingerprint, g.lastSeen]));
    for (const [fingerprint, alert] of this.#raised) {
      const seen = lastSeen.get(fingerprint);
      if (seen !== undefined && now - seen < this.#options.newWithinMs) continue;
      this.#raised.delete(fingerprint);
      this.#options.send({
        ...alert,
        status: 'resolved',
        summary: `${alert.summary} (no recurrence for ${describeMs(this.#options.newWithinMs)})`,
      });
    }
  }

  /** The top error groups as the reports list them, most errors first. */
  report(now: number, limit: number): ErrorGroupReport[] {
    return this.#read(now)
      .slice(0, limit)
      .map((g) => ({
        fingerprint: g.fingerprint,
        type: g.type,
        ...(g.code === undefined ? {} : { code: g.code }),
        message: g.message,
        location: g.location ?? null,
        count: g.count,
        countError: g.countError,
        lastHour: g.lastHour,
        routes: g.routes.slice(0, 3).map((r) => ({ route: r.route, count: r.count })),
        firstSeen: iso(g.firstSeen),
        lastSeen: iso(g.lastSeen),
        new: this.#isNew(g.fingerprint, g.firstSeen),
      }));
  }

  /**
   * Flat fields for the service's entry in the health report (DESIGN.md's `services` hold numbers and
   * strings only): the error types seen in the last hour, the busiest one and where it comes from.
   */
  serviceFields(now: number): Record<string, number | string> {
    const groups = this.#read(now);
    const recent = groups.filter((g) => g.lastHour > 0).sort((a, b) => b.lastHour - a.lastHour);
    const fields: Record<string, number | string> = {
      errors_last_hour: recent.reduce((sum, g) => sum + g.lastHour, 0),
      error_types_last_hour: recent.length,
      new_error_types: groups.filter((g) => this.#isNew(g.fingerprint, g.firstSeen)).length,
    };
    const top = recent[0];
    if (top !== undefined) {
      fields.top_error = top.type;
      fields.top_error_location = top.location ?? '(no stack)';
      fields.top_error_last_hour = top.lastHour;
    }
    return fields;
  }

  /** Error types that are new since the start, most errors first. */
  newGroups(now: number): ErrorGroupReport[] {
    return this.report(now, READ_LIMIT).filter((g) => g.new);
  }

  #isNew(fingerprint: string, firstSeen: number): boolean {
    if (this.#known.has(fingerprint)) return false;
    const after = firstSeen - this.#options.startedAt;
    return after >= 0 && after <= this.#options.newWithinMs;
  }

  #read(now: number): ErrorGroupSummary[] {
    try {
      return this.#options.errors.top({ limit: READ_LIMIT });
    } catch (error) {
      this.#options.onError(error, { source: this.#options.source, task: `error groups at ${iso(now)}` });
      return [];
    }
  }

  #onNewGroup(event: ErrorGroupsEvents['newGroup']): void {
    if (!this.#isNew(event.fingerprint, event.at) || this.#raised.size >= MAX_RAISED) return;
    const where = event.location === undefined ? '' : ` at ${event.location}`;
    const key = `error:new:${event.fingerprint}`;
    const alert: Omit<MonitorAlert, 'status'> = {
      name: 'NewErrorType',
      severity: 'warning',
      service: this.#options.service,
      summary: `New error ${event.type}${where}, ${describeMs(event.at - this.#options.startedAt)} after the service started`,
      description: `${event.type}${event.code === undefined ? '' : ` [${event.code}]`}: ${event.message}${
        event.route === undefined ? '' : ` (first on ${event.route})`
      }`,
      dedupKey: key,
      labels: {
        fingerprint: event.fingerprint,
        type: event.type,
        ...(event.location === undefined ? {} : { location: event.location }),
        ...(event.route === undefined ? {} : { route: event.route }),
        ...(event.traceId === undefined ? {} : { trace_id: event.traceId }),
      },
      source: 'errors',
    };
    this.#raised.set(event.fingerprint, alert);
    this.#options.send({ ...alert, status: 'firing' });
  }
}
