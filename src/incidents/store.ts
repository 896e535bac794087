import type { IncidentRecord } from './records.js';

/**
 * Where a recorder keeps its incident log. A store is an append-only log of {@link IncidentRecord}s:
 * the recorder replays it once on start, appends every change, and hands it a snapshot to compact to
 * when it says the log has grown. Two are built in: {@link createMemoryIncidentStore} and
 * {@link createFileIncidentStore}; implement this interface to keep incidents elsewhere.
 */
export interface IncidentStore {
  /**
   * Reads the whole log, oldest first. Called once, before any append; may return synchronously.
   * @throws when the log cannot be opened (for a file, `ERR_SRE_STORE_LOCKED` if another process holds it).
   */
  load(): readonly IncidentRecord[] | Promise<readonly IncidentRecord[]>;
  /**
   * Appends one record after every record appended before it; resolves once it is durable. After a
   * failed append the store must reject every later append too, so that what is stored is always a
   * prefix of what was appended.
   */
  append(record: IncidentRecord): Promise<void>;
  /** Whether the log has grown enough that its owner should call {@link IncidentStore.compact}. */
  readonly compactionDue: boolean;
  /**
   * Replaces the log with `records`, which are equivalent to everything appended so far. Runs after
   * the appends already queued and before later ones. A failed compaction leaves the old log in place.
   */
  compact(records: readonly IncidentRecord[]): Promise<void>;
  /** Waits for queued appends, then releases the log (and its lock). Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
