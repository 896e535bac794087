// Run by cluster-threads.test.ts as a worker thread: a latency tracker and an SLO tracker reported to
// the primary by createClusterWorker over its default channel (parentPort). The test tells it what to
// record and when to close; it acknowledges each, after the work is done.
import { parentPort, workerData } from 'node:worker_threads';
import { createLatencyTracker, createSloTracker } from 'sre-kit';
import { createClusterWorker } from 'sre-kit/cluster';
import { THREAD_SLO, type ThreadCommand } from './cluster-thread.protocol.js';

const { intervalMs } = workerData as { intervalMs: number };
const latency = createLatencyTracker({ window: false });
const slo = createSloTracker(THREAD_SLO);
// No `send`: in a worker thread the reporter posts to parentPort by itself.
const reporter = createClusterWorker({ latency, slos: [slo], intervalMs });

// The port keeps the thread alive (the reporter's timer is unref'd) until close.
parentPort?.on('message', (command: ThreadCommand) => {
  if (command.do === 'record') {
    for (const [ms, ok] of command.values) {
      latency.record(ms);
      slo.record(ok);
    }
    parentPort?.postMessage({ done: 'record', n: command.values.length });
  } else {
    void reporter.close().then(() => {
      parentPort?.postMessage({ done: 'close' });
      parentPort?.close();
    });
  }
});
