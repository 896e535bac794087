import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_ACTIONS,
  AgentErrorCode,
  agentErrorResponseSchema,
  agentResponseSchema,
  agentSuccessResponseSchema,
  handleAgentRequest,
  type AgentResponse,
} from 'sre-kit';
import { createMonitorDouble } from '../helpers/protocol-monitor-double.js';
import type { MonitorQueries } from '../../src/monitor/types.js';

// Whatever arrives, handleAgentRequest resolves (never rejects) to a response that agentResponseSchema
// accepts after a JSON round trip, unchanged by it.

let monitor: MonitorQueries;
let close: () => Promise<void>;

beforeAll(async () => {
  const double = await createMonitorDouble();
  monitor = double.monitor;
  close = double.close;
});
afterAll(async () => {
  await close();
});

const CODES: readonly string[] = Object.values(AgentErrorCode);

async function answerOf(monitorQueries: MonitorQueries, request: unknown): Promise<AgentResponse> {
  let rejected: unknown = undefined;
  const response = await handleAgentRequest(monitorQueries, request).catch((error: unknown) => {
    rejected = error;
    return undefined;
  });
  expect(rejected).toBeUndefined();
  const wire: unknown = JSON.parse(JSON.stringify(response));
  expect(wire).toStrictEqual(response);
  const parsed = agentResponseSchema.parse(wire);
  if (parsed.ok) agentSuccessResponseSchema.parse(wire);
  else {
    agentErrorResponseSchema.parse(wire);
    expect(CODES).toContain(parsed.error.code);
  }
  return response!;
}

// Values a field might plausibly be given: right and wrong types, edge numbers, long strings.
const fieldValue = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ minLength: 120, maxLength: 140 }),
  fc.integer({ min: -5, max: 150 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('full_system', 'api', 'queue', 'last_hour', 'last_7_days', 'INC-2026-001', 'INC-2026-999'),
  fc.array(fc.constantFrom('api', 'cache', 'database', 'queue', 'x'), { maxLength: 25 }),
  fc.jsonValue({ maxDepth: 2 }),
);

// Mostly a valid value, sometimes anything.
const near = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: fieldValue, weight: 1 });

const fieldsOf = {
  health_check: {
    scope: near(
      fc.oneof(
        fc.constant('full_system'),
        fc.constantFrom('api', 'cache', 'database'),
        fc.uniqueArray(fc.constantFrom('api', 'cache', 'database'), { minLength: 1, maxLength: 3 }),
      ),
    ),
    include_predictions: near(fc.boolean()),
  },
  analyze_performance: {
    timeframe: near(fc.constantFrom('last_hour', 'last_24_hours', 'last_7_days')),
    focus_areas: near(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 5 })),
  },
  slo_status: { slo: near(fc.constantFrom('api-availability', 'api-latency')) },
  incident_report: {
    id: near(fc.constantFrom('INC-2026-001', 'INC-2026-002', 'INC-2026-003')),
    recent: near(fc.integer({ min: 1, max: 100 })),
  },
  capacity_plan: {
    horizon_days: near(fc.double({ min: 0.01, max: 365, noNaN: true })),
    horizon_ms: near(fc.integer({ min: 1, max: 1e9 })),
  },
  deployment_readiness: {},
  record_change: {
    change: near(
      fc.record(
        {
          id: fc.constantFrom('deploy-1', 'deploy-2', 'flag-7'),
          kind: fc.constantFrom('deploy', 'config', 'flag', 'infra', 'rollback'),
          version: fc.constantFrom('v1.0.1', 'v1.0.2'),
          started_at: fc.constantFrom('2026-03-01T23:00:00Z', 1_772_409_600_000),
          finished_at: fc.constantFrom('2026-03-01T23:05:00Z', 1_772_409_900_000),
          status: fc.constantFrom('in_progress', 'succeeded', 'failed'),
        },
        { requiredKeys: ['id', 'kind', 'started_at'] },
      ),
    ),
  },
  change_correlation: { incident_id: near(fc.constantFrom('INC-2026-001', 'INC-2026-002', 'INC-2026-404')) },
  dora_report: {
    period: near(fc.constantFrom('day', 'week', 'month')),
    at: near(fc.constantFrom('2026-03-02T00:00:00Z', 1_772_409_600_000)),
  },
  judge_canary: {
    baseline: near(
      fc.record({ requests: fc.integer({ min: 0, max: 5_000 }), errors: fc.integer({ min: 0, max: 50 }) }),
    ),
    canary: near(
      fc.record({ requests: fc.integer({ min: 0, max: 5_000 }), errors: fc.integer({ min: 0, max: 50 }) }),
    ),
  },
} satisfies Record<(typeof AGENT_ACTIONS)[number], Record<string, fc.Arbitrary<unknown>>>;

