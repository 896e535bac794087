// SLO tracker costs. record() is on every request's path, so it is compared with the two things it
// must cost about as much as: reading the clock, and the prom-client counter many services already
// bump per request. status() is read by dashboards and agents; it is O(windows) thanks to running
// window sums, so it is measured on a tracker holding 30 days of history.
import { Counter, Registry } from 'prom-client';
import { budgetRemaining, createSloTracker, type SloTrackerOptions } from '../src/slo/index.js';
import { createFakeClock } from '../src/testing/index.js';
import { compare, formatNs, quick, report } from './harness.js';

const DAY = 86_400_000;
const availability: SloTrackerOptions = { name: 'bench', objective: { kind: 'availability', target: 0.999 } };
const latency: SloTrackerOptions = {
  name: 'bench-latency',
  objective: { kind: 'latency', target: 0.95, thresholdMs: 200 },
};

const slo = createSloTracker(availability);
const slow = createSloTracker(latency);
const registry = new Registry();
const counter = new Counter({
  name: 'bench_events_total',
  help: 'events',
  labelNames: ['outcome'],
  registers: [registry],
});
const good = counter.labels('good');
const sample = { ok: true, latencyMs: 120 };
const bad = { ok: true, latencyMs: Number.NaN };
let n = 0;

await compare('record one event (system clock)', {
  baseline: { name: 'Date.now()', fn: () => Date.now() },
  cases: [
    { name: 'slo.record(true)', fn: () => slo.record(true) },
    { name: 'slo.record(i % 100 !== 0, 3)', fn: () => slo.record(n++ % 100 !== 0, 3) },
    { name: 'slo.record({ ok, latencyMs })', fn: () => slow.record(sample) },
    { name: 'slo.record(NaN latency): dropped', fn: () => slow.record(bad) },
    { name: 'prom-client counter.labels().inc()', fn: () => good.inc() },
    { name: 'prom-client counter.inc({ outcome })', fn: () => counter.inc({ outcome: 'good' }) },
  ],
  floor: true,
});

// A tracker with 30 days of history on the real clock: fill one on a fake clock that ends now, then
// restore its snapshot.
const clock = createFakeClock({ start: Date.now() - 30 * DAY });
const filler = createSloTracker(availability, { clock });
for (let minute = 0; minute < 30 * 24 * 60; minute++) {
  filler.record(minute % 500 !== 0, 100);
  clock.advance(60_000);
}
const full = createSloTracker(availability, { snapshot: filler.snapshot() });
const listened = createSloTracker(availability, { snapshot: filler.snapshot() });
listened.on('alert', () => {});

await compare('read status with every window (30 days of history)', {
  baseline: {
    name: 'budgetRemaining() (pure, zod-checked)',
    fn: () => budgetRemaining({ target: 0.999, good: 99, total: 100 }),
  },
  cases: [
    { name: 'slo.status()', fn: () => full.status() },
    { name: 'slo.status() with an alert listener', fn: () => listened.status() },
    { name: 'slo.snapshot()', fn: () => full.snapshot() },
  ],
});

// Memory: the count storage a tracker holds, and what a tracker costs on the heap in total.
report('count storage, 30-day rolling SLO', `${full.diagnostics().memoryBytes} bytes`);
report(
  'count storage, calendar-month SLO',
  `${createSloTracker({ ...availability, window: { kind: 'calendar', unit: 'month' } }).diagnostics().memoryBytes} bytes`,
);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc !== undefined) {
  const count = quick ? 50 : 500;
  gc();
  const before = process.memoryUsage();
  const keep = Array.from({ length: count }, (_, i) => createSloTracker({ ...availability, name: `m${i}` }));
  gc();
  const after = process.memoryUsage();
  const perTracker =
    (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / keep.length;
  report('memory per 30-day SLO tracker (heap + array buffers)', `${(perTracker / 1024).toFixed(1)} KB`);
}
report(
  'snapshot JSON, 30 days of history',
  `${(JSON.stringify(full.snapshot()).length / 1024).toFixed(1)} KB`,
);
report('note', `record() target <= 50 ns, status() target <= 50 µs (${formatNs(50)} / ${formatNs(50_000)})`);
