import { z } from 'zod';
import {
  describeValue,
  parseOptions,
  resolveDeps,
  startPoller,
  type Clock,
  type Deps,
  type Poller,
} from '../core/index.js';
import type { HealthCheckDefinition, ServiceHealth } from '../health/index.js';
import { createSloTracker, type SloTracker, type SloWindow } from '../slo/index.js';
import {
  rounded,
  serviceNameSchema,
  sloVerdict,
  summariseSlo,
  verdictCheck,
  type ObservedService,
  type ServiceSloStatus,
  type ServiceVerdict,
} from './service.js';

/** The freshness SLO of a pipeline: the share of time slices in which its data was fresh. */
export interface PipelineSloOptions {
  /**
   * The share of slices that must be fresh (lag within `maxLagMs`), in (0, 1).
   * @default 0.99
   */
  readonly target?: number;
  /**
   * The slice length in ms, a whole number of seconds: the lag is sampled once per slice.
   * @default 60_000
   */
  readonly sliceMs?: number;
  /**
   * The budget window.
   * @default { kind: 'rolling', durationMs: 30 days }
   */
  readonly window?: SloWindow;
}

/** Options for {@link trackPipeline}. */
export interface TrackPipelineOptions {
  /** The pipeline's name (`orders-sync`): 1 to 100 characters from `A-Z a-z 0-9 . _ -`. */
  readonly name: string;
  /**
   * The largest acceptable lag in ms: the time since the last successful run ended ("sync lag < 5
   * minutes" is `300_000`). Past it the pipeline is down.
   */
  readonly maxLagMs: number;
  /**
   * The freshness SLO, or `false` for none.
   * @default { target: 0.99, sliceMs: 60_000 }
   */
  readonly slo?: PipelineSloOptions | false;
}

/** @internal The schema bound to {@link TrackPipelineOptions} by a type test. */
export const trackPipelineOptionsSchema = z.strictObject({
  name: serviceNameSchema,
  maxLagMs: z
    .number()
    .gt(0)
    .max(366 * 86_400_000),
  slo: z
    .union([
      z.literal(false),
      z.strictObject({
        target: z.number().gt(0).lt(1).default(0.99),
        sliceMs: z.number().int().min(1_000).max(86_400_000).multipleOf(1_000).default(60_000),
        window: z.custom<SloWindow>((v) => typeof v === 'object' && v !== null).optional(),
      }),
    ])
    .default({ target: 0.99, sliceMs: 60_000 }),
});

/** What one run reports when it ends. */
export interface PipelineRunResult {
  /**
   * Rows (records, messages) the run moved.
   * @default undefined
   */
  readonly rows?: number;
}

/** A run in progress: end it with `succeed` or `fail`, once. */
export interface PipelineRun {
  /** Ends the run as a success: the data is fresh as of now. */
  succeed(result?: PipelineRunResult): void;
  /** Ends the run as a failure; the data stays as old as the last success. */
  fail(error?: unknown, result?: PipelineRunResult): void;
}

/** One finished run. */
export interface PipelineRunRecord {
  /** When it started, ISO 8601. */
  readonly startedAt: string;
  /** When it ended, ISO 8601. */
  readonly endedAt: string;
  /** How long it took, in ms. */
  readonly durationMs: number;
  /** Whether it succeeded. */
  readonly ok: boolean;
  /** Rows it moved, when it said. */
  readonly rows: number | null;
  /** Why it failed: the error's message. */
  readonly error?: string;
}

/** Where a pipeline stands. */
export interface PipelineStatus {
  /** Its name. */
  readonly name: string;
  /** up; degraded when the last run failed but the data is still fresh; down when the data is stale. */
  readonly state: ServiceVerdict['state'];
  /** Why, with the figures. */
  readonly reason: string;
  /** Time since the last successful run ended, in ms; `null` before the first success. */
  readonly lagMs: number | null;
  /** The lag limit. */
  readonly maxLagMs: number;
  /** When the last successful run ended, ISO 8601; `null` before the first. */
  readonly lastSuccessAt: string | null;
  /** The last finished run. */
  readonly lastRun: PipelineRunRecord | null;
  /** Runs started and not ended. */
  readonly running: number;
  /** Since creation. */
  readonly totals: {
    readonly runs: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly rows: number;
  };
  /** The freshness SLO, when there is one. */
  readonly slo?: ServiceSloStatus;
}

