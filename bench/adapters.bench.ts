// The HTTP adapters under real load: Express 5 and Fastify 5, each bare, with the full sre-kit (golden
// signals, the latency tracker, two SLO trackers, a saturation monitor with shedding on) and with the
// usual peer (express-prom-bundle, fastify-metrics); and each with sre-kit's rate limiter against the
// peers' limiters with their memory stores (express-rate-limit 8, @fastify/rate-limit 11), every
// request admitted (issue 16: the limiter must lose less throughput than the peers).
//
// Method: every server variant runs in its own child process (bench/support/<framework>-server.ts,
// bundled as the package is published: see support/build-servers.ts);
// autocannon generates the load from this process over loopback, hitting two parameterised routes
// with varying ids. Each round starts every variant afresh (a new process, so JIT luck is sampled
// too), warms each up, then measures them in short segments, one variant after another with the order
// rotating, so drift (other load on the machine) hits every variant alike; then it stops them. A
// variant's figure is its mean over all segments of all rounds; its ± is the standard error of that
// mean computed over the rounds' means (segments of one process share its JIT luck, so rounds, not
// segments, are the independent samples: one process to the next varies by several per cent);
// ratios are against the bare server of the same framework, and the per-request overhead is
// 1e6/rps_variant − 1e6/rps_bare µs. Beside it, the server's own CPU time per request
// (process.cpuUsage across each segment, over the requests completed), split into user time (where
// JavaScript, sre-kit included, runs) and system time (the kernel's socket work, which on loopback
// also carries the load generator's wake-ups and so grows whenever the server slows down), gives a
// second overhead figure: the user-time difference.
// Nothing here asserts on a timing: the verdict lines only report against the bars of issue 8, and
// quick mode (one short segment per variant) is a smoke run whose numbers mean little.
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { quick, report } from './harness.js';
import { buildServers, type ServerName } from './support/build-servers.js';
import { startServer, type ServerProcess } from './support/server-process.js';

interface Variant {
  readonly framework: 'Express 5' | 'Fastify 5';
  readonly server: ServerName;
  readonly arg: string;
  readonly name: string;
  /**
   * floor: bare plus no-op hooks, what any hook-based plugin pays before doing anything. limiter /
   * limiter-peer: a rate limiter alone, sre-kit's and the framework's usual one.
   */
  readonly role: 'bare' | 'sre' | 'peer' | 'floor' | 'limiter' | 'limiter-plugin' | 'limiter-peer';
}

const VARIANTS: readonly Variant[] = [
  { framework: 'Express 5', server: 'express-server', arg: 'bare', name: 'bare', role: 'bare' },
  { framework: 'Express 5', server: 'express-server', arg: 'sre', name: 'sre-kit (full)', role: 'sre' },
  {
    framework: 'Express 5',
    server: 'express-server',
    arg: 'prom-bundle',
    name: 'express-prom-bundle',
    role: 'peer',
  },
  {
    framework: 'Express 5',
    server: 'express-server',
    arg: 'ratelimit',
    name: 'sre-kit rateLimit',
    role: 'limiter',
  },
  {
    framework: 'Express 5',
    server: 'express-server',
    arg: 'express-rate-limit',
    name: 'express-rate-limit',
    role: 'limiter-peer',
  },
  { framework: 'Fastify 5', server: 'fastify-server', arg: 'bare', name: 'bare', role: 'bare' },
  { framework: 'Fastify 5', server: 'fastify-server', arg: 'sre', name: 'sre-kit (full)', role: 'sre' },
  {
    framework: 'Fastify 5',
    server: 'fastify-server',
    arg: 'fastify-metrics',
    name: 'fastify-metrics',
    role: 'peer',
  },
  { framework: 'Fastify 5', server: 'fastify-server', arg: 'hooks', name: 'two no-op hooks', role: 'floor' },
  {
    framework: 'Fastify 5',
    server: 'fastify-server',
    arg: 'ratelimit-hook',
    name: 'sre-kit limiter hook',
    role: 'limiter',
  },
  {
    framework: 'Fastify 5',
    server: 'fastify-server',
    arg: 'ratelimit',
    name: 'sreFastify rateLimit',
    role: 'limiter-plugin',
  },
  {
    framework: 'Fastify 5',
    server: 'fastify-server',
    arg: 'fastify-rate-limit',
    name: '@fastify/rate-limit',
    role: 'limiter-peer',
  },
];

// Issue 8's bars: throughput loss and added µs per request for the full sre-kit against bare.
const MAX_LOSS = 0.05;
const MAX_OVERHEAD_US: Record<Variant['framework'], number> = { 'Express 5': 5, 'Fastify 5': 3 };

