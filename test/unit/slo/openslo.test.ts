import { describe, expect, it } from 'vitest';
import { ConfigError, fromOpenSlo, toOpenSlo, type SloTrackerOptions } from 'sre-kit/slo';

const DAY = 86_400_000;
const slos: SloTrackerOptions[] = [
  { name: 'api', objective: { kind: 'availability', target: 0.999 } },
  {
    name: 'checkout-latency',
    objective: { kind: 'latency', target: 0.95, thresholdMs: 200 },
    window: { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
    alerts: 'sloth',
    description: '95 % of checkouts within 200 ms',
  },
  {
    name: 'sync-freshness',
    objective: { kind: 'freshness', target: 0.99, maxLagMs: 300_000, sliceMs: 120_000 },
    window: { kind: 'rolling', durationMs: 7 * DAY },
    alerts: [{ severity: 'page', longWindowMs: 3_600_000, shortWindowMs: 300_000, burnRate: 10 }],
  },
  {
    name: 'daily',
    objective: { kind: 'availability', target: 0.9 },
    window: { kind: 'calendar', unit: 'week' },
    alerts: false,
  },
];

const slo = (name: string) => ({
  apiVersion: 'openslo/v1',
  kind: 'SLO',
  metadata: { name },
  spec: {
    service: 'svc',
    indicator: {
      metadata: { name: `${name}-sli` },
      spec: {
        ratioMetric: {
          counter: true,
          good: { metricSource: { type: 'Prometheus', spec: { query: 'a' } } },
          total: { metricSource: { type: 'Prometheus', spec: { query: 'b' } } },
        },
      },
    },
    budgetingMethod: 'Occurrences',
    timeWindow: [{ duration: '28d', isRolling: true }],
    objectives: [{ target: 0.995 }],
  },
});

describe('toOpenSlo', () => {
  it('writes an SLI and an SLO document per SLO', () => {
    const docs = toOpenSlo(slos[0]!);
    expect(docs).toEqual([
      {
        apiVersion: 'openslo/v1',
        kind: 'SLI',
        metadata: { name: 'api' },
        spec: {
          ratioMetric: {
            counter: true,
            good: {
              metricSource: {
                type: 'Prometheus',
                spec: { query: 'sre_slo_events_total{slo="api",outcome="good"}' },
              },
            },
            total: {
              metricSource: { type: 'Prometheus', spec: { query: 'sre_slo_events_total{slo="api"}' } },
            },
          },
        },
      },
      {
        apiVersion: 'openslo/v1',
        kind: 'SLO',
        metadata: { name: 'api', annotations: { 'sre-kit/alerts': '"google"' } },
        spec: {
          service: 'api',
          indicatorRef: 'api',
          budgetingMethod: 'Occurrences',
          timeWindow: [{ duration: '30d', isRolling: true }],
          objectives: [{ displayName: '99.9% available', target: 0.999 }],
        },
      },
    ]);
  });

  it('writes latency as a threshold metric and freshness as Timeslices', () => {
    const docs = toOpenSlo(slos, { service: 'shop' });
    const latency = docs[3] as Extract<(typeof docs)[number], { kind: 'SLO' }>;
    expect(latency.spec.service).toBe('shop');
    expect(latency.spec.timeWindow).toEqual([
      {
        duration: '1M',
        isRolling: false,
        calendar: { startTime: '2024-01-01 00:00:00', timeZone: 'Europe/Berlin' },
      },
    ]);
    expect(latency.spec.objectives[0]).toMatchObject({ op: 'lte', value: 200, target: 0.95 });
    const freshness = docs[5] as typeof latency;
    expect(freshness.spec.budgetingMethod).toBe('Timeslices');
    expect(freshness.spec.objectives[0]).toMatchObject({
      op: 'lte',
      value: 300_000,
      timeSliceTarget: 1,
      timeSliceWindow: '2m',
    });
  });

  it('refuses what OpenSLO cannot express', () => {
    expect(() => toOpenSlo({ ...slos[0]!, window: { kind: 'rolling', durationMs: 90_000 } })).toThrow(
      '[0].window.durationMs: expected a whole number of minutes',
    );
  });
});

describe('fromOpenSlo', () => {
  it('reads back everything toOpenSlo writes, through JSON', () => {
    const docs = JSON.parse(JSON.stringify(toOpenSlo(slos)));
    const back = fromOpenSlo(docs);
    expect(back).toEqual(
      slos.map((s) => ({
        ...s,
        window: s.window ?? { kind: 'rolling', durationMs: 30 * DAY },
        alerts: s.alerts ?? 'google',
        ...(s.window?.kind === 'calendar' ? { window: { timeZone: 'UTC', ...s.window } } : {}),
      })),
    );
  });

  it('reads documents written by other tools: inline indicators, bad ratios, targetPercent', () => {
    const doc = slo('web');
    const [options] = fromOpenSlo(doc);
    expect(options).toEqual({
      name: 'web',
      objective: { kind: 'availability', target: 0.995 },
      window: { kind: 'rolling', durationMs: 28 * DAY },
    });
    const percent = structuredClone(doc) as any;
    percent.spec.objectives = [{ targetPercent: 99 }];
    percent.spec.timeWindow = [{ duration: '1M', isRolling: true }];
    expect(fromOpenSlo(percent)[0]).toMatchObject({
      objective: { target: 0.99 },
      window: { durationMs: 30 * DAY },
    });
  });

  it('skips Service and DataSource documents', () => {
    expect(
      fromOpenSlo([
        { apiVersion: 'openslo/v1', kind: 'Service', metadata: { name: 's' }, spec: {} },
        slo('a'),
      ]),
    ).toHaveLength(1);
  });

  it.each([
    [
      'alert policies',
      (d: any) => (d.spec.alertPolicies = ['p']),
      '[0].spec.alertPolicies: expected no alert policies',
    ],
    ['RatioTimeslices', (d: any) => (d.spec.budgetingMethod = 'RatioTimeslices'), '[0].spec.budgetingMethod'],
    [
      'two objectives',
      (d: any) => d.spec.objectives.push({ target: 0.9 }),
      '[0].spec.objectives: expected at most 1 items',
    ],
    [
      'an unknown field',
      (d: any) => (d.spec.budgetAdjustments = []),
      '[0].spec.budgetAdjustments: expected a field sre-kit supports',
    ],
    [
      'a raw ratio',
      (d: any) => (d.spec.indicator.spec.ratioMetric.rawType = 'success'),
      'ratioMetric.rawType',
    ],
    [
      'a calendar fortnight',
      (d: any) =>
        (d.spec.timeWindow = [
          {
            duration: '2w',
            isRolling: false,
            calendar: { startTime: '2024-01-01 00:00:00', timeZone: 'UTC' },
          },
        ]),
      '[0].spec.timeWindow[0].duration',
    ],
    [
      'a week from Tuesday',
      (d: any) =>
        (d.spec.timeWindow = [
          {
            duration: '1w',
            isRolling: false,
            calendar: { startTime: '2024-01-02 00:00:00', timeZone: 'UTC' },
          },
        ]),
      'startTime: expected local midnight "YYYY-MM-DD 00:00:00" on a Monday',
    ],
    [
      'a missing SLI',
      (d: any) => {
        delete d.spec.indicator;
        d.spec.indicatorRef = 'nope';
      },
      '[0].spec.indicatorRef: expected the name of a kind: SLI document',
    ],
    [
      'Timeslices on a ratio',
      (d: any) => (d.spec.budgetingMethod = 'Timeslices'),
      '[0].spec.budgetingMethod: expected "Occurrences" for a ratio metric',
    ],
    [
      'a target of 1',
      (d: any) => (d.spec.objectives = [{ target: 1 }]),
      'objective.target: expected a number < 1',
    ],
    [
      'an unknown kind',
      (d: any) => (d.kind = 'AlertPolicy'),
      '[0].kind: expected one of "SLO" | "SLI" | "Service" | "DataSource"',
    ],
  ])('rejects %s with a ConfigError naming the field', (_what, mutate, message) => {
    const doc = slo('web');
    mutate(doc);
    expect(() => fromOpenSlo(doc)).toThrow(ConfigError);
    expect(() => fromOpenSlo(doc)).toThrow(message);
  });

  it('requires op lte for threshold metrics and a timeSliceTarget of 1', () => {
    const docs = JSON.parse(JSON.stringify(toOpenSlo(slos[2]!)));
    docs[1].spec.objectives[0].op = 'gt';
    docs[1].spec.objectives[0].timeSliceTarget = 0.95;
    expect(() => fromOpenSlo(docs)).toThrow(
      /objectives\[0\]\.op: expected "lte".*timeSliceTarget: expected 1/,
    );
  });
});
