// Health checks served by hand from a plain node:http server: /livez and /readyz in the Kubernetes
// style, /health as application/health+json. The program starts on a free port (or --port), asks itself
// a few questions while a dependency fails, prints the answers, then brings the dependencies back and
// serves until Ctrl-C, which drains readiness before it stops. With `--once` it shows the drain itself
// and exits.
//
//   npx tsx examples/health.ts [--port 3000] [--once]
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  HEALTH_JSON_CONTENT_TYPE,
  checks,
  createHealthRegistry,
  gracefulShutdown,
  toHealthJson,
  toProbeText,
  type HealthProbe,
} from 'sre-kit';

// Stand-ins for real clients: a database that answers in ~3 ms, and a cache we can break.
let databaseUp = true;
let cacheUp = true;
const lastSync = Date.now() - 40_000;
const database = {
  ping: (signal: AbortSignal) =>
    sleep(3, undefined, { signal }).then(() => {
      if (!databaseUp) throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
    }),
};

const health = createHealthRegistry({
  service: 'checkout',
  version: '1.4.2',
  releaseId: 'abc123',
  defaultTimeoutMs: 500, // a hung dependency answers 'timed out' at 500 ms, never hangs the probe
});

// Readiness (the default probe): what the service needs to take traffic.
health.register(
  'database',
  async ({ signal }) => {
    const started = performance.now();
    await database.ping(signal); // returning nothing = pass, throwing = fail
    return { observedValue: Math.round(performance.now() - started), observedUnit: 'ms' };
  },
  { componentType: 'datastore', measurement: 'responseTime', timeoutMs: 300 },
);
// Non-critical: the service works without its cache, so a failure only warns (still HTTP 200).
health.register('cache', () => (cacheUp ? undefined : { status: 'fail', output: 'redis unreachable' }), {
  critical: false,
});
health.register(
  'sync',
  checks.freshness({ lastUpdatedAt: () => lastSync, warnLagMs: 60_000, failLagMs: 300_000 }),
);
// Liveness: only cheap checks of the process itself, so a dependency outage never restarts it.
health.register('eventLoop', checks.eventLoopDelay({ warnMs: 100, failMs: 1_000 }), { probes: ['liveness'] });
health.register('heap', checks.heapUsage(), { probes: ['liveness'] });

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const probes: Record<string, HealthProbe> = { '/livez': 'liveness', '/readyz': 'readiness' };
  const probe = probes[url.pathname];
  if (probe !== undefined) {
    const result = await health.check({ probe, exclude: url.searchParams.getAll('exclude') });
    const { body, httpStatus } = toProbeText(result, { verbose: url.searchParams.has('verbose') });
    res.writeHead(httpStatus, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  } else if (url.pathname === '/health') {
    const { body, httpStatus } = toHealthJson(await health.check());
    res.writeHead(httpStatus, { 'content-type': HEALTH_JSON_CONTENT_TYPE, 'cache-control': 'no-store' });
    res.end(JSON.stringify(body, null, 2));
  } else {
    res.writeHead(404).end();
  }
}

const server = createServer((req, res) => {
  handle(req, res).catch(() => res.writeHead(500).end());
});
const once = process.argv.includes('--once');
const portArg = process.argv.indexOf('--port');
const port = portArg === -1 ? 0 : Number(process.argv[portArg + 1]);
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function show(path: string, note: string): Promise<void> {
  const response = await fetch(base + path);
  const body = (await response.text()).trimEnd().replaceAll('\n', '\n    ');
  console.log(`GET ${path} → ${response.status}   (${note})\n    ${body}\n`);
}

await show('/livez', 'liveness passes: only process checks');
await show('/readyz?verbose', 'every readiness check, listed');
cacheUp = false;
await show('/readyz', 'a non-critical check failed: warn, still 200, reason withheld');
await show('/health', 'application/health+json, no error text or observed values by default');
databaseUp = false;
await show('/readyz', 'a critical check failed: 503');
await show('/readyz?exclude=database', 'excluded by name');

if (once) {
  health.drain();
  await show('/readyz', 'draining for shutdown: readiness fails at once');
  await show('/livez', '...while liveness keeps passing');
  server.closeAllConnections();
  server.close();
  health.close();
} else {
  databaseUp = true;
  cacheUp = true;
  console.log(`the database and cache are back; serving on ${base} until Ctrl-C; try:`);
  for (const path of ['/livez', '/readyz?verbose', '/readyz?exclude=cache', '/health'])
    console.log(`  curl '${base}${path}'`);
  // Ctrl-C (SIGINT) or SIGTERM: readiness answers 503 for 2 s (curl it), then the server stops.
  gracefulShutdown(server, {
    health,
    drainDelayMs: 2_000,
    timeoutMs: 5_000,
    onShutdown: () => health.close(),
  });
}
