import { describe, expect, it } from 'vitest';
import { budgetPredictionSchema, errorGroupReportSchema, slaReportSchema } from 'sre-kit';
import {
  SCREEN,
  count,
  headerLines,
  screenLines,
  span,
  statusLines,
  wrap,
  type StatusReading,
} from '../../../examples/demo/screen.js';
import { errorGroupLines, predictionLines, slaLines } from '../../../examples/demo/summary.js';

const DAY_MS = 86_400_000;
const WINDOW_MS = 30 * DAY_MS;

// The widest the demo gets: a five-digit port, every alert firing, three long open incidents, latency in
// seconds, a full concurrency cap and thousands shed.
const header = headerLines({
  url: 'http://127.0.0.1:65535',
  durationS: 3_600,
  rate: 2_000,
  seededDays: 7,
  seeded: [
    { name: 'availability', good: 79_969, total: 80_000 },
    { name: 'latency-200ms', good: 78_800, total: 80_000 },
  ],
  windowMs: WINDOW_MS,
  burnWindowS: 60,
});
const title =
  'SLO availability is burning its error budget at 92.5× over 6 s (page), and then some more words';
const worst: StatusReading = {
  elapsedS: 3_599.9,
  perSecond: 1_999.6,
  errorShare: 1,
  latencyMs: { p50: 1_234, p95: 12_345, p99: 23_456 },
  inFlight: 32,
  shed: 123_456,
  slos: [
    {
      name: 'availability',
      target: 0.999,
      windowMs: WINDOW_MS,
      good: 7_000_000,
      total: 7_900_000,
      burnNow: 1_000,
      firing: ['page', 'ticket', 'page'],
    },
    {
      name: 'latency-200ms',
      target: 0.95,
      windowMs: WINDOW_MS,
      good: 7_800_000,
      total: 7_900_000,
      burnNow: 0.3,
      firing: ['ticket'],
    },
  ],
  breakers: [{ name: 'payments', state: 'half-open' }],
  openIncidents: [1, 2, 3].map((n) => ({ id: `INC-2026-00${n}`, severity: 'P2', title })),
};
const events = Array.from(
  { length: 100 },
  (_, i) => `[${i}.0s] alert [FIRING] SloErrorBudgetBurnFast: ${title} (event ${i})`,
);

const tooWide = (lines: readonly string[]) => lines.filter((line) => line.length > SCREEN.columns);

describe('the demo view at 80×24', () => {
  const screen = screenLines(header, statusLines(worst), events);

  it('fits: no line over 80 columns, and the screen leaves the last row for the cursor', () => {
    expect(tooWide(screen)).toEqual([]);
    expect(screen.length).toBeLessThanOrEqual(SCREEN.rows - 1);
  });

  it('keeps the key lines on the screen, whole', () => {
    const whole = (prefix: string) => screen.find((line) => line.startsWith(prefix) && !line.endsWith('…'));
    expect(
      whole('  health http://127.0.0.1:65535/health  metrics http://127.0.0.1:65535/metrics'),
    ).toBeDefined();
    expect(
      whole('  status page http://127.0.0.1:65535/status  also /readyz, /livez, POST /agent'),
    ).toBeDefined();
    expect(whole('seeded: 7 simulated days')).toBeDefined();
    expect(whole('  availability 31 bad of 80k events, latency-200ms 1.2k bad of 80k events')).toBeDefined();
    expect(whole('30d budget: error budget left in the SLO')).toBeDefined();
    expect(whole('[3599.9s] 2000 req/s 100.0% err  p50/95/99 1234/12345/23456 ms')).toBeDefined();
    expect(whole('  availability  99.9%  30d budget')).toBeDefined();
    expect(whole('  latency-200ms   95%  30d budget')).toBeDefined();
    expect(whole('  in-flight 32  shed 123456  breakers payments half-open  open incidents 3')).toBeDefined();
    expect(whole('    and 1 more')).toBeDefined();
  });

  it('fills the rows left with the newest events, newest last', () => {
    const shown = screen.slice(screen.indexOf('latest events:') + 1);
    expect(shown.length).toBeGreaterThanOrEqual(4);
    expect(shown.at(-1)).toMatch(/^\[99\.0s\] alert/);
    expect(screen.length).toBe(SCREEN.rows - 1);
  });

  it('on a bigger terminal shows more events, on a smaller one clips to it', () => {
    expect(screenLines(header, statusLines(worst), events, { columns: 120, rows: 50 })).toHaveLength(49);
    const small = screenLines(header, statusLines(worst), events, { columns: 60, rows: 10 });
    expect(small).toHaveLength(9);
    expect(small.every((line) => line.length <= 60)).toBe(true);
  });
});

