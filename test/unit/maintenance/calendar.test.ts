import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, createMaintenanceCalendar, type Alert, type MaintenanceWindowInput } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const H = 3_600_000;
const alert = (labels: Record<string, string> = {}, service = 'checkout'): Alert => ({
  name: 'DatabaseDown',
  severity: 'critical',
  service,
  summary: 'db down',
  labels,
});
const window = (overrides: Partial<MaintenanceWindowInput>): MaintenanceWindowInput => ({
  id: 'w',
  title: 'Maintenance',
  matchers: ['service="checkout"'],
  createdBy: 'ops',
  ...overrides,
});
const iso = (ms: number): string => new Date(ms).toISOString();

// The DST matrix: each row is a daily window on the night the clocks change, the span the calendar
// computed, and the span it must be. Printed after the tests so the closing note can quote it.
const matrix: string[][] = [];

describe('DST: a daily window on the nights the clocks change', () => {
  const cases = [
    // Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z); 2026-10-25 03:00 CEST -> 02:00 CET (01:00Z).
    [
      'Europe/Berlin',
      'spring gap',
      '2026-03-29',
      '02:00',
      '03:00',
      '2026-03-29T01:00:00Z',
      '2026-03-29T02:00:00Z',
    ],
    [
      'Europe/Berlin',
      'spring gap',
      '2026-03-29',
      '01:00',
      '04:00',
      '2026-03-29T00:00:00Z',
      '2026-03-29T02:00:00Z',
    ],
    [
      'Europe/Berlin',
      'spring gap',
      '2026-03-29',
      '02:30',
      '04:00',
      '2026-03-29T01:00:00Z',
      '2026-03-29T02:00:00Z',
    ],
    [
      'Europe/Berlin',
      'spring gap',
      '2026-03-29',
      '01:30',
      '02:30',
      '2026-03-29T00:30:00Z',
      '2026-03-29T01:00:00Z',
    ],
    [
      'Europe/Berlin',
      'autumn overlap',
      '2026-10-25',
      '02:00',
      '03:00',
      '2026-10-25T00:00:00Z',
      '2026-10-25T02:00:00Z',
    ],
    [
      'Europe/Berlin',
      'autumn overlap',
      '2026-10-25',
      '01:00',
      '04:00',
      '2026-10-24T23:00:00Z',
      '2026-10-25T03:00:00Z',
    ],
    [
      'Europe/Berlin',
      'autumn overlap',
      '2026-10-25',
      '01:30',
      '02:30',
      '2026-10-24T23:30:00Z',
      '2026-10-25T01:30:00Z',
    ],
    // America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z); 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z).
    [
      'America/New_York',
      'spring gap',
      '2026-03-08',
      '02:00',
      '03:00',
      '2026-03-08T07:00:00Z',
      '2026-03-08T08:00:00Z',
    ],
    [
      'America/New_York',
      'spring gap',
      '2026-03-08',
      '01:00',
      '04:00',
      '2026-03-08T06:00:00Z',
      '2026-03-08T08:00:00Z',
    ],
    [
      'America/New_York',
      'autumn overlap',
      '2026-11-01',
      '01:00',
      '02:00',
      '2026-11-01T05:00:00Z',
      '2026-11-01T07:00:00Z',
    ],
    [
      'America/New_York',
      'autumn overlap',
      '2026-11-01',
      '00:00',
      '03:00',
      '2026-11-01T04:00:00Z',
      '2026-11-01T08:00:00Z',
    ],
    [
      'America/New_York',
      'autumn overlap',
      '2026-11-01',
      '01:30',
      '03:00',
      '2026-11-01T05:30:00Z',
      '2026-11-01T08:00:00Z',
    ],
  ] as const;

  it.each(cases)('%s %s %s %s-%s', (timeZone, transition, day, start, end, expectedStart, expectedEnd) => {
    const clock = createFakeClock({ start: '2026-01-01T00:00:00Z' });
    const calendar = createMaintenanceCalendar({ timeZone }, { clock });
    calendar.add(window({ recurring: { times: [{ start, end }] } }));
    const [occurrence, ...others] = calendar
      .occurrences(`${day}T00:00:00Z`, `${day}T12:00:00Z`)
      .filter((o) => iso(o.startsAt).startsWith(day) || iso(o.endsAt).startsWith(day));
    const row = [timeZone, transition, `${start}-${end}`, iso(occurrence!.startsAt), iso(occurrence!.endsAt)];
    matrix.push([...row, `${(occurrence!.endsAt - occurrence!.startsAt) / 60_000} min`]);
    expect(
      others.filter(
        (o) => o.startsAt < Date.parse(`${day}T12:00:00Z`) && o.endsAt > Date.parse(`${day}T00:00:00Z`),
      ).length,
    ).toBeLessThanOrEqual(1);
    expect([iso(occurrence!.startsAt), iso(occurrence!.endsAt)]).toEqual([
      new Date(expectedStart).toISOString(),
      new Date(expectedEnd).toISOString(),
    ]);
    // active() agrees with the span at both edges and just outside them.
    const a = Date.parse(expectedStart);
    const b = Date.parse(expectedEnd);
    expect(calendar.active(a - 1)).toHaveLength(0);
    expect(calendar.active(a)).toHaveLength(1);
    expect(calendar.active(b - 1)).toHaveLength(1);
    expect(calendar.active(b)).toHaveLength(0);
  });

  it('keeps the wall-clock length on the days either side of a transition', () => {
    const clock = createFakeClock({ start: '2026-01-01T00:00:00Z' });
    const calendar = createMaintenanceCalendar({ timeZone: 'Europe/Berlin' }, { clock });
    calendar.add(window({ recurring: { times: [{ start: '02:00', end: '03:00' }] } }));
    const spans = calendar
      .occurrences('2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z')
      .map((o) => [iso(o.startsAt), (o.endsAt - o.startsAt) / H]);
    expect(spans).toEqual([
      ['2026-03-27T01:00:00.000Z', 1],
      ['2026-03-28T01:00:00.000Z', 1],
      ['2026-03-29T01:00:00.000Z', 1], // 03:00-04:00 CEST: the skipped hour swallowed it whole
      ['2026-03-30T00:00:00.000Z', 1],
    ]);
  });
});

