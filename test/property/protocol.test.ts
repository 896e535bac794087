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
import { nearValidRequest, rarely } from '../helpers/protocol-arbitraries.js';
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
