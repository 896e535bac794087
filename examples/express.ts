// The golden signals on Express 5: latency by route template, traffic, errors, SLOs fed by every
// response, load shedding, health routes and /metrics. The program starts on a free port (or --port),
// sends itself some traffic (including a failing dependency), prints what an operator would look at,
// then serves until Ctrl-C, which shuts it down gracefully. `--once` exits after the printout.
//
//   npx tsx examples/express.ts [--port 3000] [--once]
import express from 'express';
import type { AddressInfo } from 'node:net';
import {
  createCircuitBreaker,
  createHealthRegistry,
  createLatencyTracker,
  createSaturationMonitor,
  createSloTracker,
  gracefulShutdown,
} from 'sre-kit';
import { healthRoutes, metricsHandler, sreMiddleware } from 'sre-kit/express';

const latency = createLatencyTracker({ thresholdsMs: [200] });
const availability = createSloTracker({
  name: 'checkout-availability',
  objective: { kind: 'availability', target: 0.999 },
});
const fast = createSloTracker({
  name: 'checkout-latency',
  objective: { kind: 'latency', target: 0.95, thresholdMs: 200 },
});
const saturation = createSaturationMonitor({
  eventLoopDelay: { maxP99Ms: 200 },
  heapUsed: { maxRatio: 0.9 },
});
const payments = createCircuitBreaker({
  name: 'payments',
  failureThreshold: { kind: 'consecutive', count: 3 },
});
const health = createHealthRegistry({ service: 'checkout', version: '1.4.2' });
// Non-critical: checkout still takes orders while payments is down, so readiness only warns.
health.register(
  'payments',
  () => (payments.state === 'open' ? { status: 'fail', output: 'circuit open' } : undefined),
  {
    critical: false,
  },
);

const sre = sreMiddleware({
  latency,
  slos: [availability, fast],
  saturation,
  shedding: { retryAfterSeconds: 5 },
});
const app = express();
app.use(sre);
app.use(healthRoutes(health));
app.get(
  '/metrics',
  metricsHandler({ http: sre, slos: [availability, fast], breakers: [payments], saturation }),
);
app.get('/orders/:id', (req, res) => {
  res.json({ id: req.params.id });
});
app.post('/orders/:id/pay', async (_req, res) => {
  try {
    await payments.execute(() => Promise.reject(new Error('payments: 503 from upstream')));
    res.sendStatus(204);
  } catch (error) {
    res.status(502).json({ error: (error as Error).message });
  }
});

const once = process.argv.includes('--once');
const portArg = process.argv.indexOf('--port');
const port = portArg === -1 ? 0 : Number(process.argv[portArg + 1]);
const server = app.listen(port, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
console.log(`listening on ${base}: /orders/:id, /livez, /readyz, /health, /metrics`);

for (let i = 0; i < 200; i++) await fetch(`${base}/orders/${i}`);
for (let i = 0; i < 5; i++) await fetch(`${base}/orders/${i}/pay`, { method: 'POST' });
for (let i = 0; i < 20; i++) await fetch(`${base}/no/such/page/${i}`);

console.log('\nroutes (one key per template, 404s share one):');
for (const route of sre.signals.routes())
  console.log(`  ${route.method} ${route.route}: ${route.requests} requests, ${route.errors} errors`);
const p = latency.summary();
console.log(`latency: p50 ${p.p50.toFixed(2)} ms, p99 ${p.p99.toFixed(2)} ms over ${p.count} requests`);
for (const slo of [availability, fast]) {
  const s = slo.status();
  console.log(
    `SLO ${s.name}: ${((s.sli ?? 1) * 100).toFixed(2)} % good, budget left ${(s.budget.remaining * 100).toFixed(0)} %`,
  );
}
console.log(`breaker payments: ${payments.state}`);
console.log(`GET /readyz → ${(await fetch(`${base}/readyz?verbose`)).status}`);

const metrics = await (await fetch(`${base}/metrics`)).text();
console.log('\nfrom /metrics:');
for (const line of metrics.split('\n'))
  if (/^sre_(http_requests_total|slo_events_total|circuit_breaker_state\{.*\} 1)/.test(line))
    console.log(`  ${line}`);

const closePrimitives = async (): Promise<void> => {
  availability.close();
  fast.close();
  payments.close();
  health.close();
  await Promise.all([latency.close(), saturation.close()]);
};

if (once) {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await closePrimitives();
} else {
  console.log(`\nserving on ${base} until Ctrl-C; try:`);
  for (const path of ['/orders/42', '/readyz?verbose', '/health', '/metrics'])
    console.log(`  curl '${base}${path}'`);
  // Ctrl-C (SIGINT) or SIGTERM: readiness fails at once, requests in flight finish, then it exits.
  gracefulShutdown(server, { health, drainDelayMs: 1_000, timeoutMs: 5_000, onShutdown: closePrimitives });
}