const envNumber = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const ROUNDS = quick ? 1 : envNumber('BENCH_ROUNDS', 6);
const SEGMENTS = quick ? 1 : envNumber('BENCH_SEGMENTS', 2);
const WARMUP_S = quick ? 0.5 : envNumber('BENCH_WARMUP_S', 3);
const DURATION_S = quick ? 1 : envNumber('BENCH_DURATION_S', 2);
const CONNECTIONS = quick ? 10 : envNumber('BENCH_CONNECTIONS', 50);
const PIPELINING = envNumber('BENCH_PIPELINING', 1);
const VERBOSE = process.env.BENCH_VERBOSE === '1';

// Two routes with params, ids varying request to request; static, so autocannon builds them once.
const REQUESTS: AutocannonRequest[] = Array.from({ length: 128 }, (_, i) => ({
  method: 'GET',
  path: i % 2 === 0 ? `/users/${1_000 + i * 37}` : `/orgs/${i % 7}/repos/repo-${i}`,
}));

interface Run {
  readonly rps: number;
  readonly p99Ms: number;
  /** Server CPU time per completed request, µs: user (JavaScript, GC) and system (kernel). */
  readonly userUs: number;
  readonly systemUs: number;
  readonly bad: number;
}

const load = (url: string, durationS: number): Promise<AutocannonResult> =>
  autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    duration: durationS,
    // The run ends at the first sample tick after `duration`: tick often so short runs end on time.
    sampleInt: 250,
    requests: REQUESTS,
  });

async function measure(server: ServerProcess): Promise<Run> {
  const cpuBefore = await server.cpuMicros();
  const r = await load(server.url, DURATION_S);
  const cpuAfter = await server.cpuMicros();
  return {
    rps: r.requests.total / r.duration,
    p99Ms: r.latency.p99,
    userUs: (cpuAfter.user - cpuBefore.user) / r.requests.total,
    systemUs: (cpuAfter.system - cpuBefore.system) / r.requests.total,
    bad: r.non2xx + r.errors + r.timeouts,
  };
}

