// What cluster-threads.test.ts and its worker thread (cluster-thread.child.ts) say to each other.
import type { SloTrackerOptions } from 'sre-kit';

/** The SLO both ends track, with the same options: the thread counts, the primary merges. */
export const THREAD_SLO: SloTrackerOptions = {
  name: 'orders-availability',
  objective: { kind: 'availability', target: 0.99 },
  window: { kind: 'rolling', durationMs: 3_600_000 },
};

/** A command to the thread: record these [latency ms, good] pairs, or send a last report and exit. */
export type ThreadCommand =
  | { readonly do: 'record'; readonly values: ReadonlyArray<readonly [number, boolean]> }
  | { readonly do: 'close' };
