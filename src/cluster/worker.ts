import { isMainThread, parentPort } from 'node:worker_threads';
import { z } from 'zod';
import {
  ConfigError,
  parseOptions,
  resolveDeps,
  startPoller,
  type Clock,
  type Deps,
  type InternalErrorHandler,
  type Poller,
} from '../core/index.js';
import type { LatencyTracker } from '../latency/index.js';
import { sloSnapshotDelta, type SloCounts, type SloSnapshot, type SloTracker } from '../slo/index.js';
import { refuseFreshness } from './freshness.js';
import { CLUSTER_REPORT_TYPE, type ClusterReport } from './report.js';

/** Options for {@link createClusterWorker}. */
export interface ClusterWorkerOptions {
  /**
   * The latency tracker whose values to report. It is drained at each report (encoded, then reset key
   * by key): from then on the primary holds the totals, and this tracker only what is not sent yet.
   * @default none
   */
  readonly latency?: LatencyTracker;
  /**
   * SLO trackers whose counts to report (availability and latency SLOs: freshness is judged in one
   * process). They keep their own counts; each report carries what they recorded since the last one.
   * Names unique. @default []
   */
  readonly slos?: readonly SloTracker[];
  /**
   * How often to report, in ms: the most a worker that dies can take with it.
   * @default 5_000
   */
  readonly intervalMs?: number;
  /**
   * Delivers a report to the primary.
   * @default `process.send` in a `node:cluster` worker (or a `fork()`ed child), `parentPort.postMessage`
   *   in a worker thread
   */
  readonly send?: (report: ClusterReport) => void;
}

/** A worker's end of the cluster: reports on a timer; `flush()` and `close()` report at once. */
export interface ClusterWorker {
  /** Sends what was recorded since the last report now (e.g. before a planned exit). */
  flush(): void;
  /** Reports made (the latest one's `seq`), and how many of them could not be sent. */
  stats(): { readonly reports: number; readonly failed: number };
  /** Stops the timer after one last report. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const trackerSchema = (what: string, ...methods: string[]) =>
  z.custom<unknown>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    { message: `${what} (${methods.join(', ')})` },
  );

const MAX_TIMER_MS = 2_147_483_647;

const optionsSchema = z
  .strictObject({
    latency: trackerSchema('a latency tracker', 'keys', 'encode', 'reset').optional(),
    slos: z
      .array(trackerSchema('an SLO tracker', 'snapshot', 'counts'))
      .max(64)
      .default([]),
    intervalMs: z.number().int().min(100).max(MAX_TIMER_MS).default(5_000),
    send: z.custom<(report: ClusterReport) => void>((v) => typeof v === 'function', 'a function').optional(),
  })
  .superRefine((value, ctx) => {
    if (value.latency === undefined && value.slos.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['latency'],
        message: 'a latency tracker or SLO trackers to report',
      });
  });

/** @internal The schema {@link ClusterWorkerOptions} is checked against (bound by a type test). */
export const clusterWorkerOptionsSchema = optionsSchema;

/**
 * Reports a worker's latency and SLO counts to its primary every `intervalMs`: each report holds what
 * was recorded since the previous one (HdrHistogram encodings and SLO delta snapshots), so the primary
 * adds reports up into the whole group's numbers, and a worker that dies loses at most one interval.
 * The timer is unref'd; `close()` sends a last report.
 *
 * @example
 * ```ts
 * // in each node:cluster worker
 * const latency = createLatencyTracker();
 * const availability = createSloTracker({ name: 'availability', objective: { kind: 'availability', target: 0.999 } });
 * app.use(sreMiddleware({ latency, slos: [availability] }));
 * const reporter = createClusterWorker({ latency, slos: [availability], intervalMs: 5_000 });
 * ```
 * @throws {ConfigError} when there is nothing to report, a tracker is a freshness SLO, two SLOs share a
 *   name, or there is no channel to the primary and no `send`.
 */
export function createClusterWorker(options: ClusterWorkerOptions, deps?: Deps): ClusterWorker {
  const parsed = parseOptions(optionsSchema, options, 'createClusterWorker');
  const slos = [...(options.slos ?? [])];
  const names = new Set<string>();
  refuseFreshness(slos, 'createClusterWorker');
  slos.forEach((slo, i) => {
    if (names.has(slo.name))
      throw new ConfigError('createClusterWorker', [
        {
          field: `slos[${i}].name`,
          received: JSON.stringify(slo.name),
          expected: 'a name unique among the SLOs',
        },
      ]);
    names.add(slo.name);
  });
  const send = options.send ?? defaultChannel();
  const { clock, onInternalError } = resolveDeps(deps);
  return new Reporter(options.latency, slos, send, parsed.intervalMs, clock, onInternalError);
}

function defaultChannel(): (report: ClusterReport) => void {
  if (!isMainThread && parentPort !== null) {
    const port = parentPort;
    return (report) => port.postMessage(report);
  }
  if (typeof process.send === 'function') return (report) => void process.send?.(report);
  throw new ConfigError('createClusterWorker', [
    {
      field: 'send',
      received: 'undefined',
      expected:
        'a function delivering reports, or a process with a channel to its primary (a node:cluster worker, a fork()ed child or a worker thread)',
    },
  ]);
}

interface Shipped {
  snapshot: SloSnapshot;
  counts: SloCounts;
}

class Reporter implements ClusterWorker {
  readonly #latency: LatencyTracker | undefined;
  readonly #slos: readonly SloTracker[];
  readonly #send: (report: ClusterReport) => void;
  readonly #clock: Clock;
  readonly #onError: InternalErrorHandler;
  readonly #poller: Poller;
  // What each SLO had when it was last reported, so the next report carries only what came after.
  readonly #shipped = new Map<string, Shipped>();
  #seq = 0;
  #failed = 0;
  #closed = false;

