// The golden signals on Fastify 5: one plugin registration adds latency by route template, traffic,
// errors, SLO events, load shedding, health routes and /metrics. The program starts on a free port (or
// --port), sends itself some traffic, prints the routes and a few /metrics lines, then serves until
// Ctrl-C. `--once` exits after the printout.
//
//   npx tsx examples/fastify.ts [--port 3000] [--once]
import Fastify from 'fastify';
import {
  createHealthRegistry,
  createLatencyTracker,
  createSaturationMonitor,
  createSloTracker,
} from 'sre-kit';
import { sreFastify } from 'sre-kit/fastify';

const latency = createLatencyTracker({ thresholdsMs: [200] });
const availability = createSloTracker({
  name: 'catalog-availability',
  objective: { kind: 'availability', target: 0.999 },
});
const saturation = createSaturationMonitor({ eventLoopDelay: { maxP99Ms: 200 } });
const health = createHealthRegistry({ service: 'catalog', version: '2.0.1' });
health.register('database', () => ({ status: 'pass', observedValue: 2, observedUnit: 'ms' }));

const app = Fastify();
await app.register(sreFastify, {
  latency,
  slos: [availability],
  saturation,
  shedding: true,
  health,
  metrics: true,
});
app.get('/products/:sku', async (request) => ({ sku: (request.params as { sku: string }).sku }));
app.get('/products/:sku/reviews', async () => {
  throw new Error('reviews store unavailable');
});
app.get('/internal/debug', { config: { sre: false } }, async () => 'not measured');

const once = process.argv.includes('--once');
const portArg = process.argv.indexOf('--port');
const port = portArg === -1 ? 0 : Number(process.argv[portArg + 1]);
const base = await app.listen({ port, host: '127.0.0.1' });
console.log(`listening on ${base}: /products/:sku, /livez, /readyz, /health, /metrics`);
for (let i = 0; i < 300; i++) await fetch(`${base}/products/sku-${i}`);
for (let i = 0; i < 3; i++) await fetch(`${base}/products/sku-${i}/reviews`);
await fetch(`${base}/internal/debug`);

console.log('\nroutes:');
for (const route of app.sre.signals.routes())
  console.log(`  ${route.method} ${route.route}: ${route.requests} requests, ${route.errors} errors`);
const status = availability.status();
console.log(
  `SLO ${status.name}: ${((status.sli ?? 1) * 100).toFixed(2)} % good, 1 h burn rate ${status.burnRates['1h'].toFixed(1)}`,
);
const metrics = await (await fetch(`${base}/metrics`)).text();
console.log('\nfrom /metrics:');
for (const line of metrics.split('\n'))
  if (/^sre_(http_request_errors_total|slo_events_total|http_request_duration_seconds_count)/.test(line))
    console.log(`  ${line}`);
console.log(`\nGET /health → ${(await fetch(`${base}/health`)).status}`);

const shutdown = async (): Promise<void> => {
  health.drain(); // readiness fails first, so a load balancer stops sending traffic
  await app.close(); // stops accepting and waits for requests in flight
  availability.close();
  health.close();
  await Promise.all([latency.close(), saturation.close()]);
};

if (once) await shutdown();
else {
  console.log(`\nserving on ${base} until Ctrl-C; try:`);
  for (const path of ['/products/sku-1', '/readyz?verbose', '/health', '/metrics'])
    console.log(`  curl '${base}${path}'`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown());
}
