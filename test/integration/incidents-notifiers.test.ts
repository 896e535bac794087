// Notifiers against a real HTTP server on 127.0.0.1: PagerDuty Events v2 payloads are checked against
// the documented schema (written out here independently of the library's own), the server answers
// 429 with Retry-After and 500 now and then, and every accepted delivery is counted.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  createAlertRouter,
  isSreError,
  pagerDutyNotifier,
  slackNotifier,
  systemClock,
  webhookNotifier,
  fromAlertmanagerWebhook,
  type Alert,
  type Clock,
} from 'sre-kit';

const KEY = 'abcdefabcdefabcdefabcdefabcdef12';

// From https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ and .../acknowledge-events/.
function pagerDutyProblems(event: any): string[] {
  const problems: string[] = [];
  const allowedTop = [
    'routing_key',
    'event_action',
    'dedup_key',
    'payload',
    'images',
    'links',
    'client',
    'client_url',
  ];
  for (const key of Object.keys(event)) if (!allowedTop.includes(key)) problems.push(`unknown field ${key}`);
  if (typeof event.routing_key !== 'string' || event.routing_key.length !== 32) problems.push('routing_key');
  if (!['trigger', 'acknowledge', 'resolve'].includes(event.event_action)) problems.push('event_action');
  if (
    event.dedup_key !== undefined &&
    (typeof event.dedup_key !== 'string' || event.dedup_key.length > 255)
  ) {
    problems.push('dedup_key');
  }
  if (event.event_action === 'trigger') {
    const p = event.payload;
    if (typeof p !== 'object' || p === null) return [...problems, 'payload'];
    const allowed = [
      'summary',
      'source',
      'severity',
      'timestamp',
      'component',
      'group',
      'class',
      'custom_details',
    ];
    for (const key of Object.keys(p))
      if (!allowed.includes(key)) problems.push(`unknown payload field ${key}`);
    if (typeof p.summary !== 'string' || p.summary.length === 0 || p.summary.length > 1024)
      problems.push('summary');
    if (typeof p.source !== 'string' || p.source.length === 0) problems.push('source');
    if (!['critical', 'error', 'warning', 'info'].includes(p.severity)) problems.push('severity');
    if (p.timestamp !== undefined && Number.isNaN(Date.parse(p.timestamp))) problems.push('timestamp');
    if (
      p.custom_details !== undefined &&
      (typeof p.custom_details !== 'object' || p.custom_details === null)
    ) {
      problems.push('custom_details');
    }
  } else if (typeof event.dedup_key !== 'string') {
    problems.push('dedup_key required for acknowledge/resolve');
  }
  return problems;
}

interface Counters {
  requests: number;
  accepted: Map<string, number>;
  invalid: string[];
  hung: number;
  webhooks: any[];
  slack: any[];
  rejected429: number;
  rejected500: number;
}

let server: Server;
let base: string;
const hungResponses: ServerResponse[] = [];
let counters: Counters;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      counters.requests++;
      if (req.url === '/hang') {
        counters.hung++;
        hungResponses.push(res);
        return;
      }
      // Misbehave deterministically: 429 with Retry-After on the 2nd request, 500 on every 4th.
      if (counters.requests === 2) {
        counters.rejected429++;
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        res.end(
          '{"status":"throttle event","message":"Requests for this service are arriving too quickly."}',
        );
        return;
      }
      if (counters.requests % 4 === 0) {
        counters.rejected500++;
        res.writeHead(500).end();
        return;
      }
      if (req.url === '/v2/enqueue') {
        const event = JSON.parse(body);
        const problems = pagerDutyProblems(event);
        if (problems.length > 0) {
          counters.invalid.push(problems.join(', '));
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'invalid event', errors: problems }));
          return;
        }
        const key = `${event.event_action}:${event.dedup_key}`;
        counters.accepted.set(key, (counters.accepted.get(key) ?? 0) + 1);
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: event.dedup_key }),
        );
        return;
      }
      if (req.url === '/hook') counters.webhooks.push(JSON.parse(body));
      if (req.url === '/slack') counters.slack.push(JSON.parse(body));
      res.writeHead(200).end('ok');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  counters = {
    requests: 0,
    accepted: new Map(),
    invalid: [],
    hung: 0,
    webhooks: [],
    slack: [],
    rejected429: 0,
    rejected500: 0,
  };
});

afterAll(async () => {
  for (const res of hungResponses) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// The system clock, recording every delay asked of it: assertions on requested delays are exact,
// unlike measurements of real time.
function recordingClock(): Clock & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    now: () => systemClock.now(),
    wallNow: () => systemClock.wallNow(),
    schedule(ms, cb, options) {
      delays.push(ms);
      return systemClock.schedule(ms, cb, options);
    },
  };
}

