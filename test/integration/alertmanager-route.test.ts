// The Alertmanager webhook receiver on real Express 5 and Fastify 5 servers: it authenticates before
// reading anything, validates Alertmanager's JSON, feeds each alert to the responder, and answers 200
// only once the incident store has the change — 5xx otherwise, so Alertmanager retries.
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  createIncidentRecorder,
  createMemoryIncidentStore,
  createMonitor,
  createResponder,
  type IncidentRecorder,
  type IncidentStore,
  type InternalErrorHandler,
  type Responder,
  type Runbook,
} from 'sre-kit';
import { alertmanagerRoute, sreMiddleware } from 'sre-kit/express';
import { sreFastify } from 'sre-kit/fastify';
import { startServer, waitFor } from '../helpers/http-server.js';

const TOKEN = 'alertmanager-secret-0123456789';
const MAX = 4_096;
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

type Target = { responder: Responder } | { monitor: { responder: Responder } };

const servers: Record<
  string,
  (target: Target, onInternalError?: InternalErrorHandler) => Promise<{ url: string; requests: () => number }>
> = {
  express: async (target, onInternalError) => {
    const app = express();
    const sre = sreMiddleware({ ignore: ['/alertmanager'] });
    app.use(sre);
    app.post(
      '/alertmanager',
      alertmanagerRoute(
        { ...target, token: TOKEN, maxBodyBytes: MAX },
        onInternalError ? { onInternalError } : {},
      ),
    );
    const server = await startServer(app);
    closers.push(() => server.close());
    return { url: `${server.url}/alertmanager`, requests: () => sre.signals.stats().requests };
  },
  fastify: async (target, onInternalError) => {
    const app = Fastify();
    await app.register(sreFastify, {
      alertmanager: { ...target, token: [TOKEN, 'the-next-secret-after-rotation'], maxBodyBytes: MAX },
      ...(onInternalError ? { deps: { onInternalError } } : {}),
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    return { url: `${url}/alertmanager`, requests: () => app.sre.signals.stats().requests };
  },
};

interface Setup {
  readonly recorder: IncidentRecorder;
  readonly responder: Responder;
}

function setup(runbooks: Runbook[] = [], store: IncidentStore = createMemoryIncidentStore()): Setup {
  const recorder = createIncidentRecorder({ service: 'checkout', store });
  const responder = createResponder({ recorder, runbooks, escalate: () => undefined, cooldownMs: 0 });
  closers.push(async () => {
    await responder.close();
    await recorder.close();
  });
  return { recorder, responder };
}

function webhook(status: 'firing' | 'resolved', fingerprint = 'a1b2c3'): unknown {
  const alert = {
    status,
    labels: {
      alertname: 'SloErrorBudgetBurn',
      severity: 'page',
      slo: 'checkout-availability',
      job: 'checkout',
    },
    annotations: { summary: 'SLO checkout-availability is burning its error budget too fast (page).' },
    startsAt: '2026-03-01T10:00:00.000Z',
    endsAt: status === 'resolved' ? '2026-03-01T10:05:00.000Z' : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph',
    fingerprint,
  };
  return {
    version: '4',
    groupKey: '{}/{severity="page"}:{alertname="SloErrorBudgetBurn"}',
    truncatedAlerts: 0,
    status,
    receiver: 'sre-kit',
    groupLabels: { alertname: 'SloErrorBudgetBurn' },
    commonLabels: alert.labels,
    commonAnnotations: alert.annotations,
    externalURL: 'http://alertmanager:9093',
    alerts: [alert],
  };
}

interface Answer {
  readonly status: number;
  readonly body: { ok: boolean; error?: { code: string; message: string } } & Record<string, unknown>;
  readonly headers: Headers;
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  expect(text).not.toMatch(/<html|\n\s+at /i);
  return { status: res.status, body: JSON.parse(text) as Answer['body'], headers: res.headers };
}

describe.each(Object.keys(servers))('alertmanagerRoute on %s', (framework) => {
  const serve = servers[framework]!;

  it('opens one incident for a firing alert, deduplicates its repeats, and resolves it when resolved', async () => {
    const { recorder, responder } = setup();
    const { url, requests } = await serve({ responder });
    const first = await post(url, webhook('firing'));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, received: 1, opened: 1, deduplicated: 0 });
    // Alertmanager repeats a firing group (group_interval, repeat_interval): still one incident.
    expect((await post(url, webhook('firing'))).body).toMatchObject({ deduplicated: 1 });
    expect(recorder.list()).toHaveLength(1);
    const incident = recorder.list()[0]!;
    expect(incident).toMatchObject({
      status: 'open',
      severity: 'P2',
      service: 'checkout',
      source: 'alertmanager',
    });
    expect(incident.occurrences).toBe(2);

    const resolved = await post(url, webhook('resolved'));
    expect(resolved.body).toMatchObject({ ok: true, resolved: 1 });
    expect(recorder.get(incident.id)).toMatchObject({ status: 'resolved', resolvedBy: 'alertmanager' });
    // A resolved alert with nothing open changes nothing, and is still a 200 (nothing to retry).
    expect((await post(url, webhook('resolved'))).body).toMatchObject({ ok: true, unchanged: 1 });
    expect(requests()).toBe(0); // the webhook stays out of the traffic numbers
  });

  it('answers 200 once the incident is recorded, while the runbook is still running', async () => {
    let release!: () => void;
    const remediating = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const { recorder, responder } = setup([
      {
        name: 'wait-for-upstream',
        match: () => true,
        remediate: async () => {
          started = true;
          await remediating;
        },
        verify: () => true,
      },
    ]);
    const { url } = await serve({ responder });
    const answer = await post(url, webhook('firing'));
    expect(answer.body).toMatchObject({ ok: true, opened: 1 });
    expect(recorder.list({ status: 'open' })).toHaveLength(1);
    await waitFor(() => started);
    release();
    await waitFor(() => recorder.list({ status: 'resolved' }).length === 1);
    expect(recorder.list()[0]).toMatchObject({ resolvedBy: 'runbook:wait-for-upstream', automated: true });
  });

  it('answers 401 for a missing or wrong secret and records nothing; accepts bearer or basic auth', async () => {
    const { recorder, responder } = setup();
    const { url } = await serve({ responder });
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-secret-but-long-enough' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
      { authorization: `Basic ${Buffer.from(`alertmanager:${TOKEN.slice(1)}`).toString('base64')}` },
      { authorization: `Digest ${TOKEN}` },
    ]) {
      const answer = await post(url, webhook('firing'), headers);
      expect([answer.status, answer.body.error?.code]).toEqual([401, 'ERR_SRE_UNAUTHORIZED']);
      expect(answer.headers.get('www-authenticate')).toContain('Bearer');
    }
    // Not even a malformed body is looked at without the secret.
    expect((await post(url, '{not json', {})).status).toBe(401);
    expect(recorder.list()).toHaveLength(0);

    const basic = `Basic ${Buffer.from(`alertmanager:${TOKEN}`).toString('base64')}`;
    expect((await post(url, webhook('firing'), { authorization: basic })).status).toBe(200);
    expect((await post(url, webhook('firing', 'f2'), { authorization: `bearer ${TOKEN}` })).status).toBe(200);
    expect(recorder.list()).toHaveLength(2);
  });

  it('answers 400 for a body that is not JSON or not a webhook, 413 past the limit, 415 for another type', async () => {
    const { recorder, responder } = setup();
    const { url } = await serve({ responder });
    const cases: [unknown, number][] = [
      ['{"alerts": [', 400],
      [{ alerts: 'none' }, 400],
      [{ version: '3', alerts: [] }, 400],
      [[1, 2], 400],
      [{ ...(webhook('firing') as object), pad: 'x'.repeat(MAX) }, 413],
    ];
    for (const [body, status] of cases) {
      const answer = await post(url, body);
      expect([answer.status, answer.body.error?.code]).toEqual([status, 'ERR_SRE_BAD_REQUEST']);
    }
    const text = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' },
      body: 'alerts',
    });
    expect(text.status).toBe(415);
    expect(recorder.list()).toHaveLength(0);
  });

  it('records the readable alerts of a batch and lists the unreadable ones without failing it', async () => {
    const { recorder, responder } = setup();
    const reported: unknown[] = [];
    const { url } = await serve({ responder }, (error) => reported.push(error));
    const body = webhook('firing') as { alerts: unknown[] };
    body.alerts.push({ status: 'firing', labels: { alertname: 'Broken', count: 3 }, fingerprint: 'bad' });
    const answer = await post(url, body);
    expect(answer.body).toMatchObject({
      ok: true,
      received: 2,
      opened: 1,
      skipped: [{ index: 1, fingerprint: 'bad' }],
    });
    expect(recorder.list()).toHaveLength(1);
    expect(reported).toHaveLength(1);
  });

  it('answers 503 when the incident store cannot write, so Alertmanager retries, and reports why', async () => {
    const failing: IncidentStore = {
      load: () => [],
      append: () => Promise.reject(new Error('disk full')),
      compactionDue: false,
      compact: () => Promise.resolve(),
      close: () => Promise.resolve(),
      [Symbol.asyncDispose]: () => Promise.resolve(),
    };
    const { responder } = setup([], failing);
    const reported: unknown[] = [];
    const { url } = await serve({ responder }, (error) => reported.push(error));
    const answer = await post(url, webhook('firing'));
    expect([answer.status, answer.body.error?.code]).toEqual([503, 'ERR_SRE_NOT_RECORDED']);
    expect(answer.body.error?.message).toContain('0 recorded before it');
    expect(JSON.stringify(answer.body)).not.toContain('disk full');
    expect(reported.map(String)).toContainEqual(expect.stringContaining('disk full'));
  });

  it("feeds a monitor's responder, so the monitor's reports see Prometheus's incidents", async () => {
    const monitor = createMonitor({ service: 'checkout' });
    closers.push(() => monitor.close());
    const { url } = await serve({ monitor });
    expect((await post(url, webhook('firing'))).body).toMatchObject({ opened: 1 });
    const report = await monitor.healthReport();
    expect(report.openIncidents).toHaveLength(1);
  });
});

describe('alertmanagerRoute options', () => {
  it('refuses a missing target, both targets, a short secret and an unknown option, naming the field', () => {
    const { responder } = setup();
    const monitor = { responder };
    expect(() => alertmanagerRoute({ token: TOKEN })).toThrow(/responder/);
    expect(() => alertmanagerRoute({ responder, monitor, token: TOKEN })).toThrow(
      /either responder or monitor/,
    );
    expect(() => alertmanagerRoute({ responder, token: 'short' })).toThrow(ConfigError);
    expect(() => alertmanagerRoute({ responder, token: 'short' })).toThrow(/token/);
    expect(() => alertmanagerRoute({ responder, token: [] })).toThrow(/token/);
    expect(() => alertmanagerRoute({ responder, token: TOKEN, ...{ maxBody: 1 } })).toThrow(/maxBody/);
  });

  it('refuses the same mistakes in the Fastify plugin', async () => {
    const app = Fastify();
    closers.push(() => app.close());
    await expect(app.register(sreFastify, { alertmanager: { token: TOKEN } }).ready()).rejects.toThrow(
      /alertmanager\.responder/,
    );
  });
});
