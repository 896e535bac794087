// Calendar periods (month, ISO week, day) in an IANA time zone, from Intl alone. Used when a period
// rolls over, never per event, so formatting a date here is cheap enough.
import { z } from 'zod';
import { parseOptions } from '../core/index.js';
import { DAY_MS } from './durations.js';
import { windowSchema } from './options.js';

/** One calendar period: `[startMs, endMs)` in epoch ms. */
export interface CalendarPeriod {
  /** The first instant of the period (local midnight), epoch ms. */
  readonly startMs: number;
  /** The first instant of the next period, epoch ms. */
  readonly endMs: number;
  /** `endMs - startMs`: months have 28 to 31 days, and DST days 23 or 25 hours. */
  readonly durationMs: number;
}

/** Input of {@link calendarPeriod}. */
export interface CalendarPeriodInput {
  /** Which period. */
  readonly unit: 'month' | 'week' | 'day';
  /** The IANA time zone. @default 'UTC' */
  readonly timeZone?: string;
  /** The instant whose period to find, epoch ms. */
  readonly at: number;
}

const inputSchema = z.strictObject({
  unit: z.enum(['month', 'week', 'day']),
  timeZone: z.string().optional(),
  at: z.number(),
});

/**
 * The calendar period containing an instant, e.g. to find this month's error budget.
 *
 * @example
 * ```ts
 * const feb = calendarPeriod({ unit: 'month', timeZone: 'UTC', at: Date.parse('2026-02-10T00:00:00Z') });
 * errorBudget({ target: 0.999, windowMs: feb.durationMs }).allowedDowntimeMs; // 2_419_200 (40.32 min)
 * ```
 * @throws {ConfigError} on an unknown unit or time zone.
 */
export function calendarPeriod(input: CalendarPeriodInput): CalendarPeriod {
  const { unit, timeZone, at } = parseOptions(inputSchema, input, 'calendarPeriod');
  const window = parseOptions(
    windowSchema,
    { kind: 'calendar', unit, ...(timeZone === undefined ? {} : { timeZone }) },
    'calendarPeriod',
  );
  if (window.kind !== 'calendar') throw new TypeError('unreachable');
  return new ZonedCalendar(window.unit, window.timeZone).periodAt(at);
}

interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Local wall time of the instant, read as if it were UTC, in ms. */
  readonly wallMs: number;
}

/** Finds calendar periods in one time zone; keeps its formatter, so create one per tracker. */
export class ZonedCalendar {
  readonly #unit: 'month' | 'week' | 'day';
  readonly #format: Intl.DateTimeFormat;

  constructor(unit: 'month' | 'week' | 'day', timeZone: string) {
    this.#unit = unit;
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The period containing instant `t` (epoch ms). */
  periodAt(t: number): CalendarPeriod {
    const { year, month, day } = this.#local(t);
    let start: number;
    let end: number;
    if (this.#unit === 'month') {
      start = this.#midnight(year, month, 1);
      end = this.#midnight(year, month + 1, 1);
    } else if (this.#unit === 'week') {
      const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
      const monday = day - ((weekday + 6) % 7);
      start = this.#midnight(year, month, monday);
      end = this.#midnight(year, month, monday + 7);
    } else {
      start = this.#midnight(year, month, day);
      end = this.#midnight(year, month, day + 1);
    }
    return { startMs: start, endMs: end, durationMs: end - start };
  }

  #local(t: number): LocalParts {
    const whole = Math.floor(t / 1000) * 1000;
    const parts: Record<string, number> = {};
    for (const part of this.#format.formatToParts(whole))
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const year = parts.year ?? 1970;
    const month = parts.month ?? 1;
    const day = parts.day ?? 1;
    const wallMs = Date.UTC(year, month - 1, day, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
    return { year, month, day, wallMs: wallMs + (t - whole) };
  }

  #offsetAt(t: number): number {
    return this.#local(t).wallMs - t;
  }

  // The first instant whose local time is at or after local midnight of (year, month, day); Date.UTC
  // normalises overflowing months and days. Offsets a day either side bracket any DST change near
  // midnight: when midnight falls in a gap (clocks jump 00:00 → 01:00), the day starts at the jump.
  #midnight(year: number, month: number, day: number): number {
    const local = Date.UTC(year, month - 1, day);
    let best = Number.POSITIVE_INFINITY;
    for (const probe of [local - DAY_MS, local + DAY_MS]) {
      const candidate = local - this.#offsetAt(probe);
      if (candidate < best && this.#local(candidate).wallMs >= local) best = candidate;
    }
    return best;
  }
}
