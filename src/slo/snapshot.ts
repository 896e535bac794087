// The plain-JSON form of a tracker's counts, for restarts (restore) and for fleets (merge).
import { z } from 'zod';

const count = z.number().min(0).max(Number.MAX_SAFE_INTEGER);
const index = z.number().int();

/** One tier of buckets in a snapshot. */
export interface SloSnapshotTier {
  /** The bucket width in ms; buckets are epoch-aligned. */
  readonly granularityMs: number;
  /** How many buckets the tier keeps. */
  readonly size: number;
  /** The non-empty buckets: `[floor(t / granularityMs), good, total]`, oldest first. */
  readonly buckets: ReadonlyArray<readonly [number, number, number]>;
}

/** A snapshot of an SLO tracker: plain JSON, safe to store, send and merge. */
export interface SloSnapshot {
  /** The snapshot format version. */
  readonly version: 1;
  /** The SLO name; a snapshot only merges into a tracker of the same name. */
  readonly name: string;
  /** When it was taken (the tracker's wall clock, epoch ms). */
  readonly takenAtMs: number;
  /** The bucket tiers. */
  readonly tiers: readonly SloSnapshotTier[];
  /** Counts of the current calendar period, for calendar windows; `null` for rolling ones. */
  readonly period: {
    readonly startMs: number;
    readonly endMs: number;
    readonly good: number;
    readonly total: number;
  } | null;
  /** The slice being judged, for freshness objectives; `null` otherwise. */
  readonly freshness: {
    readonly sliceMs: number;
    readonly armed: boolean;
    readonly slice: number;
    readonly samples: number;
    readonly stale: boolean;
  } | null;
  /** Bad values dropped so far (NaN latency, negative counts, ...). */
  readonly dropped: number;
  /** Times the wall clock was seen going backwards. */
  readonly clockBackwards: number;
}

/** Validates an {@link SloSnapshot}, e.g. one read back from a file or received from another process. */
export const sloSnapshotSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1).max(128),
  takenAtMs: z.number(),
  tiers: z
    .array(
      z.strictObject({
        granularityMs: z.number().int().min(1000).multipleOf(1000),
        size: z.number().int().min(1).max(100_000),
        buckets: z
          .array(
            z.tuple([index, count, count]).refine(([, good, total]) => good <= total, {
              message: 'a bucket with good <= total',
            }),
          )
          .max(100_000),
      }),
    )
    .max(16),
  period: z.strictObject({ startMs: z.number(), endMs: z.number(), good: count, total: count }).nullable(),
  freshness: z
    .strictObject({
      sliceMs: z.number().int().min(1000),
      armed: z.boolean(),
      slice: index,
      samples: count,
      stale: z.boolean(),
    })
    .nullable(),
  dropped: count,
  clockBackwards: count,
});
