// Reading an incident log without owning it: for reports and tools run beside the service that writes
// it. Nothing here takes the lock, truncates a torn tail or writes a header; the writer does that.
import { readFile } from 'node:fs/promises';
import { ErrorCode, SreError } from '../core/index.js';
import { parseLog } from './file-store.js';
import type { IncidentRecord } from './records.js';

/** What {@link readIncidentLog} found in a log file. */
export interface IncidentLogContents {
  /** The valid records, oldest first (the header left out): feed them to `createMemoryIncidentStore`. */
  readonly records: IncidentRecord[];
  /** Lines that are not valid records, by line number and reason; they are left out. */
  readonly skipped: ReadonlyArray<{ readonly line: number; readonly reason: string }>;
  /**
   * Bytes after the last complete record: a write in progress (or a crashed one). Left out and left
   * alone; the writer owns the file.
   */
  readonly tailBytes: number;
}

/**
 * Reads the JSONL log of {@link createFileIncidentStore} read-only: no lock is taken and nothing is
 * written, so it is safe while the service that owns the log is running (a write in progress is simply
 * not read yet). Replay the records into a recorder over `createMemoryIncidentStore({ records })` to
 * list incidents, compute metrics and build reports.
 *
 * @example
 * ```ts
 * const { records } = await readIncidentLog('./var/incidents.jsonl');
 * const incidents = createIncidentRecorder({ service: 'checkout', store: createMemoryIncidentStore({ records }) });
 * console.log(incidents.metrics({ since: Date.UTC(2026, 0, 1) }));
 * ```
 * @throws {SreError} `ERR_SRE_STORE_FAILED` when the log was written by a newer sre-kit; the file
 *   system's error (e.g. `ENOENT`) when it cannot be read.
 */
export async function readIncidentLog(path: string): Promise<IncidentLogContents> {
  const buffer = await readFile(path);
  const parsed = parseLog(buffer);
  if (parsed.newerVersion !== undefined)
    throw new SreError(
      ErrorCode.STORE_FAILED,
      `${path} was written by a newer sre-kit (log format version ${parsed.newerVersion})`,
    );
  return { records: parsed.records, skipped: parsed.corrupt, tailBytes: buffer.length - parsed.keep };
}
