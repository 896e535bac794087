import type { IncidentRecord } from './records.js';
import type { IncidentStore } from './store.js';

/** Options for {@link createMemoryIncidentStore}. */
export interface MemoryIncidentStoreOptions {
  /**
   * Records to start with, as if replayed from a previous run (handy to seed a test).
   * @default []
   */
  readonly records?: readonly IncidentRecord[];
  /**
   * The log is due for compaction once it holds this many records and twice as many as after the
   * last compaction.
   * @default 10_000
   */
  readonly compactAfterRecords?: number;
}

/** An {@link IncidentStore} kept in memory that can also show what it holds, for tests. */
export interface MemoryIncidentStore extends IncidentStore {
  /** A copy of the log as it stands. */
  records(): IncidentRecord[];
}

/**
 * Creates an in-memory incident store: the recorder's default, and a test double (also exported from
 * `sre-kit/testing`). Reusing one store for a second recorder behaves like a restart: the log is
 * replayed and the id sequence continues.
 *
 * @example
 * ```ts
 * const store = createMemoryIncidentStore();
 * const first = createIncidentRecorder({ service: 'api', store });
 * await first.open({ title: 'p99 over SLO', severity: 'P3' }); // INC-2026-001
 * const second = createIncidentRecorder({ service: 'api', store }); // continues at INC-2026-002
 * ```
 */
export function createMemoryIncidentStore(options: MemoryIncidentStoreOptions = {}): MemoryIncidentStore {
  let log: IncidentRecord[] = [...(options.records ?? [])];
  const compactAfter = options.compactAfterRecords ?? 10_000;
  let baseline = 0;

  const store: MemoryIncidentStore = {
    load: () => [...log],
    append(record) {
      log.push(record);
      return Promise.resolve();
    },
    get compactionDue() {
      return log.length >= compactAfter && log.length >= 2 * baseline;
    },
    compact(records) {
      log = [...records];
      baseline = log.length;
      return Promise.resolve();
    },
    records: () => [...log],
    // Nothing to release; the store stays usable so a second recorder can stand in for a restarted process.
    close: () => Promise.resolve(),
    [Symbol.asyncDispose]: () => store.close(),
  };
  return store;
}
