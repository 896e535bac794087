import { describe, expect, it, vi } from 'vitest';
import {
  createRetryPolicy,
  DeliveryError,
  ErrorCode,
  alertmanagerWebhookSchema,
  fromAlertmanagerWebhook,
  isSreError,
  pagerDutyEventSchema,
  pagerDutyNotifier,
  slackNotifier,
  webhookNotifier,
  type FetchLike,
  type Notification,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';
import { parseRetryAfter } from '../../../src/incidents/http-delivery.js';

const KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';

type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'hang' | 'network';

function fakeFetch(replies: Reply[]) {
  const calls: { url: string; body: any; headers: Record<string, string> }[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, body: JSON.parse(init.body), headers: init.headers });
    const reply = replies.shift() ?? { status: 202 };
    if (reply === 'network') return Promise.reject(new TypeError('fetch failed'));
    if (reply === 'hang') {
      return new Promise((_, reject) =>
        init.signal.addEventListener('abort', () => reject(init.signal.reason as Error)),
      );
    }
    const headers = new Map(Object.entries(reply.headers ?? {}));
    return Promise.resolve({
      status: reply.status,
      ok: reply.status >= 200 && reply.status < 300,
      headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
      text: () => Promise.resolve(reply.body ?? ''),
    });
  };
  return { fetch, calls };
}

const notification = (status: 'firing' | 'resolved' = 'firing'): Notification => ({
  receiver: 'page',
  groupKey: 'page:{alertname="HighErrorRate"}',
  status,
  groupLabels: { alertname: 'HighErrorRate' },
  commonLabels: { alertname: 'HighErrorRate', severity: 'critical', service: 'api' },
  alerts: [
    {
      name: 'HighErrorRate',
      severity: 'critical',
      service: 'api',
      summary: '5xx at 12%',
      description: 'error ratio over SLO',
      labels: { instance: 'web-1' },
      status,
      dedupKey: 'HighErrorRate/api/1',
      startsAt: Date.parse('2026-01-01T00:00:00Z'),
      ...(status === 'resolved' ? { endsAt: Date.parse('2026-01-01T00:10:00Z') } : {}),
    },
  ],
});

describe('HTTP delivery through a resilience policy', () => {
  it("accepts sre-kit's own retry policy as the executor, retrying a 503 on the policy's schedule", async () => {
    const clock = createFakeClock();
    const { fetch, calls } = fakeFetch([{ status: 503 }, { status: 202 }]);
    const executor = createRetryPolicy(
      { retries: 1, minDelayMs: 50, jitter: 'none', perAttemptTimeoutMs: 1_000 },
      { clock },
    );
    const hook = webhookNotifier({ url: 'https://hooks.example.com/x', executor }, { clock, fetch });
    const sent = hook.notify(notification());
    await clock.advanceAsync(49);
    expect(calls).toHaveLength(1);
    await clock.advanceAsync(1);
    await sent;
    expect(calls).toHaveLength(2);
  });
});

