import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  createLatencyTracker,
  createPerformanceBudget,
  performanceBudgetReportSchema,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

describe('createPerformanceBudget', () => {
  const budget = createPerformanceBudget({
    routes: {
      'GET /orders/:id': { p99Ms: 200, p50Ms: 50 },
      'POST /orders': { p99Ms: 500 },
      'GET /rare': { p99Ms: 10 },
    },
  });

  it('judges each route quantile from the latency tracker, over-budget routes first', () => {
    const clock = createFakeClock();
    const latency = createLatencyTracker({}, { clock });
    for (let i = 0; i < 1_000; i++) latency.record(i < 980 ? 20 : 400, 'GET /orders/:id');
    for (let i = 0; i < 1_000; i++) latency.record(100, 'POST /orders');
    for (let i = 0; i < 5; i++) latency.record(900, 'GET /rare');
    const report = budget.evaluate(latency);
    expect(performanceBudgetReportSchema.parse(report)).toEqual(report);
    expect(report.ok).toBe(false);
    expect(report.window).toBe('window');
    expect(report.routes.map((r) => [r.route, r.quantile, r.status])).toEqual([
      ['GET /orders/:id', 'p99', 'over'],
      ['GET /rare', 'p99', 'insufficient_data'],
      ['GET /orders/:id', 'p50', 'ok'],
      ['POST /orders', 'p99', 'ok'],
    ]);
    expect(report.routes[0]?.why).toMatch(
      /^GET \/orders\/:id p99 is 40\d(\.\d+)? ms over 1000 values, above its 200 ms budget\.$/,
    );
    expect(report.routes[1]?.why).toBe(
      'GET /rare has 5 latency values, fewer than the 100 its p99 budget is judged on.',
    );
    // Reading changes nothing: the same report again.
    expect(budget.evaluate(latency)).toEqual(report);
    // The window moves on: a minute later the slow values have expired.
    clock.advance(61_000);
    expect(budget.evaluate(latency).routes.every((r) => r.status === 'insufficient_data')).toBe(true);
  });

  it('reads a tracker without a window over its lifetime, and says so', () => {
    const latency = createLatencyTracker({ window: false });
    for (let i = 0; i < 200; i++) latency.record(30, 'POST /orders');
    const report = budget.evaluate(latency);
    expect(report.window).toBe('lifetime');
    expect(report.ok).toBe(true);
  });

  it('rejects bad options with a ConfigError naming the field', () => {
    expect(() => createPerformanceBudget({ routes: {} })).toThrow(ConfigError);
    expect(() => createPerformanceBudget({ routes: { 'GET /': {} } })).toThrow(/routes/);
    expect(() => createPerformanceBudget({ routes: { 'GET /': { p99Ms: -1 } } })).toThrow(/p99Ms/);
    expect(() => createPerformanceBudget({ routes: { 'GET /': { p98Ms: 1 } as never } })).toThrow(/p98Ms/);
  });
});
