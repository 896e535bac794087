// The options of createMaintenanceScheduler and of scheduler.schedule(), and their schemas.
import { z } from 'zod';
import type { MaintenanceCalendar } from './calendar.js';
import { timeZoneSchema } from './calendar-options.js';

/** Options for {@link createMaintenanceScheduler}. */
export interface MaintenanceSchedulerOptions {
  /**
   * The maintenance calendar: each run records the windows open when it started (`windows`).
   * @default none
   */
  readonly calendar?: MaintenanceCalendar;
  /**
   * The IANA time zone cron patterns are read in when a job names none.
   * @default the calendar's `timeZone`; without either, every job must name its own
   */
  readonly timeZone?: string;
  /**
   * Runs remembered per job (oldest dropped first); counts in `/metrics` cover every run.
   * @default 100
   */
  readonly maxRunsPerJob?: number;
  /** The most jobs scheduled at once. @default 100 */
  readonly maxJobs?: number;
}

/** Options for {@link MaintenanceScheduler.schedule}. */
export interface MaintenanceJobOptions {
  /**
   * How long a run may take. Past it the run is recorded `timed_out` and its `signal` aborts with a
   * `TimeoutError`. A run that ignores its signal still holds the job (no overlap, ever): later runs are
   * `skipped_overlap` until it settles.
   * @default 3_600_000 (1 hour)
   */
  readonly timeoutMs?: number;
  /**
   * How late a run may start (after a paused machine, a wall clock stepped forward, a blocked event
   * loop). A later one is recorded `missed` and not run; of several due times passed at once, only the
   * latest within this runs.
   * @default none: a late run always runs (once)
   */
  readonly maxLateMs?: number;
  /**
   * The IANA time zone the pattern is read in (DST handled by croner: a time the clock skips runs at
   * the jump, a time shown twice runs once, for fixed-time patterns such as `0 3 * * *`).
   * @default the scheduler's `timeZone`
   */
  readonly timeZone?: string;
}

const MAX_TIMER_MS = 2_147_483_647;

/** @internal The schema {@link MaintenanceSchedulerOptions} is checked against (bound by a type test). */
export const maintenanceSchedulerOptionsSchema = z.strictObject({
  calendar: z
    .custom<MaintenanceCalendar>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as MaintenanceCalendar).active === 'function',
      { message: 'a maintenance calendar (active)' },
    )
    .optional(),
  timeZone: timeZoneSchema.optional(),
  maxRunsPerJob: z.number().int().min(1).max(10_000).default(100),
  maxJobs: z.number().int().min(1).max(10_000).default(100),
});

/** @internal The schema {@link MaintenanceJobOptions} is checked against (bound by a type test). */
export const maintenanceJobOptionsSchema = z.strictObject({
  timeoutMs: z.number().int().min(1).max(MAX_TIMER_MS).default(3_600_000),
  maxLateMs: z.number().int().min(0).max(MAX_TIMER_MS).optional(),
  timeZone: timeZoneSchema.optional(),
});

/** @internal The name and pattern of a job, checked with its options. */
export const jobNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, { message: 'letters, digits, and _ . : - (it becomes a metric label)' });
