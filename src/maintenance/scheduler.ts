import { Cron } from 'croner';
import {
  ConfigError,
  describeValue,
  ErrorCode,
  parseOptions,
  resolveDeps,
  SreError,
  TimeoutError,
  type CancelScheduled,
  type Clock,
  type Deps,
  type InternalErrorHandler,
} from '../core/index.js';
import { checks, type HealthCheckDefinition } from '../health/index.js';
import type { MaintenanceCalendar } from './calendar.js';
import { clip, RunLog, type JobOutcome, type JobRun } from './job-runs.js';
import {
  jobNameSchema,
  maintenanceJobOptionsSchema,
  maintenanceSchedulerOptionsSchema,
  type MaintenanceJobOptions,
  type MaintenanceSchedulerOptions,
} from './scheduler-options.js';

// Scheduling runs on croner's calendar arithmetic and the injected clock's timers: croner answers
// "when is the next run after t" (DST included: a time the clock skips runs at the jump, a time shown
// twice runs once, for fixed-time patterns), and one unref'd timer per job waits for it. So a fake clock
// drives jobs exactly, and croner never holds a timer of its own.

/** What a job function receives. */
export interface JobContext {
  /** Aborted when the run times out or the scheduler closes: pass it to the work you start. */
  readonly signal: AbortSignal;
  /** The job's name. */
  readonly job: string;
  /** The time the schedule named for this run, epoch ms. */
  readonly scheduledAt: number;
}

/** A maintenance job: may be async; a string it returns is kept as the run's `note`. */
export type MaintenanceJob = (context: JobContext) => unknown;

/** Where a job stands. */
export interface ScheduledJobStatus {
  readonly name: string;
  readonly pattern: string;
  readonly timeZone: string;
  readonly timeoutMs: number;
  /** `null`: a late run always runs. */
  readonly maxLateMs: number | null;
  /** When it was scheduled, epoch ms. */
  readonly scheduledSince: number;
  /** Whether a run is in progress, and since when (`null` when none). */
  readonly runningSince: number | null;
  /** The next time the pattern names, or `null` when it names none. */
  readonly nextRunAt: number | null;
  readonly lastRun: JobRun | null;
  /** When the last run that ended `ok` ended, or `null`. */
  readonly lastSuccessAt: number | null;
  /** Every run since it was scheduled, by outcome. */
  readonly counts: Readonly<Record<JobOutcome, number>>;
}

/** Thresholds of {@link MaintenanceScheduler.freshnessCheck}. */
export interface JobFreshnessOptions {
  /**
   * Warn when the job has not ended `ok` for this long (since it was scheduled, if it never has).
   * @default 13/12 of the longest gap between its next runs (a daily job: 26 hours)
   */
  readonly warnAfterMs?: number;
  /** Fail after this long. @default 25/12 of that gap (a daily job: 50 hours) */
  readonly failAfterMs?: number;
}

