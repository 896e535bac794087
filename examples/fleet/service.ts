// A fleet in one box: a node:cluster primary and its workers. The workers serve GET /orders/:id (which
// calls an upstream) and report their latency and SLO counts to the primary every interval; the
// primary serves the group's one /metrics (for Prometheus), Alertmanager's webhook (incidents and a
// runbook, recorded in a file log) and the agent protocol. docs/operations/fleet.md runs it under a real
// Prometheus and Alertmanager; test/integration/fleet.test.ts does the same on 127.0.0.1.
//
//   SRE_KIT_ALERTMANAGER_TOKEN=<16+ chars> npx tsx examples/fleet/service.ts \
//     --port 3000 --admin-port 9464 --workers 3 --upstream http://127.0.0.1:4000 \
//     --incidents ./var/incidents.jsonl [--report-interval-ms 5000]
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import express from 'express';
import {
  createFileIncidentStore,
  createIncidentRecorder,
  createLatencyTracker,
  createMonitor,
  createResponder,
  createSloTracker,
  type Runbook,
  type SloTrackerOptions,
} from 'sre-kit';
import { createClusterPrimary, createClusterWorker } from 'sre-kit/cluster';
import { agentRoute, alertmanagerRoute, metricsHandler, sreMiddleware } from 'sre-kit/express';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3000' },
    'admin-port': { type: 'string', default: '9464' },
    workers: { type: 'string', default: String(Math.min(3, availableParallelism())) },
    upstream: { type: 'string', default: 'http://127.0.0.1:4000' },
    incidents: { type: 'string', default: './var/incidents.jsonl' },
    'report-interval-ms': { type: 'string', default: '5000' },
  },
});
const port = Number(values.port);
const adminPort = Number(values['admin-port']);
const upstream = values.upstream;
const reportIntervalMs = Number(values['report-interval-ms']);

// The SLO every process tracks with the same options: the workers count, the primary merges.
const ORDERS: SloTrackerOptions = {
  name: 'orders-availability',
  objective: { kind: 'availability', target: 0.99 },
  window: { kind: 'rolling', durationMs: 3_600_000 },
};

/** Asks the upstream's health endpoint; a dead upstream is an answer too. */
async function probeUpstream(signal?: AbortSignal): Promise<{ ok: boolean; detail: string }> {
  try {
    const res = await fetch(`${upstream}/health`, {
      signal:
        signal === undefined
          ? AbortSignal.timeout(1_000)
          : AbortSignal.any([signal, AbortSignal.timeout(1_000)]),
    });
    await res.arrayBuffer();
    return { ok: res.ok, detail: `upstream answers ${res.status}` };
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, detail: `upstream unreachable (${code ?? 'no answer'})` };
  }
}

if (cluster.isPrimary) await runPrimary();
else runWorker();