const alerts = (n: number): Alert[] =>
  Array.from({ length: n }, (_, i) => ({
    name: i % 2 === 0 ? 'HighErrorRate' : 'HighLatency',
    severity: i % 3 === 0 ? 'warning' : 'critical',
    service: `svc-${i % 4}`,
    summary: `problem ${i}`,
    labels: { instance: `host-${i}` },
  }));

describe('notifiers against a real HTTP server', () => {
  it('delivers every alert to PagerDuty exactly once through 429s and 500s, payloads schema-valid', async () => {
    const clock = recordingClock();
    const retry = { minDelayMs: 5, maxDelayMs: 50, retries: 5 };
    const pd = pagerDutyNotifier({ routingKey: KEY, url: `${base}/v2/enqueue`, retry }, { clock });
    const hook = webhookNotifier({ url: `${base}/hook`, retry }, { clock });
    const slack = slackNotifier({ webhookUrl: `${base}/slack`, retry }, { clock });
    const failures: unknown[] = [];
    const router = createAlertRouter(
      {
        routes: [
          { name: 'page', matchers: ['severity="critical"'], notifiers: [pd], continue: true },
          { name: 'chat', notifiers: [hook, slack] },
        ],
        groupWaitMs: 0,
      },
      { clock, onInternalError: (error) => failures.push(error) },
    );
    const sent = alerts(24);
    for (const alert of sent) router.send(alert);
    await router.flush();
    const critical = sent.filter((a) => a.severity === 'critical');
    expect(failures).toEqual([]);
    expect(counters.invalid).toEqual([]);
    expect(counters.rejected429).toBe(1);
    expect(counters.rejected500).toBeGreaterThan(3);
    // Each critical alert triggered exactly once, after retries.
    const triggers = [...counters.accepted].filter(([key]) => key.startsWith('trigger:'));
    expect(triggers).toHaveLength(critical.length);
    expect(triggers.every(([, count]) => count === 1)).toBe(true);
    // The 429's Retry-After (1 s) was a floor on the retry delay.
    expect(clock.delays.some((ms) => ms >= 1_000)).toBe(true);
    // Webhook and Slack each got every group once.
    const groups = new Set(sent.map((a) => `${a.name}/${a.service}`)).size;
    expect(counters.webhooks).toHaveLength(groups);
    expect(counters.slack).toHaveLength(groups);
    expect(
      counters.webhooks
        .flatMap((w) => fromAlertmanagerWebhook(w).alerts)
        .map((a) => a.summary)
        .sort(),
    ).toEqual(sent.map((a) => a.summary).sort());

    // Resolving announces each once: PagerDuty resolve events, exactly once per alert.
    for (const alert of sent) router.send({ ...alert, status: 'resolved' });
    await router.flush();
    await router.flush();
    const resolves = [...counters.accepted].filter(([key]) => key.startsWith('resolve:'));
    expect(resolves).toHaveLength(critical.length);
    expect(resolves.every(([, count]) => count === 1)).toBe(true);
    expect(router.stats()).toMatchObject({ groups: 0, failures: 0 });
    await router.close();
  });

  it('a hung endpoint times out on each attempt and the delivery fails with a TimeoutError', async () => {
    const clock = recordingClock();
    const pd = pagerDutyNotifier(
      { routingKey: KEY, url: `${base}/hang`, retry: { timeoutMs: 150, retries: 1, minDelayMs: 1 } },
      { clock },
    );
    const error = await pd
      .trigger({ dedupKey: 'k', summary: 's', severity: 'info', source: 'x' })
      .catch((e) => e);
    expect(isSreError(error, ErrorCode.TIMEOUT)).toBe(true);
    expect(counters.hung).toBe(2);
  });

  it('a hung notifier never holds back the others in the router', async () => {
    const clock = recordingClock();
    const hung = webhookNotifier(
      { name: 'hung', url: `${base}/hang`, retry: { timeoutMs: 2_500, retries: 0 } },
      { clock },
    );
    const hook = webhookNotifier({ name: 'hook', url: `${base}/hook` }, { clock });
    const router = createAlertRouter(
      { routes: [{ notifiers: [hung, hook] }], groupWaitMs: 0 },
      {
        clock,
        onInternalError: () => {},
      },
    );
    const order: string[] = [];
    router.on('delivered', ({ notifier }) => void order.push(`delivered:${notifier}`));
    const failed = new Promise<void>((resolve) =>
      router.on('deliveryFailed', ({ notifier, error }) => {
        order.push(`failed:${notifier}`);
        expect(isSreError(error, ErrorCode.TIMEOUT)).toBe(true);
        resolve();
      }),
    );
    router.send(alerts(1)[0]!);
    await failed;
    await router.close();
    // The hook's delivery (including its own retry after a 429) did not wait for the hung endpoint.
    expect(order).toEqual(['delivered:hook', 'failed:hung']);
    expect(counters.webhooks).toHaveLength(1);
  });
});
