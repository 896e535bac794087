import type { MutableDecision } from './decision.js';
import type { KeyTable } from './key-table.js';

// Relative slack on comparisons: float rounding of arrival times and of the accumulated arrival time
// must not turn a request on the exact pace into a refusal. A millionth of an emission interval.
const SLACK = 1e-6;

/**
 * The generic cell rate algorithm. Each key holds one number, its theoretical arrival time (TAT): when
 * the key would be idle again had every admitted request arrived exactly on the pace. A request of cost
 * `c` is admitted iff `max(TAT, now) + c·T - now <= τ`, with `T = perMs / rate` (the emission interval)
 * and `τ = (burst + 1)·T` (the burst tolerance). Remaining and reset follow in closed form. The TAT is
 * the slot's `expiresAt`: past it, the key is as good as new.
 */
export class Gcra {
  /** Cost units an idle key can take at once: `burst + 1`. */
  readonly capacity: number;
  /** GCRA commits a wait's place in line at once. */
  readonly reserves = true;
  readonly #interval: number;
  readonly #tolerance: number;
  readonly #slack: number;

  constructor(rate: number, perMs: number, burst: number) {
    this.capacity = burst + 1;
    this.#interval = perMs / rate;
    this.#tolerance = this.capacity * this.#interval;
    this.#slack = this.#interval * SLACK;
  }

  decide(table: KeyTable, slot: number, now: number, cost: number, out: MutableDecision): void {
    const tat = Math.max(table.expiresAt[slot]!, now);
    const next = tat + cost * this.#interval;
    if (next - now <= this.#tolerance + this.#slack) {
      table.expiresAt[slot] = next;
      out.allowed = true;
      out.retryAfterMs = 0;
      this.#fill(out, next - now);
    } else {
      out.allowed = false;
      out.retryAfterMs = cost > this.capacity ? Number.POSITIVE_INFINITY : next - this.#tolerance - now;
      this.#fill(out, tat - now);
    }
  }

  /**
   * Takes the key's next place in line for `cost` and returns how long to wait for it (0: go now); a
   * wait longer than `maxWaitMs` is returned without taking the place.
   */
  reserve(table: KeyTable, slot: number, now: number, cost: number, maxWaitMs: number): number {
    if (cost > this.capacity) return Number.POSITIVE_INFINITY;
    const next = Math.max(table.expiresAt[slot]!, now) + cost * this.#interval;
    const early = next - this.#tolerance - now;
    const delay = early <= this.#slack ? 0 : early;
    if (delay <= maxWaitMs) table.expiresAt[slot] = next;
    return delay;
  }

  /** Gives back a place taken by {@link Gcra.reserve} when nobody has queued behind it. */
  release(table: KeyTable, slot: number, cost: number, reservedAt: number): void {
    if (table.expiresAt[slot] === reservedAt) table.expiresAt[slot] = reservedAt - cost * this.#interval;
  }

  #fill(out: MutableDecision, level: number): void {
    out.resetMs = level > 0 ? level : 0;
    const remaining = Math.floor((this.#tolerance - level) / this.#interval + SLACK);
    out.remaining = remaining > 0 ? remaining : 0;
  }
}