// Rarely present: an unknown field, or an own `__proto__` key.
const rarely = fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: fieldValue, weight: 1 });

// One action's fields with near-valid values, any of them absent.
const nearValidRequest = fc.oneof(
  ...AGENT_ACTIONS.map((action) =>
    fc.record(
      {
        agent: near(fc.constant('sre-reliability')),
        action: near(fc.constant(action)),
        request_id: near(fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.integer())),
        ...fieldsOf[action],
      },
      { requiredKeys: ['agent', 'action'] },
    ),
  ),
  { arbitrary: fc.record({ agent: fieldValue, action: fieldValue }), weight: 1 },
);

describe('handleAgentRequest (property)', () => {
  it('answers any JSON value with a valid, JSON round-trippable response', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (request) => {
        await answerOf(monitor, request);
      }),
      { numRuns: 300 },
    );
  });

  it('answers any value at all (functions, symbols, cycles aside) without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.anything({ withMap: true, withSet: true, withNullPrototype: true }),
        async (request) => {
          await answerOf(monitor, request);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers near-valid requests, bare or wrapped, with a success for its action or a coded error', async () => {
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(
        nearValidRequest,
        fc.boolean(),
        rarely,
        rarely,
        async (fields, wrap, proto, unexpected) => {
          const inner: Record<string, unknown> = { ...(fields as Record<string, unknown>) };
          // An own `__proto__` key, as JSON.parse produces from a hostile payload.
          if (unexpected !== null) inner['unexpected'] = unexpected;
          if (proto !== null)
            Object.defineProperty(inner, '__proto__', { value: proto, enumerable: true, writable: true });
          const response = await answerOf(monitor, wrap ? { request: inner } : inner);
          if (response.ok) {
            expect(proto).toBeNull();
            expect(unexpected).toBeNull();
            expect(response.action).toBe(fields['action']);
            successes++;
          }
        },
      ),
      { numRuns: 1000 },
    );
    // The generator reaches the answering paths, not only the validation errors.
    expect(successes).toBeGreaterThan(100);
  });

  // The fields an action cannot go without, so the request reaches the monitor.
  const requiredFields: Partial<Record<(typeof AGENT_ACTIONS)[number], Record<string, unknown>>> = {
    record_change: { change: { id: 'deploy-9', kind: 'deploy', started_at: '2026-03-01T23:00:00Z' } },
    change_correlation: { incident_id: 'INC-2026-001' },
    judge_canary: { baseline: { requests: 1 }, canary: { requests: 1 } },
  };

  it('answers valid requests whatever the monitor returns or throws', async () => {
    const outcome = fc.oneof(
      fc.anything(),
      fc.constant(Number.POSITIVE_INFINITY),
      fc.record({ ready: fc.boolean(), reasons: fc.array(fc.string()), checkedAt: fc.constant(new Date(0)) }),
      fc.constant({ throws: new Error('boom') }),
      fc.constant({ throws: 'not an error' }),
    );
    const run = (value: unknown) => {
      if (typeof value === 'object' && value !== null && 'throws' in value) throw value.throws;
      return value;
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...AGENT_ACTIONS), outcome, async (action, value) => {
        const broken: MonitorQueries = {
          ...monitor,
          sloStatus: () => run(value) as never,
          healthReport: () => Promise.resolve().then(() => run(value) as never),
          performanceAnalysis: () => run(value) as never,
          capacityForecast: () => run(value) as never,
          deploymentReadiness: () => Promise.resolve().then(() => run(value) as never),
          incidentReport: () => run(value) as never,
          recordChange: () => run(value) as never,
          changeCorrelation: () => run(value) as never,
          doraReport: () => run(value) as never,
          judgeCanary: () => run(value) as never,
        };
        await answerOf(broken, { agent: 'sre-reliability', action, ...requiredFields[action] });
      }),
      { numRuns: 300 },
    );
  });
});
