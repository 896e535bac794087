// The SLO tracker: counts good and total events (or time slices) in epoch-aligned, tiered buckets and
// answers budget, burn-rate and alert questions from them. record() is the hot path: it reads the
// clock, compares it with the current second and adds to two plain fields. Bucket rotation happens at
// most once per second of activity or on a read. Reads (status, snapshot, currentWindow) never judge
// alerts: alert and exhaustion state change only in evaluate() and, while events are being recorded,
// when a second of recording closes (a write, and only if someone listens).
import {
  SafeEmitter,
  parseOptions,
  resolveDeps,
  type Clock,
  type Deps,
  type EventSource,
  type Listener,
} from '../core/index.js';
import { budgetRatioOf, burnOf, exhaustionOf, remainingOf } from './budget.js';
import { alertsOf, type BurnRateSeverity, type BurnRateAlert } from './burn-rate-alerts.js';
import { ZonedCalendar } from './calendar.js';
import { BucketRing, type RingWindow } from './bucket-ring.js';
import {
  BURN_RATE_WINDOWS,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  SECOND_MS,
  type BurnRateWindowName,
} from './durations.js';
import {
  MAX_FIXED_SPAN_MS,
  sloOptionsSchema,
  type ParsedSloOptions,
  type SloObjective,
  type SloTrackerOptions,
  type SloWindow,
} from './options.js';
import {
  checkMergeable,
  checkNotTooFarAhead,
  checkSnapshot,
  pickSource,
  type SloSnapshot,
  type SloSnapshotPeriod,
} from './snapshot.js';

/** One event for {@link SloTracker.record}: whether it succeeded and, for latency SLOs, how long it took. */
export interface SloSample {
  /** Whether the request succeeded. A failed request is bad whatever its latency. */
  readonly ok: boolean;
  /** The latency in ms; required by latency objectives when `ok` (a finite number >= 0). */
  readonly latencyMs?: number;
}

/** One configured alert as {@link SloTracker.status} reports it. */
export interface SloAlertStatus {
  /** How loud the alert is. */
  readonly severity: BurnRateSeverity;
  /** The long window, ms. */
  readonly longWindowMs: number;
  /** The short window, ms. */
  readonly shortWindowMs: number;
  /** The burn-rate threshold both windows must exceed. */
  readonly burnRate: number;
  /**
   * Whether both windows exceed it now, computed from the counts when read. The `alert` event reports
   * a change when {@link SloTracker.evaluate} (or recording) notices it, so the two may differ between
   * evaluations.
   */
  readonly firing: boolean;
}

/** The burn rate of each standard window, plus `window`: the whole SLO window's. */
export type SloBurnRates = { readonly [K in BurnRateWindowName | 'window']: number };

/** Where an SLO stands now. */
export interface SloStatus {
  /** The SLO name. */
  readonly name: string;
  /** The target ratio, e.g. 0.999. */
  readonly target: number;
  /** good ÷ total over the SLO window; `null` when the window has no events. */
  readonly sli: number | null;
  /** Good events (or fresh slices) in the SLO window. */
  readonly good: number;
  /** All events (or judged slices) in the SLO window. */
  readonly total: number;
  /** The share of the budget consumed and left; `remaining` goes negative when overspent. */
  readonly budget: { readonly consumed: number; readonly remaining: number };
  /** Burn rates per window; 0 for a window without events. */
  readonly burnRates: SloBurnRates;
  /** Each configured alert and whether it fires. */
  readonly alerts: readonly SloAlertStatus[];
  /** How long until the budget is spent at the last hour's burn rate: 0 if spent, Infinity at burn 0. */
  readonly timeToExhaustionMs: number;
}

/** Payload of the `alert` event: an alert started or stopped firing. */
export interface SloAlertEvent {
  /** The SLO name. */
  readonly name: string;
  /** How loud the alert is. */
  readonly severity: BurnRateSeverity;
  /** `true` when it started firing, `false` when it resolved. */
  readonly firing: boolean;
  /** The long window, ms. */
  readonly longWindowMs: number;
  /** The short window, ms. */
  readonly shortWindowMs: number;
  /** The threshold. */
  readonly burnRate: number;
  /** The long window's burn rate at the change. */
  readonly longBurnRate: number;
  /** The short window's burn rate at the change. */
  readonly shortBurnRate: number;
  /** When the change was seen, epoch ms. */
  readonly atMs: number;
}