/** A data pipeline (a sync, an ETL job, a consumer) whose runs feed a freshness SLO and the health report. */
export interface TrackedPipeline extends ObservedService {
  /** Starts a run; end it with `succeed` or `fail` (a second end is ignored). */
  start(): PipelineRun;
  /**
   * Runs `job` as one run: a success when it resolves (with `rows` if it returns them), a failure when
   * it throws (the error is re-thrown).
   */
  track<T extends PipelineRunResult | void>(job: () => T | PromiseLike<T>): Promise<T>;
  /** Where it stands now (reading changes nothing). */
  status(): PipelineStatus;
  /** The freshness SLO tracker, when there is one (for the monitor's `slos`). */
  readonly slo: SloTracker | undefined;
  /** Stops sampling the lag and closes the SLO tracker. Idempotent. */
  close(): void;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

type Parsed = z.output<typeof trackPipelineOptionsSchema>;

class Pipeline implements TrackedPipeline {
  readonly name: string;
  readonly slo: SloTracker | undefined;
  readonly #clock: Clock;
  readonly #maxLagMs: number;
  readonly #createdAt: number;
  readonly #poller: Poller | undefined;
  #lastSuccessAt: number | undefined;
  #lastRun: PipelineRunRecord | null = null;
  #running = 0;
  #runs = 0;
  #succeeded = 0;
  #failed = 0;
  #rows = 0;
  #closed = false;

  constructor(options: Parsed, deps: Deps | undefined) {
    const { clock, onInternalError } = resolveDeps(deps);
    this.name = options.name;
    this.#clock = clock;
    this.#maxLagMs = options.maxLagMs;
    this.#createdAt = clock.wallNow();
    const slo = options.slo;
    if (slo === false) return;
    const objective = {
      kind: 'freshness',
      target: slo.target,
      maxLagMs: options.maxLagMs,
      sliceMs: slo.sliceMs,
    } as const;
    const name = `${options.name}:freshness`;
    this.slo = createSloTracker(
      slo.window === undefined ? { name, objective } : { name, objective, window: slo.window },
      deps,
    );
    // A freshness slice without a sample counts as bad, so the lag is sampled every slice. Until the
    // first success the data counts as last updated when tracking began: a pipeline that never
    // succeeds goes stale after maxLagMs.
    this.#poller = startPoller({
      clock,
      intervalMs: slo.sliceMs,
      immediate: true,
      task: () => this.slo?.observeFreshness(this.#lastSuccessAt ?? this.#createdAt),
      onError: onInternalError,
      source: `trackPipeline:${options.name}`,
    });
  }

  start(): PipelineRun {
    const startedAt = this.#clock.wallNow();
    const started = this.#clock.now();
    this.#running++;
    let ended = false;
    const end = (ok: boolean, result: PipelineRunResult | undefined, error?: unknown): void => {
      if (ended) return;
      ended = true;
      this.#finish(startedAt, started, ok, result, error);
    };
    return {
      succeed: (result) => end(true, result),
      fail: (error, result) => end(false, result, error),
    };
  }

  async track<T extends PipelineRunResult | void>(job: () => T | PromiseLike<T>): Promise<T> {
    const run = this.start();
    try {
      const result = await job();
      run.succeed(result ?? undefined);
      return result;
    } catch (error) {
      run.fail(error);
      throw error;
    }
  }

