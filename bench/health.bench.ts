// The health registry's per-probe cost. A probe endpoint is hit by every kubelet and load balancer
// every few seconds, so answering from cache must be cheap: with 50 cached checks, check() should
// cost little more than walking the 50 results. Compared against running every check per request
// (what terminus-style libraries do) and against the renderers that follow it.
import { measure } from 'mitata';
import { createHealthRegistry, toHealthJson, toProbeText, type HealthCheckResult } from '../src/index.js';
import { compare, formatNs, quick, report } from './harness.js';

const N = 50;
const fns = Array.from(
  { length: N },
  (_, i) => () => Promise.resolve({ observedValue: i, observedUnit: 'ms' }),
);

const cached = createHealthRegistry({ cacheTtlMs: 3_600_000 });
fns.forEach((fn, i) => cached.register(`check-${i}`, fn, { probes: ['readiness', 'liveness'] }));
const uncached = createHealthRegistry({ cacheTtlMs: 0 });
fns.forEach((fn, i) => uncached.register(`check-${i}`, fn));
const result: HealthCheckResult = await cached.check(); // fills the cache
const results = result.checks;

// The synchronous part: with every result cached, check() assembles its answer before returning.
await compare(`check() with ${N} cached checks (synchronous work)`, {
  baseline: {
    name: `copy ${N} cached results into an array (floor)`,
    fn: () => {
      const out = new Array(N);
      for (let i = 0; i < N; i++) out[i] = results[i];
      return out;
    },
  },
  cases: [
    { name: 'health.check()', fn: () => cached.check() },
    { name: "health.check({ probe: 'readiness' })", fn: () => cached.check({ probe: 'readiness' }) },
    { name: "health.check({ exclude: ['check-0'] })", fn: () => cached.check({ exclude: ['check-0'] }) },
    { name: 'toProbeText(result) (pass → "ok")', fn: () => toProbeText(result) },
    { name: 'toProbeText(result, { verbose })', fn: () => toProbeText(result, { verbose: true }) },
    { name: 'toHealthJson(result)', fn: () => toHealthJson(result) },
    {
      name: 'JSON.stringify(toHealthJson(result).body)',
      fn: () => JSON.stringify(toHealthJson(result).body),
    },
  ],
  floor: true,
});

// Awaited end to end (mitata awaits async functions), as a probe handler sees it.
const options = quick
  ? { min_cpu_time: 10e6, max_samples: 200, warmup_samples: 2 }
  : { min_cpu_time: 500e6, max_samples: 1e9 };
console.log(`\nawaited, per call${quick ? '  [quick]' : ''}`);
const awaited = async (label: string, fn: () => Promise<unknown>): Promise<void> => {
  const stats = await measure(fn, options);
  report(
    label.padEnd(58),
    `${formatNs(stats.p50).padStart(10)} median, ${formatNs(stats.p99).padStart(10)} p99`,
  );
};
await awaited(`await health.check(), ${N} cached checks`, () => cached.check());
await awaited(`await Promise.all of ${N} check fns (run all per request)`, () =>
  Promise.all(fns.map((f) => f())),
);
await awaited(`await health.check(), ${N} checks run every call`, () => uncached.check());

cached.close();
uncached.close();