describe('HTTP delivery (built-in executor)', () => {
  it('retries 5xx and network errors with backoff on the injected clock, then succeeds', async () => {
    const clock = createFakeClock();
    const { fetch, calls } = fakeFetch([{ status: 500 }, 'network', { status: 202 }]);
    const pd = pagerDutyNotifier(
      { routingKey: KEY, retry: { minDelayMs: 100, maxDelayMs: 1_000 } },
      { clock, fetch, random: () => 1 },
    );
    const sent = pd.notify(notification());
    await clock.advanceAsync(0);
    expect(calls).toHaveLength(1);
    await clock.advanceAsync(100); // attempt 0 backoff: random × min(1000, 100 × 2^0)
    expect(calls).toHaveLength(2);
    await clock.advanceAsync(200); // attempt 1: 100 × 2^1
    await sent;
    expect(calls).toHaveLength(3);
    expect(clock.pendingCount).toBe(0);
  });

  it('honours Retry-After on 429 as a floor on the delay', async () => {
    const clock = createFakeClock();
    const { fetch, calls } = fakeFetch([{ status: 429, headers: { 'retry-after': '3' } }, { status: 202 }]);
    const pd = pagerDutyNotifier({ routingKey: KEY }, { clock, fetch, random: () => 0 });
    const sent = pd.resolve('k');
    await clock.advanceAsync(2_999);
    expect(calls).toHaveLength(1);
    await clock.advanceAsync(1);
    await sent;
    expect(calls).toHaveLength(2);
  });

  it('does not retry a 400, and gives up after the retries with the last error', async () => {
    const clock = createFakeClock();
    const bad = fakeFetch([{ status: 400, body: '{"status":"invalid event"}' }]);
    const pd = pagerDutyNotifier({ routingKey: KEY }, { clock, fetch: bad.fetch });
    const error = await pd.acknowledge('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ status: 400, retryable: false, code: ErrorCode.DELIVERY_FAILED });
    expect(bad.calls).toHaveLength(1);

    const down = fakeFetch([{ status: 503 }, { status: 503 }, { status: 503 }]);
    const hook = webhookNotifier(
      { url: 'https://hooks.example.com/x?token=secret', retry: { retries: 2, minDelayMs: 10 } },
      { clock, fetch: down.fetch },
    );
    const failed = hook.notify(notification()).catch((e: unknown) => e);
    await clock.advanceAsync(1_000);
    const last = await failed;
    expect(last).toMatchObject({ status: 503 });
    expect(String((last as Error).message)).not.toContain('secret');
    expect(down.calls).toHaveLength(3);
  });

  it('times out a hung attempt and retries it', async () => {
    const clock = createFakeClock();
    const { fetch, calls } = fakeFetch(['hang', { status: 200, body: 'ok' }]);
    const slack = slackNotifier(
      { webhookUrl: 'https://hooks.slack.com/services/T/B/X', retry: { timeoutMs: 5_000, minDelayMs: 0 } },
      { clock, fetch },
    );
    const sent = slack.notify(notification());
    await clock.advanceAsync(5_000);
    await sent;
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body.text).toContain('[FIRING:1]');
  });

  it('gives up rather than sleep past maxElapsedMs, and stops when aborted', async () => {
    const clock = createFakeClock();
    const { fetch, calls } = fakeFetch([{ status: 429, headers: { 'retry-after': '120' } }]);
    const pd = pagerDutyNotifier({ routingKey: KEY, retry: { maxElapsedMs: 60_000 } }, { clock, fetch });
    await expect(pd.resolve('k')).rejects.toMatchObject({ status: 429, retryAfterMs: 120_000 });
    expect(calls).toHaveLength(1);

    const hung = fakeFetch(['hang']);
    const pd2 = pagerDutyNotifier({ routingKey: KEY }, { clock, fetch: hung.fetch });
    const controller = new AbortController();
    const sent = pd2.resolve('k', { signal: controller.signal }).catch((e: unknown) => e);
    await clock.advanceAsync(0);
    controller.abort(new Error('shutting down'));
    expect(String(await sent)).toContain('shutting down');
    expect(clock.pendingCount).toBe(0);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7', 0)).toBe(7_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});

describe('pagerDutyNotifier payloads', () => {
  it('sends schema-valid trigger and resolve events with dedup_key, severity, source, summary, custom_details', async () => {
    const clock = createFakeClock();
    const { fetch, calls } = fakeFetch([]);
    const pd = pagerDutyNotifier({ routingKey: KEY, url: 'http://127.0.0.1:9/v2/enqueue' }, { clock, fetch });
    await pd.notify(notification('firing'));
    await pd.notify(notification('resolved'));
    for (const call of calls) expect(pagerDutyEventSchema.safeParse(call.body).success).toBe(true);
    expect(calls[0]!.body).toEqual({
      routing_key: KEY,
      event_action: 'trigger',
      dedup_key: 'HighErrorRate/api/1',
      client: 'sre-kit',
      payload: {
        summary: '5xx at 12%',
        source: 'web-1',
        severity: 'critical',
        component: 'api',
        class: 'HighErrorRate',
        timestamp: '2026-01-01T00:00:00.000Z',
        custom_details: { description: 'error ratio over SLO', labels: { instance: 'web-1' } },
      },
    });
    expect(calls[1]!.body).toEqual({
      routing_key: KEY,
      event_action: 'resolve',
      dedup_key: 'HighErrorRate/api/1',
    });
  });

  it('escalate pages for an incident with its severity mapped and the diagnosis attached', async () => {
    const { fetch, calls } = fakeFetch([]);
    const pd = pagerDutyNotifier({ routingKey: KEY }, { fetch });
    const { escalate } = pd;
    await escalate(
      {
        id: 'INC-2026-007',
        title: 'Checkout failing',
        severity: 'P1',
        status: 'open',
        service: 'checkout',
        impact: 'all payments failing',
        labels: {},
        openedAt: 0,
        lessonsLearned: [],
        actionItems: [],
        occurrences: 1,
        lastOccurredAt: 0,
        reopenCount: 0,
        timeline: [],
        timelineDropped: 0,
      },
      { summary: 'no runbook' },
    );
    const body = calls[0]!.body;
    expect(pagerDutyEventSchema.parse(body)).toBeTruthy();
    expect(body).toMatchObject({
      dedup_key: 'INC-2026-007',
      payload: {
        summary: '[P1] Checkout failing',
        severity: 'critical',
        source: 'checkout',
        custom_details: { impact: 'all payments failing', diagnosis: 'no runbook' },
      },
    });
  });

  it('the schema rejects what PagerDuty would', () => {
    expect(pagerDutyEventSchema.safeParse({ routing_key: KEY, event_action: 'trigger' }).success).toBe(false);
    expect(pagerDutyEventSchema.safeParse({ routing_key: KEY, event_action: 'resolve' }).success).toBe(false);
    expect(
      pagerDutyEventSchema.safeParse({ routing_key: 'short', event_action: 'resolve', dedup_key: 'k' })
        .success,
    ).toBe(false);
  });

  it('validates options', () => {
    expect(() => pagerDutyNotifier({ routingKey: 'short' })).toThrow(/routingKey/);
    expect(() => webhookNotifier({ url: 'not a url' })).toThrow(/url/);
    expect(() => slackNotifier({ webhookUrl: 'https://x', retry: { retries: -1 } })).toThrow(
      /retry\.retries/,
    );
  });
});

describe('Alertmanager webhook format', () => {
  const body = {
    version: '4',
    groupKey: '{}:{alertname="HighLatency"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'sre-kit',
    groupLabels: { alertname: 'HighLatency' },
    commonLabels: { alertname: 'HighLatency', job: 'checkout' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'HighLatency', severity: 'page', job: 'checkout', instance: 'c-1' },
        annotations: { summary: 'p99 over 1s', description: 'p99 1.4s for 10m' },
        startsAt: '2026-01-01T00:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus/graph',
        fingerprint: 'c0ffee',
      },
      {
        status: 'resolved',
        labels: { alertname: 'HighLatency', severity: 'minor', service: 'search' },
        annotations: {},
        startsAt: '2026-01-01T00:00:00Z',
        endsAt: '2026-01-01T00:05:00Z',
        fingerprint: '',
      },
    ],
  };

  it('fromAlertmanagerWebhook maps labels, annotations, fingerprint and times', () => {
    const { alerts, skipped } = fromAlertmanagerWebhook(body);
    expect(skipped).toEqual([]);
    const [a, b] = alerts;
    expect(a).toEqual({
      name: 'HighLatency',
      severity: 'critical',
      service: 'checkout',
      summary: 'p99 over 1s',
      description: 'p99 1.4s for 10m',
      labels: { job: 'checkout', instance: 'c-1' },
      status: 'firing',
      source: 'alertmanager',
      dedupKey: 'c0ffee',
      startsAt: Date.parse('2026-01-01T00:00:00Z'),
      generatorUrl: 'http://prometheus/graph',
    });
    expect(b).toMatchObject({
      severity: 'warning',
      service: 'search',
      summary: 'HighLatency',
      status: 'resolved',
    });
    expect(b!.dedupKey).toBeUndefined();
    expect(b!.endsAt).toBe(Date.parse('2026-01-01T00:05:00Z'));
  });

  it('rejects a body that is not one, naming the field; skips an alert it cannot read, naming its field', () => {
    expect(() => fromAlertmanagerWebhook({ alerts: {} })).toThrow(/alerts: /);
    expect(fromAlertmanagerWebhook({ alerts: [{ labels: { a: 1 } }] })).toEqual({
      alerts: [],
      skipped: [{ index: 0, reason: expect.stringMatching(/^labels\.a: /) }],
    });
    let error: unknown;
    try {
      fromAlertmanagerWebhook('nope');
    } catch (e) {
      error = e;
    }
    expect(isSreError(error, ErrorCode.INVALID_INPUT)).toBe(true);
  });

  it('webhookNotifier sends Alertmanager v4 JSON that fromAlertmanagerWebhook reads back', async () => {
    const { fetch, calls } = fakeFetch([]);
    const hook = webhookNotifier(
      { url: 'https://ops.example.com/hook', headers: { authorization: 'Bearer t' } },
      { fetch },
    );
    await hook.notify(notification());
    expect(calls[0]!.headers).toMatchObject({
      authorization: 'Bearer t',
      'content-type': 'application/json',
    });
    expect(alertmanagerWebhookSchema.safeParse(calls[0]!.body).success).toBe(true);
    expect(calls[0]!.body).toMatchObject({ version: '4', status: 'firing', receiver: 'page' });
    const [back] = fromAlertmanagerWebhook(calls[0]!.body).alerts;
    expect(back).toMatchObject({
      name: 'HighErrorRate',
      severity: 'critical',
      service: 'api',
      summary: '5xx at 12%',
      dedupKey: 'HighErrorRate/api/1',
      labels: { instance: 'web-1' },
    });
  });
});

describe('slackNotifier', () => {
  it('posts one escaped message listing the alerts', async () => {
    const { fetch, calls } = fakeFetch([]);
    const slack = slackNotifier(
      { webhookUrl: 'https://hooks.slack.com/services/T/B/X', channel: '#ops', maxAlertsListed: 1 },
      { fetch },
    );
    const n = notification();
    await slack.notify({ ...n, alerts: [{ ...n.alerts[0]!, summary: 'a < b & c' }, n.alerts[0]!] });
    expect(calls[0]!.body.channel).toBe('#ops');
    expect(calls[0]!.body.text).toBe(
      ':rotating_light: *[FIRING:2] HighErrorRate*\n:red_circle: HighErrorRate (api, critical): a &lt; b &amp; c\n…and 1 more',
    );
  });
});

it('a notifier rejection is a coded SreError', async () => {
  const onInternalError = vi.fn();
  const { fetch } = fakeFetch([{ status: 401 }]);
  const pd = pagerDutyNotifier({ routingKey: KEY }, { fetch, onInternalError });
  const error = await pd.notify(notification()).catch((e: unknown) => e);
  expect(isSreError(error, ErrorCode.DELIVERY_FAILED)).toBe(true);
});
