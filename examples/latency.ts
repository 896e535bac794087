// Latency tracking for a service: per-route HDR histograms, an SLI ("requests under 200 ms"),
// Prometheus-style buckets, a sliding window, and merging the histograms of several processes.
import { setTimeout as sleep } from 'node:timers/promises';
import { createLatencyTracker } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const fmt = (ms: number): string => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;

// 1. Time real async work with startTimer(): 200 concurrent "requests" on two routes.
const latency = createLatencyTracker({ thresholdsMs: [200], window: { durationMs: 60_000, slices: 6 } });
async function handle(route: string, workMs: number): Promise<void> {
  const stop = latency.startTimer(route);
  await sleep(workMs);
  stop();
}
await Promise.all(
  Array.from({ length: 200 }, (_, i) =>
    handle(i % 4 === 0 ? 'POST /orders' : 'GET /users/:id', 5 + Math.random() * (i % 4 === 0 ? 60 : 20)),
  ),
);
console.log('timed requests:');
for (const route of latency.keys()) {
  const s = latency.summary(route);
  console.log(`  ${route.padEnd(16)} n=${s.count}  p50 ${fmt(s.p50)}  p99 ${fmt(s.p99)}  max ${fmt(s.max)}`);
}

// 2. A busier route: 100,000 log-normal latencies recorded directly (milliseconds in).
function logNormal(medianMs: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
  return medianMs * Math.exp(sigma * z);
}
for (let i = 0; i < 100_000; i++) latency.record(logNormal(40, 0.9), 'GET /search');
const search = latency.summary('GET /search');
console.log('\nGET /search, 100,000 requests:');
console.log(
  `  p50 ${fmt(search.p50)}  p90 ${fmt(search.p90)}  p95 ${fmt(search.p95)}  p99 ${fmt(search.p99)}  p99.9 ${fmt(search.p999)}  mean ${fmt(search.mean)}`,
);
const { good, total } = latency.countAtOrBelow(200, 'GET /search'); // exact: 200 is a declared threshold
console.log(`  SLI: ${good} of ${total} at or below 200 ms = ${((100 * good) / total).toFixed(3)} %`);
const histogram = latency.cumulativeBuckets([25, 50, 100, 200, 500], 'GET /search');
console.log(`  buckets: ${histogram.buckets.map((b) => `le=${b.le}: ${b.count}`).join(', ')}`);
console.log(`  sum ${histogram.sum.toFixed(1)} ms over ${histogram.count} requests`);

// 3. Bad input never throws: it is counted.
latency.record(Number.NaN, 'GET /search');
latency.record(-3, 'GET /search');
latency.record(1e9, 'GET /search'); // above highestTrackableMs (60 s): clamped and counted
console.log(`\nstats: ${JSON.stringify(latency.stats())}`);

// 4. Several processes: each encodes its histogram (HdrHistogram's compressed base64), one merges.
const workers = [0, 1, 2].map((w) => {
  const worker = createLatencyTracker({ window: false });
  for (let i = 0; i < 20_000; i++) worker.record(logNormal(30 + 20 * w, 0.5), 'GET /users/:id');
  return worker.encode('GET /users/:id');
});
const fleet = createLatencyTracker({ window: false });
for (const encoded of workers) fleet.merge(encoded, 'GET /users/:id');
const merged = fleet.summary('GET /users/:id');
console.log(
  `\nfleet (3 workers merged, ${workers[0]!.length} base64 chars each): n=${merged.count}  p50 ${fmt(merged.p50)}  p99 ${fmt(merged.p99)}`,
);

// 5. The sliding window, on a fake clock so two simulated minutes take no time: a slow first minute,
// then a fast one. The window forgets the slow minute; the lifetime does not. (At t = 120 s a new
// 10 s slice has just begun, so the window holds the last 50 s: between 50 and 60 s, by slice.)
const clock = createFakeClock();
const windowed = createLatencyTracker({ window: { durationMs: 60_000, slices: 6 } }, { clock });
for (let second = 0; second < 120; second++) {
  for (let i = 0; i < 50; i++) windowed.record(logNormal(second < 60 ? 400 : 40, 0.3), 'GET /feed');
  clock.advance(1_000);
}
const lifetime = windowed.summary('GET /feed');
const lastMinute = windowed.summary('GET /feed', { window: 'window' });
console.log('\nGET /feed after a slow minute then a fast one:');
console.log(`  lifetime     n=${lifetime.count}  p50 ${fmt(lifetime.p50)}  p99 ${fmt(lifetime.p99)}`);
console.log(`  window       n=${lastMinute.count}  p50 ${fmt(lastMinute.p50)}  p99 ${fmt(lastMinute.p99)}`);

await latency.close();
await fleet.close();
await windowed.close();
