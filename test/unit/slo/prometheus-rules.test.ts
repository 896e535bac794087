import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  formatPrometheusRules,
  toPrometheusRules,
  type PrometheusAlertingRule,
  type PrometheusRecordingRule,
  type SloTrackerOptions,
} from 'sre-kit/slo';

const api: SloTrackerOptions = { name: 'api', objective: { kind: 'availability', target: 0.999 } };
const recordings = (file: ReturnType<typeof toPrometheusRules>) =>
  file.groups.flatMap((g) => g.rules).filter((r): r is PrometheusRecordingRule => 'record' in r);
const alerts = (file: ReturnType<typeof toPrometheusRules>) =>
  file.groups.flatMap((g) => g.rules).filter((r): r is PrometheusAlertingRule => 'alert' in r);

describe('toPrometheusRules', () => {
  it('records the error ratio of every alert window from the default counter', () => {
    const file = toPrometheusRules(api);
    expect(file.groups.map((g) => g.name)).toEqual(['sre-kit-slo-api-recordings', 'sre-kit-slo-api-alerts']);
    const byName = new Map(recordings(file).map((r) => [r.record, r]));
    expect([...byName.keys()].filter((n) => n.startsWith('slo:sli_error:ratio_rate'))).toEqual([
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate3d',
      'slo:sli_error:ratio_rate30d',
    ]);
    expect(byName.get('slo:sli_error:ratio_rate1h')).toEqual({
      record: 'slo:sli_error:ratio_rate1h',
      expr: '(sum(rate(sre_slo_events_total{slo="api",outcome="bad"}[1h]))) / ((sum(rate(sre_slo_events_total{slo="api"}[1h]))) > 0)',
      labels: { slo: 'api' },
    });
    // The period sums bad and all events over 30 days: every event weighs the same, idle adds nothing.
    expect(byName.get('slo:sli_error:rate5m')?.expr).toBe(
      'sum(rate(sre_slo_events_total{slo="api",outcome="bad"}[5m]))',
    );
    expect(byName.get('slo:sli_events:rate5m')?.expr).toBe('sum(rate(sre_slo_events_total{slo="api"}[5m]))');
    expect(byName.get('slo:sli_error:ratio_rate30d')?.expr).toBe(
      'sum_over_time(slo:sli_error:rate5m{slo="api"}[30d]) / (sum_over_time(slo:sli_events:rate5m{slo="api"}[30d]) > 0)',
    );
    expect(byName.get('slo:error_budget:ratio')?.expr).toBe('vector(0.001)');
    expect(byName.get('slo:objective:ratio')?.expr).toBe('vector(0.999)');
  });

  it('alerts per severity as the OR of (long AND short) window pairs', () => {
    const [page, ticket] = alerts(toPrometheusRules(api, { labels: { team: 'payments' } }));
    expect(page).toMatchObject({
      alert: 'SloErrorBudgetBurn',
      labels: { team: 'payments', severity: 'page', slo: 'api' },
    });
    expect(page!.expr).toBe(
      '(slo:sli_error:ratio_rate1h{slo="api"} > (14.4 * 0.001) and slo:sli_error:ratio_rate5m{slo="api"} > (14.4 * 0.001))' +
        ' or (slo:sli_error:ratio_rate6h{slo="api"} > (6 * 0.001) and slo:sli_error:ratio_rate30m{slo="api"} > (6 * 0.001))',
    );
    expect(ticket!.labels.severity).toBe('ticket');
    expect(ticket!.expr).toContain('slo:sli_error:ratio_rate3d{slo="api"} > (1 * 0.001)');
    expect(page!.annotations.summary).toContain('api');
  });

  it('uses Sloth factors for the sloth preset and no alert group when alerts are off', () => {
    const sloth = alerts(
      toPrometheusRules({
        ...api,
        window: { kind: 'rolling', durationMs: 28 * 86_400_000 },
        alerts: 'sloth',
      }),
    );
    expect(sloth[0]!.expr).toContain('> (13.44 * 0.001)');
    expect(sloth[0]!.expr).toContain('> (5.6 * 0.001)');
    expect(sloth[1]!.expr).toContain('> (2.8 * 0.001)');
    const off = toPrometheusRules({ ...api, alerts: false });
    expect(off.groups.map((g) => g.name)).toEqual(['sre-kit-slo-api-recordings']);
  });

  it('fills user query templates with the window and SLO name', () => {
    const file = toPrometheusRules([api, { ...api, name: 'web' }], {
      errorQuery: 'sum(rate(http_requests_total{job="{{slo}}",code=~"5.."}[{{window}}]))',
      totalQuery: 'sum(rate(http_requests_total{job="{{slo}}"}[{{window}}]))',
      queries: {
        web: {
          errorQuery: 'sum(rate(nginx_errors_total[{{window}}]))',
          totalQuery: 'sum(rate(nginx_requests_total[{{window}}]))',
        },
      },
      interval: '30s',
    });
    const rules = recordings(file);
    expect(rules.find((r) => r.labels.slo === 'api' && r.record.endsWith('rate5m'))?.expr).toBe(
      '(sum(rate(http_requests_total{job="api",code=~"5.."}[5m]))) / ((sum(rate(http_requests_total{job="api"}[5m]))) > 0)',
    );
    expect(rules.find((r) => r.labels.slo === 'web' && r.record.endsWith('rate5m'))?.expr).toBe(
      '(sum(rate(nginx_errors_total[5m]))) / ((sum(rate(nginx_requests_total[5m]))) > 0)',
    );
    expect(file.groups.every((g) => g.interval === '30s')).toBe(true);
  });

  it('skips the rolling-period rules for calendar windows', () => {
    const file = toPrometheusRules({ ...api, window: { kind: 'calendar', unit: 'month' } });
    expect(recordings(file).map((r) => r.record)).not.toContain('slo:period_burn_rate:ratio');
    expect(recordings(file).find((r) => r.record === 'slo:time_period:days')?.expr).toBe('vector(30)');
  });

  it.each([
    [[api, api], {}, '[1].name: expected a name unique among the SLOs'],
    [
      [api],
      { errorQuery: 'sum(rate(x[{{window}}]))' },
      'totalQuery: expected errorQuery and totalQuery given together',
    ],
    [
      [api],
      { errorQuery: 'sum(x)', totalQuery: 'sum(y)' },
      'errorQuery: expected a PromQL template containing {{window}}',
    ],
    [
      [api],
      { queries: { nope: { errorQuery: '[{{window}}]', totalQuery: '[{{window}}]' } } },
      'queries.nope',
    ],
    [[api], { labels: { severity: 'x' } }, 'labels'],
    [[api], { metric: 'not a metric' }, 'metric: expected a Prometheus metric name'],
    [[{ ...api, objective: { kind: 'availability', target: 1 } }], {}, '[0].objective.target'],
  ])('rejects bad input (%#)', (slos, options, message) => {
    expect(() => toPrometheusRules(slos as SloTrackerOptions[], options)).toThrow(ConfigError);
    expect(() => toPrometheusRules(slos as SloTrackerOptions[], options)).toThrow(message);
  });
});

describe('formatPrometheusRules', () => {
  it('writes block YAML with quoted strings, PromQL readable in single quotes', () => {
    const text = formatPrometheusRules(toPrometheusRules(api, { labels: { on: "it's" } }));
    expect(text.startsWith('# Generated by sre-kit')).toBe(true);
    expect(text).toContain(
      "\n  - name: 'sre-kit-slo-api-recordings'\n    rules:\n      - record: 'slo:sli_error:ratio_rate5m'\n",
    );
    expect(text).toContain(`expr: '(sum(rate(sre_slo_events_total{slo="api",outcome="bad"}[5m])))`);
    // A key YAML 1.1 would read as a boolean is quoted; a quote inside a value is doubled.
    expect(text).toContain(`'on': 'it''s'`);
  });

  it('falls back to JSON escapes for strings that are not printable ASCII', () => {
    const text = formatPrometheusRules({
      groups: [{ name: 'g', rules: [{ record: 'r', expr: 'a\nb', labels: { x: 'ü' } }] }],
    });
    expect(text).toContain('expr: "a\\nb"');
    expect(text).toContain('x: "ü"');
  });
});
