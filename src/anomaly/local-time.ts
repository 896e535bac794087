// Local wall time in a time zone, for seasonal slots: Monday 9:00 should stay 9:00 across
// daylight-saving changes. Offsets change at most at hour boundaries in every zone in use, so the
// offset is looked up once per hour (Intl is slow; a bucket close must not pay for it every time).

const HOUR_MS = 3_600_000;

/** Converts epoch ms to "local epoch ms": the epoch ms whose UTC fields read as the local time. */
export class LocalTime {
  readonly #format: Intl.DateTimeFormat | undefined;
  #hour = Number.NaN;
  #offsetMs = 0;

  constructor(timeZone: string) {
    this.#format =
      timeZone === 'UTC'
        ? undefined
        : new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
          });
  }

  /** `epochMs` shifted by the zone's UTC offset at that moment. */
  toLocal(epochMs: number): number {
    if (this.#format === undefined) return epochMs;
    const hour = Math.floor(epochMs / HOUR_MS);
    if (hour !== this.#hour) {
      this.#hour = hour;
      this.#offsetMs = this.#offsetAt(hour * HOUR_MS);
    }
    return epochMs + this.#offsetMs;
  }

  #offsetAt(epochMs: number): number {
    const fields: Record<string, number> = {};
    for (const part of (this.#format as Intl.DateTimeFormat).formatToParts(epochMs)) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(
      fields.year ?? 1970,
      (fields.month ?? 1) - 1,
      fields.day ?? 1,
      fields.hour ?? 0,
      fields.minute ?? 0,
    );
    return asUtc - epochMs;
  }
}