  status(): PipelineStatus {
    const now = this.#clock.wallNow();
    const lagMs = this.#lastSuccessAt === undefined ? null : Math.max(0, now - this.#lastSuccessAt);
    const slo = this.slo === undefined ? undefined : summariseSlo(this.slo.status());
    const verdict = this.#judge(now, lagMs, slo);
    const status: PipelineStatus = {
      name: this.name,
      ...verdict,
      lagMs,
      maxLagMs: this.#maxLagMs,
      lastSuccessAt: this.#lastSuccessAt === undefined ? null : new Date(this.#lastSuccessAt).toISOString(),
      lastRun: this.#lastRun,
      running: this.#running,
      totals: { runs: this.#runs, succeeded: this.#succeeded, failed: this.#failed, rows: this.#rows },
    };
    return slo === undefined ? status : { ...status, slo };
  }

  serviceHealth(): ServiceHealth {
    const status = this.status();
    const health: ServiceHealth = { status: status.state, max_lag_ms: status.maxLagMs };
    if (status.lagMs !== null) health.lag_ms = Math.round(status.lagMs);
    if (status.lastSuccessAt !== null) health.last_success = status.lastSuccessAt;
    if (status.lastRun !== null) {
      health.last_run_ok = status.lastRun.ok;
      if (status.lastRun.rows !== null) health.last_run_rows = status.lastRun.rows;
    }
    if (status.slo?.sli !== null && status.slo?.sli !== undefined)
      health.freshness = rounded(status.slo.sli, 6);
    if (status.state !== 'up') health.reason = status.reason;
    return health;
  }

  healthCheck(): HealthCheckDefinition {
    return verdictCheck('lag', 'ms', () => {
      const status = this.status();
      return { verdict: status, value: status.lagMs === null ? null : Math.round(status.lagMs) };
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#poller?.stop();
    this.slo?.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  #finish(
    startedAt: number,
    started: number,
    ok: boolean,
    result: PipelineRunResult | undefined,
    error: unknown,
  ): void {
    const endedAt = this.#clock.wallNow();
    const rows =
      typeof result?.rows === 'number' && Number.isFinite(result.rows) && result.rows >= 0
        ? result.rows
        : null;
    this.#running--;
    this.#runs++;
    if (rows !== null) this.#rows += rows;
    const record: PipelineRunRecord = {
      startedAt: new Date(startedAt).toISOString(),
      endedAt: new Date(endedAt).toISOString(),
      durationMs: Math.max(0, this.#clock.now() - started),
      ok,
      rows,
    };
    this.#lastRun = ok ? record : { ...record, error: describeFailure(error) };
    if (ok) {
      this.#succeeded++;
      this.#lastSuccessAt = endedAt;
      if (!this.#closed) this.slo?.observeFreshness(endedAt);
    } else {
      this.#failed++;
    }
  }

  #judge(now: number, lagMs: number | null, slo: ServiceSloStatus | undefined): ServiceVerdict {
    const limit = `limit ${formatDuration(this.#maxLagMs)}`;
    if (lagMs === null) {
      const waited = now - this.#createdAt;
      return waited > this.#maxLagMs
        ? { state: 'down', reason: `no successful run in ${formatDuration(waited)} of tracking (${limit})` }
        : { state: 'up', reason: `no successful run yet (${formatDuration(waited)} of tracking, ${limit})` };
    }
    const lagText = `last success ${formatDuration(lagMs)} ago (${limit})`;
    if (lagMs > this.#maxLagMs) return { state: 'down', reason: `stale: ${lagText}` };
    if (this.#lastRun !== null && !this.#lastRun.ok)
      return {
        state: 'degraded',
        reason: `last run failed (${this.#lastRun.error ?? 'failed'}); ${lagText}`,
      };
    return sloVerdict(slo) ?? { state: 'up', reason: lagText };
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error === undefined || error === null) return 'failed';
  return typeof error === 'string' ? error : describeValue(error);
}

function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1_000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/**
 * Tracks a data pipeline's runs (start, end, rows, outcome): its lag since the last success feeds a
 * freshness SLO ("sync lag < 5 minutes", sampled every slice on an unref'd timer) and the health report.
 *
 * @example
 * ```ts
 * const sync = trackPipeline({ name: 'orders-sync', maxLagMs: 5 * 60_000 });
 * await sync.track(async () => ({ rows: await copyNewOrders() }));
 * ```
 * @throws {ConfigError} naming each bad option.
 */
export function trackPipeline(options: TrackPipelineOptions, deps?: Deps): TrackedPipeline {
  return new Pipeline(parseOptions(trackPipelineOptionsSchema, options, 'trackPipeline'), deps);
}
