// Rate-limit decisions per second: sre-kit's consume (GCRA and sliding window) against the memory
// stores of rate-limiter-flexible 11 (RateLimiterMemory.consume) and express-rate-limit 8
// (MemoryStore.increment), measured in the same run. The peers' APIs are async, so their cases await
// each decision; sre-kit's consume is synchronous, and is also shown awaited for a like-for-like figure.
// Target (issue 16): consume >= 3 M decisions/s on one core. Memory: retained bytes per key.
import { MemoryStore } from 'express-rate-limit';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createRateLimiter } from '../src/index.js';
import { compare, quick, report, type CaseResult } from './harness.js';

const KEYS = 10_000;
const keys = Array.from({ length: KEYS }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
const find = (results: readonly CaseResult[], name: string): CaseResult => {
  const found = results.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no case ${name}`);
  return found;
};
const perSecond = (ns: number): string => `${(1e9 / ns / 1e6).toFixed(2)} M/s`;
const swallow = (): void => {};

// Realistic limits (100 a minute) with a burst so large that every decision in the admitted cases
// admits: keys stay live for the whole run, as a busy client's would (a key idle past its limit is
// swept and re-added, which a 1000-per-ms limit would make happen on every call).
const gcra = createRateLimiter({ rate: 100, perMs: 60_000, burst: 1e9, maxKeys: 100_000 });
const sliding = createRateLimiter({ algorithm: 'sliding-window', rate: 1e9, perMs: 60_000 });
const flexible = new RateLimiterMemory({ points: 1e9, duration: 60 });
const erl = new MemoryStore();
erl.init({ windowMs: 60_000 } as never);

let next = 0;
const rotating = (): string => {
  next = next === KEYS - 1 ? 0 : next + 1;
  return keys[next]!;
};

async function decisions(title: string, key: () => string): Promise<CaseResult[]> {
  const results = await compare(title, {
    baseline: {
      name: 'rate-limiter-flexible 11 memory consume',
      fn: () => flexible.consume(key()),
      awaited: true,
    },
    cases: [
      { name: 'express-rate-limit 8 MemoryStore.increment', fn: () => erl.increment(key()), awaited: true },
      { name: 'sre-kit consume (GCRA)', fn: () => gcra.consume(key()) },
      { name: 'sre-kit consume (sliding window)', fn: () => sliding.consume(key()) },
      {
        name: 'sre-kit consume (GCRA), awaited',
        fn: () => Promise.resolve(gcra.consume(key())),
        awaited: true,
      },
    ],
    floor: true,
  });
  for (const r of results) if (!r.name.startsWith('(')) report(`${r.name}`, perSecond(r.medianNs));
  return results;
}

const hot = await decisions('one key, admitted', () => '203.0.113.7');
const spread = await decisions(`${KEYS.toLocaleString('en')} keys round-robin, admitted`, rotating);

// Refusals: one key over its limit (rate-limiter-flexible rejects its promise with a RateLimiterRes).
const tight = createRateLimiter({ rate: 1, perMs: 60_000 });
const tightFlexible = new RateLimiterMemory({ points: 1, duration: 60 });
tight.consume('k');
await tightFlexible.consume('k');
const refused = await compare('one key, refused', {
  baseline: {
    name: 'rate-limiter-flexible 11 memory consume (rejects)',
    fn: () => tightFlexible.consume('k').catch(swallow),
    awaited: true,
  },
  cases: [
    {
      name: 'express-rate-limit 8 MemoryStore.increment (over limit)',
      fn: () => erl.increment('k'),
      awaited: true,
    },
    { name: 'sre-kit consume (GCRA)', fn: () => tight.consume('k') },
  ],
});
if (tight.consume('k').allowed) throw new Error('the refused case admitted');

const ours = find(spread, 'sre-kit consume (GCRA)');
report(
  'target consume >= 3 M decisions/s (10k keys)',
  `${perSecond(ours.medianNs)}, ${1e9 / ours.medianNs >= 3e6 ? 'met' : 'MISSED'}`,
);
for (const [label, results, name] of [
  ['one key', hot, 'sre-kit consume (GCRA)'],
  ['10k keys', spread, 'sre-kit consume (GCRA)'],
  ['refused', refused, 'sre-kit consume (GCRA)'],
] as const) {
  const ratio = 1 / find(results, name).ratio;
  report(`${label}: sre-kit GCRA vs rate-limiter-flexible`, `${ratio.toFixed(1)}x the decisions/s`);
}
const vsErl = find(spread, 'express-rate-limit 8 MemoryStore.increment').medianNs / ours.medianNs;
report('10k keys: sre-kit GCRA vs express-rate-limit', `${vsErl.toFixed(1)}x the decisions/s`);

// Memory per key: distinct keys into a fresh store each, retained heap + ArrayBuffers after GC.
const retained = (): number => {
  global.gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};
const count = quick ? 20_000 : 200_000;
const distinct = Array.from({ length: count }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
async function bytesPerKey(fill: () => Promise<unknown>): Promise<number> {
  const before = retained();
  const holder = await fill();
  const bytes = (retained() - before) / count;
  if (holder === undefined) throw new Error('store lost');
  return bytes;
}
const ourBytes = await bytesPerKey(async () => {
  const limiter = createRateLimiter({ rate: 10, perMs: 60_000, maxKeys: count });
  for (const key of distinct) limiter.consume(key);
  return limiter;
});
const flexibleBytes = await bytesPerKey(async () => {
  const store = new RateLimiterMemory({ points: 10, duration: 60 });
  for (const key of distinct) await store.consume(key);
  return store;
});
const erlBytes = await bytesPerKey(async () => {
  const store = new MemoryStore();
  store.init({ windowMs: 60_000 } as never);
  for (const key of distinct) await store.increment(key);
  return store;
});
report(`retained per key, ${count.toLocaleString('en')} keys: sre-kit`, `${ourBytes.toFixed(0)} B`);
report('retained per key: rate-limiter-flexible (one timer per key)', `${flexibleBytes.toFixed(0)} B`);
report('retained per key: express-rate-limit', `${erlBytes.toFixed(0)} B`);

erl.shutdown();
process.exit(0);
