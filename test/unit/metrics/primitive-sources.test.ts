import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  breakerMetrics,
  createCircuitBreaker,
  createLatencyTracker,
  createSloTracker,
  latencyMetrics,
  renderMetrics,
  sloMetrics,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const lines = (text: string, prefix: string): string[] =>
  text.split('\n').filter((line) => line.startsWith(prefix));

describe('sloMetrics', () => {
  it('counts events since creation as sre_slo_events_total, and gauges budget, burn rates and alerts', () => {
    const clock = createFakeClock({ start: '2026-03-02T00:00:00Z' });
    const slo = createSloTracker(
      { name: 'checkout-availability', objective: { kind: 'availability', target: 0.99 } },
      { clock },
    );
    slo.record(true, 97);
    slo.record(false, 3);
    clock.advance(60_000);
    const text = renderMetrics([sloMetrics([slo])]);
    expect(lines(text, 'sre_slo_events_total')).toEqual([
      'sre_slo_events_total{slo="checkout-availability",outcome="good"} 97',
      'sre_slo_events_total{slo="checkout-availability",outcome="bad"} 3',
    ]);
    expect(lines(text, 'sre_slo_objective_ratio{')).toEqual([
      'sre_slo_objective_ratio{slo="checkout-availability"} 0.99',
    ]);
    // 3 % errors against a 1 % budget: spent twice over, burning at 3× — a ticket, not a page (6× for 6 h).
    expect(lines(text, 'sre_slo_error_budget_remaining_ratio{')).toEqual([
      'sre_slo_error_budget_remaining_ratio{slo="checkout-availability"} -2',
    ]);
    expect(text).toContain('sre_slo_burn_rate{slo="checkout-availability",window="5m"} 3');
    expect(text).toContain('sre_slo_burn_rate{slo="checkout-availability",window="window"} 3');
    expect(lines(text, 'sre_slo_alert_firing{')).toEqual([
      'sre_slo_alert_firing{slo="checkout-availability",severity="page"} 0',
      'sre_slo_alert_firing{slo="checkout-availability",severity="ticket"} 1',
    ]);
    slo.close();
  });

  it('keeps the counters monotonic across window rotation and leaves merged snapshots out', () => {
    const clock = createFakeClock({ start: '2026-03-02T00:00:00Z' });
    const options = { name: 'api', objective: { kind: 'availability', target: 0.999 } } as const;
    const slo = createSloTracker(
      { ...options, window: { kind: 'rolling', durationMs: 3_600_000 } },
      { clock },
    );
    const other = createSloTracker(
      { ...options, window: { kind: 'rolling', durationMs: 3_600_000 } },
      { clock },
    );
    slo.record(true, 5);
    other.record(false, 7);
    slo.merge(other.snapshot());
    clock.advance(2 * 3_600_000);
    slo.record(false);
    slo.record(Number.NaN as unknown as boolean);
    expect(slo.counts()).toEqual({ good: 5, bad: 1 });
    expect(slo.status().total).toBe(1);
    slo.close();
    other.close();
  });
});

describe('breakerMetrics', () => {
  it('exposes the current state as 1 among all states, and calls by outcome', async () => {
    const breaker = createCircuitBreaker(
      { name: 'payments', failureThreshold: { kind: 'consecutive', count: 2 } },
      { clock: createFakeClock() },
    );
    await breaker.execute(() => Promise.resolve('ok'));
    for (let i = 0; i < 3; i++)
      await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => {});
    const text = renderMetrics([breakerMetrics([breaker])]);
    expect(lines(text, 'sre_circuit_breaker_state{')).toEqual([
      'sre_circuit_breaker_state{breaker="payments",state="closed"} 0',
      'sre_circuit_breaker_state{breaker="payments",state="open"} 1',
      'sre_circuit_breaker_state{breaker="payments",state="halfOpen"} 0',
      'sre_circuit_breaker_state{breaker="payments",state="isolated"} 0',
    ]);
    expect(lines(text, 'sre_circuit_breaker_calls_total{')).toEqual([
      'sre_circuit_breaker_calls_total{breaker="payments",outcome="success"} 1',
      'sre_circuit_breaker_calls_total{breaker="payments",outcome="failure"} 2',
      'sre_circuit_breaker_calls_total{breaker="payments",outcome="ignored"} 0',
      'sre_circuit_breaker_calls_total{breaker="payments",outcome="rejected"} 1',
    ]);
    breaker.close();
  });
});

describe('latencyMetrics', () => {
  it('renders every key as a histogram in seconds with exact sum and count', async () => {
    const latency = createLatencyTracker({ thresholdsMs: [10, 100] }, { clock: createFakeClock() });
    for (const ms of [4, 9, 40, 400]) latency.record(ms, 'db.query');
    const text = renderMetrics([latencyMetrics(latency, { name: 'db_query', bucketsMs: [10, 100] })]);
    expect(lines(text, 'db_query_seconds')).toEqual([
      'db_query_seconds_bucket{key="db.query",le="0.01"} 2',
      'db_query_seconds_bucket{key="db.query",le="0.1"} 3',
      'db_query_seconds_bucket{key="db.query",le="+Inf"} 4',
      'db_query_seconds_sum{key="db.query"} 0.453',
      'db_query_seconds_count{key="db.query"} 4',
    ]);
    await latency.close();
  });

  it('rejects a bad name or unordered buckets, naming the field', () => {
    const latency = createLatencyTracker();
    expect(() => latencyMetrics(latency, { name: 'db query' })).toThrow(ConfigError);
    expect(() => latencyMetrics(latency, { bucketsMs: [10, 5] })).toThrow(/bucketsMs/);
    void latency.close();
  });
});
