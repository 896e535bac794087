import { describe, expect, it } from 'vitest';
import {
  breakerMetrics,
  createCircuitBreaker,
  createErrorGroups,
  createLatencyTracker,
  createSaturationMonitor,
  createSloTracker,
  latencyMetrics,
  renderMetrics,
  saturationMetrics,
  sloMetrics,
  type MetricFamily,
  type MetricsSource,
} from 'sre-kit';
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

// Every primitive's source, fed a little, rendered beside the hand-built families.
async function primitives(): Promise<{ sources: MetricsSource[]; close: () => Promise<void> }> {
  const saturation = createSaturationMonitor();
  const slo = createSloTracker({
    name: 'api-latency',
    objective: { kind: 'latency', target: 0.95, thresholdMs: 200 },
  });
  slo.record({ ok: true, latencyMs: 120 }, 40);
  slo.record({ ok: true, latencyMs: 900 }, 2);
  const breaker = createCircuitBreaker({ name: 'payments' });
  await breaker.execute(() => Promise.resolve(1));
  const latency = createLatencyTracker();
  latency.record(12, 'db.query');
  const errors = createErrorGroups();
  errors.capture(new TypeError('x is undefined'), { route: 'GET /orders/:id', status: 500 });
  errors.capture(new Error('boom'));
  return {
    sources: [
      saturationMetrics(saturation),
      sloMetrics([slo]),
      breakerMetrics([breaker]),
      latencyMetrics(latency),
      errors,
    ],
    close: async () => {
      slo.close();
      breaker.close();
      await Promise.all([saturation.close(), latency.close()]);
    },
  };
}

describe('exposition checked by Prometheus tools', () => {
  it('promtool check metrics accepts the Prometheus text output without warnings', async () => {
    const { sources, close } = await primitives();
    const text = renderMetrics([...families, ...sources]);
    await close();
    expect(text).toContain('sre_slo_events_total{slo="api-latency",outcome="bad"} 2');
    expect(text).toContain('sre_errors_total{type="TypeError",route="GET /orders/:id"} 1');
    const result = checkPrometheusText(text);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it("Prometheus's OpenMetrics parser accepts the OpenMetrics output", async () => {
    const { sources, close } = await primitives();
    const text = renderMetrics([...families, ...sources], { format: 'openmetrics' });
    await close();
    const result = checkOpenMetrics(text);
    expect(result.status, result.output).toBe(0);
  });
});
