// Issue 13, item 9: an SLO incident said "3.3×" while the same SLO peaked at 166×, and breaker incidents
// had an empty impact and root cause. The impact now follows the signal while the incident is open
// (peak burn, share of requests failing, affected routes), and a breaker incident names the dependency
// and why its breaker opened.
import { describe, expect, it } from 'vitest';
import {
  createCircuitBreaker,
  createMonitor,
  createSloTracker,
  incidentReportSchema,
  type RouteSignals,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const START = '2026-03-10T12:00:00.000Z';

function route(method: string, path: string, requests: number, errors: number): RouteSignals {
  return {
    method,
    route: path,
    requests,
    errors,
    aborted: 0,
    byClass: { '1xx': 0, '2xx': requests - errors, '3xx': 0, '4xx': 0, '5xx': errors, other: 0 },
    errorsByStatus: errors > 0 ? { '500': errors } : {},
  };
}

describe('issue 13: an incident states its impact while it lasts', () => {
  it('an SLO incident follows the peak burn and names the routes failing since it opened', async () => {
    const clock = createFakeClock({ start: START });
    const slo = createSloTracker(
      {
        name: 'availability',
        objective: { kind: 'availability', target: 0.99 },
        alerts: [{ severity: 'page', longWindowMs: 300_000, shortWindowMs: 60_000, burnRate: 10 }],
      },
      { clock },
    );
    const counts = { users: [1_000, 0], products: [1_000, 0] };
    const signals = {
      routes: () => [
        route('GET', '/users/:id', counts.users[0]!, counts.users[1]!),
        route('GET', '/products/:id', counts.products[0]!, counts.products[1]!),
      ],
    };
    const monitor = createMonitor(
      { service: 'shop', slos: [slo], signals, evaluateIntervalMs: 1_000 },
      { clock },
    );
    const second = async (errors: number) => {
      slo.record(true, 100 - errors);
      slo.record(false, errors);
      counts.users[0]! += 50;
      counts.users[1]! += errors;
      counts.products[0]! += 50;
      await clock.advanceAsync(1_000);
    };
    for (let s = 0; s < 30; s++) await second(20); // 20 % failing: burn 20×
    const [incident] = monitor.incidents.list();
    expect(incident?.title).toBe('SLO availability is burning its error budget fast (page)');
    expect(incident?.impact).toMatch(/^20 % of requests missing the objective \(burn rate 20× over 5 min\)/);
    expect(incident?.impact).toContain('affected routes: GET /users/:id (');

    for (let s = 0; s < 60; s++) await second(100); // everything failing: burn climbs toward 100×
    const worse = monitor.incidents.get(incident!.id)!;
    expect(worse.impact).toMatch(
      /^(\d+(\.\d+)?) % of requests missing the objective \(burn rate (\d+(\.\d+)?)× over 5 min\)/,
    );
    const peak = Number(/burn rate ([\d.]+)×/.exec(worse.impact)?.[1]);
    expect(peak).toBeGreaterThan(50);
    expect(worse.impact).toContain('GET /users/:id');
    expect(worse.impact).not.toContain('GET /products/:id');
    // Rewritten only when materially worse: a handful of updates, not one per evaluation.
    const updates = worse.timeline.filter((e) => e.kind === 'updated').length;
    expect(updates).toBeGreaterThan(1);
    expect(updates).toBeLessThan(20);
    await monitor.close();
    slo.close();
  });

  it('a breaker incident says which dependency and why', async () => {
    const clock = createFakeClock({ start: START });
    const payments = createCircuitBreaker(
      { name: 'payments', failureThreshold: { kind: 'rate', ratio: 0.5, minimumCalls: 4, windowMs: 10_000 } },
      { clock },
    );
    const monitor = createMonitor({ service: 'shop', breakers: [payments] }, { clock });
    await payments.execute(() => Promise.resolve(1));
    for (let i = 0; i < 3; i++)
      await payments.execute(() => Promise.reject(new Error('502'))).catch(() => undefined);
    await monitor.evaluate();
    const [incident] = monitor.incidents.list();
    expect(incident?.impact).toBe(
      'Calls to dependency payments fail or are refused: circuit breaker payments is open (failure rate over its threshold): 3 of 4 calls failed (75 %) in its window, 3 failures in a row',
    );
    const report = incidentReportSchema.parse(monitor.incidentReport(incident!.id));
    expect(report.root_cause).toBe(
      'Dependency payments is failing: circuit breaker payments is open (failure rate over its threshold): 3 of 4 calls failed (75 %) in its window, 3 failures in a row',
    );
    await monitor.close();
    payments.close();
  });
});
