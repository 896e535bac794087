import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  AGENT_ACTIONS,
  AgentErrorCode,
  ErrorCode,
  SreError,
  agentAnalyzePerformanceResponseSchema,
  agentCapacityPlanResponseSchema,
  agentDeploymentReadinessResponseSchema,
  agentErrorResponseSchema,
  agentHealthCheckResponseSchema,
  agentIncidentReportResponseSchema,
  agentRequestSchema,
  agentResponseSchema,
  agentSloStatusResponseSchema,
  handleAgentRequest,
  type AgentErrorResponse,
  type AgentResponse,
} from 'sre-kit';
import { createMonitorDouble } from '../../helpers/protocol-monitor-double.js';
import type { MonitorQueries } from '../../../src/monitor/types.js';

const agent = 'sre-reliability';
let cleanup: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of cleanup) await close();
  cleanup = [];
});

async function setup(overrides: Partial<MonitorQueries> = {}) {
  const double = await createMonitorDouble(overrides);
  cleanup.push(double.close);
  return double;
}

/** Validates `response` with `schema` after a JSON round trip, as a remote agent would receive it. */
function received<S extends z.ZodType>(schema: S, response: AgentResponse): z.output<S> {
  const wire: unknown = JSON.parse(JSON.stringify(response));
  expect(wire).toStrictEqual(response);
  expect(agentResponseSchema.parse(wire)).toStrictEqual(wire);
  return schema.parse(wire);
}

function expectError(response: AgentResponse, code: string): AgentErrorResponse {
  expect(response.ok).toBe(false);
  const error = received(agentErrorResponseSchema, response);
  expect(error.error.code).toBe(code);
  return error;
}