describe("the demo's budget figures say their window and their counts", () => {
  it('the header says what was seeded and which window the budget covers', () => {
    expect(header.join('\n')).toContain(
      'rolling 30d window (the seeded days\n  + this run), bad/allowed events',
    );
    expect(header.join('\n')).toContain('burn: bad ÷ allowed share over the last 60s');
  });

  it('an SLO line shows the budget left as bad of allowed events in its window', () => {
    const [, availability] = statusLines({
      ...worst,
      slos: [{ ...worst.slos[0]!, good: 79_969, total: 80_000, burnNow: 0, firing: [] }, worst.slos[1]!],
    });
    // 31 bad of 80 allowed (0.1% of 80,000): 61% of the budget left.
    expect(availability).toBe('  availability  99.9%  30d budget  61% left, 31/80 bad  burn  0.0');
  });

  it("the day's SLA says its period and each ratio's counts, and how it differs from the 30-day figure", () => {
    const sla = slaReportSchema.parse({
      service: 'shop',
      period: 'day',
      from: '2026-12-03T00:00:00.000Z',
      to: '2026-12-04T00:00:00.000Z',
      asOf: '2026-12-03T11:52:10.000Z',
      final: false,
      slos: [
        { slo: 'availability', objective: 99.9, achieved: 99.299, met: false, good: 6_057, total: 6_100 },
        { slo: 'latency-200ms', objective: 95, achieved: 97.489, met: true, good: 5_946, total: 6_100 },
      ].map((s) => ({
        ...s,
        budgetUsed: (s.total - s.good) / (s.total * (1 - s.objective / 100)),
        excluded: { good: 0, total: 0 },
        incidents: 0,
        mttrMs: null,
      })),
      incidents: {
        total: 0,
        bySeverity: {},
        mttrMs: null,
        frequency: { incidents: 0, days: 1, perDay: 0, perWeek: 0 },
        rule: 'incidents opened in the period',
      },
      traffic: { requests: 6_100, errors: 43 },
      maintenance: { windows: [], total: 0, rule: 'no maintenance windows' },
      drills: { total: 0, byVerdict: { passed: 0, deviated: 0, aborted: 0 }, runs: [] },
    });
    const lines = slaLines(sla, WINDOW_MS);
    expect(tooWide(lines)).toEqual([]);
    expect(lines).toContain("                 43 bad of 6.1 allowed = 705% of today's error budget");
    expect(lines).toContain("                 154 bad of 305 allowed = 50% of today's error budget");
    expect(lines[0]).toBe("sla today, 00:00 to 11:52 UTC (today's seeded hours and this run):");
    expect(lines.join(' ')).toContain(
      "view's 30d budget spreads over all 30d of events, the seeded days included",
    );
  });

  it('a forecast names the window its budget is from, the burn and the events it rests on', () => {
    const evidence = { spanMs: 3_600_000, samples: 5_262, fitR2: null, slopePerHour: 0.2 };
    const ok = {
      slo: 'availability',
      budgetRemaining: 0.11,
      burnRate: 45.7,
      exhaustsInMs: 3_600_000,
      exhaustsAt: '2026-12-03T13:15:37.986Z',
      status: 'ok' as const,
      missing: [],
      evidence,
    };
    const silent = {
      ...ok,
      slo: 'latency-200ms',
      exhaustsInMs: null,
      exhaustsAt: null,
      status: 'insufficient_data' as const,
      missing: ['span 10 s of 1 h', '10 of 12 samples'],
    };
    const health = budgetPredictionSchema.array().parse([ok, silent]);
    expect(
      predictionLines(
        { predictions: { budgetExhaustion: health, capacity: [], anomalies: [], external: [] } },
        WINDOW_MS,
      ),
    ).toEqual([
      'prediction: availability 30d budget 11% left, burn 45.7× over the last hour',
      '  (5.3k events) runs out at 2026-12-03T13:15:37.986Z',
      'prediction: latency-200ms 30d budget 11% left, burn 45.7× over the last hour',
      // Wrapped at 80 columns.
      '  (5.3k events) no forecast, insufficient data: span 10 s of 1 h, 10 of 12',
      '    samples',
    ]);
  });
  it('error groups: most first, new ones marked, wrapped at 80 columns', () => {
    const group = {
      fingerprint: '0cf210aea6c53862',
      type: 'InjectedFaultError',
      code: 'ERR_SRE_INJECTED_FAULT',
      message: 'Injected fault',
      location: 'resilience/fault-injector.ts:Injector.#createError',
      count: 88,
      countError: 0,
      lastHour: 88,
      routes: [
        { route: 'GET /products/:id', count: 87 },
        { route: 'GET /users/:id', count: 1 },
      ],
      firstSeen: '2026-12-03T13:11:02.124Z',
      lastSeen: '2026-12-03T13:11:39.770Z',
      new: true,
    };
    const errors = errorGroupReportSchema
      .array()
      .parse([
        group,
        { ...group, fingerprint: '1', type: 'Error', location: null, count: 1_234, new: false, routes: [] },
      ]);
    const lines = errorGroupLines({ errors });
    expect(tooWide(lines)).toEqual([]);
    expect(lines).toEqual([
      'error groups, most errors first:',
      '  88 x InjectedFaultError (new since start): Injected fault',
      '      at resilience/fault-injector.ts:Injector.#createError',
      '      on GET /products/:id, GET /users/:id',
      '  1.2k x Error: Injected fault',
      '      at (no stack)',
    ]);
    expect(errorGroupLines({})).toEqual([]);
  });
});

describe('the formatting helpers', () => {
  it('count shortens without losing the order of magnitude', () => {
    expect([5.25, 31, 999, 1_000, 1_234, 80_000, 999_499, 1_200_000].map(count)).toEqual([
      '5.3',
      '31',
      '999',
      '1k',
      '1.2k',
      '80k',
      '999k',
      '1.2M',
    ]);
  });

  it('span names whole days, hours and minutes', () => {
    expect([WINDOW_MS, 6 * 3_600_000, 90_000, 120_000, 2_500].map(span)).toEqual([
      '30d',
      '6h',
      '90s',
      '2m',
      '2.5s',
    ]);
  });

  it('wrap breaks at spaces within the width and keeps every word', () => {
    const text = `deployment readiness: ${title} ${title}`;
    const lines = wrap(text, 80);
    expect(tooWide(lines)).toEqual([]);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ').split(/\s+/)).toEqual(text.split(' '));
  });
});
