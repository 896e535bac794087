// Incident recorder throughput: open + resolve pairs per second on the file store, with fsync on and
// off, one at a time (each pair waits for two durable appends) and 32 in flight (appends that arrive
// together share one write and one fdatasync). The memory store is the ceiling. Disk-bound numbers
// depend on the device far more than on the code: compare the rows, not the machines.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createFileIncidentStore,
  createIncidentRecorder,
  createMemoryIncidentStore,
  type IncidentStore,
} from '../src/index.js';
import { quick, report } from './harness.js';

const dir = await mkdtemp(join(tmpdir(), 'sre-kit-bench-'));
let file = 0;

async function pairsPerSecond(store: IncidentStore, pairs: number, concurrency: number): Promise<number> {
  const recorder = createIncidentRecorder({ service: 'bench', store, maxIncidents: 1_000_000 });
  await recorder.ready();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pairs) {
      next++;
      const incident = await recorder.open({ title: 'bench', severity: 'P3' });
      await recorder.resolve(incident.id, { resolution: 'done' });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1_000;
  await recorder.close();
  return pairs / seconds;
}

const fileStore = (fsync: boolean): IncidentStore =>
  createFileIncidentStore({ path: join(dir, `bench-${file++}.jsonl`), fsync });
const fmt = (perSecond: number): string => `${Math.round(perSecond).toLocaleString('en-US')} open+resolve/s`;

console.log(`\nincident recorder: open + resolve pairs per second${quick ? '  [quick]' : ''}`);
const n = quick ? { durable: 60, fast: 2_000 } : { durable: 1_000, fast: 20_000 };
try {
  // Warm up the JIT on the code path, not the disk.
  await pairsPerSecond(createMemoryIncidentStore(), 500, 1);
  report('memory store, 1 in flight', fmt(await pairsPerSecond(createMemoryIncidentStore(), n.fast, 1)));
  report('file store, fsync off, 1 in flight', fmt(await pairsPerSecond(fileStore(false), n.fast, 1)));
  report('file store, fsync off, 32 in flight', fmt(await pairsPerSecond(fileStore(false), n.fast, 32)));
  report('file store, fsync on, 1 in flight', fmt(await pairsPerSecond(fileStore(true), n.durable, 1)));
  report('file store, fsync on, 32 in flight', fmt(await pairsPerSecond(fileStore(true), n.durable * 4, 32)));
} finally {
  await rm(dir, { recursive: true, force: true });
}