/** Payload of the `budgetExhausted` event: the window's budget just ran out. */
export interface SloBudgetExhaustedEvent {
  /** The SLO name. */
  readonly name: string;
  /** The share of the budget consumed (>= 1). */
  readonly consumed: number;
  /** `1 - consumed` (<= 0). */
  readonly remaining: number;
  /** When it was seen, epoch ms. */
  readonly atMs: number;
}

/** The events an {@link SloTracker} emits. */
export type SloEvents = {
  /** An alert started or stopped firing. */
  alert: SloAlertEvent;
  /** The budget ran out (again, after it had recovered). */
  budgetExhausted: SloBudgetExhaustedEvent;
};

/** Counters that show what the tracker dropped or ignored, and what it costs. */
export interface SloDiagnostics {
  /** Values dropped because they were invalid (NaN latency, negative count, non-boolean ok, ...). */
  readonly dropped: number;
  /** Times the wall clock was seen stepping backwards across a second (those reads were ignored). */
  readonly clockBackwards: number;
  /** Bytes of count storage held by the buckets. */
  readonly memoryBytes: number;
}

/** Lifetime event counts of one tracker, from {@link SloTracker.counts}. */
export interface SloCounts {
  readonly good: number;
  readonly bad: number;
}

/** The current SLO window and its budget in time. */
export interface SloWindowInfo {
  /** The window start, epoch ms (for rolling windows, now minus the duration). */
  readonly startMs: number;
  /** The window end, epoch ms (for rolling windows, now). */
  readonly endMs: number;
  /** `endMs - startMs`. */
  readonly durationMs: number;
  /** How long a full outage may last within this window: `durationMs × (1 - target)`. */
  readonly allowedDowntimeMs: number;
}

/** Collaborators of {@link createSloTracker}: the clock, the error hook, and a snapshot to restore. */
export interface SloTrackerDeps extends Deps {
  /** Counts to start from, from {@link SloTracker.snapshot} (e.g. read back after a restart). */
  readonly snapshot?: SloSnapshot;
}

