import type { Worker as ProcessWorker } from 'node:cluster';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import { z } from 'zod';
import {
  checkUnique,
  parseOptions,
  resolveDeps,
  type Clock,
  type Deps,
  type InternalErrorHandler,
} from '../core/index.js';
import type { LatencyTracker } from '../latency/index.js';
import { latencyMetrics, sloMetrics, type MetricsSource, type SloMetricsSource } from '../metrics/index.js';
import type { SloCounts, SloSnapshot, SloTracker } from '../slo/index.js';
import { refuseFreshness } from './freshness.js';
import { clusterReportSchema, isClusterReport } from './report.js';

/** Options for {@link createClusterPrimary}. */
export interface ClusterPrimaryOptions {
  /**
   * The primary's latency tracker: every worker's values merge into it. Serve it (`metrics`) and give it
   * to the monitor. Without one, workers' latency is counted in `stats().rejected`.
   * @default none
   */
  readonly latency?: LatencyTracker;
  /**
   * The primary's SLO trackers, created with the same options as the workers' (matched by name): every
   * worker's counts merge into them. Availability and latency SLOs only. @default []
   */
  readonly slos?: readonly SloTracker[];
  /**
   * The metric family name of the merged latency histogram in `metrics` (`<name>_seconds`, label `key`).
   * @default 'sre_latency'
   */
  readonly latencyMetricName?: string;
}

/** What the primary knows of one worker. */
export interface ClusterWorkerInfo {
  /** `cluster:<id>` for a node:cluster worker, `thread:<threadId>` for a worker thread, or what `receive` was given. */
  readonly id: string;
  /** Reports received from it. */
  readonly reports: number;
  /** Reports that never arrived: gaps in its sequence numbers. */
  readonly missed: number;
  /** When its latest report arrived (the primary's wall clock, epoch ms); null before the first. */
  readonly lastReportAtMs: number | null;
  /** Whether it has exited (an attached worker). Its counts stay in the totals. */
  readonly exited: boolean;
}

/** What the primary took in and turned down. */
export interface ClusterPrimaryStats {
  /** Reports merged. */
  readonly reports: number;
  /** Reports or parts of reports not merged (malformed, an unknown SLO, no tracker for them). */
  readonly rejected: number;
}

/** The primary's end of the cluster: merges workers' reports and serves the group's numbers. */
export interface ClusterPrimary {
  /**
   * Listens to a `node:cluster` worker or a worker thread: its reports are merged, other messages left
   * alone; notes its exit. Returns a function that stops listening.
   */
  attach(worker: ProcessWorker | ThreadWorker): () => void;
  /**
   * Merges one message if it is a report (returns true); anything else returns false untouched. For
   * channels `attach` does not know. A malformed report is counted and reported, never thrown.
   */
  receive(message: unknown, from: string): boolean;
  /**
   * The group's metrics, for one `/metrics`: the SLO families with `sre_slo_events_total` summed over
   * every worker (also those that exited), and the merged latency histogram.
   */
  readonly metrics: MetricsSource;
  /** The workers heard from or attached, most recent first (at most 1,024: the oldest exited are forgotten). */
  workers(): ClusterWorkerInfo[];
  stats(): ClusterPrimaryStats;
  /** Stops listening to every attached worker. Idempotent. */
  close(): void;
}

const MAX_WORKERS = 1_024;

const optionsSchema = z
  .strictObject({
    latency: z
      .custom<unknown>(
        (v) => typeof v === 'object' && v !== null && typeof (v as { merge?: unknown }).merge === 'function',
        'a latency tracker (merge)',
      )
      .optional(),
    slos: z
      .array(
        z.custom<SloTracker>(
          (v) =>
            typeof v === 'object' &&
            v !== null &&
            typeof (v as { merge?: unknown }).merge === 'function' &&
            typeof (v as { status?: unknown }).status === 'function',
          'an SLO tracker (merge, status)',
        ),
      )
      .max(64)
      .default([]),
    latencyMetricName: z
      .string()
      .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name')
      .default('sre_latency'),
  })
  .superRefine((value, ctx) => {
    checkUnique(ctx, value.slos, ['slos'], { noun: 'SLO', thing: 'SLO tracker' });
  });

/** @internal The schema {@link ClusterPrimaryOptions} is checked against (bound by a type test). */
export const clusterPrimaryOptionsSchema = optionsSchema;

/**
 * Creates the primary's end of a process group (a `node:cluster` primary, or a thread that started
 * worker threads): it merges the reports of {@link createClusterWorker} into its own latency and SLO
 * trackers, so one `/metrics` and one monitor speak for the whole group. Merges are exact: the merged
 * percentiles are those of one tracker fed every value, and the merged SLOs report what one tracker fed
 * every event would. A worker that exits keeps its reported counts in the totals.
 *
 * @example
 * ```ts
 * const latency = createLatencyTracker();
 * const availability = createSloTracker({ name: 'availability', objective: { kind: 'availability', target: 0.999 } });
 * const primary = createClusterPrimary({ latency, slos: [availability] });
 * cluster.on('fork', (worker) => primary.attach(worker));
 * http.createServer((req, res) => res.end(renderMetrics([primary.metrics]))).listen(9464);
 * ```
 * @throws {ConfigError} on invalid options, a freshness SLO, or two SLOs of one name.
 */
export function createClusterPrimary(options: ClusterPrimaryOptions = {}, deps?: Deps): ClusterPrimary {
  const parsed = parseOptions(optionsSchema, options, 'createClusterPrimary');
  const slos = [...(options.slos ?? [])];
  refuseFreshness(slos, 'createClusterPrimary');
  const { clock, onInternalError } = resolveDeps(deps);
  return new Primary(options.latency, slos, parsed.latencyMetricName, clock, onInternalError);
}

