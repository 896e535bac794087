// The options of createMaintenanceCalendar and of calendar.add(), and their schemas (parsed once: at
// creation, and when a window is added).
import { z } from 'zod';
import { parseMatcher } from '../incidents/index.js';
import { isTimeZone } from './time-zone.js';

/** When a window's day and time fields repeat. Fields are ANDed; the entries of one field are ORed. */
export interface MaintenanceRecurrence {
  /**
   * Days of the week: names or inclusive ranges of them, `['saturday', 'sunday']`, `['monday:friday']`.
   * @default every day
   */
  readonly weekdays?: readonly string[];
  /**
   * Times of the day, `HH:MM` on the wall clock of the window's time zone, start inclusive, end
   * exclusive (`24:00` is midnight at the end of the day). An end at or before its start runs into the
   * next day: `{ start: '23:00', end: '01:00' }` opens on each matching day at 23:00 and closes at 01:00.
   * @default the whole day
   */
  readonly times?: readonly { readonly start: string; readonly end: string }[];
  /**
   * Days of the month, 1 to 31, or -1 (the last day) to -31 counting back from the month's end, or
   * inclusive ranges `'1:7'`, `'-3:-1'`. A day past a short month's end is its last day.
   * @default every day
   */
  readonly daysOfMonth?: readonly (number | string)[];
  /** Months, 1 to 12 or names, or ranges `'january:march'`. @default every month */
  readonly months?: readonly (number | string)[];
  /** Years, or ranges `'2026:2027'`. @default every year */
  readonly years?: readonly (number | string)[];
  /**
   * The IANA time zone the times and days are read in. A recurring window needs one, here or on its
   * calendar: a time without a zone is a guess (Alertmanager read them as UTC, silently).
   * @default the calendar's `timeZone`
   */
  readonly timeZone?: string;
}

/** A time: epoch ms, a `Date`, or an ISO 8601 string with its offset (`Z` or `+02:00`). */
export type MaintenanceTime = number | Date | string;

/** A maintenance window for {@link MaintenanceCalendar.add}. */
export interface MaintenanceWindowInput {
  /** Unique in its calendar: `db-weekly`, `INC-2026-014-restart`. */
  readonly id: string;
  /** What is being done, for people: `Weekly database restart`. */
  readonly title: string;
  /**
   * Which alerts it covers: Alertmanager label matchers, all of which must hold (the alert router's
   * syntax: `service="checkout"`, `component=~"db|cache"`). Alerts carry their labels plus `alertname`,
   * `severity` and `service`. At least one: a window over every alert is written `service=~".+"`.
   */
  readonly matchers: readonly string[];
  /**
   * When it opens. Required for a one-off window; for a recurring one, the first moment its
   * occurrences may begin.
   * @default the moment it is added (recurring windows)
   */
  readonly start?: MaintenanceTime;
  /**
   * When it closes (exclusive). Required for a one-off window; for a recurring one, when its
   * occurrences stop.
   * @default never (recurring windows)
   */
  readonly end?: MaintenanceTime;
  /** Makes the window recurring: its days and times, within `start` and `end`. @default one-off */
  readonly recurring?: MaintenanceRecurrence;
  /**
   * Whether alerts it covers are silenced (recorded, not delivered) and automatic incidents held until
   * it closes. `false` makes a window that only annotates and excludes (a drill's, whose alerts must
   * still be seen).
   * @default true
   */
  readonly silence?: boolean;
  /**
   * Leave the window's events out of the SLA report's SLO budgets: `true` for every SLO of a monitor
   * whose service the window's `service` matchers accept, or the names of the SLOs.
   * @default false
   */
  readonly excludeFromSlo?: boolean | readonly string[];
  /** Who added it (Alertmanager's `createdBy`). */
  readonly createdBy: string;
  /** Why, or a link to the change ticket. @default '' */
  readonly comment?: string;
}

/** Options for {@link createMaintenanceCalendar}. */
export interface MaintenanceCalendarOptions {
  /**
   * The IANA time zone recurring windows are read in when they name none.
   * @default none: every recurring window must then name its own
   */
  readonly timeZone?: string;
  /**
   * The most windows held; adding one more is a `ConfigError` (ended one-off windows are dropped first).
   * @default 1_000
   */
  readonly maxWindows?: number;
  /**
   * How long a window is kept after it has closed for good, so reports over the past (a month's SLA
   * report) still see it.
   * @default 3_024_000_000 (35 days)
   */
  readonly retainClosedMs?: number;
}

const MAX_TIME = 8_640_000_000_000_000;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const time = z.union(
  [
    z.number().int().min(0).max(MAX_TIME),
    z.date().refine((d) => !Number.isNaN(d.getTime()), { message: 'a valid Date' }),
    z
      .string()
      .regex(ISO_WITH_OFFSET)
      .refine((s) => !Number.isNaN(Date.parse(s))),
  ],
  { error: "epoch ms, a Date, or an ISO 8601 time with its offset ('2026-03-29T02:00:00+01:00')" },
);

/** @internal The schema of an IANA time zone. */
export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: "an IANA time zone ('Europe/Berlin')" });

const fieldEntry = z.union([z.number(), z.string().min(1).max(32)]);

// Nested arrays are readonly in the interface: `.readonly()` makes the schema accept them as such.
const recurrenceSchema = z.strictObject({
  weekdays: z.array(z.string().min(1).max(32)).min(1).max(7).readonly().optional(),
  times: z
    .array(z.strictObject({ start: z.string(), end: z.string() }))
    .min(1)
    .max(24)
    .readonly()
    .optional(),
  daysOfMonth: z.array(fieldEntry).min(1).max(62).readonly().optional(),
  months: z.array(fieldEntry).min(1).max(12).readonly().optional(),
  years: z.array(fieldEntry).min(1).max(100).readonly().optional(),
  timeZone: timeZoneSchema.optional(),
});

const name = z.string().min(1).max(128);

/** @internal The schema a {@link MaintenanceWindowInput} is checked against (bound by a type test). */
export const maintenanceWindowInputSchema = z
  .strictObject({
    id: name,
    title: z.string().min(1).max(256),
    matchers: z
      .array(
        z.string().superRefine((text, ctx) => {
          const parsed = parseMatcher(text);
          if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed, input: text });
        }),
      )
      .min(1)
      .max(32),
    start: time.optional(),
    end: time.optional(),
    recurring: recurrenceSchema.optional(),
    silence: z.boolean().default(true),
    excludeFromSlo: z.union([z.boolean(), z.array(name).min(1).max(64)]).default(false),
    createdBy: z.string().min(1).max(128),
    comment: z.string().max(1_024).default(''),
  })
  .superRefine((value, ctx) => {
    if (value.recurring !== undefined) return;
    for (const key of ['start', 'end'] as const)
      if (value[key] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'a time (a one-off window needs its start and end; add `recurring` to repeat it)',
        });
  });

/** @internal The window input as parsed. */
export type ParsedWindowInput = z.output<typeof maintenanceWindowInputSchema>;

/** @internal The schema {@link MaintenanceCalendarOptions} is checked against (bound by a type test). */
export const maintenanceCalendarOptionsSchema = z.strictObject({
  timeZone: timeZoneSchema.optional(),
  maxWindows: z.number().int().min(1).max(100_000).default(1_000),
  retainClosedMs: z
    .number()
    .int()
    .min(0)
    .max(400 * 86_400_000)
    .default(35 * 86_400_000),
});

/** Epoch ms of a {@link MaintenanceTime} already validated. */
export function toEpochMs(value: MaintenanceTime): number {
  return typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
}