/** Tracks one SLO: record events, read its status, listen for alerts, snapshot and merge counts. */
export interface SloTracker extends EventSource<SloEvents> {
  /** The SLO name. */
  readonly name: string;
  /** The target ratio, e.g. 0.999 (normalised to 12 decimals). Reading it costs nothing. */
  readonly target: number;
  /** What the SLO measures, as parsed: kind, target and, by kind, `thresholdMs` or `maxLagMs`/`sliceMs`. */
  readonly objective: Readonly<SloObjective>;
  /** The budget window, as parsed (calendar windows carry their `timeZone`). */
  readonly window: Readonly<SloWindow>;
  /**
   * Records `count` events (default 1): `true`/`false`, or `{ ok, latencyMs }` for latency SLOs.
   * Never throws: invalid values are counted in `diagnostics().dropped` and ignored; a count of 0
   * records nothing. For freshness SLOs, records one sample (fresh when ok) in the current slice.
   */
  record(outcome: boolean | SloSample, count?: number): void;
  /** Freshness SLOs: notes that the data was last updated at `lastUpdatedAtMs` (epoch ms). */
  observeFreshness(lastUpdatedAtMs: number): void;
  /**
   * Where the SLO stands now. A pure read: it never changes alert or exhaustion state and never emits;
   * call it as often as a dashboard or a scrape likes.
   */
  status(): SloStatus;
  /**
   * Judges the alerts and the budget now, emits `alert` and `budgetExhausted` for what changed, and
   * returns the status it judged. Recording judges too, once per second of traffic while anyone
   * listens; without traffic nothing does, so whoever listens calls this on a timer (the monitor
   * does, every `evaluateIntervalMs`) to see alerts resolve during idle periods.
   */
  evaluate(): SloStatus;
  /** The current window and its allowed downtime. A pure read. */
  currentWindow(): SloWindowInfo;
  /** The counts as plain JSON, for {@link SloTrackerDeps.snapshot} or {@link SloTracker.merge}. A pure read. */
  snapshot(): SloSnapshot;
  /**
   * Adds another process's snapshot of the same SLO. Exact for trackers with the same window: once
   * this clock has passed the latest event, this tracker reports what one tracker fed every event
   * would. Counts that a clock running ahead recorded "in the future" are held aside and count once
   * this clock reaches their bucket (at each window's granularity); local counting never stops.
   * @throws {ConfigError} when the snapshot is malformed, belongs to another SLO, holds counts more
   *   than a day ahead of this clock (fix that clock), or is a freshness SLO's: freshness judges time
   *   slices, and counts of slices judged apart cannot be combined exactly, so they are never summed.
   */
  merge(snapshot: SloSnapshot): void;
  /**
   * Events this tracker recorded since it was created: monotonic, never windowed, excluding merged or
   * restored snapshots. What `sre_slo_events_total` exposes. Freshness SLOs count samples.
   */
  counts(): SloCounts;
  /** What was dropped or ignored, and the memory held. */
  diagnostics(): SloDiagnostics;
  /** Removes listeners and stops recording; status and snapshots stay readable. Idempotent. */
  close(): void;
  /** Same as {@link SloTracker.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

// Fixed tiers serve the burn-rate windows; each window reads the finest tier spanning it.
//   1 s × 300 = 5 m   → 5m            10 s × 360 = 1 h → 30m, 1h
//   1 m × 360 = 6 h   → 2h, 6h         5 m × 864 = 3 d → 1d, 3d
// A rolling window longer than 3 days gets its own tier of at most 1024 buckets (30 d: 1 h × 720).
const FIXED_TIERS: ReadonlyArray<readonly [number, number]> = [
  [SECOND_MS, 300],
  [10 * SECOND_MS, 360],
  [MINUTE_MS, 360],
  [5 * MINUTE_MS, 864],
];
const PERIOD_GRANULARITIES = [
  5 * MINUTE_MS,
  10 * MINUTE_MS,
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  DAY_MS,
];
const MAX_PERIOD_BUCKETS = 1024;
const STANDARD_WINDOWS = Object.entries(BURN_RATE_WINDOWS) as Array<[BurnRateWindowName, number]>;

const KIND_AVAILABILITY = 0;
const KIND_LATENCY = 1;
const KIND_FRESHNESS = 2;

interface TierPlan {
  readonly rings: ReadonlyArray<readonly [number, number]>;
}

function planTiers(rollingMs: number | undefined): TierPlan {
  if (rollingMs === undefined || rollingMs <= MAX_FIXED_SPAN_MS) return { rings: FIXED_TIERS };
  const granularity =
    PERIOD_GRANULARITIES.find((g) => Math.ceil(rollingMs / g) <= MAX_PERIOD_BUCKETS) ?? DAY_MS;
  return { rings: [...FIXED_TIERS, [granularity, Math.ceil(rollingMs / granularity)]] };
}

function pickRing(rings: ReadonlyArray<readonly [number, number]>, windowMs: number): number {
  const index = rings.findIndex(([g, size]) => g * size >= windowMs);
  return index === -1 ? rings.length - 1 : index;
}

class SloTrackerImpl implements SloTracker {
  readonly name: string;
  readonly target: number;
  readonly objective: Readonly<SloObjective>;
  readonly window: Readonly<SloWindow>;
  readonly #clock: Clock;
  readonly #events: SafeEmitter<SloEvents>;
  readonly #budget: number;
  readonly #kind: number;
  readonly #thresholdMs: number;
  readonly #rings: BucketRing[];
  // Window slots with running sums: slots 0-6 are the standard windows, then the rolling SLO window,
  // then any other alert windows.
  readonly #slots: RingWindow[] = [];
  readonly #periodSlot: number;
  readonly #rollingMs: number;
  readonly #alerts: readonly BurnRateAlert[];
  readonly #alertLong: number[] = [];
  readonly #alertShort: number[] = [];
  readonly #alertThreshold: number[] = [];
  readonly #firing: boolean[];
  #exhausted = false;
  // Calendar windows keep the counts of the current period; its bounds come from the time zone.
  readonly #calendar: ZonedCalendar | null;
  #calStart = Number.NEGATIVE_INFINITY;
  #calEnd = Number.NEGATIVE_INFINITY;
  #calGood = 0;
  #calTotal = 0;
  // Calendar periods merged from a clock running ahead, by start: counted when this clock enters them.
  readonly #periodsAhead = new Map<number, SloSnapshotPeriod>();
  // When this clock reaches the earliest bucket held aside by any ring (Infinity: none held).
  #nextHeldMs = Number.POSITIVE_INFINITY;
  // The current second: record() adds here; the counts move into the rings when the second ends.
  #secStart: number;
  #secEnd: number;
  #curGood = 0;
  #curTotal = 0;
  #behind = false;
  #clockBackwards = 0;
  #dropped = 0;
  // Lifetime counts for Prometheus counters: never reset, never fed by merge() or a restored snapshot,
  // so that summing every process's counters counts each event once.
  #countedGood = 0;
  #countedTotal = 0;
  #closed = false;
  // Freshness: the slice being judged.
  readonly #sliceMs: number;
  readonly #maxLagMs: number;
  #armed = false;
  #slice = 0;
  #samples = 0;
  #stale = false;

  constructor(options: ParsedSloOptions, clock: Clock, events: SafeEmitter<SloEvents>) {
    this.name = options.name;
    this.target = options.objective.target;
    this.objective = options.objective;
    this.window = options.window;
    this.#clock = clock;
    this.#events = events;
    const objective = options.objective;
    this.#budget = budgetRatioOf(objective.target);
    this.#kind =
      objective.kind === 'availability'
        ? KIND_AVAILABILITY
        : objective.kind === 'latency'
          ? KIND_LATENCY
          : KIND_FRESHNESS;
    this.#thresholdMs = objective.kind === 'latency' ? objective.thresholdMs : 0;
    this.#sliceMs = objective.kind === 'freshness' ? objective.sliceMs : MINUTE_MS;
    this.#maxLagMs = objective.kind === 'freshness' ? objective.maxLagMs : 0;

    const window = options.window;
    this.#rollingMs = window.kind === 'rolling' ? window.durationMs : 0;
    const plan = planTiers(window.kind === 'rolling' ? window.durationMs : undefined);
    this.#rings = plan.rings.map(([g, size]) => new BucketRing(g, size));
    const slotOf = new Map<number, number>();
    const addSlot = (windowMs: number): number => {
      const known = slotOf.get(windowMs);
      if (known !== undefined) return known;
      const ring = this.#rings[pickRing(plan.rings, windowMs)] as BucketRing;
      this.#slots.push(ring.window(Math.max(1, Math.floor(windowMs / ring.granularityMs))));
      slotOf.set(windowMs, this.#slots.length - 1);
      return this.#slots.length - 1;
    };
    for (const [, ms] of STANDARD_WINDOWS) addSlot(ms);
    this.#periodSlot = window.kind === 'rolling' ? addSlot(window.durationMs) : -1;
    this.#alerts = alertsOf(options);
    for (const alert of this.#alerts) {
      this.#alertLong.push(addSlot(alert.longWindowMs));
      this.#alertShort.push(addSlot(alert.shortWindowMs));
      // Compare error ratios with burnRate × budget, exactly as the generated Prometheus rules do.
      this.#alertThreshold.push(alert.burnRate * this.#budget);
    }
    this.#firing = this.#alerts.map(() => false);
    this.#calendar = window.kind === 'calendar' ? new ZonedCalendar(window.unit, window.timeZone) : null;

    const now = clock.wallNow();
    const start = Number.isFinite(now) ? Math.floor(now / SECOND_MS) * SECOND_MS : 0;
    this.#secStart = start;
    this.#secEnd = start + SECOND_MS;
    this.#rollPeriod(start);
  }

  // ---- hot path -------------------------------------------------------------------------------

  record(outcome: boolean | SloSample, count?: number): void {
    if (this.#closed) return;
    let n = 1;
    if (count !== undefined) {
      if (count === 0) return;
      if (!(typeof count === 'number' && count > 0 && Number.isSafeInteger(count))) {
        this.#dropped++;
        return;
      }
      n = count;
    }
    let good: boolean;
    if (outcome === false) {
      good = false;
    } else if (outcome === true) {
      if (this.#kind === KIND_LATENCY) {
        this.#dropped++;
        return;
      }
      good = true;
    } else if (typeof outcome === 'object' && outcome !== null) {
      const ok = outcome.ok;
      if (ok === false) {
        good = false;
      } else if (ok !== true) {
        this.#dropped++;
        return;
      } else if (this.#kind === KIND_LATENCY) {
        const latency = outcome.latencyMs;
        if (!(typeof latency === 'number' && latency >= 0 && latency < Number.POSITIVE_INFINITY)) {
          this.#dropped++;
          return;
        }
        good = latency <= this.#thresholdMs;
      } else {
        good = true;
      }
    } else {
      this.#dropped++;
      return;
    }
    const t = this.#clock.wallNow();
    if (!(t >= this.#secStart && t < this.#secEnd) && this.#advance(t) && this.#listened()) this.#judge(t);
    if (this.#kind === KIND_FRESHNESS) {
      this.#noteSample(good);
      return;
    }
    this.#curTotal += n;
    this.#countedTotal += n;
    if (good) {
      this.#curGood += n;
      this.#countedGood += n;
    }
  }

  observeFreshness(lastUpdatedAtMs: number): void {
    if (this.#closed) return;
    if (
      this.#kind !== KIND_FRESHNESS ||
      typeof lastUpdatedAtMs !== 'number' ||
      !Number.isFinite(lastUpdatedAtMs)
    ) {
      this.#dropped++;
      return;
    }
    const t = this.#clock.wallNow();
    if (!(t >= this.#secStart && t < this.#secEnd) && this.#advance(t) && this.#listened()) this.#judge(t);
    // While the clock is behind, judge lag against the latest time seen.
    const now = t >= this.#secStart ? t : this.#secStart;
    this.#noteSample(now - lastUpdatedAtMs <= this.#maxLagMs);
  }

  #noteSample(fresh: boolean): void {
    if (!this.#armed) {
      this.#armed = true;
      this.#slice = Math.floor(this.#secStart / this.#sliceMs);
      this.#samples = 0;
      this.#stale = false;
    }
    this.#samples++;
    this.#countedTotal++;
    if (fresh) this.#countedGood++;
    else this.#stale = true;
  }

  // ---- time -----------------------------------------------------------------------------------

  // Called when the clock reads outside the current second: backwards (ignored, counted once per
  // step) or forwards (close the second, release what was held for it, move on). True when it moved.
  #advance(t: number): boolean {
    if (!(t >= this.#secStart)) {
      if (!this.#behind) {
        this.#behind = true;
        this.#clockBackwards++;
      }
      return false;
    }
    this.#behind = false;
    if (t < this.#secEnd) return false;
    this.#flush();
    const start = Math.floor(t / SECOND_MS) * SECOND_MS;
    this.#secStart = start;
    this.#secEnd = start + SECOND_MS;
    if (start >= this.#nextHeldMs) this.#releaseHeld();
    if (this.#kind === KIND_FRESHNESS) this.#rollSlices(start);
    return true;
  }

  #listened(): boolean {
    return this.#events.has('alert') || this.#events.has('budgetExhausted');
  }

  // Recording judges alerts when a second closes, so a page fires within a second of the data that
  // warrants it without any timer. This is the write path; reads never get here.
  #judge(at: number): void {
    this.#rollPeriod(this.#secStart);
    this.#moveSlots();
    this.#updateStates(at);
  }

  // This clock reached buckets a faster clock's snapshot put aside: count them now.
  #releaseHeld(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const ring of this.#rings) {
      ring.release(ring.indexOf(this.#secStart));
      next = Math.min(next, ring.earliestHeld * ring.granularityMs);
    }
    this.#nextHeldMs = next;
  }

  // Reads bring the buckets up to the clock (lazy rotation, invisible from outside) and judge nothing.
  #sync(): number {
    const t = this.#clock.wallNow();
    this.#advance(t);
    this.#flush();
    if (this.#kind === KIND_FRESHNESS) this.#rollSlices(this.#secStart);
    this.#rollPeriod(this.#secStart);
    return t >= this.#secStart ? t : this.#secStart;
  }

  #flush(): void {
    if (this.#curTotal === 0) return;
    this.#addAll(this.#secStart, this.#curGood, this.#curTotal);
    this.#curGood = 0;
    this.#curTotal = 0;
  }

  #addAll(t: number, good: number, total: number): void {
    for (const ring of this.#rings) ring.add(ring.indexOf(t), good, total);
    if (this.#calendar !== null) {
      this.#rollPeriod(t);
      if (t >= this.#calStart) {
        this.#calGood += good;
        this.#calTotal += total;
      }
    }
  }

  #rollPeriod(t: number): void {
    if (this.#calendar === null || t < this.#calEnd) return;
    const period = this.#calendar.periodAt(t);
    this.#calStart = period.startMs;
    this.#calEnd = period.endMs;
    this.#calGood = 0;
    this.#calTotal = 0;
    if (this.#periodsAhead.size === 0) return;
    for (const [startMs, ahead] of this.#periodsAhead) {
      if (startMs === this.#calStart) {
        this.#calGood += ahead.good;
        this.#calTotal += ahead.total;
      }
      // Entered now, or passed over while no event came: either way no longer ahead.
      if (startMs <= this.#calStart) this.#periodsAhead.delete(startMs);
    }
  }

  // Judge the slice that just ended; slices that passed without a sample are bad.
  #rollSlices(now: number): void {
    if (!this.#armed) return;
    const current = Math.floor(now / this.#sliceMs);
    if (current <= this.#slice) return;
    this.#addAll(this.#slice * this.#sliceMs, this.#samples > 0 && !this.#stale ? 1 : 0, 1);
    const from = this.#slice + 1;
    const to = current - 1;
    if (to >= from) {
      this.#addEmptySlices(from, to, now);
      if (this.#calendar !== null) {
        this.#rollPeriod(now);
        const first = Math.max(from, Math.ceil(this.#calStart / this.#sliceMs));
        if (to >= first) this.#calTotal += to - first + 1;
      }
    }
    this.#slice = current;
    this.#samples = 0;
    this.#stale = false;
  }

  // Slices [from, to] passed without a sample: each is one bad event at its start. Counted per bucket,
  // not per slice, so a long idle gap costs at most one pass over each ring.
  #addEmptySlices(from: number, to: number, now: number): void {
    const sliceMs = this.#sliceMs;
    for (const ring of this.#rings) {
      const g = ring.granularityMs;
      const oldest = ring.indexOf(now) - ring.size + 1;
      const first = Math.max(from, Math.ceil((oldest * g) / sliceMs));
      if (first > to) continue;
      const last = ring.indexOf(to * sliceMs);
      for (let bucket = ring.indexOf(first * sliceMs); bucket <= last; bucket++) {
        const lo = Math.max(first, Math.ceil((bucket * g) / sliceMs));
        const hi = Math.min(to, Math.ceil(((bucket + 1) * g) / sliceMs) - 1);
        if (hi >= lo) ring.add(bucket, 0, hi - lo + 1);
      }
    }
  }

  // ---- reading --------------------------------------------------------------------------------

  #moveSlots(): void {
    for (const slot of this.#slots) slot.moveTo(slot.ring.indexOf(this.#secStart));
  }

  #windowGood(): number {
    return this.#calendar !== null ? this.#calGood : (this.#slots[this.#periodSlot] as RingWindow).good;
  }

  #windowTotal(): number {
    return this.#calendar !== null ? this.#calTotal : (this.#slots[this.#periodSlot] as RingWindow).total;
  }

  #burn(slot: number): number {
    const window = this.#slots[slot] as RingWindow;
    return burnOf(window.good, window.total, this.#budget);
  }

  #errorRatio(slot: number): number {
    const { good, total } = this.#slots[slot] as RingWindow;
    return total === 0 ? 0 : (total - good) / total;
  }

  // Whether alert i's windows both burn past its threshold, from freshly summed slots.
  #firingNow(i: number): boolean {
    const threshold = this.#alertThreshold[i] as number;
    return (
      this.#errorRatio(this.#alertLong[i] as number) > threshold &&
      this.#errorRatio(this.#alertShort[i] as number) > threshold
    );
  }

  // Updates alert and exhaustion states from freshly summed slots; emits the changes.
  #updateStates(at: number): void {
    for (let i = 0; i < this.#alerts.length; i++) {
      const long = this.#alertLong[i] as number;
      const short = this.#alertShort[i] as number;
      const firing = this.#firingNow(i);
      if (firing === this.#firing[i]) continue;
      this.#firing[i] = firing;
      if (this.#events.has('alert')) {
        const alert = this.#alerts[i] as BurnRateAlert;
        this.#events.emit('alert', {
          name: this.name,
          severity: alert.severity,
          firing,
          longWindowMs: alert.longWindowMs,
          shortWindowMs: alert.shortWindowMs,
          burnRate: alert.burnRate,
          longBurnRate: this.#burn(long),
          shortBurnRate: this.#burn(short),
          atMs: at,
        });
      }
    }
    const consumed = burnOf(this.#windowGood(), this.#windowTotal(), this.#budget);
    const exhausted = consumed >= 1;
    if (exhausted !== this.#exhausted) {
      this.#exhausted = exhausted;
      if (exhausted && this.#events.has('budgetExhausted'))
        this.#events.emit('budgetExhausted', {
          name: this.name,
          consumed,
          remaining: remainingOf(consumed),
          atMs: at,
        });
    }
  }

  status(): SloStatus {
    this.#sync();
    this.#moveSlots();
    return this.#statusNow();
  }

  evaluate(): SloStatus {
    const at = this.#sync();
    this.#moveSlots();
    this.#updateStates(at);
    return this.#statusNow();
  }

  // The status from the slots as they stand; the caller moved them to now.
  #statusNow(): SloStatus {
    const good = this.#windowGood();
    const total = this.#windowTotal();
    const consumed = burnOf(good, total, this.#budget);
    const remaining = remainingOf(consumed);
    const burnRates = {
      '5m': this.#burn(0),
      '30m': this.#burn(1),
      '1h': this.#burn(2),
      '2h': this.#burn(3),
      '6h': this.#burn(4),
      '1d': this.#burn(5),
      '3d': this.#burn(6),
      window: consumed,
    };
    return {
      name: this.name,
      target: this.target,
      sli: total === 0 ? null : good / total,
      good,
      total,
      budget: { consumed, remaining },
      burnRates,
      alerts: this.#alerts.map((alert, i) => ({
        severity: alert.severity,
        longWindowMs: alert.longWindowMs,
        shortWindowMs: alert.shortWindowMs,
        burnRate: alert.burnRate,
        firing: this.#firingNow(i),
      })),
      timeToExhaustionMs: exhaustionOf(this.#windowLength(), remaining, burnRates['1h']),
    };
  }

  #windowLength(): number {
    return this.#calendar !== null ? this.#calEnd - this.#calStart : this.#rollingMs;
  }

  currentWindow(): SloWindowInfo {
    const now = this.#sync();
    const startMs = this.#calendar !== null ? this.#calStart : now - this.#rollingMs;
    const endMs = this.#calendar !== null ? this.#calEnd : now;
    const durationMs = endMs - startMs;
    return { startMs, endMs, durationMs, allowedDowntimeMs: durationMs * this.#budget };
  }

  counts(): SloCounts {
    return { good: this.#countedGood, bad: this.#countedTotal - this.#countedGood };
  }

  diagnostics(): SloDiagnostics {
    return {
      dropped: this.#dropped,
      clockBackwards: this.#clockBackwards,
      memoryBytes: this.#rings.reduce((sum, ring) => sum + ring.bytes, 0),
    };
  }

  // ---- snapshots ------------------------------------------------------------------------------

  snapshot(): SloSnapshot {
    this.#sync();
    const snapshot: SloSnapshot = {
      version: 1,
      name: this.name,
      takenAtMs: this.#secStart,
      tiers: this.#rings.map((ring) => ({
        granularityMs: ring.granularityMs,
        size: ring.size,
        buckets: ring.entries(),
      })),
      period:
        this.#calendar === null
          ? null
          : { startMs: this.#calStart, endMs: this.#calEnd, good: this.#calGood, total: this.#calTotal },
      freshness:
        this.#kind === KIND_FRESHNESS
          ? {
              sliceMs: this.#sliceMs,
              armed: this.#armed,
              slice: this.#slice,
              samples: this.#samples,
              stale: this.#stale,
            }
          : null,
      dropped: this.#dropped,
      clockBackwards: this.#clockBackwards,
    };
    return this.#periodsAhead.size === 0
      ? snapshot
      : { ...snapshot, periodsAhead: [...this.#periodsAhead.values()].sort((a, b) => a.startMs - b.startMs) };
  }

  merge(snapshot: SloSnapshot): void {
    const where = 'SloTracker.merge';
    const parsed = checkSnapshot(snapshot, this.name, where, '(snapshot)');
    checkMergeable(parsed, this.#kind === KIND_FRESHNESS, where);
    this.absorb(parsed, false, where, '(snapshot)');
  }

  /**
   * Adds a validated snapshot's counts; a restore also takes over its freshness slice. Counts ahead of
   * this clock are held aside until it reaches them; nothing here moves past this clock.
   * @throws {ConfigError} when the snapshot holds counts more than a day ahead of this clock.
   */
  absorb(snapshot: SloSnapshot, restore: boolean, where: string, field: string): void {
    const now = this.#sync();
    checkNotTooFarAhead(snapshot, now, where, field);
    for (const ring of this.#rings) {
      const source = pickSource(snapshot.tiers, ring);
      if (source === undefined) continue;
      const ratio = source.granularityMs / ring.granularityMs;
      const current = ring.indexOf(this.#secStart);
      for (const [index, good, total] of source.buckets) {
        const at = Math.floor(index * ratio);
        if (at <= current) ring.add(at, good, total);
        else ring.hold(at, good, total);
      }
      this.#nextHeldMs = Math.min(this.#nextHeldMs, ring.earliestHeld * ring.granularityMs);
    }
    if (this.#calendar !== null)
      for (const period of [snapshot.period, ...(snapshot.periodsAhead ?? [])])
        if (period !== null) this.#absorbPeriod(period);
    const fresh = snapshot.freshness;
    if (restore && this.#kind === KIND_FRESHNESS && fresh !== null && fresh.sliceMs === this.#sliceMs) {
      this.#armed = fresh.armed;
      this.#slice = fresh.slice;
      this.#samples = fresh.samples;
      this.#stale = fresh.stale;
    }
    this.#dropped += snapshot.dropped;
    this.#clockBackwards += snapshot.clockBackwards;
  }

  // The current period adds up; a period ahead (a faster clock's) waits until this clock enters it, if
  // our calendar has the same period; an older one (a slower clock's) has ended here and adds nothing.
  #absorbPeriod(period: SloSnapshotPeriod): void {
    if (period.startMs === this.#calStart) {
      this.#calGood += period.good;
      this.#calTotal += period.total;
      return;
    }
    if (period.startMs < this.#calStart) return;
    const ours = (this.#calendar as ZonedCalendar).periodAt(period.startMs);
    if (ours.startMs !== period.startMs || ours.endMs !== period.endMs) return;
    const held = this.#periodsAhead.get(period.startMs);
    this.#periodsAhead.set(period.startMs, {
      startMs: period.startMs,
      endMs: period.endMs,
      good: (held?.good ?? 0) + period.good,
      total: (held?.total ?? 0) + period.total,
    });
  }

  // ---- events and lifecycle ---------------------------------------------------------------------

  on<K extends keyof SloEvents>(event: K, listener: Listener<SloEvents[K]>): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof SloEvents>(event: K, listener: Listener<SloEvents[K]>): () => void {
    return this.#events.once(event, listener);
  }

  off<K extends keyof SloEvents>(event: K, listener: Listener<SloEvents[K]>): void {
    this.#events.off(event, listener);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#events.clear();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

/**
 * Creates a tracker for one SLO: record events as they happen, read budget, burn rates and alerts
 * from `status()`. Buckets rotate lazily from the clock; the tracker owns no timer.
 *
 * @example
 * ```ts
 * const slo = createSloTracker({
 *   name: 'api-availability',
 *   objective: { kind: 'availability', target: 0.999 },
 *   window: { kind: 'rolling', durationMs: 30 * 86_400_000 },
 * });
 * slo.on('alert', (e) => console.log(`${e.severity} ${e.firing ? 'firing' : 'resolved'}`));
 * slo.record(true);
 * slo.status().budget.remaining; // 1
 * ```
 * @throws {ConfigError} on invalid options (target of 0 or 1, unknown time zone, ...) or a snapshot
 *   that is malformed or belongs to another SLO.
 */
export function createSloTracker(options: SloTrackerOptions, deps?: SloTrackerDeps): SloTracker {
  const parsed = parseOptions(sloOptionsSchema, options, 'createSloTracker');
  const { clock, onInternalError } = resolveDeps(deps);
  const restored =
    deps?.snapshot === undefined
      ? undefined
      : checkSnapshot(deps.snapshot, parsed.name, 'createSloTracker', 'deps.snapshot');
  const tracker = new SloTrackerImpl(
    parsed,
    clock,
    new SafeEmitter<SloEvents>(`sloTracker:${parsed.name}`, onInternalError),
  );
  if (restored !== undefined) tracker.absorb(restored, true, 'createSloTracker', 'deps.snapshot');
  return tracker;
}
