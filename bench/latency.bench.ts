// The latency tracker against the raw engine (hdr-histogram-js) and the usual peer (prom-client), in
// one process: record cost, percentile queries on a full histogram, and memory per key.
import { build } from 'hdr-histogram-js';
import { Histogram } from 'prom-client';
import { createLatencyTracker } from '../src/latency/index.js';
import { createFakeClock } from '../src/testing/index.js';
import { compare, quick, report } from './harness.js';

const KEY = 'GET /users/:id';
// Log-normal latencies around 20 ms, precomputed so the cases time the record and not the sampling.
const SAMPLES = 4096;
const values = new Float64Array(SAMPLES);
for (let i = 0; i < SAMPLES; i++) {
  const gaussian = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
  values[i] = Math.exp(3 + 0.8 * gaussian);
}
const micros = Float64Array.from(values, (ms) => Math.round(ms * 1000));

const lifetimeOnly = createLatencyTracker({ window: false });
const windowed = createLatencyTracker();
const hdr = build({
  bitBucketSize: 32,
  autoResize: false,
  lowestDiscernibleValue: 1,
  highestTrackableValue: 60_000_000,
  numberOfSignificantValueDigits: 2,
});
const prom = new Histogram({ name: 'latency_ms', help: 'latency', labelNames: ['route'], registers: [] });
const labels = { route: KEY };

let i = 0;
let at = 0;
const next = (): number => (i = (i + 1) & (SAMPLES - 1));

await compare('record one value with a key', {
  baseline: {
    name: 'sre-kit record(ms, key), window: false',
    fn: () => lifetimeOnly.record(values[next()]!, KEY),
  },
  cases: [
    { name: 'sre-kit record(ms, key), 60 s window', fn: () => windowed.record(values[next()]!, KEY) },
    // The adapters' path: they pass the clock reading they took for the duration.
    {
      name: 'sre-kit record(ms, key, atMs), 60 s window',
      fn: () => windowed.record(values[next()]!, KEY, (at += 0.001)),
    },
    { name: 'hdr-histogram-js recordValue(µs)', fn: () => hdr.recordValue(micros[next()]!) },
    { name: 'prom-client observe(labels, ms)', fn: () => prom.observe(labels, values[next()]!) },
  ],
  floor: true,
});

// Percentiles on a histogram holding 1e6 values.
const full = createLatencyTracker({ window: false });
const fullHdr = build({
  bitBucketSize: 32,
  autoResize: false,
  lowestDiscernibleValue: 1,
  highestTrackableValue: 60_000_000,
  numberOfSignificantValueDigits: 2,
});
for (let k = 0; k < 1_000_000; k++) {
  full.record(values[k & (SAMPLES - 1)]!, KEY);
  fullHdr.recordValue(micros[k & (SAMPLES - 1)]!);
}
// Quick mode takes few samples: warm the query paths first so it does not time the interpreter.
for (let k = 0; k < 2_000; k++) {
  full.percentile(99, KEY);
  full.summary(KEY);
  fullHdr.getValueAtPercentile(99);
}
await compare('p50 + p95 + p99 on 1e6 values', {
  baseline: {
    name: 'sre-kit percentile() x3',
    fn: () => full.percentile(50, KEY) + full.percentile(95, KEY) + full.percentile(99, KEY),
  },
  cases: [
    { name: 'sre-kit summary() (p50..p99.9, one scan)', fn: () => full.summary(KEY) },
    {
      name: 'hdr-histogram-js getValueAtPercentile x3',
      fn: () =>
        fullHdr.getValueAtPercentile(50) +
        fullHdr.getValueAtPercentile(95) +
        fullHdr.getValueAtPercentile(99),
    },
  ],
});

// Memory: heap plus ArrayBuffer backing stores (where typed arrays live), after a full GC.
const gc = (globalThis as { gc?: () => void }).gc;
function usedBytes(): number {
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
if (gc === undefined) report('memory', 'skipped (run with --expose-gc, as npm run bench does)');
else {
  const keys = quick ? 50 : 400;
  console.log(`\nmemory per key (2 significant digits; window: 60 s in 6 slices)`);

  let before = usedBytes();
  const lifetime = createLatencyTracker({ window: false, maxKeys: keys });
  for (let k = 0; k < keys; k++)
    for (let n = 0; n < 1000; n++) lifetime.record(values[n & (SAMPLES - 1)]!, `k${k}`);
  const lifetimeBytes = (usedBytes() - before) / keys;
  report(`lifetime histogram (${keys} keys)`, `${kb(lifetimeBytes)} per key`);
  await lifetime.close();

  // Keys at 1,000 records/s for two minutes on a fake clock; the window is what exceeds the lifetime.
  const clock = createFakeClock();
  const busyKeys = quick ? 10 : 100;
  before = usedBytes();
  const busy = createLatencyTracker({ maxKeys: busyKeys + 1 }, { clock });
  const seconds = quick ? 20 : 120;
  for (let s = 0; s < seconds; s++) {
    for (let k = 0; k < busyKeys; k++) {
      for (let n = 0; n < 1000; n++) busy.record(values[(s * 1000 + n) & (SAMPLES - 1)]!, `k${k}`);
    }
    clock.advance(1000);
  }
  const busyBytes = (usedBytes() - before) / busyKeys;
  report(`window, key at 1,000 records/s (${busyKeys} keys)`, `${kb(busyBytes - lifetimeBytes)} per key`);
  // Then those keys go quiet for two minutes while one other key keeps recording (which tidies them).
  for (let s = 0; s < 120; s++) {
    busy.record(values[s & (SAMPLES - 1)]!, 'still-busy');
    clock.advance(1000);
  }
  // Includes a share of what the tracker itself keeps (its pool of spare arrays, the busy key).
  const idleBytes = (usedBytes() - before) / busyKeys;
  report('window, idle key (quiet for 2 min)', `${kb(idleBytes - lifetimeBytes)} per key`);
  await busy.close();
}