  constructor(
    latency: LatencyTracker | undefined,
    slos: readonly SloTracker[],
    send: (report: ClusterReport) => void,
    intervalMs: number,
    clock: Clock,
    onError: InternalErrorHandler,
  ) {
    this.#latency = latency;
    this.#slos = slos;
    this.#send = send;
    this.#clock = clock;
    this.#onError = onError;
    this.#poller = startPoller({
      clock,
      intervalMs,
      task: () => this.flush(),
      onError,
      source: 'clusterWorker',
    });
  }

  flush(): void {
    const report = this.#report();
    try {
      this.#send(report);
    } catch (error) {
      // The channel is gone (the primary died or is shutting us down): nobody can take the data.
      this.#failed++;
      this.#onError(error, { source: 'clusterWorker', task: 'send' });
    }
  }

  stats(): { readonly reports: number; readonly failed: number } {
    return { reports: this.#seq, failed: this.#failed };
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#poller.stop();
    this.flush();
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // Synchronous from the first read to the last reset: nothing can be recorded in between, so every
  // value lands in exactly one report.
  #report(): ClusterReport {
    const latency: Array<readonly [string, string]> = [];
    const tracker = this.#latency;
    if (tracker !== undefined)
      for (const key of tracker.keys()) {
        latency.push([key, tracker.encode(key)]);
        tracker.reset(key);
      }
    const slos: Array<ClusterReport['slos'][number]> = [];
    for (const slo of this.#slos) {
      const snapshot = slo.snapshot();
      const counts = slo.counts();
      const last = this.#shipped.get(slo.name);
      this.#shipped.set(slo.name, { snapshot, counts });
      const delta = last === undefined ? snapshot : sloSnapshotDelta(snapshot, last.snapshot);
      const good = counts.good - (last?.counts.good ?? 0);
      const bad = counts.bad - (last?.counts.bad ?? 0);
      if (good + bad === 0 && delta.tiers.every((tier) => tier.buckets.length === 0)) continue;
      slos.push({ name: slo.name, snapshot: delta, good, bad });
    }
    return {
      type: CLUSTER_REPORT_TYPE,
      version: 1,
      seq: ++this.#seq,
      sentAtMs: this.#clock.wallNow(),
      latency,
      slos,
    };
  }
}