afterAll(() => {
  if (matrix.length === 0) return;
  const header = ['zone', 'transition', 'local', 'opens (UTC)', 'closes (UTC)', 'length'];
  const widths = header.map((h, i) => Math.max(h.length, ...matrix.map((row) => row[i]!.length)));
  const line = (row: readonly string[]): string => row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ');
  console.log(['DST matrix: maintenance windows', line(header), ...matrix.map(line)].join('\n'));
});

describe('windows across midnight and month ends', () => {
  it('opens on the matching day and closes on the next (23:00-01:00 on Saturdays)', () => {
    const clock = createFakeClock({ start: '2026-05-01T00:00:00Z' });
    const calendar = createMaintenanceCalendar({ timeZone: 'UTC' }, { clock });
    calendar.add(
      window({ recurring: { weekdays: ['saturday'], times: [{ start: '23:00', end: '01:00' }] } }),
    );
    // 2026-05-02 is a Saturday.
    expect(calendar.active('2026-05-02T22:59:59Z')).toHaveLength(0);
    expect(calendar.active('2026-05-02T23:00:00Z')).toHaveLength(1);
    expect(calendar.active('2026-05-03T00:59:59Z')).toHaveLength(1); // Sunday, still the Saturday's span
    expect(calendar.active('2026-05-03T01:00:00Z')).toHaveLength(0);
    // A Sunday 23:00 is not a Saturday.
    expect(calendar.active('2026-05-03T23:30:00Z')).toHaveLength(0);
    const [open] = calendar.active('2026-05-03T00:30:00Z');
    expect([iso(open!.startsAt), iso(open!.endsAt)]).toEqual([
      '2026-05-02T23:00:00.000Z',
      '2026-05-03T01:00:00.000Z',
    ]);
  });

  it('reads negative days from the month end, across into the next month and in leap years', () => {
    const clock = createFakeClock({ start: '2026-01-01T00:00:00Z' });
    const calendar = createMaintenanceCalendar({ timeZone: 'UTC' }, { clock });
    calendar.add(window({ recurring: { daysOfMonth: [-1], times: [{ start: '22:00', end: '02:00' }] } }));
    const starts = (from: string, to: string): string[] =>
      calendar.occurrences(from, to).map((o) => `${iso(o.startsAt)}..${iso(o.endsAt)}`);
    expect(starts('2026-02-02T00:00:00Z', '2026-03-05T00:00:00Z')).toEqual([
      '2026-02-28T22:00:00.000Z..2026-03-01T02:00:00.000Z',
    ]);
    expect(starts('2028-02-02T00:00:00Z', '2028-03-05T00:00:00Z')).toEqual([
      '2028-02-29T22:00:00.000Z..2028-03-01T02:00:00.000Z',
    ]);
    expect(starts('2026-04-02T00:00:00Z', '2026-05-02T00:00:00Z')).toEqual([
      '2026-04-30T22:00:00.000Z..2026-05-01T02:00:00.000Z',
    ]);
    expect(calendar.active('2026-03-01T01:59:00Z')).toHaveLength(1);
  });

  it('takes the last three days as -3:-1 and clamps days past a short month to its end', () => {
    const clock = createFakeClock({ start: '2026-01-01T00:00:00Z' });
    const calendar = createMaintenanceCalendar({ timeZone: 'UTC' }, { clock });
    calendar.add(window({ id: 'last3', recurring: { daysOfMonth: ['-3:-1'] } }));
    calendar.add(window({ id: 'd31', recurring: { daysOfMonth: [31] } }));
    const days = (id: string, from: string, to: string): string[] =>
      calendar
        .occurrences(from, to)
        .filter((o) => o.window.id === id)
        .map((o) => iso(o.startsAt).slice(0, 10));
    expect(days('last3', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z')).toEqual([
      '2026-02-26',
      '2026-02-27',
      '2026-02-28',
    ]);
    expect(days('d31', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z')).toEqual(['2026-02-28']);
    // Touching whole days merge into one span in active().
    const [open] = calendar.active('2026-02-27T12:00:00Z');
    expect([iso(open!.startsAt), iso(open!.endsAt)]).toEqual([
      '2026-02-26T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
  });
});

describe('AND across fields, OR within a field', () => {
  const clock = createFakeClock({ start: '2026-01-01T00:00:00Z' });
  const calendar = createMaintenanceCalendar({ timeZone: 'UTC' }, { clock });
  // Weekdays in the first week of March or December: every field must hold; any entry of a field will do.
  calendar.add(
    window({
      id: 'and-or',
      recurring: { weekdays: ['monday:friday'], daysOfMonth: ['1:7'], months: ['march', 12] },
    }),
  );
  const days = (from: string, to: string): string[] =>
    calendar.occurrences(from, to).map((o) => iso(o.startsAt).slice(0, 10));

  it('opens only on days every field accepts', () => {
    // March 2026: Sunday 1st; weekdays among the 1st-7th are the 2nd to the 6th.
    expect(days('2026-02-20T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
    ]);
    // Either listed month will do (OR): December 2026's first week, Tuesday 1st to Friday 4th and Monday 7th.
    expect(days('2026-12-01T00:00:00Z', '2026-12-10T00:00:00Z')).toEqual([
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-07',
    ]);
    expect(days('2026-04-01T00:00:00Z', '2026-04-10T00:00:00Z')).toEqual([]);
  });

  it('explains which entry of each field matched, and which field did not', () => {
    const covered = calendar.explain(alert({ component: 'database' }), '2026-03-03T10:00:00Z');
    expect(covered.silencedBy).toBe('and-or');
    expect(covered.windows[0]?.time.fields).toEqual({
      weekday: 'monday:friday',
      dayOfMonth: '1:7',
      month: 'march',
      year: 'any',
      time: '00:00-24:00',
      timeZone: 'UTC',
    });
    const sunday = calendar.explain(alert(), '2026-03-01T10:00:00Z');
    expect(sunday.silencedBy).toBeNull();
    expect(sunday.windows[0]?.time.reason).toMatch(/^sunday is not in weekdays \[monday:friday\]/);
    const april = calendar.explain(alert(), '2026-04-02T10:00:00Z');
    expect(april.windows[0]?.time.reason).toMatch(/^april is not in months \[march, 12\]/);
  });
});

describe('matchers (the alert router syntax)', () => {
  const clock = createFakeClock({ start: '2026-06-01T00:00:00Z' });
  const calendar = createMaintenanceCalendar({}, { clock });
  calendar.add(
    window({
      id: 'db',
      matchers: ['service="checkout"', 'component=~"db|database"'],
      start: '2026-06-01T00:00:00Z',
      end: '2026-06-01T01:00:00Z',
    }),
  );

  it('silences an alert every matcher accepts while the window is open', () => {
    expect(calendar.silencing(alert({ component: 'database' }), clock.wallNow())?.window.id).toBe('db');
    expect(calendar.silencing(alert({ component: 'cache' }), clock.wallNow())).toBeUndefined();
    expect(
      calendar.silencing(alert({ component: 'db' }), Date.parse('2026-06-01T01:00:00Z')),
    ).toBeUndefined();
  });

  it('names each matcher with the label value it saw', () => {
    const explained = calendar.explain(alert({}), clock.wallNow());
    expect(explained.windows[0]?.labels).toEqual({
      matched: false,
      matchers: [
        { matcher: 'service="checkout"', label: 'service', value: 'checkout', matched: true },
        { matcher: 'component=~"db|database"', label: 'component', value: null, matched: false },
      ],
    });
    expect(explained.windows[0]?.covers).toBe(false);
  });

  it('never silences its own reminders', () => {
    const reminder = { ...alert({ component: 'db' }), source: 'maintenance' };
    expect(calendar.silencing(reminder, clock.wallNow())).toBeUndefined();
  });
});

describe('validation', () => {
  const clock = createFakeClock({ start: '2026-06-01T00:00:00Z' });
  const fields = (run: () => unknown): string[] => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).issues.map((issue) => issue.field);
    }
    throw new Error('expected a ConfigError');
  };

  it('requires a time zone for a recurring window, on the window or the calendar', () => {
    const calendar = createMaintenanceCalendar({}, { clock });
    expect(fields(() => calendar.add(window({ recurring: { weekdays: ['sunday'] } })))).toEqual([
      'recurring.timeZone',
    ]);
    expect(
      calendar.add(window({ recurring: { weekdays: ['sunday'], timeZone: 'Asia/Tokyo' } })).recurring
        ?.timeZone,
    ).toBe('Asia/Tokyo');
    expect(fields(() => createMaintenanceCalendar({ timeZone: 'Mars/Olympus' }))).toEqual(['timeZone']);
  });

  it('refuses times without an offset, ends before starts, duplicates and malformed fields', () => {
    const calendar = createMaintenanceCalendar({ timeZone: 'UTC' }, { clock });
    expect(
      fields(() => calendar.add(window({ start: '2026-06-01T02:00:00', end: '2026-06-01T03:00:00Z' }))),
    ).toEqual(['start']);
    expect(
      fields(() => calendar.add(window({ start: '2026-06-01T03:00:00Z', end: '2026-06-01T02:00:00Z' }))),
    ).toEqual(['end']);
    expect(fields(() => calendar.add(window({ start: '2026-06-01T03:00:00Z' })))).toEqual(['end']);
    expect(fields(() => calendar.add(window({ matchers: ['service=="checkout'], recurring: {} })))).toEqual([
      'matchers[0]',
    ]);
    expect(fields(() => calendar.add(window({ matchers: [], recurring: {} })))).toEqual(['matchers']);
    expect(fields(() => calendar.add(window({ recurring: { weekdays: ['funday'] } })))).toEqual([
      'recurring.weekdays',
    ]);
    expect(fields(() => calendar.add(window({ recurring: { weekdays: ['friday:monday'] } })))).toEqual([
      'recurring.weekdays',
    ]);
    expect(
      fields(() => calendar.add(window({ recurring: { times: [{ start: '25:00', end: '26:00' }] } }))),
    ).toEqual(['recurring.times']);
    expect(fields(() => calendar.add(window({ recurring: { daysOfMonth: [0] } })))).toEqual([
      'recurring.daysOfMonth',
    ]);
    expect(fields(() => calendar.add(window({ recurring: { years: [2020] } })))).toEqual(['recurring']);
    calendar.add(window({ id: 'once', start: '2026-06-01T03:00:00Z', end: '2026-06-01T04:00:00Z' }));
    expect(
      fields(() =>
        calendar.add(window({ id: 'once', start: '2026-06-02T03:00:00Z', end: '2026-06-02T04:00:00Z' })),
      ),
    ).toEqual(['id']);
  });

  it('holds at most maxWindows, dropping windows closed longer ago than retainClosedMs first', () => {
    const calendar = createMaintenanceCalendar({ maxWindows: 1, retainClosedMs: H }, { clock });
    calendar.add(window({ id: 'a', start: '2026-05-31T00:00:00Z', end: '2026-05-31T01:00:00Z' }));
    calendar.add(window({ id: 'b', start: '2026-06-01T00:00:00Z', end: '2026-06-01T01:00:00Z' }));
    expect(calendar.list().map((w) => w.id)).toEqual(['b']);
    expect(
      fields(() =>
        calendar.add(window({ id: 'c', start: '2026-06-02T00:00:00Z', end: '2026-06-02T01:00:00Z' })),
      ),
    ).toEqual(['(options)']);
  });
});

describe('close() and reading', () => {
  it('closes a window early, keeping the time it was open', () => {
    const clock = createFakeClock({ start: '2026-06-01T00:00:00Z' });
    const calendar = createMaintenanceCalendar({ timeZone: 'UTC' }, { clock });
    calendar.add(window({ start: '2026-06-01T00:00:00Z', end: '2026-06-01T02:00:00Z' }));
    clock.advance(30 * 60_000);
    expect(calendar.close('w')?.end).toBe(Date.parse('2026-06-01T00:30:00Z'));
    expect(calendar.active()).toHaveLength(0);
    expect(
      calendar.occurrences('2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z').map((o) => o.endsAt - o.startsAt),
    ).toEqual([30 * 60_000]);
  });

  it('answers active() from its memo: reading it twice gives the same objects', () => {
    const clock = createFakeClock({ start: '2026-06-01T00:00:00Z' });
    const calendar = createMaintenanceCalendar({ timeZone: 'UTC' }, { clock });
    calendar.add(window({ recurring: { times: [{ start: '00:00', end: '06:00' }] } }));
    const first = calendar.active();
    clock.advance(H);
    expect(calendar.active()[0]).toBe(first[0]);
  });
});
