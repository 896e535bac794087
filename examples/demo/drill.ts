// `npx tsx examples/demo/drill.ts [--out <dir>]`: a failover drill on the demo's shop service. The
// service runs under generated traffic; the drill checks the steady state (payments breaker closed,
// a checkout charging), takes the payments primary down for a few seconds, and expects the breaker to open,
// its alert to fire and its incident to open, the runbook to fail over, and the steady state to hold again
// within 15 seconds. Its rollback fails payments back to the primary. The drill's events are kept out
// of the SLO budgets by a maintenance window; the journal is printed and written as JSON.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import {
  createDrill,
  createMaintenanceCalendar,
  createMonitor,
  drillJournalSchema,
  type DrillJournal,
} from 'sre-kit';
import { createFaults } from './faults.js';
import { createPayments } from './payments.js';
import { seededRandom } from './random.js';
import { createIncidentResponse } from './response.js';
import { startService } from './service.js';
import { startTraffic } from './traffic.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, rate: { type: 'string' } } });
const rate = Number(values.rate ?? 100);
const outDir = resolve(values.out ?? './demo-output');
const log = (line: string): void => console.log(`  ${line}`);

const random = seededRandom(7);
const faults = createFaults(random);
const payments = createPayments(faults.paymentsOutage, random);
// Alert windows and the breaker's open time are scaled as for a 20-second demo run.
const durationMs = 20_000;
const service = await startService({ port: 0, durationMs, faults, payments, pastEvents: rate * 20 * 80 });
const { parts } = service;
const response = createIncidentResponse('shop', parts.payments, payments, log);
const calendar = createMaintenanceCalendar({ timeZone: 'UTC' });
const monitor = createMonitor({
  service: 'shop',
  health: parts.health,
  latency: parts.latency,
  slos: [parts.availability, parts.fastResponses],
  breakers: [parts.payments],
  saturation: parts.saturation,
  incidents: response.incidents,
  responder: response.responder,
  alerts: response.alerts,
  maintenance: calendar,
  evaluateIntervalMs: 250,
  resolveAfterMs: 2_000,
  signals: parts.http.signals,
});
const traffic = startTraffic({ baseUrl: service.url, rate, random });

const drill = createDrill({
  name: 'payments-failover',
  monitor,
  description: 'The payments primary goes down; the breaker opens and the runbook fails over to the standby',
  // Normal is the breaker closed and a checkout charging. Not the payments check: it stays degraded
  // while the dependency's own SLO has spent its budget, long after charges succeed again.
  steadyState: [
    { signal: 'breaker:payments', equals: 'closed' },
    {
      name: 'a checkout charges (201)',
      probe: async ({ signal }) =>
        (await fetch(`${service.url}/checkout/drill-probe`, { method: 'POST', signal })).status,
      equals: 201,
    },
  ],
  inject: [{ target: faults.paymentsOutage, name: 'payments primary down', errorRate: 1, durationMs: 4_000 }],
  expect: { alerts: ['breaker:payments'], incidents: ['breaker:payments'], recoveredWithinMs: 15_000 },
  abortWhen: { incidentSeverity: 'P1' },
  rollback: () => {
    payments.failback();
    log('rollback: payments back on the primary region');
  },
  excludeFromSlo: true,
  intervalMs: 250,
});

let journal: DrillJournal;
try {
  console.log(`drill ${drill.name} on ${service.url} (${rate} req/s)`);
  await sleep(2_000); // traffic settles into the steady state
  journal = drillJournalSchema.parse(await drill.run());
} finally {
  await traffic.stop();
}
const sla = monitor.slaReport({ period: 'day' });
await mkdir(outDir, { recursive: true });
const path = join(outDir, 'drill-journal.json');
await writeFile(path, `${JSON.stringify(journal, null, 2)}\n`);

console.log(
  `verdict: ${journal.verdict}${journal.reasons.length > 0 ? ` (${journal.reasons.join('; ')})` : ''}`,
);
console.log(`alerts: ${journal.actual.alerts.map((a) => `${a.key} at ${a.firstSeenAt}`).join(', ')}`);
console.log(
  `incidents: ${journal.actual.incidents.map((i) => `${i.id} ${i.severity} ${i.title}`).join(', ')}`,
);
console.log(
  `time to detect: ${journal.timeToDetectMs ?? '-'} ms, time to recover: ${journal.timeToRecoverMs ?? '-'} ms`,
);
for (const slo of sla.slos)
  console.log(`sla: ${slo.slo} excluded ${slo.excluded.total} events of the drill's window`);
console.log(`sla: drills today ${sla.drills.total} (${sla.drills.byVerdict.passed} passed)`);
console.log(`journal written: ${path}`);

await monitor.close();
await response.close();
await service.close();
