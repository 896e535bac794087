// sre-kit/cluster with worker threads: real `worker_threads` Workers, each reporting over its default
// channel (parentPort) to a primary that attach()es them. The merged percentiles and SLO counts equal
// one tracker fed every value; a terminated thread loses at most what it recorded since its last report.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { createLatencyTracker, createSloTracker, renderMetrics } from 'sre-kit';
import { createClusterPrimary, type ClusterPrimary } from 'sre-kit/cluster';
import { bundleChild, type ChildBundle } from '../helpers/child-bundle.js';
import { THREAD_SLO, type ThreadCommand } from './cluster-thread.protocol.js';

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let bundle: ChildBundle | undefined;
async function threadEntry(): Promise<string> {
  if (bundle === undefined) {
    bundle = await bundleChild(join(import.meta.dirname, 'cluster-thread.child.ts'), 'sre-kit-threads-');
    const made = bundle;
    cleanups.push(() => made.remove());
  }
  return bundle.entry;
}

/** A thread attached to `primary`, and a way to send it a command and wait for its acknowledgement. */
async function startThread(primary: ClusterPrimary, intervalMs: number) {
  const worker = new Worker(await threadEntry(), { workerData: { intervalMs } });
  cleanups.push(() => worker.terminate());
  primary.attach(worker);
  const ask = (command: ThreadCommand): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`thread did not acknowledge ${command.do}`)), 10_000);
      const onMessage = (message: { done?: string }): void => {
        if (message.done !== command.do) return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve();
      };
      worker.on('message', onMessage);
      worker.postMessage(command);
    });
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  return { worker, ask, exited };
}

/** Deterministic values per thread: latencies spread over four decades, one in ten requests bad. */
function values(thread: number, n: number): Array<[number, boolean]> {
  return Array.from({ length: n }, (_, i) => [((i * 37 + thread * 11) % 997) * 1.7 + 0.5, i % 10 !== 3]);
}

/** sre_slo_events_total by outcome, as the primary's /metrics would serve it. */
function served(primary: ClusterPrimary): { good: number; bad: number } {
  const text = renderMetrics([primary.metrics]);
  const read = (outcome: string): number =>
    Number(
      new RegExp(
        `^sre_slo_events_total\\{slo="${THREAD_SLO.name}",outcome="${outcome}"\\} (\\d+)$`,
        'm',
      ).exec(text)?.[1] ?? 0,
    );
  return { good: read('good'), bad: read('bad') };
}

async function until(what: string, timeoutMs: number, probe: () => boolean): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('sre-kit/cluster with worker threads', () => {
  it('merges three threads into percentiles and SLO counts equal to one tracker fed every value', async () => {
    const latency = createLatencyTracker({ window: false });
    const slo = createSloTracker(THREAD_SLO);
    const primary = createClusterPrimary({ latency, slos: [slo] });
    cleanups.push(() => primary.close());
    const reference = { latency: createLatencyTracker({ window: false }), slo: createSloTracker(THREAD_SLO) };

    const threads = await Promise.all([0, 1, 2].map(() => startThread(primary, 200)));
    // Two rounds each, so the primary merges interval reports as well as the last one.
    for (const round of [0, 1])
      await Promise.all(
        threads.map(async (thread, t) => {
          const batch = values(t * 2 + round, 300);
          for (const [ms, ok] of batch) {
            reference.latency.record(ms);
            reference.slo.record(ok);
          }
          await thread.ask({ do: 'record', values: batch });
          await new Promise((resolve) => setTimeout(resolve, 250)); // an interval passes
        }),
      );
    for (const thread of threads) {
      await thread.ask({ do: 'close' });
      await thread.exited;
    }

    // The same histogram bucket for bucket, so the same percentiles (up to the exact min/max clamp of
    // a tracker fed the values itself).
    expect(latency.encode()).toBe(reference.latency.encode());
    const [merged, expected] = [latency.summary(), reference.latency.summary()];
    expect(merged.count).toBe(1_800);
    for (const p of ['p50', 'p90', 'p99', 'p999'] as const)
      expect(Math.abs(merged[p] - expected[p])).toBeLessThanOrEqual(expected[p] * 0.01 + 0.001);
    const { good, total } = reference.slo.status();
    expect(slo.status()).toMatchObject({ good, total });
    expect(served(primary)).toEqual({ good, bad: total - good });
    // Every thread was heard from, over its own channel, and exited; nothing was rejected.
    const workers = primary.workers();
    expect(workers).toHaveLength(3);
    for (const w of workers) expect(w).toMatchObject({ exited: true, missed: 0 });
    expect(workers.every((w) => w.id.startsWith('thread:') && w.reports >= 2)).toBe(true);
    expect(primary.stats().rejected).toBe(0);
  }, 60_000);

  it('a terminated thread loses at most what it recorded since its last report', async () => {
    const slo = createSloTracker(THREAD_SLO);
    const primary = createClusterPrimary({ slos: [slo], latency: createLatencyTracker({ window: false }) });
    cleanups.push(() => primary.close());
    const intervalMs = 500;
    const thread = await startThread(primary, intervalMs);

    await thread.ask({ do: 'record', values: values(0, 200) });
    // Reported within an interval or two.
    await until('the first batch to be merged', 10_000, () => slo.status().total === 200);
    // More, then the thread is stopped before its next report can carry all of it.
    await thread.ask({ do: 'record', values: values(1, 150) });
    await thread.worker.terminate();
    const { total } = slo.status();
    console.log(
      `cluster threads: terminated a thread 150 events after its last full report; lost ${350 - total}`,
    );
    expect(total).toBeGreaterThanOrEqual(200); // what it reported stays
    expect(350 - total).toBeLessThanOrEqual(150); // at most its last interval
    expect(primary.workers()[0]).toMatchObject({ exited: true });
  }, 60_000);
});
