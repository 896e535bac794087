// What a worker sends its primary each interval: the latency values and SLO counts it recorded since
// its previous report. Deltas, not totals: the primary adds them up, so a worker that dies takes only
// what it recorded since its last report with it.
import { z } from 'zod';
import type { SloSnapshot } from '../slo/index.js';

/** The `type` tag of a report: how a primary tells reports from the application's own messages. */
export const CLUSTER_REPORT_TYPE = 'sre-kit/cluster-report';

/** The latency and SLO counts one worker recorded since its previous report. */
export interface ClusterReport {
  /** Always {@link CLUSTER_REPORT_TYPE}. */
  readonly type: typeof CLUSTER_REPORT_TYPE;
  /** The report format version. */
  readonly version: 1;
  /** 1 for the worker's first report, then one more each report: a gap means reports were lost. */
  readonly seq: number;
  /** When the worker took it (its wall clock, epoch ms). */
  readonly sentAtMs: number;
  /** Per latency key, the HdrHistogram encoding (`encode()`) of the values recorded since the last report. */
  readonly latency: ReadonlyArray<readonly [key: string, encoded: string]>;
  /** Per SLO, the counts recorded since the last report: bucketed (to `merge()`) and as counter increments. */
  readonly slos: ReadonlyArray<{
    readonly name: string;
    /** The delta snapshot (`sloSnapshotDelta`), or the whole snapshot in the first report. */
    readonly snapshot: SloSnapshot;
    /** Good events recorded since the last report (what `counts().good` grew by). */
    readonly good: number;
    /** Bad events recorded since the last report. */
    readonly bad: number;
  }>;
}

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** @internal Checks a report on the primary: it comes over IPC, so it is outside data. */
export const clusterReportSchema = z.strictObject({
  type: z.literal(CLUSTER_REPORT_TYPE),
  version: z.literal(1),
  seq: z.number().int().min(1),
  sentAtMs: z.number(),
  latency: z.array(z.tuple([z.string().max(1024), z.string().max(16 * 1024 * 1024)])).max(10_000),
  slos: z
    .array(
      // The snapshot is checked by the tracker's own merge().
      z.strictObject({ name: z.string().min(1).max(128), snapshot: z.unknown(), good: count, bad: count }),
    )
    .max(64),
});

/** Whether a message is an sre-kit cluster report (by its tag; its shape is checked when received). */
export function isClusterReport(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === CLUSTER_REPORT_TYPE
  );
}