/** Runs maintenance jobs on cron patterns, one run at a time per job, and records every run. */
export interface MaintenanceScheduler {
  /**
   * Schedules `job` on a cron pattern (`'0 3 * * *'`: 03:00 every day; seconds as an optional first
   * field) in the job's time zone.
   * @throws {ConfigError} on a bad name (or one already scheduled), pattern, time zone or option.
   */
  schedule(
    name: string,
    pattern: string,
    job: MaintenanceJob,
    options?: MaintenanceJobOptions,
  ): ScheduledJobStatus;
  /** Stops scheduling a job (a run in progress finishes); its runs are forgotten. */
  unschedule(name: string): boolean;
  /**
   * Runs a job now, as its schedule would (never alongside a run in progress: that one is recorded
   * `skipped_overlap`), and resolves with the run's record.
   * @throws {SreError} `ERR_SRE_NOT_FOUND`-style `INVALID_INPUT` when no job has that name.
   */
  trigger(name: string): Promise<JobRun>;
  /** A job's runs, oldest first (at most `maxRunsPerJob`); empty for an unknown name. */
  runs(name: string): readonly JobRun[];
  /** One job's status, or undefined. */
  job(name: string): ScheduledJobStatus | undefined;
  /** Every job's status, in the order scheduled. */
  jobs(): readonly ScheduledJobStatus[];
  /**
   * A health check of the job's freshness: warn, then fail, when it has not ended `ok` for too long
   * (`checks.freshness` underneath). Register one per job.
   * @throws {SreError} `INVALID_INPUT` when no job has that name; {ConfigError} on bad thresholds.
   */
  freshnessCheck(name: string, options?: JobFreshnessOptions): HealthCheckDefinition;
  /** Stops every timer and aborts the runs in progress (recorded `failed` when they settle). Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The most due times one late wake-up goes through (each older one recorded `missed`). */
const MAX_CATCH_UP = 1_000;
/** How many future runs the default freshness thresholds look at. */
const GAP_SAMPLE = 8;

interface InFlight {
  readonly startedAt: number;
  readonly controller: AbortController;
}

interface Job {
  readonly name: string;
  readonly pattern: string;
  readonly cron: Cron;
  readonly fn: MaintenanceJob;
  readonly timeZone: string;
  readonly timeoutMs: number;
  readonly maxLateMs: number | undefined;
  readonly scheduledSince: number;
  readonly log: RunLog;
  due: number | undefined;
  cancel: CancelScheduled | undefined;
  inFlight: InFlight | undefined;
  removed: boolean;
}

/**
 * Creates a maintenance job scheduler: cron patterns in an IANA time zone (croner's DST rules), a
 * timeout per run whose signal aborts, no overlapping runs (a run due while the previous one is still
 * going is recorded `skipped_overlap`), `missed` runs past `maxLateMs`, and a bounded record of every
 * run for `/metrics` (`maintenanceJobMetrics`) and freshness checks. Timers are the injected clock's,
 * unref'd; `close()` clears them.
 *
 * @example
 * ```ts
 * const jobs = createMaintenanceScheduler({ calendar, timeZone: 'Europe/Berlin' });
 * jobs.schedule('vacuum', '0 3 * * *', async ({ signal }) => db.query('VACUUM ANALYZE', { signal }), {
 *   timeoutMs: 30 * 60_000,
 *   maxLateMs: 60 * 60_000,
 * });
 * health.register('vacuum', jobs.freshnessCheck('vacuum'), { critical: false });
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function createMaintenanceScheduler(
  options: MaintenanceSchedulerOptions = {},
  deps?: Deps,
): MaintenanceScheduler {
  const parsed = parseOptions(maintenanceSchedulerOptionsSchema, options, 'createMaintenanceScheduler');
  const { clock, onInternalError } = resolveDeps(deps);
  return new Scheduler(parsed, options.calendar, clock, onInternalError);
}

type ParsedSchedulerOptions = ReturnType<typeof maintenanceSchedulerOptionsSchema.parse>;

class Scheduler implements MaintenanceScheduler {
  readonly #options: ParsedSchedulerOptions;
  readonly #calendar: MaintenanceCalendar | undefined;
  readonly #clock: Clock;
  readonly #onError: InternalErrorHandler;
  readonly #jobs = new Map<string, Job>();
  #closed = false;

  constructor(
    options: ParsedSchedulerOptions,
    calendar: MaintenanceCalendar | undefined,
    clock: Clock,
    onError: InternalErrorHandler,
  ) {
    this.#options = options;
    this.#calendar = calendar;
    this.#clock = clock;
    this.#onError = onError;
  }

  schedule(
    name: string,
    pattern: string,
    fn: MaintenanceJob,
    options: MaintenanceJobOptions = {},
  ): ScheduledJobStatus {
    const where = 'MaintenanceScheduler.schedule';
    const fail = (field: string, expected: string, received: unknown): never => {
      throw new ConfigError(where, [{ field, expected, received: describeValue(received) }]);
    };
    const checkedName = jobNameSchema.safeParse(name);
    if (!checkedName.success) fail('name', checkedName.error.issues[0]?.message ?? 'a job name', name);
    if (this.#jobs.has(name)) fail('name', 'a name no scheduled job has', name);
    if (typeof fn !== 'function') fail('job', 'a function', fn);
    const parsed = parseOptions(maintenanceJobOptionsSchema, options, where);
    const timeZone = parsed.timeZone ?? this.#options.timeZone ?? this.#calendar?.timeZone;
    if (timeZone === undefined)
      return fail(
        'timeZone',
        "an IANA time zone ('Europe/Berlin'), on the job, the scheduler or its calendar",
        undefined,
      );
    if (this.#jobs.size >= this.#options.maxJobs)
      fail('name', `room for another job (maxJobs is ${this.#options.maxJobs})`, name);
    let cron: Cron;
    try {
      cron = new Cron(pattern, { timezone: timeZone, mode: '5-or-6-parts' });
    } catch (error) {
      return fail('pattern', `a cron pattern such as '0 3 * * *' (${(error as Error).message})`, pattern);
    }
    const now = this.#clock.wallNow();
    const job: Job = {
      name,
      pattern,
      cron,
      fn,
      timeZone,
      timeoutMs: parsed.timeoutMs,
      maxLateMs: parsed.maxLateMs,
      scheduledSince: now,
      log: new RunLog(this.#options.maxRunsPerJob),
      due: nextAfter(cron, now),
      cancel: undefined,
      inFlight: undefined,
      removed: false,
    };
    this.#jobs.set(name, job);
    if (!this.#closed) this.#arm(job);
    return this.#status(job);
  }

  unschedule(name: string): boolean {
    const job = this.#jobs.get(name);
    if (job === undefined) return false;
    job.removed = true;
    job.cancel?.();
    this.#jobs.delete(name);
    return true;
  }

  trigger(name: string): Promise<JobRun> {
    const job = this.#jobs.get(name);
    if (job === undefined) return Promise.reject(unknownJob(name));
    const now = this.#clock.wallNow();
    return this.#start(job, now, now);
  }

  runs(name: string): readonly JobRun[] {
    return this.#jobs.get(name)?.log.list() ?? [];
  }

  job(name: string): ScheduledJobStatus | undefined {
    const job = this.#jobs.get(name);
    return job === undefined ? undefined : this.#status(job);
  }

  jobs(): readonly ScheduledJobStatus[] {
    return [...this.#jobs.values()].map((job) => this.#status(job));
  }

  freshnessCheck(name: string, options: JobFreshnessOptions = {}): HealthCheckDefinition {
    const job = this.#jobs.get(name);
    if (job === undefined) throw unknownJob(name);
    const gap = longestGap(job.cron, this.#clock.wallNow());
    const warnLagMs = options.warnAfterMs ?? Math.round((gap * 13) / 12);
    const failLagMs = options.failAfterMs ?? Math.round((gap * 25) / 12);
    return checks.freshness(
      {
        // Fresh since it was scheduled: a daily job added at noon is not stale before its first 03:00.
        lastUpdatedAt: () => job.log.lastSuccess?.finishedAt ?? job.scheduledSince,
        warnLagMs,
        failLagMs,
      },
      { clock: this.#clock },
    );
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const job of this.#jobs.values()) {
        job.cancel?.();
        job.cancel = undefined;
        job.inFlight?.controller.abort(new SreError(ErrorCode.CLOSED, 'The maintenance scheduler closed'));
      }
    }
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #status(job: Job): ScheduledJobStatus {
    return {
      name: job.name,
      pattern: job.pattern,
      timeZone: job.timeZone,
      timeoutMs: job.timeoutMs,
      maxLateMs: job.maxLateMs ?? null,
      scheduledSince: job.scheduledSince,
      runningSince: job.inFlight?.startedAt ?? null,
      nextRunAt: this.#closed ? null : (job.due ?? null),
      lastRun: job.log.last ?? null,
      lastSuccessAt: job.log.lastSuccess?.finishedAt ?? null,
      counts: { ...job.log.counts },
    };
  }

  #arm(job: Job): void {
    job.cancel = undefined;
    if (job.due === undefined || this.#closed || job.removed) return;
    const delay = Math.max(0, job.due - this.#clock.wallNow());
    job.cancel = this.#clock.schedule(delay, () => this.#fire(job));
  }

  // The timer of a due time fired: run the latest due time passed (late ones within maxLateMs), record
  // the older ones missed, and wait for the next.
  #fire(job: Job): void {
    job.cancel = undefined;
    const due = job.due;
    if (due === undefined || this.#closed || job.removed) return;
    const now = this.#clock.wallNow();
    // The wall clock stepped back since the timer was set: wait for the due time again.
    if (now < due) return this.#arm(job);
    const passed = [due];
    for (
      let next = nextAfter(job.cron, due);
      next !== undefined && next <= now;
      next = nextAfter(job.cron, next)
    ) {
      if (passed.length >= MAX_CATCH_UP) break;
      passed.push(next);
    }
    const latest = passed[passed.length - 1]!;
    job.due = nextAfter(job.cron, Math.max(latest, now));
    for (const missed of passed.slice(0, -1))
      this.#record(job, missed, now, now, 'missed', 'a later due time passed before it could run');
    if (job.maxLateMs !== undefined && now - latest > job.maxLateMs)
      this.#record(
        job,
        latest,
        now,
        now,
        'missed',
        `started ${now - latest} ms late, past maxLateMs (${job.maxLateMs} ms)`,
      );
    else void this.#start(job, latest, now);
    this.#arm(job);
  }

  #start(job: Job, scheduledAt: number, now: number): Promise<JobRun> {
    const running = job.inFlight;
    if (running !== undefined)
      return Promise.resolve(
        this.#record(
          job,
          scheduledAt,
          now,
          now,
          'skipped_overlap',
          `the run started at ${new Date(running.startedAt).toISOString()} is still running`,
        ),
      );
    const controller = new AbortController();
    const inFlight: InFlight = { startedAt: now, controller };
    job.inFlight = inFlight;
    const windows = this.#windowsAt(now);
    let settled: JobRun | undefined;
    let resolveRun: (run: JobRun) => void = () => undefined;
    const recorded = new Promise<JobRun>((resolve) => (resolveRun = resolve));
    const end = (outcome: JobOutcome, error: string | null, note: string | null): void => {
      if (settled !== undefined) return;
      settled = this.#record(job, scheduledAt, now, this.#clock.wallNow(), outcome, error, note, windows);
      resolveRun(settled);
    };
    const cancelTimeout = this.#clock.schedule(job.timeoutMs, () => {
      controller.abort(
        new TimeoutError(job.timeoutMs, `Maintenance job ${job.name} timed out after ${job.timeoutMs} ms`),
      );
      end('timed_out', `timed out after ${job.timeoutMs} ms`, null);
    });
    // A job that throws synchronously is treated like one that rejects. It holds its slot until its
    // promise settles, even past its timeout: never two runs at once.
    new Promise<unknown>((resolve) =>
      resolve(job.fn({ signal: controller.signal, job: job.name, scheduledAt })),
    ).then(
      (value) => {
        cancelTimeout();
        if (job.inFlight === inFlight) job.inFlight = undefined;
        end('ok', null, typeof value === 'string' ? clip(value) : null);
      },
      (error: unknown) => {
        cancelTimeout();
        if (job.inFlight === inFlight) job.inFlight = undefined;
        end('failed', clip(messageOf(error)), null);
      },
    );
    return recorded;
  }

  #windowsAt(at: number): readonly string[] {
    if (this.#calendar === undefined) return [];
    try {
      return Object.freeze(this.#calendar.active(at).map((open) => open.window.id));
    } catch (error) {
      this.#onError(error, { source: 'maintenanceScheduler', task: 'calendar' });
      return [];
    }
  }

  #record(
    job: Job,
    scheduledAt: number,
    startedAt: number,
    finishedAt: number,
    outcome: JobOutcome,
    error: string | null,
    note: string | null = null,
    windows: readonly string[] = this.#windowsAt(startedAt),
  ): JobRun {
    const run: JobRun = Object.freeze({
      job: job.name,
      scheduledAt,
      startedAt,
      finishedAt,
      durationMs: Math.max(0, finishedAt - startedAt),
      lateMs: Math.max(0, startedAt - scheduledAt),
      outcome,
      error,
      note,
      windows,
    });
    if (!job.removed) job.log.add(run);
    return run;
  }
}

function nextAfter(cron: Cron, at: number): number | undefined {
  return cron.nextRun(new Date(at))?.getTime();
}

function longestGap(cron: Cron, from: number): number {
  let gap = 0;
  let previous = nextAfter(cron, from);
  for (let i = 0; i < GAP_SAMPLE && previous !== undefined; i++) {
    const next = nextAfter(cron, previous);
    if (next === undefined) break;
    gap = Math.max(gap, next - previous);
    previous = next;
  }
  return gap > 0 ? gap : 86_400_000;
}

function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unreadable error';
  }
}

function unknownJob(name: string): SreError {
  return new SreError(ErrorCode.INVALID_INPUT, `No maintenance job named ${JSON.stringify(name)}`);
}