async function runPrimary(): Promise<void> {
  const token = process.env.SRE_KIT_ALERTMANAGER_TOKEN ?? '';
  const latency = createLatencyTracker();
  const orders = createSloTracker(ORDERS);
  const primary = createClusterPrimary({
    latency,
    slos: [orders],
    latencyMetricName: 'orders_request_duration',
  });
  const incidents = createIncidentRecorder({
    service: 'orders',
    store: createFileIncidentStore({ path: values.incidents }),
  });
  await incidents.ready();

  // A rolling restart, one worker at a time: the replacement listens before the old one leaves.
  const restartOneWorker = async (): Promise<string> => {
    const old = Object.values(cluster.workers ?? {}).find((w): w is Worker => w !== undefined);
    if (old === undefined) return 'no worker to restart';
    const replacement = cluster.fork();
    await new Promise((resolve) => replacement.once('listening', resolve));
    old.disconnect();
    return `restarted worker ${old.process.pid} (replaced by ${replacement.process.pid})`;
  };
  const upstreamOutage: Runbook = {
    name: 'upstream-outage',
    match: (alert) => alert.labels?.slo === ORDERS.name,
    diagnose: async ({ signal }) => {
      const probe = await probeUpstream(signal);
      return { summary: probe.detail, ...(probe.ok ? {} : { rootCause: 'The orders upstream is down' }) };
    },
    remediate: () => restartOneWorker(),
    verify: async ({ signal }) => (await probeUpstream(signal)).ok,
    maxAttempts: 1,
    timeoutMs: 10_000,
  };
  const responder = createResponder({
    recorder: incidents,
    runbooks: [upstreamOutage],
    // Here on-call would be paged (pagerDutyNotifier(...).escalate); the example says so on stdout.
    escalate: (incident, diagnosis) => {
      console.log(`fleet: escalated ${incident.id}: ${diagnosis.summary}`);
    },
  });
  const monitor = createMonitor({
    service: 'orders',
    latency,
    slos: [orders],
    incidents,
    responder,
    // Prometheus evaluates the fleet's burn rates and Alertmanager routes the page to /alertmanager:
    // the monitor's own SLO incidents would open a second incident for the same burn.
    autoIncidents: { sloPage: false, sloTicket: false },
  });

  const app = express();
  app.get('/metrics', metricsHandler({ sources: [primary.metrics] }));
  app.post('/alertmanager', alertmanagerRoute({ monitor, token }));
  app.post('/agent', agentRoute(monitor));
  const admin = app.listen(adminPort, '127.0.0.1');
  await new Promise((resolve) => admin.once('listening', resolve));

  let stopping = false;
  cluster.on('fork', (worker) => primary.attach(worker));
  cluster.on('exit', (worker, code, signal) => {
    // A worker that died unasked is replaced; one that was retired or shut down is not.
    if (!stopping && !worker.exitedAfterDisconnect) {
      console.log(`fleet: worker ${worker.process.pid} died (${signal ?? code}); starting another`);
      cluster.fork();
    }
  });
  const count = Number(values.workers);
  const listening = Array.from({ length: count }, () => {
    const worker = cluster.fork();
    return new Promise<number>((resolve) => worker.once('listening', () => resolve(worker.process.pid ?? 0)));
  });
  const pids = await Promise.all(listening);
  console.log(
    `fleet: ready admin=http://127.0.0.1:${adminPort} service=http://127.0.0.1:${port} workers=${pids.join(',')}`,
  );

  const shutdown = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const exits = Object.values(cluster.workers ?? {}).map(
      (worker) => new Promise((resolve) => worker?.once('exit', resolve)),
    );
    for (const worker of Object.values(cluster.workers ?? {})) worker?.disconnect();
    await Promise.all(exits);
    admin.closeAllConnections();
    await new Promise((resolve) => admin.close(resolve));
    primary.close();
    await responder.close();
    await monitor.close();
    await incidents.close();
    console.log('fleet: stopped');
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

function runWorker(): void {
  const latency = createLatencyTracker();
  const orders = createSloTracker(ORDERS);
  const reporter = createClusterWorker({ latency, slos: [orders], intervalMs: reportIntervalMs });

  const app = express();
  app.use(sreMiddleware({ latency, slos: [orders] }));
  app.get('/orders/:id', async (req, res) => {
    res.set('x-worker-pid', String(process.pid));
    try {
      const answer = await fetch(`${upstream}/orders/${encodeURIComponent(req.params.id)}`, {
        signal: AbortSignal.timeout(1_000),
      });
      res.status(answer.ok ? 200 : 502).json(await answer.json());
    } catch {
      res.status(502).json({ error: 'the orders upstream did not answer' });
    }
  });
  const server = app.listen(port, '127.0.0.1');
  // Asked to leave (a rolling restart or shutdown), node:cluster closes the server, and only then the
  // channel to the primary: the last report goes out in between, so a retired worker loses nothing.
  server.once('close', () => void reporter.close());
}
