import type { MutableDecision } from './decision.js';
import type { KeyTable } from './key-table.js';

const SLACK = 1e-6;

/**
 * The sliding-window counter: counts in the current and the previous fixed window (aligned to
 * multiples of `perMs` on the clock), and estimates the last `perMs` as
 * `previous × (share of the previous window still inside) + current`. A request is admitted while the
 * estimate plus its cost stays within `rate + burst`. Per key: the counts in `first` (current) and
 * `second` (previous), and `expiresAt` = the end of the window after the current one, when both counts
 * have aged out (it also tells which window `first` belongs to).
 */
export class SlidingWindow {
  /** Cost units a window admits: `rate + burst`. */
  readonly capacity: number;
  /** The sliding window never takes a place in line ahead of time. */
  readonly reserves = false;
  readonly #windowMs: number;

  constructor(rate: number, perMs: number, burst: number) {
    this.capacity = rate + burst;
    this.#windowMs = perMs;
  }

  decide(table: KeyTable, slot: number, now: number, cost: number, out: MutableDecision): void {
    const windowMs = this.#windowMs;
    const start = this.#roll(table, slot, now);
    const current = table.first[slot]!;
    const previous = table.second[slot]!;
    const elapsed = (now - start) / windowMs;
    const estimate = previous * (1 - elapsed) + current;
    const limit = this.capacity;
    if (estimate + cost <= limit + SLACK) {
      table.first[slot] = current + cost;
      out.allowed = true;
      out.retryAfterMs = 0;
      out.remaining = wholeRemaining(limit - estimate - cost);
      out.resetMs = start + 2 * windowMs - now;
      return;
    }
    out.allowed = false;
    out.remaining = wholeRemaining(limit - estimate);
    out.resetMs = current > 0 ? start + 2 * windowMs - now : previous > 0 ? start + windowMs - now : 0;
    out.retryAfterMs = this.#retryAfter(now, start, current, previous, cost);
  }

  /** Admits `cost` now and returns 0, or returns how long until it could be admitted, taking nothing. */
  reserve(
    table: KeyTable,
    slot: number,
    now: number,
    cost: number,
    _maxWaitMs: number,
    out: MutableDecision,
  ): number {
    this.decide(table, slot, now, cost, out);
    return out.retryAfterMs;
  }

  /** Nothing to give back: the sliding window takes no place ahead of time. */
  release(): void {}

  // When the estimate will have fallen far enough for `cost`: within this window while the previous
  // window's weight fades, else in the next one while this window's count fades.
  #retryAfter(now: number, start: number, current: number, previous: number, cost: number): number {
    const limit = this.capacity;
    if (cost > limit) return Number.POSITIVE_INFINITY;
    const windowMs = this.#windowMs;
    const room = limit - cost - current;
    if (room >= 0 && previous > 0) return Math.max(0, (1 - room / previous) * windowMs - (now - start));
    const fade = current > 0 ? Math.max(0, 1 - (limit - cost) / current) : 0;
    return start + windowMs - now + fade * windowMs;
  }

  // Moves the key's counts into the window `now` falls in; returns that window's start.
  #roll(table: KeyTable, slot: number, now: number): number {
    const windowMs = this.#windowMs;
    const index = Math.floor(now / windowMs);
    const expiresAt = table.expiresAt[slot]!;
    const keyIndex =
      expiresAt === Number.NEGATIVE_INFINITY ? index - 2 : Math.round(expiresAt / windowMs) - 2;
    if (keyIndex !== index) {
      table.second[slot] = keyIndex === index - 1 ? table.first[slot]! : 0;
      table.first[slot] = 0;
      table.expiresAt[slot] = (index + 2) * windowMs;
    }
    return index * windowMs;
  }
}

function wholeRemaining(room: number): number {
  const whole = Math.floor(room + SLACK);
  return whole > 0 ? whole : 0;
}
