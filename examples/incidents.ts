// Incident response end to end: two alerts arrive (as Alertmanager would send them). The first is
// fixed by a runbook and auto-resolved; the second has no runbook, so it is escalated to PagerDuty —
// here a local fake of its Events API v2 on 127.0.0.1 — then acknowledged and resolved by a human.
// Everything is recorded durably in a JSONL file, and each incident ends with its report.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createFileIncidentStore,
  createIncidentRecorder,
  createResponder,
  fromAlertmanagerWebhook,
  pagerDutyEventSchema,
  pagerDutyNotifier,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

// A stand-in for https://events.pagerduty.com/v2/enqueue that checks and prints each event.
const pagerDutyEvents: string[] = [];
const fakePagerDuty = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const event = pagerDutyEventSchema.safeParse(JSON.parse(body));
    if (!event.success) return void res.writeHead(400).end();
    const { event_action, dedup_key, payload } = event.data;
    pagerDutyEvents.push(
      `${event_action} ${dedup_key ?? ''}${payload ? ` [${payload.severity}] ${payload.summary}` : ''}`,
    );
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key }));
  });
});
await new Promise<void>((resolve) => fakePagerDuty.listen(0, '127.0.0.1', resolve));
const pagerDutyUrl = `http://127.0.0.1:${(fakePagerDuty.address() as AddressInfo).port}/v2/enqueue`;

// The recorder's clock is simulated so the reports show minutes passing; leave `deps` out in a service.
const clock = createFakeClock({ start: '2026-01-15T10:00:00Z' });
const dir = await mkdtemp(join(tmpdir(), 'sre-kit-example-'));
const incidents = createIncidentRecorder(
  { service: 'checkout', store: createFileIncidentStore({ path: join(dir, 'incidents.jsonl') }) },
  { clock },
);
const pagerDuty = pagerDutyNotifier({ routingKey: 'e93facc04764012d7bfb002500d5d1a6', url: pagerDutyUrl });
// Humans work in the recorder; PagerDuty follows.
const pagerDutyUpdates: Promise<void>[] = [];
incidents.on(
  'acknowledged',
  ({ incident }) => void pagerDutyUpdates.push(pagerDuty.acknowledge(incident.id)),
);
incidents.on('resolved', ({ incident }) => {
  if (incident.automated !== true) pagerDutyUpdates.push(pagerDuty.resolve(incident.id));
});

// The service's state, which the runbook inspects and repairs.
const pool = { size: 10, inUse: 10 };

const responder = createResponder({
  recorder: incidents,
  runbooks: [
    {
      name: 'grow-db-pool',
      match: (alert) => alert.name === 'DbPoolExhausted',
      diagnose: () => ({
        summary: `pool at ${pool.inUse}/${pool.size}, requests waiting`,
        rootCause: 'Database connection pool exhausted',
      }),
      remediate: () => {
        pool.size *= 2;
      },
      verify: () => pool.inUse < pool.size,
      resolution: 'Increased connection pool size',
    },
  ],
  escalate: pagerDuty.escalate,
  notify: ({ outcome, incident }) => console.log(`  responder: ${incident.id} ${outcome}`),
  maxAttempts: 2,
  cooldownMs: 100,
  timeoutMs: 5_000,
});

// What Alertmanager POSTs to a webhook receiver.
const { alerts, skipped } = fromAlertmanagerWebhook({
  version: '4',
  status: 'firing',
  receiver: 'sre-kit',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'DbPoolExhausted', severity: 'critical', service: 'checkout' },
      annotations: { summary: '10% of requests failing: no database connection available' },
      fingerprint: 'db-pool-checkout',
    },
    {
      status: 'firing',
      labels: { alertname: 'DiskAlmostFull', severity: 'critical', service: 'checkout', priority: 'P1' },
      annotations: { summary: 'Disk 97% full on checkout-db-1, writes failing soon' },
      fingerprint: 'disk-checkout-db-1',
    },
  ],
});

console.log(`Alerts in: ${alerts.length} read, ${skipped.length} skipped`);
const results = [];
for (const alert of alerts) results.push(await responder.handle(alert));

const [fixed, paged] = results.map((result) => result.incident!);
await incidents.update(fixed!.id, {
  impact: '10% of requests failing',
  lessonsLearned: ['Monitor connection pool metrics'],
});

// The escalated one: on-call acknowledges after 4 minutes, finds the cause, resolves 16 minutes later.
clock.advance(4 * 60_000);
await incidents.acknowledge(paged!.id, { by: 'oncall@example.com' });
await incidents.note(paged!.id, 'Old WAL segments not archived since Tuesday', { by: 'oncall@example.com' });
clock.advance(16 * 60_000);
await incidents.resolve(paged!.id, {
  rootCause: 'WAL archiving stopped after a credentials rotation',
  resolution: 'Restored archive credentials and pruned WAL',
  by: 'oncall@example.com',
});
await incidents.update(paged!.id, {
  impact: 'Checkout writes at risk for 20 minutes',
  lessonsLearned: ['Alert on WAL archive lag', 'Rotate archive credentials with the database ones'],
});
await Promise.all(pagerDutyUpdates);

console.log('\nPagerDuty received:');
for (const line of pagerDutyEvents) console.log(`  ${line}`);

console.log('\nIncident reports:');
for (const id of [fixed!.id, paged!.id]) console.log(JSON.stringify(incidents.report(id), null, 2));

const metrics = incidents.metrics();
console.log(
  `\nMetrics: ${metrics.count} incidents, automation coverage ${(metrics.autoResolvedRatio ?? 0) * 100}%, ` +
    `MTTA ${(metrics.mttaMs ?? 0) / 60_000} min, MTTR ${(metrics.mttrMs ?? 0) / 60_000} min, open ${metrics.open}`,
);

await responder.close();
await incidents.close();
await new Promise<void>((resolve) => fakePagerDuty.close(() => resolve()));
await rm(dir, { recursive: true, force: true });
