import { afterEach, describe, expect, it } from 'vitest';
import {
  agentChangeCorrelationResponseSchema,
  agentDoraReportResponseSchema,
  agentErrorResponseSchema,
  agentRecordChangeResponseSchema,
  handleAgentRequest,
  type AgentResponse,
} from 'sre-kit';
import { createMonitorDouble } from '../../helpers/protocol-monitor-double.js';

// The change actions of the agent protocol against the double (a real change log, recorder and judge):
// request validation, the answers' shapes, and a hand-built monitor without change queries.

const agent = 'sre-reliability';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

async function setup(...args: Parameters<typeof createMonitorDouble>) {
  const double = await createMonitorDouble(...args);
  cleanup.push(double.close);
  return double;
}

function errorOf(response: AgentResponse) {
  const parsed = agentErrorResponseSchema.parse(JSON.parse(JSON.stringify(response)));
  return parsed.error;
}

describe('agent protocol: change actions', () => {
  it('record_change takes snake_case, epoch ms or ISO times, and says recorded, updated or duplicate', async () => {
    const { monitor } = await setup();
    const change = { id: 'deploy-2', kind: 'deploy', version: 'v1.0.2', started_at: '2026-03-02T00:30:00Z' };
    const started = agentRecordChangeResponseSchema.parse(
      await handleAgentRequest(monitor, { agent, action: 'record_change', change }),
    );
    expect(started.result).toMatchObject({
      action: 'recorded',
      change: {
        id: 'deploy-2',
        status: 'in_progress',
        finishedAt: null,
        startedAt: '2026-03-02T00:30:00.000Z',
      },
    });
    const finished = agentRecordChangeResponseSchema.parse(
      await handleAgentRequest(monitor, {
        agent,
        action: 'record_change',
        change: { ...change, finished_at: Date.parse('2026-03-02T00:35:00Z'), status: 'succeeded' },
      }),
    );
    expect(finished.result).toMatchObject({
      action: 'updated',
      change: { status: 'succeeded', finishedAt: '2026-03-02T00:35:00.000Z' },
    });
  });

  it.each([
    [{ change: { id: 'd', kind: 'release', started_at: 0 } }, 'change.kind'],
    [{ change: { id: 'd', kind: 'deploy' } }, 'change.started_at'],
    [{ change: { id: 'd', kind: 'deploy', started_at: 'yesterday' } }, 'change.started_at'],
    [{ change: { id: 'd', kind: 'deploy', started_at: 0, startedAt: 0 } }, 'change'],
  ])('record_change rejects %j naming %s', async (fields, path) => {
    const { monitor } = await setup();
    const error = errorOf(await handleAgentRequest(monitor, { agent, action: 'record_change', ...fields }));
    expect(error.code).toBe('ERR_SRE_BAD_REQUEST');
    expect(error.message).toContain(path);
  });

  it('record_change: the same id as another kind is a bad request, not a failure', async () => {
    const { monitor } = await setup();
    const error = errorOf(
      await handleAgentRequest(monitor, {
        agent,
        action: 'record_change',
        change: { id: 'deploy-1', kind: 'flag', started_at: 0 },
      }),
    );
    expect(error).toMatchObject({ code: 'ERR_SRE_BAD_REQUEST' });
    expect(error.message).toMatch(/deploy-1/);
  });

  it('change_correlation: the incident opened 5 minutes after deploy-1 names it', async () => {
    const { monitor } = await setup();
    const response = agentChangeCorrelationResponseSchema.parse(
      await handleAgentRequest(monitor, { agent, action: 'change_correlation', incident_id: 'INC-2026-001' }),
    );
    expect(response.result.incidentId).toBe('INC-2026-001');
    expect(response.result.changes[0]).toMatchObject({
      change: { id: 'deploy-1', version: 'v1.0.1' },
      factors: { service: 1, kind: 1 },
      reasons: ['opened 5 min after deploy-1 finished', 'same service (checkout)', 'a deploy of v1.0.1'],
    });
  });

  it('dora_report: a calendar period by default, or since and until, never both', async () => {
    const { monitor } = await setup();
    const month = agentDoraReportResponseSchema.parse(
      await handleAgentRequest(monitor, { agent, action: 'dora_report' }),
    );
    expect(month.result.period).toMatchObject({ from: '2026-03-01T00:00:00.000Z', days: 31 });
    // deploy-1 was followed by all three incidents (the first resolved): failed once, not yet recovered.
    expect(month.result.changeFailRate).toEqual({ failed: 1, deployments: 1, ratio: 1 });
    expect(month.result.failedDeploymentRecoveryTime).toMatchObject({
      failed: 1,
      recovered: 0,
      unrecovered: 1,
    });
    expect(month.result.failures[0]?.signals).toEqual([
      'incident INC-2026-001 opened 5 min after it',
      'incident INC-2026-002 opened 20 min after it',
      'incident INC-2026-003 opened 21 min after it',
    ]);
    const range = agentDoraReportResponseSchema.parse(
      await handleAgentRequest(monitor, {
        agent,
        action: 'dora_report',
        since: '2026-03-01T00:00:00Z',
        until: Date.parse('2026-03-03T00:00:00Z'),
      }),
    );
    expect(range.result.period.days).toBe(2);
    for (const fields of [{ since: 0 }, { since: 0, until: 1, period: 'day' }])
      expect(
        errorOf(await handleAgentRequest(monitor, { agent, action: 'dora_report', ...fields })).code,
      ).toBe('ERR_SRE_BAD_REQUEST');
    const backwards = errorOf(
      await handleAgentRequest(monitor, { agent, action: 'dora_report', since: 10, until: 5 }),
    );
    expect(backwards).toMatchObject({ code: 'ERR_SRE_BAD_REQUEST' });
  });

  it('a hand-built MonitorQueries without the change queries answers ERR_SRE_NOT_CONFIGURED', async () => {
    const { monitor } = await setup();
    const { recordChange, changeCorrelation, doraReport, judgeCanary, ...bare } = monitor;
    expect([recordChange, changeCorrelation, doraReport, judgeCanary].every((f) => f !== undefined)).toBe(
      true,
    );
    for (const request of [
      { action: 'record_change', change: { id: 'd', kind: 'deploy', started_at: 0 } },
      { action: 'change_correlation', incident_id: 'INC-2026-001' },
      { action: 'dora_report' },
      { action: 'judge_canary', baseline: { requests: 1 }, canary: { requests: 1 } },
    ]) {
      const error = errorOf(await handleAgentRequest(bare, { agent, ...request }));
      expect(error.code).toBe('ERR_SRE_NOT_CONFIGURED');
      expect(error.message).toContain(request.action);
    }
  });
});
