import { z } from 'zod';
import { withSince, type ComponentStatus, type SourceState, type StatusSource } from './component-status.js';

// Per-source daily time in each status, for a status page's 90 uptime bars. Sample and hold: the
// status each source had at one evaluation is held until the next, so the time between two
// evaluations goes to the statuses read at the first; the time before the first evaluation of a
// process (it was not running) goes nowhere. Days are UTC days. A day holds 5 numbers per source, so
// 90 days of the most sources (MAX_UPTIME_SOURCES) are 90 × 512 × 5 numbers: under 2 MB of JSON, and
// with a usual dozen sources about 40 KB.

/** One UTC day, in ms. */
export const DAY_MS = 86_400_000;
/** Days of uptime kept: the bars of a status page. */
export const UPTIME_DAYS = 90;
/** Sources whose uptime is kept; later ones are counted in `droppedSources`, not kept. */
export const MAX_UPTIME_SOURCES = 512;

/** One source's time on one day, in ms. `observedMs` is the sum of the others plus operational time. */
export interface UptimeDay {
  readonly observedMs: number;
  readonly degradedMs: number;
  readonly partialMs: number;
  readonly majorMs: number;
  readonly maintenanceMs: number;
}

// Indexes into a day's numbers.
const OBSERVED = 0;
const SLOT: Readonly<Record<ComponentStatus, number | undefined>> = {
  operational: undefined,
  degraded_performance: 1,
  partial_outage: 2,
  major_outage: 3,
  under_maintenance: 4,
};

const ms = z.number().min(0).max(DAY_MS);
/** The schema of the uptime part of the monitor's history file. */
export const uptimeSnapshotSchema = z.array(
  z.strictObject({
    /** UTC day: floor(epoch ms / 86 400 000). */
    day: z.number().int(),
    /** Source key → [observed, degraded, partial outage, major outage, maintenance] ms. */
    sources: z.record(z.string(), z.tuple([ms, ms, ms, ms, ms])),
  }),
);

/** The uptime part of the history file. */
export type UptimeSnapshot = z.infer<typeof uptimeSnapshotSchema>;

/** Daily time per status per source, and since when each source has had its status. */
export class UptimeDays {
  readonly #days = new Map<number, Map<string, Float64Array>>();
  readonly #sources = new Set<string>();
  /** The statuses read at the last evaluation, and since when each has held. */
  #held: readonly StatusSource[] = [];
  #heldAt = Number.NaN;
  /** Sources past {@link MAX_UPTIME_SOURCES}, whose uptime was not kept. */
  droppedSources = 0;

  /**
   * Takes the statuses read at `now`: the time since the previous call goes to the statuses read then.
   * Returns the statuses with the time each entered its status.
   */
  observe(states: readonly SourceState[], now: number): readonly StatusSource[] {
    if (Number.isFinite(this.#heldAt) && now > this.#heldAt) this.#attribute(this.#heldAt, now);
    this.#held = withSince(states, this.#held, now);
    this.#heldAt = now;
    return this.#held;
  }

  /** The statuses read at the last {@link UptimeDays.observe}, with their `since`. */
  held(): readonly StatusSource[] {
    return this.#held;
  }

  #attribute(from: number, to: number): void {
    // A clock that jumped far ahead must not loop over years of days.
    let start = Math.max(from, to - UPTIME_DAYS * DAY_MS);
    while (start < to) {
      const day = Math.floor(start / DAY_MS);
      const end = Math.min(to, (day + 1) * DAY_MS);
      for (const source of this.#held) this.#add(day, source.key, source.status, end - start);
      start = end;
    }
    this.#prune(Math.floor(to / DAY_MS));
  }

  #add(day: number, key: string, status: ComponentStatus, spanMs: number): void {
    const counts = this.#counts(day, key);
    if (counts === undefined) return;
    counts[OBSERVED] = Math.min(DAY_MS, counts[OBSERVED]! + spanMs);
    const slot = SLOT[status];
    if (slot !== undefined) counts[slot] = Math.min(DAY_MS, counts[slot]! + spanMs);
  }

  #counts(day: number, key: string): Float64Array | undefined {
    if (!this.#sources.has(key)) {
      if (this.#sources.size >= MAX_UPTIME_SOURCES) {
        this.droppedSources++;
        return undefined;
      }
      this.#sources.add(key);
    }
    let sources = this.#days.get(day);
    if (sources === undefined) {
      sources = new Map();
      this.#days.set(day, sources);
    }
    let counts = sources.get(key);
    if (counts === undefined) {
      counts = new Float64Array(5);
      sources.set(key, counts);
    }
    return counts;
  }

  #prune(today: number): void {
    let pruned = false;
    for (const day of this.#days.keys())
      if (day <= today - UPTIME_DAYS) {
        this.#days.delete(day);
        pruned = true;
      }
    if (!pruned) return;
    // Sources that left no day behind free their place.
    this.#sources.clear();
    for (const sources of this.#days.values()) for (const key of sources.keys()) this.#sources.add(key);
  }

  /**
   * One entry per day of `[fromDay, toDay]` (UTC day numbers), oldest first: each source's time in
   * each status that day (a source without a record that day is absent from its map).
   */
  days(fromDay: number, toDay: number): { readonly day: number; readonly sources: Map<string, UptimeDay> }[] {
    const out: { day: number; sources: Map<string, UptimeDay> }[] = [];
    for (let day = fromDay; day <= toDay; day++) {
      const sources = new Map<string, UptimeDay>();
      for (const [key, c] of this.#days.get(day) ?? [])
        sources.set(key, {
          observedMs: c[OBSERVED]!,
          degradedMs: c[1]!,
          partialMs: c[2]!,
          majorMs: c[3]!,
          maintenanceMs: c[4]!,
        });
      out.push({ day, sources });
    }
    return out;
  }

  /** The days as plain JSON (see {@link uptimeSnapshotSchema}). */
  toJSON(): UptimeSnapshot {
    return [...this.#days]
      .sort(([a], [b]) => a - b)
      .map(([day, sources]) => ({
        day,
        sources: Object.fromEntries(
          [...sources].map(([key, c]) => [key, [c[0]!, c[1]!, c[2]!, c[3]!, c[4]!] as const]),
        ),
      }));
  }

  /**
   * Takes over days read back from a file (already validated): added to what is held (a restart never
   * observes the same span twice, the process being down in between), capped at a whole day.
   */
  restore(snapshot: UptimeSnapshot, now: number): void {
    const today = Math.floor(now / DAY_MS);
    for (const { day, sources } of snapshot) {
      if (day <= today - UPTIME_DAYS || day > today) continue;
      for (const [key, values] of Object.entries(sources)) {
        const counts = this.#counts(day, key);
        if (counts === undefined) continue;
        values.forEach((v, i) => (counts[i] = Math.min(DAY_MS, counts[i]! + v)));
      }
    }
  }
}
