import { describe, expect, it } from 'vitest';
import { METRICS_CONTENT_TYPE, negotiateMetricsFormat, renderMetrics, type MetricFamily } from 'sre-kit';

const requests: MetricFamily = {
  name: 'http_requests',
  help: 'Requests served.',
  type: 'counter',
  samples: [
    { suffix: '_total', labels: { route: 'GET /users/:id', code: '200' }, value: 3 },
    { suffix: '_created', labels: { route: 'GET /users/:id', code: '200' }, value: 1_700_000_000 },
  ],
};
const latency: MetricFamily = {
  name: 'http_request_duration_seconds',
  help: 'Request latency.',
  type: 'histogram',
  unit: 'seconds',
  samples: [
    {
      suffix: '_bucket',
      labels: { le: '0.1' },
      value: 1,
      exemplar: { labels: { trace_id: 'abc' }, value: 0.05, timestampMs: 1_700_000_000_500 },
    },
    { suffix: '_bucket', labels: { le: '1' }, value: 2 },
    { suffix: '_bucket', labels: { le: '+Inf' }, value: 2 },
    { suffix: '_sum', value: 0.55 },
    { suffix: '_count', value: 2 },
  ],
};

describe('renderMetrics', () => {
  it('renders Prometheus text 0.0.4: _total TYPE names, no UNIT, no exemplars, no _created', () => {
    expect(renderMetrics([requests, latency])).toBe(
      [
        '# HELP http_requests_total Requests served.',
        '# TYPE http_requests_total counter',
        'http_requests_total{route="GET /users/:id",code="200"} 3',
        '# HELP http_request_duration_seconds Request latency.',
        '# TYPE http_request_duration_seconds histogram',
        'http_request_duration_seconds_bucket{le="0.1"} 1',
        'http_request_duration_seconds_bucket{le="1"} 2',
        'http_request_duration_seconds_bucket{le="+Inf"} 2',
        'http_request_duration_seconds_sum 0.55',
        'http_request_duration_seconds_count 2',
        '',
      ].join('\n'),
    );
  });

  it('renders OpenMetrics 1.0: family names, UNIT, exemplars, canonical le, # EOF', () => {
    expect(renderMetrics([requests, latency], { format: 'openmetrics' })).toBe(
      [
        '# HELP http_requests Requests served.',
        '# TYPE http_requests counter',
        'http_requests_total{route="GET /users/:id",code="200"} 3',
        'http_requests_created{route="GET /users/:id",code="200"} 1700000000',
        '# HELP http_request_duration_seconds Request latency.',
        '# TYPE http_request_duration_seconds histogram',
        '# UNIT http_request_duration_seconds seconds',
        'http_request_duration_seconds_bucket{le="0.1"} 1 # {trace_id="abc"} 0.05 1700000000.5',
        'http_request_duration_seconds_bucket{le="1.0"} 2',
        'http_request_duration_seconds_bucket{le="+Inf"} 2',
        'http_request_duration_seconds_sum 0.55',
        'http_request_duration_seconds_count 2',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and help text, and spells special floats', () => {
    const text = renderMetrics([
      {
        name: 'odd',
        help: 'back\\slash\nnewline',
        type: 'gauge',
        samples: [
          { labels: { path: 'a"b\\c\nd' }, value: Infinity },
          { labels: { path: 'x' }, value: -Infinity },
          { labels: { path: 'y' }, value: Number.NaN },
        ],
      },
    ]);
    expect(text).toContain('# HELP odd back\\\\slash\\nnewline\n');
    expect(text).toContain('odd{path="a\\"b\\\\c\\nd"} +Inf\n');
    expect(text).toContain('odd{path="x"} -Inf\n');
    expect(text).toContain('odd{path="y"} NaN\n');
  });

  it('merges families of one name from several sources into one block', () => {
    const part = (value: number, route: string): MetricFamily => ({
      name: 'reqs',
      help: 'h',
      type: 'gauge',
      samples: [{ labels: { route }, value }],
    });
    const text = renderMetrics([{ collect: () => [part(1, 'a')] }, { collect: () => [part(2, 'b')] }]);
    expect(text.match(/# TYPE/g)).toHaveLength(1);
    expect(text).toContain('reqs{route="a"} 1\nreqs{route="b"} 2\n');
  });
});

describe('negotiateMetricsFormat', () => {
  it.each([
    [undefined, 'prometheus'],
    ['*/*', 'prometheus'],
    ['text/plain;version=0.0.4', 'prometheus'],
    // What Prometheus 2.x sends when it prefers OpenMetrics:
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'openmetrics',
    ],
    ['text/plain;q=0.9, application/openmetrics-text;q=0.5', 'prometheus'],
    ['application/openmetrics-text; q=abc', 'prometheus'],
  ])('%s → %s', (accept, expected) => {
    expect(negotiateMetricsFormat(accept)).toBe(expected);
  });

  it('names a content type per format', () => {
    expect(METRICS_CONTENT_TYPE.prometheus).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(METRICS_CONTENT_TYPE.openmetrics).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
  });
});