interface WorkerState {
  id: string;
  reports: number;
  missed: number;
  lastSeq: number;
  lastReportAtMs: number | null;
  exited: boolean;
}

class Primary implements ClusterPrimary {
  readonly metrics: MetricsSource;
  readonly #latency: LatencyTracker | undefined;
  readonly #slos: ReadonlyMap<string, SloTracker>;
  // Lifetime counter increments reported by the workers: the primary's trackers count none themselves.
  readonly #counts = new Map<string, { good: number; bad: number }>();
  readonly #clock: Clock;
  readonly #onError: InternalErrorHandler;
  // Insertion order is recency order: a worker is re-inserted on each report.
  readonly #workers = new Map<string, WorkerState>();
  readonly #detach = new Set<() => void>();
  #reports = 0;
  #rejected = 0;

  constructor(
    latency: LatencyTracker | undefined,
    slos: readonly SloTracker[],
    latencyMetricName: string,
    clock: Clock,
    onError: InternalErrorHandler,
  ) {
    this.#latency = latency;
    this.#slos = new Map(slos.map((slo) => [slo.name, slo]));
    this.#clock = clock;
    this.#onError = onError;
    for (const slo of slos) this.#counts.set(slo.name, { good: 0, bad: 0 });
    const views: SloMetricsSource[] = slos.map((slo) => ({
      name: slo.name,
      target: slo.target,
      status: () => slo.status(),
      counts: (): SloCounts => ({ ...(this.#counts.get(slo.name) as SloCounts) }),
    }));
    const sources: MetricsSource[] = [];
    if (views.length > 0) sources.push(sloMetrics(views));
    if (latency !== undefined) sources.push(latencyMetrics(latency, { name: latencyMetricName }));
    this.metrics = {
      *collect() {
        for (const source of sources) yield* source.collect();
      },
    };
  }

  attach(worker: ProcessWorker | ThreadWorker): () => void {
    const id = 'threadId' in worker ? `thread:${worker.threadId}` : `cluster:${worker.id}`;
    this.#state(id);
    const onMessage = (message: unknown): void => {
      this.receive(message, id);
    };
    const onExit = (): void => {
      const state = this.#workers.get(id);
      if (state !== undefined) state.exited = true;
      detach();
    };
    const emitter = worker as unknown as NodeJS.EventEmitter;
    emitter.on('message', onMessage);
    emitter.once('exit', onExit);
    const detach = (): void => {
      emitter.off('message', onMessage);
      emitter.off('exit', onExit);
      this.#detach.delete(detach);
    };
    this.#detach.add(detach);
    return detach;
  }

  receive(message: unknown, from: string): boolean {
    if (!isClusterReport(message)) return false;
    const parsed = clusterReportSchema.safeParse(message);
    if (!parsed.success) {
      this.#reject(from, `a malformed report: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return true;
    }
    const report = parsed.data;
    const state = this.#state(from);
    state.reports++;
    if (state.lastSeq > 0 && report.seq > state.lastSeq + 1) state.missed += report.seq - state.lastSeq - 1;
    state.lastSeq = report.seq;
    state.lastReportAtMs = this.#clock.wallNow();
    this.#reports++;

    for (const [key, encoded] of report.latency) {
      if (this.#latency === undefined) {
        this.#reject(from, `latency for ${JSON.stringify(key)}, but the primary has no latency tracker`);
        break;
      }
      try {
        this.#latency.merge(encoded, key);
      } catch (error) {
        this.#reject(from, `latency for ${JSON.stringify(key)} could not be merged`, error);
      }
    }
    for (const entry of report.slos) {
      const slo = this.#slos.get(entry.name);
      if (slo === undefined) {
        this.#reject(
          from,
          `counts of the SLO ${JSON.stringify(entry.name)}, which the primary does not track`,
        );
        continue;
      }
      try {
        slo.merge(entry.snapshot as SloSnapshot);
      } catch (error) {
        this.#reject(from, `the SLO ${JSON.stringify(entry.name)} could not be merged`, error);
        continue;
      }
      const counts = this.#counts.get(entry.name) as { good: number; bad: number };
      counts.good += entry.good;
      counts.bad += entry.bad;
    }
    return true;
  }

  workers(): ClusterWorkerInfo[] {
    return [...this.#workers.values()].reverse().map((state) => ({
      id: state.id,
      reports: state.reports,
      missed: state.missed,
      lastReportAtMs: state.lastReportAtMs,
      exited: state.exited,
    }));
  }

  stats(): ClusterPrimaryStats {
    return { reports: this.#reports, rejected: this.#rejected };
  }

  close(): void {
    for (const detach of [...this.#detach]) detach();
  }

  #state(id: string): WorkerState {
    let state = this.#workers.get(id);
    if (state === undefined)
      state = { id, reports: 0, missed: 0, lastSeq: 0, lastReportAtMs: null, exited: false };
    else this.#workers.delete(id);
    this.#workers.set(id, state);
    if (this.#workers.size > MAX_WORKERS) this.#forgetOne();
    return state;
  }

  // The oldest exited worker goes first; with none exited, the one heard from least recently.
  #forgetOne(): void {
    for (const [id, state] of this.#workers)
      if (state.exited) {
        this.#workers.delete(id);
        return;
      }
    const oldest = this.#workers.keys().next().value;
    if (oldest !== undefined) this.#workers.delete(oldest);
  }

  #reject(from: string, what: string, cause?: unknown): void {
    this.#rejected++;
    this.#onError(new Error(`Cluster report from ${from}: ${what}`, cause === undefined ? {} : { cause }), {
      source: 'clusterPrimary',
      task: 'merge',
    });
  }
}
