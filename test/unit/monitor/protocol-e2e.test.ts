import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  AgentErrorCode,
  agentAnalyzePerformanceResponseSchema,
  agentCapacityPlanResponseSchema,
  agentDeploymentReadinessResponseSchema,
  agentErrorResponseSchema,
  agentHealthCheckResponseSchema,
  agentIncidentReportResponseSchema,
  agentResponseSchema,
  agentSloStatusResponseSchema,
  checks,
  createCircuitBreaker,
  createHealthRegistry,
  createLatencyTracker,
  createMonitor,
  createSloTracker,
  handleAgentRequest,
  type AgentResponse,
  type Monitor,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

// The agent protocol through a real monitor wired with real primitives, on the fake clock: an outage
// opens an incident, and every action answers with what its schema accepts, before and after recovery.

const START = '2026-03-10T00:00:00.000Z';
const MINUTE = 60_000;
const STEP = 10_000;
const agent = 'sre-reliability';

function rig(clock: FakeClock) {
  const slo = createSloTracker(
    {
      name: 'availability',
      objective: { kind: 'availability', target: 0.99 },
      alerts: [{ severity: 'page', longWindowMs: 5 * MINUTE, shortWindowMs: MINUTE, burnRate: 10 }],
    },
    { clock },
  );
  const latency = createLatencyTracker({ window: { durationMs: 60 * MINUTE, slices: 6 } }, { clock });
  const breaker = createCircuitBreaker({ name: 'payments' }, { clock });
  const health = createHealthRegistry({ exposeDetails: true }, { clock });
  health.register('payments-breaker', checks.circuitBreaker(breaker), { critical: false });
  health.register('budget', checks.sloBudget(slo), { critical: false });
  const monitor = createMonitor(
    { service: 'checkout', health, latency, slos: [slo], breakers: [breaker] },
    { clock },
  );
  const close = async () => {
    await monitor.close();
    await latency.close();
    health.close();
    breaker.close();
    slo.close();
  };
  return { monitor, slo, latency, close };
}

async function traffic(clock: FakeClock, r: ReturnType<typeof rig>, ms: number, ok: boolean) {
  for (let t = 0; t < ms; t += STEP) {
    await clock.advanceAsync(STEP);
    r.slo.record(ok, 100);
    for (let i = 0; i < 10; i++)
      r.latency.record(ok ? 20 + i : 400 + i, i % 3 === 0 ? '/search' : '/checkout');
  }
}

async function ask<S extends z.ZodType>(monitor: Monitor, schema: S, request: unknown): Promise<z.output<S>> {
  const response: AgentResponse = await handleAgentRequest(monitor, request);
  const wire: unknown = JSON.parse(JSON.stringify(response));
  expect(wire).toStrictEqual(response);
  agentResponseSchema.parse(wire);
  return schema.parse(wire);
}

describe('agent protocol through a real monitor', () => {
  it('answers every action during and after an outage', async () => {
    const clock = createFakeClock({ start: START });
    const r = rig(clock);
    const { monitor } = r;
    // A busy quiet hour first, so the outage burns fast but does not exhaust the 30-day budget.
    r.slo.record(true, 2_000_000);
    await traffic(clock, r, 30 * MINUTE, true);
    await monitor.evaluate();

    const calm = await ask(monitor, agentDeploymentReadinessResponseSchema, {
      request: { agent, action: 'deployment_readiness', request_id: 'deploy-1' },
    });
    expect(calm).toMatchObject({ requestId: 'deploy-1', result: { ready: true, reasons: [] } });

    await traffic(clock, r, 10 * MINUTE, false);
    await monitor.evaluate();

    const blocked = await ask(monitor, agentDeploymentReadinessResponseSchema, {
      agent,
      action: 'deployment_readiness',
    });
    expect(blocked.result.ready).toBe(false);

    const health = await ask(monitor, agentHealthCheckResponseSchema, {
      request: { agent, action: 'health_check', scope: 'full_system', include_predictions: true },
    });
    expect(Object.keys(health.result.services).sort()).toEqual(['budget', 'payments-breaker']);
    expect(health.result.openIncidents).toHaveLength(1);
    expect(health.result.predictions?.budgetExhaustion[0]?.slo).toBe('availability');

    const scoped = await ask(monitor, agentHealthCheckResponseSchema, {
      agent,
      action: 'health_check',
      scope: ['payments-breaker'],
    });
    expect(Object.keys(scoped.result.services)).toEqual(['payments-breaker']);

    const slos = await ask(monitor, agentSloStatusResponseSchema, { agent, action: 'slo_status' });
    const status = slos.result.slos[0]!;
    expect(status).toMatchObject({ name: 'availability', target: 0.99 });
    expect(status.alerts[0]?.firing).toBe(true);

    const perf = await ask(monitor, agentAnalyzePerformanceResponseSchema, {
      agent,
      action: 'analyze_performance',
      timeframe: 'last_hour',
      focus_areas: ['api_latency'],
    });
    expect(perf.result.metrics.requests).toBeGreaterThan(0);
    expect(perf.result.bottlenecks.map((b) => b.route)).toContain('/checkout');

    const capacity = await ask(monitor, agentCapacityPlanResponseSchema, {
      agent,
      action: 'capacity_plan',
      horizon_days: 7,
    });
    expect(capacity.result.horizonMs).toBe(7 * 24 * 60 * MINUTE);

    const open = await ask(monitor, agentIncidentReportResponseSchema, {
      agent,
      action: 'incident_report',
      recent: 5,
    });
    expect(open.result.incidents).toHaveLength(1);
    const id = open.result.incidents[0]!.incident_id;
    expect(open.result.incidents[0]).toMatchObject({ severity: 'P2', service: 'checkout' });

    await traffic(clock, r, 10 * MINUTE, true);
    await monitor.evaluate();

    const resolved = await ask(monitor, agentIncidentReportResponseSchema, {
      agent,
      action: 'incident_report',
      id,
    });
    expect(resolved.result.incidents[0]?.duration_minutes).toBeGreaterThan(5);
    const ready = await ask(monitor, agentDeploymentReadinessResponseSchema, {
      agent,
      action: 'deployment_readiness',
    });
    expect(ready.result).toMatchObject({ ready: true, reasons: [] });

    const missing = await ask(monitor, agentErrorResponseSchema, {
      agent,
      action: 'incident_report',
      id: 'INC-2026-999',
    });
    expect(missing.error.code).toBe(AgentErrorCode.NOT_FOUND);
    await r.close();
  });
});
