// `npm run demo`: a shop API wired with every sre-kit primitive runs for --duration seconds under
// generated traffic while faults are injected on a schedule; a live view shows what the service sees,
// the monitor turns trouble into incidents (one of them fixed by a runbook), and at the end the health,
// SLA and incident reports are written as JSON. Ctrl-C ends early the same way.
import { USAGE, UsageError, parseDemoArgs, type DemoArgs } from './args.js';
import { createFaults, startSchedule } from './faults.js';
import { wireBreakerAlerts } from './monitor.js';
import { createPayments } from './payments.js';
import { createIncidentResponse } from './response.js';
import { startService } from './service.js';
import { startTraffic } from './traffic.js';
import { startView } from './view.js';

/** A seeded random source (mulberry32), so every run injects the same faults into the same requests. */
function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function readArgs(): DemoArgs | undefined {
  try {
    const args = parseDemoArgs(process.argv.slice(2));
    if (args === undefined) console.log(USAGE);
    return args;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`demo: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return undefined;
  }
}

async function run(args: DemoArgs): Promise<void> {
  const durationMs = args.durationS * 1_000;
  const random = seededRandom(42);
  const faults = createFaults(random);
  const payments = createPayments(faults.paymentsOutage, random);
  // The restored past is sized to the run, so the faults spend a similar share of budget at any duration.
  const pastEvents = args.rate * args.durationS * 80;
  const service = await startService({ port: args.port, durationMs, faults, payments, pastEvents });
  const { parts } = service;

  // The view's log is needed by the runbook before the view exists; events go through this forwarder.
  let log: (line: string) => void = (line) => console.log(line);
  const response = createIncidentResponse('shop', parts.payments, payments, (line) => log(line));
  const monitor = wireBreakerAlerts('shop', [parts.payments], response.responder, (error) =>
    log(`monitor error: ${String(error)}`),
  );

  const header = [
    `sre-kit demo: service "shop" on ${service.url} for ${args.durationS}s, ${args.rate} req/s`,
    `  health   ${service.url}/health  (application/health+json)`,
    `  ready    ${service.url}/readyz   live ${service.url}/livez`,
    `  metrics  ${service.url}/metrics (Prometheus / OpenMetrics)`,
    `  routes   GET /products/:id  GET /users/:id  POST /checkout/:id`,
  ];
  console.log(header.join('\n'));
  const view = startView(
    {
      parts,
      slos: [parts.availability, parts.fastResponses],
      breakers: [parts.payments],
      incidents: response.incidents,
    },
    { intervalMs: args.intervalS * 1_000, header },
  );
  log = (line) => view.log(line);
  response.incidents.on('opened', ({ incident }) =>
    log(`incident opened: ${incident.id} ${incident.severity} ${incident.title}`),
  );
  response.incidents.on('resolved', ({ incident }) => {
    const took = ((incident.resolvedAt ?? incident.openedAt) - incident.openedAt) / 1_000;
    log(
      `incident resolved: ${incident.id} after ${took.toFixed(1)}s` +
        `${incident.automated === true ? ' (automated)' : ''}: ${incident.resolution ?? ''}`,
    );
  });
  parts.payments.on('stateChange', ({ from, to }) => log(`breaker payments: ${from} -> ${to}`));

  const traffic = startTraffic({ baseUrl: service.url, rate: args.rate, random });
  const schedule = startSchedule(faults, durationMs, log);

  // Run until the duration is up or Ctrl-C, whichever comes first.
  const interrupted = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), durationMs);
    process.once('SIGINT', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  // A second Ctrl-C while shutting down leaves at once.
  process.once('SIGINT', () => process.exit(130));
  log(interrupted ? 'interrupted: shutting down' : 'duration reached: shutting down');

  schedule.stop();
  await traffic.stop();
  view.render();
  view.stop();
  await monitor.close();

  const sent = traffic.stats();
  console.log(
    `\ntraffic: ${sent.sent} requests sent, ${sent.completed} answered, ${sent.serverErrors} 5xx, ` +
      `${sent.skipped} skipped at the concurrency cap`,
  );
  const all = response.incidents.list();
  const resolved = all.filter((i) => i.status === 'resolved');
  console.log(
    `incidents: ${all.length} recorded, ${resolved.length} resolved ` +
      `(${resolved.filter((i) => i.automated === true).length} by automation)`,
  );
  console.log('reports: waiting for createMonitor (feat/monitor) to be merged');

  await response.close();
  await service.close();
}

const args = readArgs();
if (args !== undefined) await run(args);
