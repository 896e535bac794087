// The plain-JSON form of a tracker's counts, for restarts (restore) and for fleets (merge), and the
// checks a snapshot passes before a tracker takes its counts.
import { z } from 'zod';
import { ConfigError, describeValue, parseOptions } from '../core/index.js';
import { DAY_MS } from './durations.js';

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

/** The counts of one calendar period in a snapshot. */
export interface SloSnapshotPeriod {
  /** The period start, epoch ms. */
  readonly startMs: number;
  /** The period end, epoch ms. */
  readonly endMs: number;
  /** Good events (or fresh slices) in the period. */
  readonly good: number;
  /** All events (or judged slices) in the period. */
  readonly total: number;
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
  readonly period: SloSnapshotPeriod | null;
  /**
   * Calendar periods that merged snapshots from a clock running ahead had begun, held until this
   * tracker's clock enters them; present only when there are some.
   */
  readonly periodsAhead?: readonly SloSnapshotPeriod[] | undefined;
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

const periodSchema = z.strictObject({ startMs: z.number(), endMs: z.number(), good: count, total: count });

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
  period: periodSchema.nullable(),
  periodsAhead: z.array(periodSchema).max(16).optional(),
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

/**
 * How far ahead of a tracker's clock a merged or restored snapshot may hold counts. Counts ahead are
 * kept aside until the clock reaches them; a day bounds that store, and a clock a day off is broken.
 */
export const MAX_AHEAD_MS = DAY_MS;

/** Parses a snapshot and checks it belongs to the SLO `name`. */
export function checkSnapshot(snapshot: unknown, name: string, where: string, field: string): SloSnapshot {
  const parsed = parseOptions(sloSnapshotSchema, snapshot, where) as SloSnapshot;
  if (parsed.name !== name)
    throw new ConfigError(where, [
      {
        field: fieldOf(field, 'name'),
        received: describeValue(parsed.name),
        expected: `the name of this SLO (${JSON.stringify(name)})`,
      },
    ]);
  return parsed;
}

/**
 * Refuses to merge freshness snapshots. A freshness slice is fresh only when every sample in it was,
 * but a snapshot keeps per bucket how many slices were fresh, not which: two processes' counts can
 * only be summed, which counts each slice of time once per process (fresh A + half-stale B gives
 * 15/20 where one tracker fed every sample says 5/10). Restoring a tracker's own snapshot is exact.
 */
export function checkMergeable(snapshot: SloSnapshot, freshness: boolean, where: string): void {
  if (!freshness && snapshot.freshness === null) return;
  throw new ConfigError(where, [
    freshness
      ? {
          field: 'objective.kind',
          received: '"freshness"',
          expected:
            'an availability or latency SLO (freshness slices judged in several processes cannot be combined exactly: judge freshness in one process)',
        }
      : {
          field: 'freshness',
          received: 'a freshness SLO snapshot',
          expected: 'null (a snapshot of an availability or latency SLO)',
        },
  ]);
}

/** Refuses counts more than {@link MAX_AHEAD_MS} ahead of `nowMs`, naming the first such bucket. */
export function checkNotTooFarAhead(
  snapshot: SloSnapshot,
  nowMs: number,
  where: string,
  field: string,
): void {
  const limit = nowMs + MAX_AHEAD_MS;
  const refuse = (at: string, startMs: number): never => {
    throw new ConfigError(where, [
      {
        field: at,
        received: timeOf(startMs),
        expected: `counts at most 1 day ahead of this tracker's clock (${timeOf(nowMs)}); check the clocks`,
      },
    ]);
  };
  snapshot.tiers.forEach((tier, i) => {
    tier.buckets.forEach(([index], j) => {
      if (index * tier.granularityMs > limit)
        refuse(fieldOf(field, `tiers[${i}].buckets[${j}]`), index * tier.granularityMs);
    });
  });
  if (snapshot.period !== null && snapshot.period.startMs > limit)
    refuse(fieldOf(field, 'period'), snapshot.period.startMs);
  snapshot.periodsAhead?.forEach((period, k) => {
    if (period.startMs > limit) refuse(fieldOf(field, `periodsAhead[${k}]`), period.startMs);
  });
}

/**
 * The snapshot tier to read a ring from: the one reaching furthest back among those whose buckets nest
 * exactly inside the ring's (granularity divides the ring's); the same tier when the configs match.
 */
export function pickSource(
  tiers: readonly SloSnapshotTier[],
  ring: { readonly granularityMs: number },
): SloSnapshotTier | undefined {
  let best: SloSnapshotTier | undefined;
  for (const tier of tiers) {
    if (ring.granularityMs % tier.granularityMs !== 0) continue;
    const span = tier.granularityMs * tier.size;
    const bestSpan = best === undefined ? -1 : best.granularityMs * best.size;
    if (span > bestSpan || (span === bestSpan && tier.granularityMs === ring.granularityMs)) best = tier;
  }
  return best;
}

function fieldOf(prefix: string, field: string): string {
  return prefix === '(snapshot)' ? field : `${prefix}.${field}`;
}

// An epoch time as ISO 8601 where Date can show it, else the number (a bucket index can be anything).
function timeOf(ms: number): string {
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