// What the instrumented servers expose after the load: proof the instrumentation was on, and its size.
async function metricsFacts(server: ServerProcess): Promise<string> {
  const res = await fetch(`${server.url}/metrics`);
  const text = await res.text();
  const series = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  let counted = 0;
  for (const line of series) {
    if (line.startsWith('sre_http_requests_total{')) counted += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  const sre = counted > 0 ? `, sre_http_requests_total sums to ${counted.toLocaleString('en-US')}` : '';
  return `${series.length} series, ${(text.length / 1024).toFixed(1)} KiB${sre}`;
}

const runs = VARIANTS.map(() => [] as Run[]);
const facts = VARIANTS.map(() => '');
const started = performance.now();
console.log(
  `HTTP adapters: ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} × ${SEGMENTS} segment${SEGMENTS === 1 ? '' : 's'} ` +
    `of ${DURATION_S} s per variant (after ${WARMUP_S} s warm-up), ${CONNECTIONS} connections, ` +
    `pipelining ${PIPELINING}${quick ? '  [quick]' : ''}`,
);

const built = await buildServers();
try {
  for (let round = 0; round < ROUNDS; round++) {
    // Start the round's servers together (startup is the slow part), then load one at a time.
    const servers = await Promise.all(
      VARIANTS.map((v) => startServer(v.server, built.args(v.server), v.arg)),
    );
    try {
      for (const server of servers) await load(server.url, WARMUP_S);
      for (let segment = 0; segment < SEGMENTS; segment++) {
        for (let k = 0; k < VARIANTS.length; k++) {
          const i = (k + round + segment) % VARIANTS.length;
          runs[i]!.push(await measure(servers[i]!));
        }
      }
      if (round === ROUNDS - 1) {
        for (const [i, v] of VARIANTS.entries())
          if (v.role === 'sre' || v.role === 'peer') facts[i] = await metricsFacts(servers[i]!);
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  }
} finally {
  await built.clean();
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
// Standard error of the mean, relative to it: how far the mean itself may be off.
const relativeError = (xs: readonly number[]): number => {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  const variance = xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
  return Math.sqrt(variance / xs.length) / m;
};
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
const loses = (loss: number): string => (loss >= 0 ? `loses ${pct(loss)}` : `gains ${pct(-loss)}`);

// One row per variant: [header, width, cell].
type Column = readonly [string, number, (i: number) => string];

for (const framework of ['Express 5', 'Fastify 5'] as const) {
  const idx = VARIANTS.flatMap((v, i) => (v.framework === framework ? [i] : []));
  const find = (role: Variant['role']): number | undefined => idx.find((i) => VARIANTS[i]!.role === role);
  const of = (role: Variant['role']): number => find(role)!;
  const avg = (i: number, field: 'rps' | 'p99Ms' | 'userUs' | 'systemUs'): number =>
    mean(runs[i]!.map((r) => r[field]));
  const bareIndex = of('bare');
  const bare = avg(bareIndex, 'rps');
  const overhead = (i: number): number => 1e6 / avg(i, 'rps') - 1e6 / bare;
  const userOverhead = (i: number): number => avg(i, 'userUs') - avg(bareIndex, 'userUs');
  const vsBare = (i: number, value: (i: number) => number): string =>
    i === bareIndex ? '—' : signed(value(i));
  // Each round's mean req/s: runs are pushed round by round, SEGMENTS per round.
  const roundMeans = (i: number): number[] =>
    Array.from({ length: ROUNDS }, (_, r) =>
      mean(runs[i]!.slice(r * SEGMENTS, (r + 1) * SEGMENTS).map((run) => run.rps)),
    );
  const columns: readonly Column[] = [
    ['req/s', 8, (i) => int(avg(i, 'rps'))],
    ['±', 6, (i) => (ROUNDS === 1 ? '—' : pct(relativeError(roundMeans(i))))],
    ['p99 ms', 6, (i) => avg(i, 'p99Ms').toFixed(1)],
    ['× bare', 6, (i) => (avg(i, 'rps') / bare).toFixed(3)],
    ['+µs/req', 8, (i) => vsBare(i, overhead)],
    ['user µs', 7, (i) => avg(i, 'userUs').toFixed(1)],
    ['+user', 6, (i) => vsBare(i, userOverhead)],
    ['sys µs', 6, (i) => avg(i, 'systemUs').toFixed(1)],
    ['bad', 4, (i) => String(runs[i]!.reduce((n, r) => n + r.bad, 0))],
  ];
  const n = ROUNDS * SEGMENTS;
  console.log(
    `\n${framework}  (mean of ${n} segment${n === 1 ? '' : 's'}; ± = standard error over rounds; ` +
      `user/sys = server CPU per request; bad = non-2xx + errors)`,
  );
  console.log(`  ${'variant'.padEnd(20)}${columns.map(([h, w]) => `  ${h.padStart(w)}`).join('')}`);
  for (const i of idx) {
    console.log(
      `  ${VARIANTS[i]!.name.padEnd(20)}${columns.map(([, w, cell]) => `  ${cell(i).padStart(w)}`).join('')}`,
    );
  }
  // BENCH_VERBOSE=1: each round's req/s (one server process each), to tell JIT luck from noise.
  if (VERBOSE) {
    for (const i of idx) report(`req/s by round, ${VARIANTS[i]!.name}`, roundMeans(i).map(int).join(' '));
  }
  const sreIndex = of('sre');
  const peer = VARIANTS[of('peer')]!;
  const sreLoss = 1 - avg(sreIndex, 'rps') / bare;
  const peerLoss = 1 - avg(of('peer'), 'rps') / bare;
  const bar = MAX_OVERHEAD_US[framework];
  const checks = [sreLoss <= MAX_LOSS, overhead(sreIndex) <= bar, sreLoss < peerLoss];
  const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  console.log(
    `  verdict: sre-kit ${loses(sreLoss)} of bare req/s (bar ≤ 5 %: ${met(checks[0]!)}), ` +
      `${signed(overhead(sreIndex))} µs/req (bar ≤ +${bar} µs: ${met(checks[1]!)}; ` +
      `server user CPU ${signed(userOverhead(sreIndex))} µs/req), ` +
      `${peer.name} ${loses(peerLoss)} (sre-kit loses less: ${met(checks[2]!)}) → ` +
      `${checks.every(Boolean) ? 'all bars met' : 'NOT all bars met'}` +
      `${quick ? ' [quick: one 1 s segment, indicative only]' : ''}`,
  );
  const floor = find('floor');
  if (floor !== undefined)
    console.log(
      `  floor: ${VARIANTS[floor]!.name} ${loses(1 - avg(floor, 'rps') / bare)}, ` +
        `${signed(overhead(floor))} µs/req (server user CPU ${signed(userOverhead(floor))} µs/req): ` +
        `Fastify's own cost for a plugin that times requests with hooks, before it does any work`,
    );
  const limiter = find('limiter');
  const limiterPeer = find('limiter-peer');
  if (limiter !== undefined && limiterPeer !== undefined) {
    const lossOf = (i: number): number => 1 - avg(i, 'rps') / bare;
    const describe = (i: number): string =>
      `${VARIANTS[i]!.name} ${loses(lossOf(i))} (${signed(overhead(i))} µs/req)`;
    const plugin = find('limiter-plugin');
    console.log(
      `  rate limiting (every request admitted, headers on): ${describe(limiter)}` +
        `${plugin === undefined ? '' : `, ${describe(plugin)}`}; ${describe(limiterPeer)} → ` +
        `sre-kit loses less: ${met(lossOf(limiter) < lossOf(limiterPeer))}` +
        `${quick ? ' [quick: indicative only]' : ''}`,
    );
  }
  for (const i of idx)
    if (facts[i] !== '') report(`/metrics after the last round, ${VARIANTS[i]!.name}`, facts[i]!);
}
console.log('');
report('wall time', `${((performance.now() - started) / 1000).toFixed(1)} s`);
