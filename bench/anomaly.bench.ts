// Anomaly detector costs. observe() adds to the open bucket (the cost per call when a signal is fed
// per request); closing a bucket scores it against both baselines, learns and moves the alert state
// (the cost once per bucket per signal). Both are O(1). The baseline is the bare arithmetic of one
// EWMA update, what any streaming detector must at least do. Memory: issue 15 asks <= 4 KB a signal.
import { createAnomalyDetector } from '../src/anomaly/index.js';
import { createFakeClock } from '../src/testing/index.js';
import { compare, quick, report } from './harness.js';

const MINUTE = 60_000;
const clock = createFakeClock({ start: Date.UTC(2024, 0, 1) });
const detector = createAnomalyDetector({ seasonality: 'hour-of-week' }, { clock });
// Three weeks of history for one signal, so the seasonal model is blended in and every slot is seen.
for (let m = 0; m < 3 * 7 * 1440; m++) {
  detector.observe('latency_p99', 200 + 50 * Math.sin((2 * Math.PI * m) / 1440) + ((m * 7919) % 13));
  clock.advance(MINUTE);
}
detector.evaluate();
const weight = (detector.status()[0] as { evidence: { seasonalWeight: number } }).evidence.seasonalWeight;
if (weight !== 1) throw new Error(`seasonal model not blended in (${weight})`);

let level = 0;
let minute = Math.floor(clock.wallNow() / MINUTE);
let n = 0;

await compare('observe()', {
  baseline: {
    name: 'one EWMA update (bare arithmetic)',
    fn: () => (level += 0.1 * (n++ % 17) - 0.1 * level),
  },
  cases: [
    // Same bucket: only the accumulator moves.
    {
      name: 'observe() into the open bucket',
      fn: () => detector.observe('latency_p99', 210, minute * MINUTE),
    },
    // A new bucket every call: the previous one is closed, scored and learned from.
    {
      name: 'observe() closing a bucket (score, learn, alert state)',
      fn: () => detector.observe('latency_p99', 200 + (n++ % 17), ++minute * MINUTE),
    },
    { name: 'observe(NaN): counted and dropped', fn: () => detector.observe('latency_p99', Number.NaN) },
  ],
  floor: true,
});

const four = createAnomalyDetector({ seasonality: 'hour-of-week' }, { clock });
for (let m = 0; m < 1440; m++) {
  for (const s of ['traffic', 'error_rate', 'latency_p99', 'saturation'])
    four.observe(s, 100 + (m % 7), clock.wallNow());
  clock.advance(MINUTE);
}
await compare('reading (4 signals)', {
  baseline: { name: 'stats()', fn: () => four.stats() },
  cases: [
    { name: 'status()', fn: () => four.status() },
    { name: 'predictions()', fn: () => four.predictions() },
    { name: 'snapshot()', fn: () => four.snapshot() },
  ],
});

const gc = (globalThis as { gc?: () => void }).gc;
if (gc !== undefined) {
  const signals = quick ? 50 : 500;
  const memClock = createFakeClock({ start: Date.UTC(2024, 0, 1) });
  gc();
  const before = process.memoryUsage();
  const many = createAnomalyDetector(
    { seasonality: 'hour-of-week', maxSignals: signals },
    { clock: memClock },
  );
  // A week of minutes, so every one of the 168 slots of every signal holds a value.
  for (let m = 0; m < 7 * 1440; m += quick ? 60 : 10) {
    for (let s = 0; s < signals; s++) many.observe(`signal_${s}`, 100 + (m % 11), memClock.wallNow());
    memClock.advance((quick ? 60 : 10) * MINUTE);
  }
  gc();
  const after = process.memoryUsage();
  const bytes = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / signals;
  report(`memory per signal (${signals} hour-of-week signals, a week in)`, `${bytes.toFixed(0)} B`);
  report('estimate the detector states (stats().bytesPerSignal)', `${many.stats().bytesPerSignal} B`);
  report('snapshot JSON per signal', `${(JSON.stringify(many.snapshot()).length / signals).toFixed(0)} B`);
}
report('targets', 'O(1) per observation and bucket, <= 4 KB a signal (issue 15)');
