import { describe, expect, it } from 'vitest';
import { createSaturationMonitor, renderMetrics, saturationMetrics, type MetricFamily } from 'sre-kit';
import { checkOpenMetrics, checkPrometheusText } from '../helpers/promtool.js';

const families: MetricFamily[] = [
  {
    name: 'http_requests',
    help: 'Requests served, by "route" and code.\nSecond line \\ with backslash.',
    type: 'counter',
    samples: [{ suffix: '_total', labels: { route: 'GET /a"b\\c\n', code: '200' }, value: 3 }],
  },
  {
    name: 'http_request_duration_seconds',
    help: 'Request latency.',
    type: 'histogram',
    unit: 'seconds',
    samples: [
      {
        suffix: '_bucket',
        labels: { le: '0.1' },
        value: 1,
        exemplar: { labels: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' }, value: 0.05 },
      },
      { suffix: '_bucket', labels: { le: '1' }, value: 2 },
      { suffix: '_bucket', labels: { le: '+Inf' }, value: 2 },
      { suffix: '_sum', value: 0.55 },
      { suffix: '_count', value: 2 },
    ],
  },
  {
    name: 'http_request_duration_quantiles_seconds',
    help: 'Request latency quantiles.',
    type: 'summary',
    unit: 'seconds',
    samples: [
      { labels: { quantile: '0.5' }, value: 0.05 },
      { labels: { quantile: '0.99' }, value: 0.5 },
      { suffix: '_sum', value: 0.55 },
      { suffix: '_count', value: 2 },
    ],
  },
];

describe('exposition checked by Prometheus tools', () => {
  it('promtool check metrics accepts the Prometheus text output without warnings', () => {
    const monitor = createSaturationMonitor();
    const text = renderMetrics([...families, saturationMetrics(monitor)]);
    void monitor.close();
    const result = checkPrometheusText(text);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it("Prometheus's OpenMetrics parser accepts the OpenMetrics output", () => {
    const monitor = createSaturationMonitor();
    const text = renderMetrics([...families, saturationMetrics(monitor)], { format: 'openmetrics' });
    void monitor.close();
    const result = checkOpenMetrics(text);
    expect(result.status, result.output).toBe(0);
  });
});
