// `npm run demo`: a shop API wired with every sre-kit primitive runs for --duration seconds under
// generated traffic while faults are injected on a schedule; a live view shows what the service sees,
// the monitor turns trouble into incidents (one of them fixed by a runbook), and at the end the health,
// SLA and incident reports are written as JSON. Ctrl-C ends early the same way.
import { handleAgentRequest } from 'sre-kit';
import { USAGE, UsageError, parseDemoArgs, type DemoArgs } from './args.js';
import { startSchedule } from './faults.js';
import { writeReports } from './reports.js';
import { startShop } from './agent.js';
import { SEEDED_DAYS } from './history.js';
import { SCREEN, headerLines, wrap } from './screen.js';
import { errorGroupLines, predictionLines, slaLines } from './summary.js';
import { startTraffic } from './traffic.js';
import { startView } from './view.js';

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
  // The view's log is needed by the runbook before the view exists; events go through this forwarder.
  let log: (line: string) => void = (line) => console.log(line);
  const { durationMs, random, faults, service, response, monitor } = await startShop(args, (line) =>
    log(line),
  );
  const { parts } = service;

  // The SLOs start from a restored week (see history.ts); say so, with the counts, before anything else.
  const slos = [parts.availability, parts.fastResponses];
  const sloWindowMs = parts.availability.currentWindow().durationMs;
  const header = headerLines({
    url: service.url,
    durationS: args.durationS,
    rate: args.rate,
    seededDays: SEEDED_DAYS,
    seeded: slos.map((slo) => slo.status()),
    windowMs: sloWindowMs,
    burnWindowS: args.intervalS,
  });
  console.log(header.join('\n'));
  const view = startView(
    {
      parts,
      slos,
      breakers: [parts.payments],
      incidents: response.incidents,
    },
    { intervalMs: args.intervalS * 1_000, header },
  );
  log = (line) => view.log(line);
  response.incidents.on('opened', ({ incident }) =>
    log(`incident opened: ${incident.id} ${incident.severity} ${incident.title}`),
  );
  response.incidents.on('reopened', ({ incident }) => log(`incident reopened: ${incident.id}`));
  response.incidents.on('resolved', ({ incident }) => {
    const took = ((incident.resolvedAt ?? incident.openedAt) - incident.openedAt) / 1_000;
    log(
      `incident resolved: ${incident.id} after ${took.toFixed(1)}s` +
        `${incident.automated === true ? ' (automated)' : ''}: ${incident.resolution ?? ''}`,
    );
  });
  parts.payments.on('stateChange', ({ from, to }) => log(`breaker payments: ${from} -> ${to}`));

  const traffic = startTraffic({ baseUrl: service.url, rate: args.rate, random, surge: faults.trafficSurge });
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
  await monitor.evaluate();
  view.render();
  view.stop();

  const sent = traffic.stats();
  // The summary stays within 80 columns: long reasons and titles wrap rather than run off the edge.
  const print = (text: string): void => console.log(wrap(text, SCREEN.columns).join('\n'));
  console.log('');
  print(
    `traffic: ${sent.sent} requests sent, ${sent.completed} answered, ${sent.serverErrors} 5xx, ` +
      `${sent.skipped} skipped at the concurrency cap`,
  );
  // What another agent would ask before a deploy, in the protocol POST /agent speaks (typed here).
  const readiness = await handleAgentRequest(monitor, {
    agent: 'sre-reliability',
    action: 'deployment_readiness',
  });
  if (readiness.ok && readiness.action === 'deployment_readiness') {
    const { ready, reasons } = readiness.result;
    print(`deployment readiness: ${ready ? 'ready' : 'not ready'}`);
    for (const reason of reasons) print(`  ${reason}`);
  }

  const written = await writeReports(monitor, args.outDir);
  const all = response.incidents.list();
  const resolved = all.filter((i) => i.status === 'resolved');
  const automated = resolved.filter((i) => i.automated === true).length;
  print(`incidents: ${all.length} recorded, ${resolved.length} resolved (${automated} by automation)`);
  for (const i of all) print(`  ${i.id} ${i.severity} ${i.status.padEnd(8)} ${i.title}`);
  console.log(`health: ${written.health.status}`);
  for (const line of [
    ...errorGroupLines(written.health),
    ...slaLines(written.sla, sloWindowMs),
    ...predictionLines(written.health, sloWindowMs),
  ])
    console.log(line);
  console.log(`reports written:`);
  // Paths print whole: a cut path is no use.
  for (const path of [written.healthPath, written.slaPath, ...written.incidentPaths])
    console.log(`  ${path}`);

  await monitor.close();
  await response.close();
  await service.close();
}

const args = readArgs();
if (args !== undefined) await run(args);
