/** How many slices a rolling window is cut into. */
const WINDOW_BUCKETS = 10;

/**
 * Counts calls and "bad" calls (failures, slow calls, retries) over a sliding time window, in O(1)
 * per record and O(1) memory however many calls the window holds.
 *
 * The window is {@link WINDOW_BUCKETS} slices of `windowMs / WINDOW_BUCKETS`, aligned to the clock's
 * zero: at time `t` it covers the slice holding `t` and the nine before it. Slices rotate lazily when
 * a record or a read arrives, so there is no timer; a jump past the whole window clears it in one step.
 */
export class RollingCounter {
  readonly #sliceMs: number;
  readonly #calls = new Float64Array(WINDOW_BUCKETS);
  readonly #bad = new Float64Array(WINDOW_BUCKETS);
  #slice: number;
  #totalCalls = 0;
  #totalBad = 0;

  constructor(windowMs: number, now: number) {
    this.#sliceMs = windowMs / WINDOW_BUCKETS;
    this.#slice = Math.floor(now / this.#sliceMs);
  }

  /** Counts one call at `now`, bad or not. */
  record(now: number, bad: boolean): void {
    this.#rotate(now);
    const i = indexOf(this.#slice);
    this.#calls[i]! += 1;
    this.#totalCalls += 1;
    if (bad) {
      this.#bad[i]! += 1;
      this.#totalBad += 1;
    }
  }

  /** Counts `bad` more bad events at `now` without counting calls (a retry against requests). */
  recordBad(now: number): void {
    this.#rotate(now);
    this.#bad[indexOf(this.#slice)]! += 1;
    this.#totalBad += 1;
  }

  /** Calls in the window at `now`. */
  calls(now: number): number {
    this.#rotate(now);
    return this.#totalCalls;
  }

  /** Bad calls in the window at `now`. */
  bad(now: number): number {
    this.#rotate(now);
    return this.#totalBad;
  }

  /** Whether the window at `now` holds at least `minimumCalls` calls and bad / calls is at least `ratio`. */
  exceeds(now: number, minimumCalls: number, ratio: number): boolean {
    this.#rotate(now);
    // Divided, not multiplied: the documented rule is bad / calls >= ratio, and 3 / 30 >= 0.1 holds
    // where 3 >= 0.1 * 30 does not.
    return (
      this.#totalCalls >= minimumCalls && this.#totalCalls > 0 && this.#totalBad / this.#totalCalls >= ratio
    );
  }

  /** Forgets everything. */
  clear(): void {
    this.#calls.fill(0);
    this.#bad.fill(0);
    this.#totalCalls = 0;
    this.#totalBad = 0;
  }

  #rotate(now: number): void {
    const slice = Math.floor(now / this.#sliceMs);
    if (slice <= this.#slice) return; // same slice, or a clock that stepped back: keep counting here
    if (slice - this.#slice >= WINDOW_BUCKETS) {
      this.clear();
    } else {
      for (let s = this.#slice + 1; s <= slice; s++) {
        const i = indexOf(s);
        this.#totalCalls -= this.#calls[i]!;
        this.#totalBad -= this.#bad[i]!;
        this.#calls[i] = 0;
        this.#bad[i] = 0;
      }
    }
    this.#slice = slice;
  }
}

// A clock may start below zero; keep the slot index in range.
function indexOf(slice: number): number {
  const i = slice % WINDOW_BUCKETS;
  return i < 0 ? i + WINDOW_BUCKETS : i;
}
