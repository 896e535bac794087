import { z } from 'zod';
import type { InternalErrorHandler } from '../core/index.js';
import { parseMatcher } from '../incidents/index.js';
import type { MaintenanceCalendar, MaintenanceOccurrence } from '../maintenance/index.js';
import type { SloSnapshot, SloTracker } from '../slo/index.js';

// SLO events excluded from budgets by maintenance windows (`excludeFromSlo`). The tracker keeps counting
// everything (its burn rates and alerts describe what happened); the exclusion applies where budgets
// are reported, the SLA report, by this rule:
//
//   An event is excluded when the tracker bucket holding it lies wholly inside an open span of a window
//   that excludes its SLO, after the window was added. Its good and its total are both left out: planned
//   work counts neither for nor against the objective.
//
// Buckets only partly inside stay counted (a window is honoured to the finest bucket that fits: 1 s for
// the last 5 minutes, 5 minutes for 3 days). Overlapping windows exclude a bucket once. Like the hourly
// history, the counts per hour are recomputed on every evaluation from the tracker's tiers and merged
// with the larger kept, so a restart or a missed evaluation never counts twice, and they are saved in
// the history file.

/** The rule, in one sentence, as the SLA report states it. */
export const SLO_EXCLUSION_RULE =
  'Events in SLO buckets lying wholly inside a window that excludes the SLO (after the window was added) are ' +
  'left out of good and total alike; the tracker itself still counts them.';

const HOUR_MS = 3_600_000;
/** How far back windows are looked for: the tracker's longest fixed tier (5 minutes × 864). */
const REACH_MS = 3 * 24 * HOUR_MS;
const MAX_SLOS = 64;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** The schema of the excluded counts as the history file holds them: `[hour, slo, good, total]`. */
export const excludedEventsSchema = z
  .array(z.tuple([z.number().int(), z.string(), count, count]))
  .max(1_000_000);

/** Per SLO, good and total excluded over a span. */
export type ExcludedCounts = ReadonlyMap<string, { readonly good: number; readonly total: number }>;

/** Which windows exclude which SLO of a monitor. */
function excludes(occurrence: MaintenanceOccurrence, slo: string, service: string): boolean {
  const exclude = occurrence.window.excludeFromSlo;
  if (exclude === false) return false;
  if (exclude !== true) return exclude.includes(slo);
  // `true`: every SLO of a service the window's `service` matchers accept.
  return occurrence.window.matchers.every((text) => {
    const matcher = parseMatcher(text);
    return typeof matcher === 'string' || matcher.name !== 'service' || matcher.matches({ service });
  });
}

/** The hourly excluded counts of a monitor's SLOs. */
export class SloExclusions {
  readonly #retainHours: number;
  readonly #hours = new Map<number, Map<string, [good: number, total: number]>>();

  constructor(retainDays: number) {
    this.#retainHours = Math.max(1, Math.round(retainDays * 24));
  }

  /** Recomputes the recent hours from each tracker's tiers and the calendar's excluding windows. */
  file(
    slos: readonly SloTracker[],
    calendar: MaintenanceCalendar,
    service: string,
    now: number,
    errors: { readonly onError: InternalErrorHandler; readonly source: string },
  ): void {
    let occurrences: readonly MaintenanceOccurrence[];
    try {
      occurrences = calendar
        .occurrences(now - REACH_MS, now)
        .filter((o) => o.window.excludeFromSlo !== false);
    } catch (error) {
      errors.onError(error, { source: errors.source, task: 'maintenance occurrences' });
      return;
    }
    if (occurrences.length === 0) return;
    for (const slo of slos.slice(0, MAX_SLOS)) {
      const spans = occurrences
        .filter((o) => excludes(o, slo.name, service))
        .map((o) => [Math.max(o.startsAt, o.window.createdAt), Math.min(o.endsAt, now)] as const)
        .filter(([from, to]) => to > from);
      if (spans.length === 0) continue;
      try {
        this.#fileSlo(slo.name, slo.snapshot(), spans);
      } catch (error) {
        errors.onError(error, { source: errors.source, task: `slo exclusions ${slo.name}` });
      }
    }
    this.#prune(now);
  }

  // Per tier, the hours' sums of the buckets wholly inside a span; per hour the tier that fits the most.
  #fileSlo(name: string, snapshot: SloSnapshot, spans: readonly (readonly [number, number])[]): void {
    const best = new Map<number, [number, number]>();
    for (const tier of snapshot.tiers) {
      const g = tier.granularityMs;
      const sums = new Map<number, [number, number]>();
      for (const [index, good, total] of tier.buckets) {
        const start = index * g;
        const end = start + g;
        if (!spans.some(([from, to]) => start >= from && end <= to)) continue;
        const hour = Math.floor(start / HOUR_MS);
        const sum = sums.get(hour);
        if (sum === undefined) sums.set(hour, [good, total]);
        else {
          sum[0] += good;
          sum[1] += total;
        }
      }
      for (const [hour, sum] of sums) if (sum[1] > (best.get(hour)?.[1] ?? -1)) best.set(hour, sum);
    }
    for (const [hour, [good, total]] of best) {
      let bucket = this.#hours.get(hour);
      if (bucket === undefined) this.#hours.set(hour, (bucket = new Map<string, [number, number]>()));
      const held = bucket.get(name);
      if (held === undefined || total > held[1]) bucket.set(name, [good, total]);
    }
  }

  #prune(now: number): void {
    const oldest = Math.floor(now / HOUR_MS) - this.#retainHours;
    for (const hour of this.#hours.keys()) if (hour <= oldest) this.#hours.delete(hour);
  }

  /** Per SLO, the good and total excluded over the hours overlapping `[fromMs, toMs)`. */
  between(fromMs: number, toMs: number): ExcludedCounts {
    const out = new Map<string, { good: number; total: number }>();
    for (const [hour, slos] of this.#hours) {
      const start = hour * HOUR_MS;
      if (start + HOUR_MS <= fromMs || start >= toMs) continue;
      for (const [name, [good, total]] of slos) {
        const sum = out.get(name) ?? { good: 0, total: 0 };
        sum.good += good;
        sum.total += total;
        out.set(name, sum);
      }
    }
    return out;
  }

  /** The counts as the history file holds them. */
  toJSON(): z.infer<typeof excludedEventsSchema> {
    const out: z.infer<typeof excludedEventsSchema> = [];
    for (const [hour, slos] of [...this.#hours].sort((a, b) => a[0] - b[0]))
      for (const [name, [good, total]] of slos) out.push([hour, name, good, total]);
    return out;
  }

  /** Takes over counts read back from the history file (validated by {@link excludedEventsSchema}). */
  restore(rows: z.infer<typeof excludedEventsSchema>): void {
    for (const [hour, name, good, total] of rows) {
      if (good > total) continue;
      let bucket = this.#hours.get(hour);
      if (bucket === undefined) this.#hours.set(hour, (bucket = new Map<string, [number, number]>()));
      const held = bucket.get(name);
      if ((held === undefined && bucket.size < MAX_SLOS) || (held !== undefined && total > held[1]))
        bucket.set(name, [good, total]);
    }
  }
}