describe('handleAgentRequest: every action answers with a response its schema accepts', () => {
  it('health_check: the full report, with predictions when asked', async () => {
    const { monitor } = await setup();
    const full = received(
      agentHealthCheckResponseSchema,
      await handleAgentRequest(monitor, { agent, action: 'health_check', include_predictions: true }),
    );
    expect(full).toMatchObject({ ok: true, agent, action: 'health_check' });
    expect(Object.keys(full.result.services)).toEqual(['api', 'database', 'cache']);
    expect(full.result.predictions).toBeDefined();

    const plain = received(
      agentHealthCheckResponseSchema,
      await handleAgentRequest(monitor, { agent, action: 'health_check' }),
    );
    expect(plain.result.predictions).toBeUndefined();
  });

  it('health_check: a scope narrows services to the named checks, the status stays the service-wide one', async () => {
    const { monitor } = await setup();
    const one = received(
      agentHealthCheckResponseSchema,
      await handleAgentRequest(monitor, { agent, action: 'health_check', scope: 'database' }),
    );
    expect(one.result.services).toEqual({ database: { status: 'degraded', connections: 12 } });
    expect(one.result.status).toBe('degraded');
    const two = received(
      agentHealthCheckResponseSchema,
      await handleAgentRequest(monitor, { agent, action: 'health_check', scope: ['cache', 'api'] }),
    );
    expect(Object.keys(two.result.services)).toEqual(['cache', 'api']);
  });

  it('health_check: an unknown check in the scope is ERR_SRE_NOT_FOUND naming it and the known ones', async () => {
    const { monitor } = await setup();
    const response = expectError(
      await handleAgentRequest(monitor, { agent, action: 'health_check', scope: ['api', 'queue'] }),
      AgentErrorCode.NOT_FOUND,
    );
    expect(response.action).toBe('health_check');
    expect(response.error.message).toContain("'queue'");
    expect(response.error.message).toContain("'database'");
    expect(response.error.issues).toEqual([{ path: ['scope', 1], message: 'no such check' }]);
  });

  it('analyze_performance: defaults to last_24_hours and passes focus areas through', async () => {
    const { monitor } = await setup();
    const byDefault = received(
      agentAnalyzePerformanceResponseSchema,
      await handleAgentRequest(monitor, { agent, action: 'analyze_performance' }),
    );
    expect(byDefault.result.timeframe).toBe('last_24_hours');
    const focused = received(
      agentAnalyzePerformanceResponseSchema,
      await handleAgentRequest(monitor, {
        agent,
        action: 'analyze_performance',
        timeframe: 'last_hour',
        focus_areas: ['api_latency', 'database_queries'],
      }),
    );
    expect(focused.result).toMatchObject({
      timeframe: 'last_hour',
      focusAreas: ['api_latency', 'database_queries'],
    });
  });

  it('slo_status: real trackers, with Infinity time to exhaustion sent as null', async () => {
    const { monitor } = await setup();
    const all = received(
      agentSloStatusResponseSchema,
      await handleAgentRequest(monitor, { agent, action: 'slo_status' }),
    );
    expect(all.result.slos.map((s) => s.name)).toEqual(['api-availability', 'api-latency']);
    const [burning, idle] = all.result.slos;
    expect(burning).toMatchObject({ target: 0.999, good: 5700, total: 6000 });
    expect(burning?.timeToExhaustionMs).toBe(0);
    expect(burning?.alerts.some((a) => a.firing)).toBe(true);
    expect(idle).toMatchObject({ sli: null, total: 0, timeToExhaustionMs: null });
    expect(Object.keys(idle?.burnRates ?? {})).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', 'window']);

    const one = received(
      agentSloStatusResponseSchema,
      await handleAgentRequest(monitor, { agent, action: 'slo_status', slo: 'api-latency' }),
    );
    expect(one.result.slos.map((s) => s.name)).toEqual(['api-latency']);
  });

  it('slo_status: an unknown SLO name is ERR_SRE_NOT_FOUND', async () => {
    const { monitor } = await setup();
    const response = expectError(
      await handleAgentRequest(monitor, { agent, action: 'slo_status', slo: 'nope' }),
      AgentErrorCode.NOT_FOUND,
    );
    expect(response.error.message).toContain("'api-availability'");
    expect(response.error.issues[0]?.path).toEqual(['slo']);
  });

  it('incident_report: by id, through a real recorder', async () => {
    const { monitor } = await setup();
    const response = received(
      agentIncidentReportResponseSchema,
      await handleAgentRequest(monitor, { agent, action: 'incident_report', id: 'INC-2026-001' }),
    );
    expect(response.result.incidents).toEqual([
      {
        incident_id: 'INC-2026-001',
        severity: 'P2',
        service: 'checkout',
        impact: '5% failing',
        root_cause: 'Bad deploy',
        resolution: 'Rolled back',
        duration_minutes: 15,
        lessons_learned: [],
      },
    ]);
  });

  it('incident_report: the most recent first, 10 by default, never more than there are', async () => {
    const { monitor } = await setup();
    const two = received(
      agentIncidentReportResponseSchema,
      await handleAgentRequest(monitor, { agent, action: 'incident_report', recent: 2 }),
    );
    expect(two.result.incidents.map((i) => i.incident_id)).toEqual(['INC-2026-003', 'INC-2026-002']);
    const byDefault = received(
      agentIncidentReportResponseSchema,
      await handleAgentRequest(monitor, { agent, action: 'incident_report' }),
    );
    expect(byDefault.result.incidents).toHaveLength(3);
  });

  it('incident_report: an unknown id is ERR_SRE_NOT_FOUND', async () => {
    const { monitor } = await setup();
    const response = expectError(
      await handleAgentRequest(monitor, { agent, action: 'incident_report', id: 'INC-2026-999' }),
      AgentErrorCode.NOT_FOUND,
    );
    expect(response.error.message).toContain('INC-2026-999');
    expect(response.error.issues).toEqual([{ path: ['id'], message: 'not found' }]);
  });

  it('incident_report: a recorder that throws not-found mid-way is ERR_SRE_NOT_FOUND too', async () => {
    const { monitor } = await setup({
      incidentReport: (id) => {
        throw new SreError(ErrorCode.INCIDENT_NOT_FOUND, `No incident ${id}`);
      },
    });
    expectError(
      await handleAgentRequest(monitor, { agent, action: 'incident_report', id: 'INC-2026-001' }),
      AgentErrorCode.NOT_FOUND,
    );
  });

  it('incident_report: a store that cannot load is ERR_SRE_INTERNAL', async () => {
    const { monitor, incidents } = await setup();
    const locked = Object.assign(Object.create(incidents) as typeof incidents, {
      ready: () => Promise.reject(new SreError(ErrorCode.STORE_LOCKED, 'incidents.jsonl is locked')),
    });
    const response = expectError(
      await handleAgentRequest({ ...monitor, incidents: locked }, { agent, action: 'incident_report' }),
      AgentErrorCode.INTERNAL,
    );
    expect(response.error.message).toContain('is locked');
  });

  it('capacity_plan: horizon in days or ms, or the monitor default', async () => {
    const seen: Array<number | undefined> = [];
    const { monitor } = await setup();
    const spy: MonitorQueries = {
      ...monitor,
      capacityForecast: (options) => {
        seen.push(options?.horizonMs);
        return monitor.capacityForecast(options);
      },
    };
    for (const extra of [{ horizon_days: 1.5 }, { horizon_ms: 3_600_000 }, {}]) {
      received(
        agentCapacityPlanResponseSchema,
        await handleAgentRequest(spy, { agent, action: 'capacity_plan', ...extra }),
      );
    }
    expect(seen).toEqual([129_600_000, 3_600_000, undefined]);
  });

  it('deployment_readiness', async () => {
    const { monitor } = await setup();
    const response = received(
      agentDeploymentReadinessResponseSchema,
      await handleAgentRequest(monitor, { agent, action: 'deployment_readiness' }),
    );
    expect(response.result.ready).toBe(false);
  });

  it('accepts the YAML form wrapped in `request:` and echoes request_id', async () => {
    const { monitor } = await setup();
    const response = await handleAgentRequest(monitor, {
      request: { agent, action: 'deployment_readiness', request_id: 'abc-1' },
    });
    expect(response).toMatchObject({ ok: true, action: 'deployment_readiness', requestId: 'abc-1' });
    const numeric = await handleAgentRequest(monitor, { agent, action: 'slo_status', request_id: 7 });
    expect(numeric).toMatchObject({ ok: true, requestId: 7 });
    const failed = await handleAgentRequest(monitor, { agent, action: 'nope', request_id: 'abc-2' });
    expect(failed).toMatchObject({ ok: false, requestId: 'abc-2' });
  });

  it('hands out fresh data: the response shares nothing with the monitor', async () => {
    const report = {
      ready: true,
      reasons: [] as string[],
      checkedAt: '2026-03-02T00:00:00.000Z',
    };
    const { monitor } = await setup({ deploymentReadiness: () => Promise.resolve(report) });
    const response = await handleAgentRequest(monitor, { agent, action: 'deployment_readiness' });
    expect(response.ok && response.result).not.toBe(report);
    expect(response.ok && response.result).toEqual(report);
  });

  it('the request schema covers every action', () => {
    // The fields an action cannot do without.
    const required: Partial<Record<string, Record<string, unknown>>> = {
      run_drill: { name: 'payments-failover' },
      record_change: { change: { id: 'deploy-1', kind: 'deploy', started_at: 0 } },
      change_correlation: { incident_id: 'INC-2026-001' },
      judge_canary: { baseline: { requests: 0 }, canary: { requests: 0 } },
      acknowledge_incident: { id: 'INC-2026-001' },
      resolve_incident: { id: 'INC-2026-001' },
      add_incident_note: { id: 'INC-2026-001', text: 'looking at the pool' },
      report_anomaly: {
        source: 'data-intelligence',
        signal: 'traffic',
        at: 0,
        confidence: 0.9,
        summary: 'x',
      },
    };
    for (const action of AGENT_ACTIONS)
      expect(agentRequestSchema.safeParse({ agent, action, ...required[action] }).success).toBe(true);
  });
});

