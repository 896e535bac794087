// The canary judge on two 2-significant-digit HDR histograms (the latency tracker's own), per arm
// 20,000 log-normal values around 20 ms: the issue asks judge.evaluate to stay at or under 1 ms. Cases:
// the default judge on encode() strings (decoding included, as the agent protocol receives them), on
// histogram() values (one process), and the errors-only judge (the e-value alone).
import { createCanaryJudge } from '../src/canary/index.js';
import { createLatencyTracker } from '../src/latency/index.js';
import { compare, formatNs, report } from './harness.js';

const tracker = createLatencyTracker({ window: false });
const gaussian = (): number =>
  Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
for (let i = 0; i < 20_000; i++) {
  tracker.record(Math.exp(3 + 0.3 * gaussian()), 'stable');
  tracker.record(Math.exp(3.05 + 0.3 * gaussian()), 'canary');
}
const encoded = { stable: tracker.encode('stable'), canary: tracker.encode('canary') };
const histograms = { stable: tracker.histogram('stable'), canary: tracker.histogram('canary') };
const judge = createCanaryJudge();
const errorsOnly = createCanaryJudge({ metrics: [{ name: 'errors', kind: 'error-rate', critical: true }] });
const arms = (latency: { stable: unknown; canary: unknown }) => ({
  baseline: { requests: 380_000, errors: 380, latency: latency.stable as string },
  canary: { requests: 20_000, errors: 25, latency: latency.canary as string },
});
const fromEncoded = arms(encoded);
const fromHistograms = arms(histograms);
report(
  'buckets holding values',
  `${histograms.stable.counts.length} (stable), ${histograms.canary.counts.length} (canary)`,
);

// Quick mode takes few samples: warm the decode and test paths first so it does not time the interpreter.
for (let k = 0; k < 200; k++) {
  judge.evaluate(fromEncoded);
  judge.evaluate(fromHistograms);
  errorsOnly.evaluate(fromEncoded);
}
const results = await compare('judge.evaluate on two 2-digit HDR histograms (20,000 values each)', {
  baseline: {
    name: 'default judge, encode() strings (decode included)',
    fn: () => judge.evaluate(fromEncoded),
  },
  cases: [
    { name: 'default judge, histogram() values', fn: () => judge.evaluate(fromHistograms) },
    { name: 'errors-only judge (e-value)', fn: () => errorsOnly.evaluate(fromEncoded) },
  ],
});
const worst = Math.max(...results.map((r) => r.medianNs));
report('slowest case against the 1 ms budget', `${formatNs(worst)} ${worst <= 1e6 ? '(within)' : '(OVER)'}`);
await tracker.close();
