// The benchmark harness. Method: each bench file runs in its own `node` process (a fresh JIT, see
// run.mjs). Inside a file, every case of a comparison is measured with mitata's `measure` (warmup,
// auto-sized batches, `do_not_optimize` on results) once per round, cases interleaved round by round
// so drift hits all alike; a case's figure is the median over rounds of its per-round median.
// Ratios are against the baseline case measured in the same process and rounds.
import { do_not_optimize, measure } from 'mitata';

/** Quick mode (`npm run bench:quick`, run by `npm test`): few samples, so benches never rot. */
export const quick = process.env.BENCH_QUICK === '1';

/** One measured case: a name and a function doing one operation. */
export interface BenchCase {
  readonly name: string;
  readonly fn: () => unknown;
  /**
   * Await the promise `fn` returns before the next call (an async API whose cost includes settling);
   * otherwise only the synchronous call is timed.
   */
  readonly awaited?: boolean;
}

/** A comparison: the baseline others are divided by, the cases, and an optional empty-function floor. */
export interface Comparison {
  readonly baseline: BenchCase;
  readonly cases: readonly BenchCase[];
  readonly floor?: boolean;
  readonly rounds?: number;
}

/** The result of one case: its median time per operation and its ratio to the baseline. */
export interface CaseResult {
  readonly name: string;
  readonly medianNs: number;
  readonly p99Ns: number;
  readonly ratio: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** Measures every case of `comparison`, prints a table under `title` and returns the figures. */
export async function compare(title: string, comparison: Comparison): Promise<CaseResult[]> {
  const all: BenchCase[] = [comparison.baseline, ...comparison.cases];
  if (comparison.floor === true) all.push({ name: '(empty function floor)', fn: () => undefined });
  const rounds = quick ? 1 : (comparison.rounds ?? 5);
  const options = quick
    ? { min_cpu_time: 10e6, max_samples: 200, warmup_samples: 2 }
    : { min_cpu_time: 250e6, max_samples: 1e9 };
  const p50s = all.map(() => [] as number[]);
  const p99s = all.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of all.entries()) {
      const fn = c.fn;
      const stats = await measure(c.awaited === true ? () => fn() : () => do_not_optimize(fn()), options);
      p50s[i]!.push(stats.p50);
      p99s[i]!.push(stats.p99);
    }
  }
  const base = median(p50s[0]!);
  const results = all.map((c, i) => {
    const m = median(p50s[i]!);
    return { name: c.name, medianNs: m, p99Ns: median(p99s[i]!), ratio: m / base };
  });
  printTable(title, results, rounds);
  return results;
}

/** Formats a duration in ns with a sensible unit. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(1)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}

function printTable(title: string, results: readonly CaseResult[], rounds: number): void {
  const width = Math.max(...results.map((r) => r.name.length), 4);
  console.log(`\n${title}${quick ? '  [quick]' : ''}  (median of ${rounds} round${rounds === 1 ? '' : 's'})`);
  console.log(
    `  ${'case'.padEnd(width)}  ${'median'.padStart(10)}  ${'p99'.padStart(10)}  ${'× baseline'.padStart(10)}`,
  );
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(width)}  ${formatNs(r.medianNs).padStart(10)}  ${formatNs(r.p99Ns).padStart(10)}  ${r.ratio.toFixed(2).padStart(10)}`,
    );
  }
}

/** Prints one measured fact that is not a timing (memory, sizes), aligned with the tables. */
export function report(label: string, value: string): void {
  console.log(`  ${label}: ${value}`);
}
