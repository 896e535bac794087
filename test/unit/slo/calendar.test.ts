import { describe, expect, it } from 'vitest';
import { ConfigError, calendarPeriod, errorBudget } from 'sre-kit/slo';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const at = (iso: string): number => Date.parse(iso);

describe('calendarPeriod', () => {
  it('gives February 28 days and a 40.32-minute budget at 99.9 %', () => {
    const feb = calendarPeriod({ unit: 'month', timeZone: 'UTC', at: at('2026-02-14T12:00:00Z') });
    expect(feb).toEqual({
      startMs: at('2026-02-01T00:00:00Z'),
      endMs: at('2026-03-01T00:00:00Z'),
      durationMs: 28 * DAY,
    });
    expect(errorBudget({ target: 0.999, windowMs: feb.durationMs }).allowedDowntimeMs).toBe(40.32 * 60_000);
  });

  it('honours leap years and 30/31-day months', () => {
    expect(calendarPeriod({ unit: 'month', at: at('2024-02-29T23:59:59Z') }).durationMs).toBe(29 * DAY);
    expect(calendarPeriod({ unit: 'month', at: at('2026-04-30T00:00:00Z') }).durationMs).toBe(30 * DAY);
    expect(calendarPeriod({ unit: 'month', at: at('2026-12-31T23:59:59Z') })).toEqual({
      startMs: at('2026-12-01T00:00:00Z'),
      endMs: at('2027-01-01T00:00:00Z'),
      durationMs: 31 * DAY,
    });
  });

  it('starts months at local midnight and follows DST (Europe/Berlin)', () => {
    const march = calendarPeriod({
      unit: 'month',
      timeZone: 'Europe/Berlin',
      at: at('2026-03-15T00:00:00Z'),
    });
    expect(march.startMs).toBe(at('2026-02-28T23:00:00Z')); // 00:00 CET
    expect(march.endMs).toBe(at('2026-03-31T22:00:00Z')); // 00:00 CEST
    expect(march.durationMs).toBe(31 * DAY - HOUR);
    expect(
      calendarPeriod({ unit: 'month', timeZone: 'Europe/Berlin', at: at('2026-10-15T00:00:00Z') }).durationMs,
    ).toBe(31 * DAY + HOUR);
  });

  it('starts a day at the DST jump when local midnight does not exist (America/Santiago)', () => {
    // On 2026-09-06 Chile's clocks jump from 00:00 to 01:00: the day starts at 01:00 -03 and lasts 23 h.
    const day = calendarPeriod({ unit: 'day', timeZone: 'America/Santiago', at: at('2026-09-06T12:00:00Z') });
    expect(day.startMs).toBe(at('2026-09-06T04:00:00Z'));
    expect(day.durationMs).toBe(23 * HOUR);
    const before = calendarPeriod({
      unit: 'day',
      timeZone: 'America/Santiago',
      at: at('2026-09-06T03:59:59Z'),
    });
    expect(before.endMs).toBe(day.startMs);
  });

  it('handles half-hour offsets (Asia/Kolkata) and ISO weeks', () => {
    expect(
      calendarPeriod({ unit: 'month', timeZone: 'Asia/Kolkata', at: at('2026-02-01T00:00:00Z') }).startMs,
    ).toBe(at('2026-01-31T18:30:00Z'));
    const week = calendarPeriod({ unit: 'week', timeZone: 'UTC', at: at('2026-01-01T00:00:00Z') }); // a Thursday
    expect(week).toEqual({
      startMs: at('2025-12-29T00:00:00Z'),
      endMs: at('2026-01-05T00:00:00Z'),
      durationMs: 7 * DAY,
    });
    const sunday = calendarPeriod({ unit: 'week', timeZone: 'UTC', at: at('2026-01-04T23:59:59Z') });
    expect(sunday.startMs).toBe(week.startMs);
  });

  it('rejects unknown time zones and units', () => {
    expect(() => calendarPeriod({ unit: 'month', timeZone: 'Mars/Olympus', at: 0 })).toThrow(ConfigError);
    expect(() => calendarPeriod({ unit: 'quarter' as never, at: 0 })).toThrow(/unit/);
  });
});
