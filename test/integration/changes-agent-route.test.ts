// The orchestrator and other agents talk to the change actions over the shipped agent route, on real
// Express 5 and Fastify 5 servers: a deploy is recorded (a retried webhook counts once), the incident
// that follows names it, the DORA report counts it, a canary is judged from two encoded histograms,
// a monitor without a change log answers 501 ERR_SRE_NOT_CONFIGURED, and a route not allowed to act
// refuses record_change (403) while still answering the change actions that only read.
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AgentPermission,
  agentChangeCorrelationResponseSchema,
  agentDoraReportResponseSchema,
  agentIncidentReportResponseSchema,
  agentJudgeCanaryResponseSchema,
  agentRecordChangeResponseSchema,
  createChangeLog,
  createLatencyTracker,
  createMonitor,
  type Monitor,
} from 'sre-kit';
import { agentRoute } from 'sre-kit/express';
import { sreFastify } from 'sre-kit/fastify';
import { startServer } from '../helpers/http-server.js';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

// The orchestrator's route may act (record_change changes state); a route left at its default only reads.
const orchestrator: readonly AgentPermission[] = ['read', 'act'];

const servers: Record<string, (monitor: Monitor, allow?: readonly AgentPermission[]) => Promise<string>> = {
  express: async (monitor, allow) => {
    const app = express();
    app.post('/agent', agentRoute(monitor, allow === undefined ? {} : { allow }));
    const server = await startServer(app);
    closers.push(() => server.close());
    return `${server.url}/agent`;
  },
  fastify: async (monitor, allow) => {
    const app = Fastify();
    await app.register(sreFastify, { agent: { monitor, ...(allow === undefined ? {} : { allow }) } });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    return `${url}/agent`;
  },
};

async function ask(url: string, request: object): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agent: 'sre-reliability', ...request }),
  });
  return { status: res.status, body: await res.json() };
}

function monitorWithChanges(): Monitor {
  const changes = createChangeLog({ service: 'checkout' });
  const monitor = createMonitor({ service: 'checkout', changes });
  closers.push(() => monitor.close());
  return monitor;
}

