// A flaky price service behind retry + circuit breaker + timeout. It runs three phases against the real
// clock (about two seconds in all): flaky (retries hide the failures), down (the breaker opens and
// calls fail fast, served from a cache), and recovered (after openMs a probe closes the breaker).
import {
  CircuitOpenError,
  compose,
  createCircuitBreaker,
  createRetryBudget,
  createRetryPolicy,
  createTimeout,
  isSreError,
  type ExecuteContext,
} from 'sre-kit';

// A seeded random source (mulberry32), so every run prints the same story.
let seed = 42;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

// The dependency: answers in 5 ms, fails `errorRate` of calls, and hangs for 10 s on `hangRate` of
// them. It honours the signal as fetch does: an abort cancels the request at once.
const service = { errorRate: 0, hangRate: 0 };
function fetchPrice({ signal }: ExecuteContext): Promise<number> {
  return new Promise((resolve, reject) => {
    const roll = random();
    const hangs = roll < service.hangRate;
    const fails = roll < service.hangRate + service.errorRate;
    const timer = setTimeout(() => (fails ? reject(new Error('HTTP 503')) : resolve(42)), hangs ? 10_000 : 5);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('request cancelled'));
      },
      { once: true },
    );
  });
}

const breaker = createCircuitBreaker({
  name: 'prices',
  failureThreshold: { kind: 'rate', ratio: 0.5, minimumCalls: 10, windowMs: 1_000 },
  openMs: 300,
});
const retry = createRetryPolicy(
  { retries: 2, minDelayMs: 10, maxDelayMs: 50, budget: createRetryBudget({ ratio: 0.5, minPerSecond: 5 }) },
  { random },
);
const policy = compose(retry, breaker, createTimeout(50)); // outermost first: each attempt has 50 ms

const log: string[] = [];
breaker.on('stateChange', ({ from, to }) => {
  log.push(`  breaker ${from} -> ${to}`);
});
let retries = 0;
retry.on('retry', () => {
  retries++;
});

async function getPrice(): Promise<string> {
  try {
    return `${await policy.execute(fetchPrice)} (fresh)`;
  } catch (error) {
    if (error instanceof CircuitOpenError)
      return `41 (cached; circuit open, retry in ${Math.ceil(error.retryAfterMs)} ms)`;
    return `error: ${isSreError(error) ? error.code : (error as Error).message}`;
  }
}

async function phase(title: string, requests: number, pauseMs: number): Promise<void> {
  console.log(`\n${title}`);
  const counts = new Map<string, number>();
  for (let i = 0; i < requests; i++) {
    const answer = await getPrice();
    const kind = answer.replace(/ \(cached.*\)/, ' (cached)');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (log.length > 0) console.log(`${log.splice(0).join('\n')}, during request ${i + 1}: ${answer}`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  for (const [answer, count] of counts) console.log(`  ${count} x ${answer}`);
  console.log(`  ${retries} retries`);
  retries = 0;
}

Object.assign(service, { errorRate: 0.2, hangRate: 0.1 });
await phase('1. flaky: 20% errors, 10% hangs', 20, 5);
Object.assign(service, { errorRate: 1, hangRate: 0 });
await phase('2. down: every call fails', 20, 10);
Object.assign(service, { errorRate: 0, hangRate: 0 });
await new Promise((resolve) => setTimeout(resolve, 300));
await phase('3. recovered', 10, 5);

const stats = breaker.stats();
console.log(
  `\nbreaker ${stats.state}: ${stats.calls} attempts let through, ${stats.failures} failed` +
    ` (timeouts included), ${stats.rejections} refused while open`,
);
breaker.close();
