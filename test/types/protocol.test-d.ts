import { describe, expectTypeOf, it } from 'vitest';
import {
  handleAgentRequest,
  type AgentAction,
  type AgentErrorCodeValue,
  type AgentRequestContext,
  type AgentRequest,
  type AgentRequestInput,
  type AgentResponse,
  type SloStatusReport,
} from 'sre-kit';
import type { z } from 'zod';
import type {
  CapacityForecast,
  MonitorHealthReport,
  PerformanceAnalysis,
} from '../../src/monitor/report-schemas.js';
import type { MonitorQueries } from '../../src/monitor/types.js';
import type { agentRequestSchema } from '../../src/monitor/protocol/request-schemas.js';

describe('agent protocol types', () => {
  it('handleAgentRequest takes the monitor queries, anything and a context, and resolves to an AgentResponse', () => {
    expectTypeOf(handleAgentRequest).parameters.toEqualTypeOf<
      [MonitorQueries, unknown, (AgentRequestContext | undefined)?]
    >();
    expectTypeOf(handleAgentRequest).returns.toEqualTypeOf<Promise<AgentResponse>>();
  });

  it("DESIGN.md's requests type-check as AgentRequestInput", () => {
    const health = {
      agent: 'sre-reliability',
      action: 'health_check',
      scope: 'full_system',
      include_predictions: true,
    } satisfies AgentRequestInput;
    const performance = {
      agent: 'sre-reliability',
      action: 'analyze_performance',
      timeframe: 'last_24_hours',
      focus_areas: ['api_latency', 'database_queries'],
    } satisfies AgentRequestInput;
    expectTypeOf(health.action).toEqualTypeOf<'health_check'>();
    expectTypeOf(performance.timeframe).toEqualTypeOf<'last_24_hours'>();
    const unknownTimeframe = {
      agent: 'sre-reliability',
      action: 'analyze_performance',
      // @ts-expect-error an unknown timeframe
      timeframe: 'last_year',
    } satisfies AgentRequestInput;
    expectTypeOf(unknownTimeframe.agent).toEqualTypeOf<'sre-reliability'>();
    expectTypeOf<AgentRequest>().toEqualTypeOf<z.output<typeof agentRequestSchema>>();
    expectTypeOf<AgentRequest['action']>().toEqualTypeOf<AgentAction>();
  });

  it('narrowing on ok and action gives the result type of that action', () => {
    const response = {} as AgentResponse;
    if (response.ok) {
      if (response.action === 'health_check')
        expectTypeOf(response.result).toEqualTypeOf<MonitorHealthReport>();
      if (response.action === 'analyze_performance')
        expectTypeOf(response.result).toEqualTypeOf<PerformanceAnalysis>();
      if (response.action === 'capacity_plan')
        expectTypeOf(response.result).toEqualTypeOf<CapacityForecast>();
      if (response.action === 'slo_status')
        expectTypeOf(response.result.slos).toEqualTypeOf<SloStatusReport[]>();
    } else {
      expectTypeOf(response.error.code).toEqualTypeOf<AgentErrorCodeValue>();
      expectTypeOf(response.action).toEqualTypeOf<AgentAction | undefined>();
    }
  });
});