describe.each(Object.keys(servers))('change actions over the agent route on %s', (framework) => {
  it('records a deploy once, names it on the incident that follows, and counts it in DORA', async () => {
    const monitor = monitorWithChanges();
    const url = await servers[framework]!(monitor, orchestrator);
    const deployedAt = Date.now() - 5 * 60_000;
    const deploy = {
      action: 'record_change',
      change: {
        id: 'deploy-812',
        kind: 'deploy',
        version: 'v2.3.1',
        commits: [{ sha: 'a1b2c3d', committed_at: new Date(deployedAt - 3_600_000).toISOString() }],
        started_at: new Date(deployedAt - 60_000).toISOString(),
        finished_at: new Date(deployedAt).toISOString(),
        status: 'succeeded',
      },
    };
    const first = await ask(url, deploy);
    expect(first.status).toBe(200);
    expect(agentRecordChangeResponseSchema.parse(first.body).result).toMatchObject({
      action: 'recorded',
      change: { id: 'deploy-812', service: 'checkout', version: 'v2.3.1' },
      changeFreeze: [],
    });
    // The orchestrator's webhook retried: nothing new, nothing counted twice.
    const retried = agentRecordChangeResponseSchema.parse((await ask(url, deploy)).body);
    expect(retried.result.action).toBe('duplicate');

    const incident = await monitor.incidents.open({ title: 'Checkout 5xx', severity: 'P2' });
    const correlation = agentChangeCorrelationResponseSchema.parse(
      (await ask(url, { action: 'change_correlation', incident_id: incident.id })).body,
    );
    expect(correlation.result.changes[0]?.change.id).toBe('deploy-812');
    expect(correlation.result.changes[0]?.reasons).toContain('opened 5 min after deploy-812 finished');
    const report = agentIncidentReportResponseSchema.parse(
      (await ask(url, { action: 'incident_report', id: incident.id })).body,
    );
    expect(report.result.incidents[0]?.related_changes?.[0]).toMatchObject({
      change_id: 'deploy-812',
      version: 'v2.3.1',
    });

    const dora = agentDoraReportResponseSchema.parse(
      (
        await ask(url, {
          action: 'dora_report',
          since: new Date(deployedAt - 86_400_000).toISOString(),
          until: new Date(Date.now() + 60_000).toISOString(),
        })
      ).body,
    );
    // The open P2 opened 5 minutes after the deploy, linked by correlation: one failed deployment of one.
    expect(dora.result.changeFailRate).toEqual({ failed: 1, deployments: 1, ratio: 1 });
    expect(dora.result.failedDeploymentRecoveryTime).toMatchObject({ failed: 1, unrecovered: 1 });
    expect(dora.result.leadTimeForChanges).toEqual({ commits: 1, medianMs: 3_600_000, p90Ms: 3_600_000 });

    const missing = await ask(url, { action: 'change_correlation', incident_id: 'INC-2026-999' });
    expect(missing).toMatchObject({ status: 404, body: { ok: false, error: { code: 'ERR_SRE_NOT_FOUND' } } });
  });

  it('judges a canary from two encoded latency histograms, saying why', async () => {
    const monitor = monitorWithChanges();
    const url = await servers[framework]!(monitor);
    const latency = createLatencyTracker({ window: false });
    closers.push(() => latency.close());
    for (let i = 0; i < 2_000; i++) {
      latency.record(20 + (i % 20), 'stable');
      latency.record(30 + (i % 20), 'canary'); // +50 % at the median
    }
    const answer = await ask(url, {
      action: 'judge_canary',
      baseline: { requests: 20_000, errors: 20, latency: latency.encode('stable') },
      canary: { requests: 2_000, errors: 2, latency: latency.encode('canary') },
    });
    expect(answer.status).toBe(200);
    const verdict = agentJudgeCanaryResponseSchema.parse(answer.body).result;
    expect(verdict.verdict).toBe('fail');
    const byName = Object.fromEntries(verdict.metrics.map((m) => [m.name, m]));
    expect(byName['errors']?.verdict).toBe('pass');
    expect(byName['latency']).toMatchObject({ verdict: 'fail' });
    expect(byName['latency']?.why).toMatch(/^latency: /);

    const undecodable = await ask(url, {
      action: 'judge_canary',
      baseline: { requests: 1_000, latency: 'not base64 hdr' },
      canary: { requests: 1_000, latency: latency.encode('canary') },
    });
    expect(undecodable).toMatchObject({ status: 422, body: { error: { code: 'ERR_SRE_BAD_REQUEST' } } });
  });

  it('answers 501 ERR_SRE_NOT_CONFIGURED to record_change when the monitor has no change log', async () => {
    const monitor = createMonitor({ service: 'checkout' });
    closers.push(() => monitor.close());
    const url = await servers[framework]!(monitor, orchestrator);
    const answer = await ask(url, {
      action: 'record_change',
      change: { id: 'deploy-1', kind: 'deploy', started_at: new Date().toISOString() },
    });
    expect(answer).toMatchObject({
      status: 501,
      body: { ok: false, action: 'record_change', error: { code: 'ERR_SRE_NOT_CONFIGURED' } },
    });
    // The canary judge needs no change log: the default judge answers, and never passes an idle arm.
    const latency = createLatencyTracker({ window: false });
    closers.push(() => latency.close());
    for (let i = 0; i < 1_000; i++) latency.record(20 + (i % 20), 'stable');
    const judged = await ask(url, {
      action: 'judge_canary',
      baseline: { requests: 1_000, errors: 1, latency: latency.encode('stable') },
      canary: { requests: 0, errors: 0, latency: latency.encode('canary') },
    });
    const verdict = agentJudgeCanaryResponseSchema.parse(judged.body).result;
    expect(verdict.verdict).toBe('inconclusive');
    expect(verdict.why).toMatch(/canary/);
  });

  it('a route left to read refuses record_change with 403 and records nothing; the reads still answer', async () => {
    const monitor = monitorWithChanges();
    const url = await servers[framework]!(monitor);
    const refused = await ask(url, {
      action: 'record_change',
      change: { id: 'deploy-1', kind: 'deploy', started_at: new Date().toISOString() },
    });
    expect(refused).toMatchObject({
      status: 403,
      body: { ok: false, action: 'record_change', error: { code: 'ERR_SRE_FORBIDDEN' } },
    });
    expect(monitor.changes?.list()).toEqual([]);
    const dora = await ask(url, { action: 'dora_report', period: 'day' });
    expect(dora.status).toBe(200);
    expect(agentDoraReportResponseSchema.parse(dora.body).result.deploymentFrequency.deployments).toBe(0);
    const latency = createLatencyTracker({ window: false });
    closers.push(() => latency.close());
    for (let i = 0; i < 1_000; i++) latency.record(20 + (i % 20), 'stable');
    const judged = await ask(url, {
      action: 'judge_canary',
      baseline: { requests: 1_000, errors: 1, latency: latency.encode('stable') },
      canary: { requests: 1_000, errors: 1, latency: latency.encode('stable') },
    });
    expect(judged.status).toBe(200);
    expect(agentJudgeCanaryResponseSchema.parse(judged.body).result.verdict).not.toBe('fail');
  });
});
