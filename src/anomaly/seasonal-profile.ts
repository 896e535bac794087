// The seasonal shape of a signal: one value per slot of the period (168 hours of a week, or 24 of a
// day), each what the signal usually shows at that slot's centre. Between two centres the shape is
// interpolated linearly, so a diurnal ramp has no step at the top of every hour.

/** Where a bucket falls in the period: the slots either side of it and how far it is from the first. */
export interface SlotPosition {
  /** The slot whose centre is at or before the bucket. */
  left: number;
  /** The next slot (wrapping at the end of the period). */
  right: number;
  /** 0 at the left centre, 1 at the right one. */
  frac: number;
}

/** Fills `out` with the position of `localMs` (local wall time, epoch-based) in a period of `slots` slots of `slotMs`. */
export function slotPosition(localMs: number, slotMs: number, slots: number, out: SlotPosition): void {
  const periodMs = slotMs * slots;
  const inPeriod = ((localMs % periodMs) + periodMs) % periodMs;
  // Slot centres sit half a slot in: position 0 is the centre of slot 0.
  const p = inPeriod / slotMs - 0.5;
  const floor = Math.floor(p);
  out.left = (floor + slots) % slots;
  out.right = (out.left + 1) % slots;
  out.frac = p - floor;
}

/** Per-slot values (NaN until a slot is first seen) and the weight each has learned from; 8 bytes a slot. */
export class SeasonalProfile {
  readonly values: Float32Array;
  readonly weights: Float32Array;

  constructor(slots: number) {
    this.values = new Float32Array(slots).fill(Number.NaN);
    this.weights = new Float32Array(slots);
  }

  /**
   * The interpolated value at `at`. A slot never seen starts at `initial` (what this bucket shows
   * apart from the current deviation): the freshest evidence for it, closer than a neighbour's value
   * where the shape steps.
   */
  valueAt(at: SlotPosition, initial: number): number {
    const o = this.values;
    if (Number.isNaN(o[at.left])) o[at.left] = initial;
    if (Number.isNaN(o[at.right])) o[at.right] = initial;
    const left = o[at.left] as number;
    return left + ((o[at.right] as number) - left) * at.frac;
  }

  /**
   * Moves both slots by `delta` (what this bucket showed minus the interpolated value), in proportion
   * to their interpolation weights. A young slot (less than `matureWeight` learned) takes the running
   * mean, so the shape is right after the first weeks however sharp it is; a mature one moves by
   * `rate` towards `delta` clipped at `limit`, so one unusual day (a holiday) dents it only a little.
   */
  learn(at: SlotPosition, delta: number, rate: number, matureWeight: number, limit: number): void {
    this.#learnSlot(at.left, 1 - at.frac, delta, rate, matureWeight, limit);
    this.#learnSlot(at.right, at.frac, delta, rate, matureWeight, limit);
  }

  #learnSlot(
    slot: number,
    weight: number,
    delta: number,
    rate: number,
    matureWeight: number,
    limit: number,
  ): void {
    if (weight <= 0) return;
    const seen = (this.weights[slot] as number) + weight;
    this.weights[slot] = seen;
    const step =
      seen < matureWeight
        ? (weight / seen) * delta
        : rate * weight * (limit > 0 ? Math.max(-limit, Math.min(limit, delta)) : delta);
    this.values[slot] = (this.values[slot] as number) + step;
  }
}