describe('handleAgentRequest: errors', () => {
  it('an unknown action is ERR_SRE_UNKNOWN_ACTION listing the known ones', async () => {
    const { monitor } = await setup();
    const response = expectError(
      await handleAgentRequest(monitor, { agent, action: 'reboot_everything' }),
      AgentErrorCode.UNKNOWN_ACTION,
    );
    expect(response.action).toBeUndefined();
    expect(response.error.message).toContain("'reboot_everything'");
    expect(response.error.message).toContain('health_check');
    expect(response.error.issues[0]?.path).toEqual(['action']);
  });

  it('another agent name is ERR_SRE_WRONG_AGENT; a missing one is a bad request', async () => {
    const { monitor } = await setup();
    const wrong = expectError(
      await handleAgentRequest(monitor, { agent: 'billing', action: 'health_check' }),
      AgentErrorCode.WRONG_AGENT,
    );
    expect(wrong.action).toBe('health_check');
    expect(wrong.error.message).toContain("'billing'");
    const missing = expectError(
      await handleAgentRequest(monitor, { action: 'health_check' }),
      AgentErrorCode.BAD_REQUEST,
    );
    expect(missing.error.issues.map((i) => i.path)).toEqual([['agent']]);
  });

  it('bad field types are ERR_SRE_BAD_REQUEST naming each field', async () => {
    const { monitor } = await setup();
    const response = expectError(
      await handleAgentRequest(monitor, {
        request: {
          agent,
          action: 'analyze_performance',
          timeframe: 'last_year',
          focus_areas: ['api_latency', 42],
        },
      }),
      AgentErrorCode.BAD_REQUEST,
    );
    expect(response.action).toBe('analyze_performance');
    expect(response.error.issues.map((i) => i.path)).toEqual([
      ['request', 'timeframe'],
      ['request', 'focus_areas', 1],
    ]);
    expect(response.error.message).toMatch(
      /^Invalid request: request\.timeframe: .*; request\.focus_areas\[1\]: /,
    );
  });

  it('unknown fields are rejected by name, including prototype keys, and pollute nothing', async () => {
    const { monitor } = await setup();
    const request: unknown = JSON.parse(
      '{"agent":"sre-reliability","action":"health_check","include_prediction":true,"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
    );
    const response = expectError(await handleAgentRequest(monitor, request), AgentErrorCode.BAD_REQUEST);
    expect(response.error.issues).toEqual([
      { path: ['include_prediction'], message: 'unknown field' },
      { path: ['__proto__'], message: 'unknown field' },
      { path: ['constructor'], message: 'unknown field' },
    ]);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const wrapped = expectError(
      await handleAgentRequest(monitor, { request: { agent, action: 'slo_status' }, extra: 1 }),
      AgentErrorCode.BAD_REQUEST,
    );
    expect(wrapped.error.issues).toEqual([{ path: ['extra'], message: 'unknown field' }]);
  });

  it('enforces the bounds: focus_areas <= 20, recent <= 100, names <= 128 chars, id xor recent', async () => {
    const { monitor } = await setup();
    const cases: Array<[Record<string, unknown>, (string | number)[]]> = [
      [
        { action: 'analyze_performance', focus_areas: Array.from({ length: 21 }, () => 'x') },
        ['focus_areas'],
      ],
      [{ action: 'incident_report', recent: 101 }, ['recent']],
      [{ action: 'incident_report', recent: 0 }, ['recent']],
      [{ action: 'incident_report', id: 'x'.repeat(129) }, ['id']],
      [{ action: 'incident_report', id: 'INC-2026-001', recent: 2 }, ['recent']],
      [{ action: 'capacity_plan', horizon_days: 366 }, ['horizon_days']],
      [{ action: 'capacity_plan', horizon_days: 1, horizon_ms: 1 }, ['horizon_ms']],
      [{ action: 'health_check', scope: [] }, ['scope']],
      [{ action: 'health_check', include_predictions: 'yes' }, ['include_predictions']],
      [{ action: 'slo_status', request_id: {} }, ['request_id']],
    ];
    for (const [fields, path] of cases) {
      const response = expectError(
        await handleAgentRequest(monitor, { agent, ...fields }),
        AgentErrorCode.BAD_REQUEST,
      );
      expect(response.error.issues.map((i) => i.path)).toEqual([path]);
    }
  });

  it('a request that is not an object is a bad request', async () => {
    const { monitor } = await setup();
    for (const value of [null, undefined, 42, 'health_check', [], { request: 'x' }]) {
      expectError(await handleAgentRequest(monitor, value), AgentErrorCode.BAD_REQUEST);
    }
  });

  it('a request whose fields throw when read is a bad request, not a throw', async () => {
    const { monitor } = await setup();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        has() {
          throw new Error('boom');
        },
        getOwnPropertyDescriptor() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    expectError(await handleAgentRequest(monitor, hostile), AgentErrorCode.BAD_REQUEST);
  });

  it('a query that throws (an Error, a string, a hostile object) or rejects is ERR_SRE_INTERNAL', async () => {
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    const opaque = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('no');
        },
      },
    );
    const throwers: Array<Partial<MonitorQueries>> = [
      {
        performanceAnalysis: () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw opaque;
        },
      },
      {
        performanceAnalysis: () => {
          throw new Error('histogram gone');
        },
      },
      {
        performanceAnalysis: () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw 'a string';
        },
      },
      {
        performanceAnalysis: () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw hostile;
        },
      },
    ];
    for (const overrides of throwers) {
      const { monitor } = await setup(overrides);
      const response = expectError(
        await handleAgentRequest(monitor, { agent, action: 'analyze_performance' }),
        AgentErrorCode.INTERNAL,
      );
      expect(response.action).toBe('analyze_performance');
    }
    const { monitor } = await setup({ deploymentReadiness: () => Promise.reject(new Error('store down')) });
    const rejected = expectError(
      await handleAgentRequest(monitor, { agent, action: 'deployment_readiness', request_id: 'r1' }),
      AgentErrorCode.INTERNAL,
    );
    expect(rejected).toMatchObject({ action: 'deployment_readiness', requestId: 'r1' });
    expect(rejected.error.message).toContain('store down');
  });

  it('a report that breaks its schema (Infinity, a Date) is ERR_SRE_INTERNAL naming the field', async () => {
    const { monitor } = await setup({
      capacityForecast: () => ({ horizonMs: Number.POSITIVE_INFINITY, atRisk: [], signals: [] }),
      deploymentReadiness: () =>
        Promise.resolve({ ready: true, reasons: [], checkedAt: new Date() as unknown as string }),
    });
    const capacity = expectError(
      await handleAgentRequest(monitor, { agent, action: 'capacity_plan' }),
      AgentErrorCode.INTERNAL,
    );
    expect(capacity.error.issues.map((i) => i.path)).toEqual([['result', 'horizonMs']]);
    const readiness = expectError(
      await handleAgentRequest(monitor, { agent, action: 'deployment_readiness' }),
      AgentErrorCode.INTERNAL,
    );
    expect(readiness.error.issues.map((i) => i.path)).toEqual([['result', 'checkedAt']]);
  });

  it('an SLO status with NaN is ERR_SRE_INTERNAL rather than an invalid response', async () => {
    const { monitor } = await setup();
    const [status] = monitor.sloStatus();
    const broken = { ...status!, budget: { consumed: Number.NaN, remaining: Number.NaN } };
    const response = expectError(
      await handleAgentRequest({ ...monitor, sloStatus: () => [broken] }, { agent, action: 'slo_status' }),
      AgentErrorCode.INTERNAL,
    );
    expect(response.error.issues.map((i) => i.path)).toContainEqual([
      'result',
      'slos',
      0,
      'budget',
      'consumed',
    ]);
  });
});
