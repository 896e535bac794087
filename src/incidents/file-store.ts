import { mkdir, open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import {
  ErrorCode,
  parseOptions,
  resolveDeps,
  SreError,
  type Deps,
  type InternalErrorHandler,
} from '../core/index.js';
import { acquireFileLock, type FileLock } from './file-lock.js';
import { LOG_HEADER, validateRecord, type IncidentRecord } from './records.js';
import type { IncidentStore } from './store.js';

/** Options for {@link createFileIncidentStore}. */
export interface FileIncidentStoreOptions {
  /**
   * The log file: one JSON record per line, appended to and never rewritten in place. Its directory is
   * created when missing. The lock file `<path>.lock` sits beside it.
   */
  readonly path: string;
  /**
   * Flush each batch of appends to the disk (`fdatasync`) before its promises resolve, so an
   * acknowledged write survives a power cut, not only a crash. Turn off only where losing the last
   * writes on power loss is acceptable: appends still reach the OS before they resolve.
   * @default true
   */
  readonly fsync?: boolean;
  /**
   * The log is due for compaction (rewritten as one snapshot record per incident) once it is larger
   * than this many bytes and twice as large as after the last compaction.
   * @default 8_388_608 (8 MiB)
   */
  readonly compactAfterBytes?: number;
  /**
   * Take the lock file `<path>.lock` so that no other process can write the same log. A lock is stale,
   * and taken over, when the process it names is gone, or when it names this process (a container's
   * PID 1 after a restart) but this process does not hold it. When several processes find a stale lock
   * at once, exactly one takes it over: the others get `ERR_SRE_STORE_LOCKED`. Liveness is judged by
   * process id, so the lock guards processes that share one PID namespace (one host, one container):
   * do not share a log between containers. Turn off only when something else guarantees a single writer.
   * @default true
   */
  readonly lock?: boolean;
  /**
   * The permission bits of a log file this store creates.
   * @default 0o600
   */
  readonly mode?: number;
}

const optionsSchema = z.strictObject({
  path: z.string().min(1),
  fsync: z.boolean().default(true),
  compactAfterBytes: z
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024),
  lock: z.boolean().default(true),
  mode: z.number().int().min(0).max(0o777).default(0o600),
});

/** @internal The schema {@link FileIncidentStoreOptions} is checked against (bound by a type test). */
export const fileIncidentStoreOptionsSchema = optionsSchema;

type ParsedOptions = z.output<typeof optionsSchema>;

/**
 * Creates an incident store on an append-only JSONL file: each change is one line, written (and, by
 * default, fsync'd) before its promise resolves; appends are serialized through one queue and
 * batched into one write when they arrive together. On `load()` the log is replayed; a torn last line
 * left by a crash is reported to `onInternalError` and truncated away, keeping every earlier record.
 * Compaction writes a snapshot to a temp file, syncs it and renames it over the log. A lock file
 * keeps a second process out; a stale lock (its process is gone, or it names this process, which does
 * not hold it) is taken over, by exactly one process when several try at once (see `lock`).
 *
 * @example
 * ```ts
 * const incidents = createIncidentRecorder({
 *   service: 'checkout',
 *   store: createFileIncidentStore({ path: './var/incidents.jsonl' }),
 * });
 * await incidents.ready(); // rejects with ERR_SRE_STORE_LOCKED if another process has the file
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function createFileIncidentStore(
  options: FileIncidentStoreOptions,
  deps?: Pick<Deps, 'onInternalError'>,
): IncidentStore {
  const parsed = parseOptions(optionsSchema, options, 'createFileIncidentStore');
  return new FileIncidentStore(parsed, resolveDeps(deps).onInternalError);
}

type Job =
  | { readonly kind: 'append'; readonly line: string; resolve(): void; reject(error: unknown): void }
  | {
      readonly kind: 'compact';
      readonly records: readonly IncidentRecord[];
      resolve(): void;
      reject(error: unknown): void;
    };

// Bounds one write's buffer when many appends queue up behind a slow disk.
const MAX_BATCH_BYTES = 1024 * 1024;

class FileIncidentStore implements IncidentStore {
  readonly #path: string;
  readonly #options: ParsedOptions;
  readonly #onError: InternalErrorHandler;
  readonly #source: string;
  #state: 'new' | 'loading' | 'open' | 'failed' | 'closed' = 'new';
  #failure: SreError | undefined;
  #handle: FileHandle | undefined;
  #lock: FileLock | undefined;
  #size = 0;
  #baseline = 0;
  readonly #queue: Job[] = [];
  #draining: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: ParsedOptions, onError: InternalErrorHandler) {
    this.#options = options;
    this.#path = resolve(options.path);
    this.#onError = onError;
    this.#source = `fileIncidentStore:${options.path}`;
  }

  get compactionDue(): boolean {
    return (
      this.#state === 'open' &&
      this.#size > this.#options.compactAfterBytes &&
      this.#size >= 2 * this.#baseline
    );
  }

  async load(): Promise<readonly IncidentRecord[]> {
    if (this.#state !== 'new') throw new SreError(ErrorCode.INTERNAL, `${this.#source} was already loaded`);
    this.#state = 'loading';
    try {
      await mkdir(dirname(this.#path), { recursive: true });
      if (this.#options.lock) this.#lock = await acquireFileLock(`${this.#path}.lock`);
      await this.#removeLeftoverTemps();
      const records = await this.#replay();
      this.#state = 'open';
      return records;
    } catch (error) {
      this.#state = 'closed';
      await this.#handle?.close().catch(() => undefined);
      this.#handle = undefined;
      await this.#lock?.release().catch(() => undefined);
      throw error;
    }
  }

  append(record: IncidentRecord): Promise<void> {
    const refused = this.#refusal();
    if (refused !== undefined) return Promise.reject(refused);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ kind: 'append', line: `${JSON.stringify(record)}\n`, resolve, reject });
      this.#kick();
    });
  }

  compact(records: readonly IncidentRecord[]): Promise<void> {
    const refused = this.#refusal();
    if (refused !== undefined) return Promise.reject(refused);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ kind: 'compact', records, resolve, reject });
      this.#kick();
    });
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    if (this.#state === 'new') {
      this.#state = 'closed';
      return;
    }
    // Let queued appends finish: their callers were promised durability.
    while (this.#draining !== undefined) await this.#draining;
    this.#state = 'closed';
    const handle = this.#handle;
    this.#handle = undefined;
    try {
      await handle?.close();
    } finally {
      await this.#lock?.release();
    }
  }

  #refusal(): SreError | undefined {
    if (this.#state === 'open') return this.#closing === undefined ? undefined : this.#closedError();
    if (this.#state === 'failed') return this.#failure;
    if (this.#state === 'closed') return this.#closedError();
    return new SreError(ErrorCode.INTERNAL, `${this.#source}: append before load() finished`);
  }

  #closedError(): SreError {
    return new SreError(ErrorCode.CLOSED, `${this.#source} is closed`);
  }

  #kick(): void {
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
      // Jobs queued while the loop was finishing its last await.
      if (this.#queue.length > 0) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      if (this.#state === 'failed') {
        for (const job of this.#queue.splice(0)) job.reject(this.#failure);
        return;
      }
      const first = this.#queue[0] as Job;
      if (first.kind === 'compact') {
        this.#queue.shift();
        await this.#compact(first);
        continue;
      }
      let count = 0;
      let bytes = 0;
      for (const job of this.#queue) {
        if (job.kind !== 'append' || (count > 0 && bytes + job.line.length > MAX_BATCH_BYTES)) break;
        count++;
        bytes += job.line.length;
      }
      const batch = this.#queue.splice(0, count) as Extract<Job, { kind: 'append' }>[];
      try {
        await this.#write(batch.map((job) => job.line).join(''));
      } catch (error) {
        await this.#fail(error);
        for (const job of batch) job.reject(this.#failure);
        continue;
      }
      for (const job of batch) job.resolve();
    }
  }

  async #write(text: string): Promise<void> {
    const handle = this.#handle as FileHandle;
    const buffer = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset, null);
      offset += bytesWritten;
    }
    if (this.#options.fsync) await handle.datasync();
    this.#size += buffer.length;
  }

  // After a failed write the file may end in part of a batch nobody was told succeeded. Cut it off if
  // we can, and refuse further writes either way: a later success after a lost write would leave a gap,
  // and the log must always be a prefix of what was appended.
  async #fail(error: unknown): Promise<void> {
    this.#state = 'failed';
    this.#failure = new SreError(
      ErrorCode.STORE_FAILED,
      `${this.#source}: write failed, the store refuses further writes until reopened`,
      { cause: error },
    );
    this.#onError(this.#failure, { source: this.#source, task: 'append' });
    try {
      await this.#handle?.truncate(this.#size);
    } catch {
      // Replay on the next open detects and truncates a torn tail anyway.
    }
  }

  async #compact(job: Extract<Job, { kind: 'compact' }>): Promise<void> {
    const temp = `${this.#path}.compact-${process.pid}.tmp`;
    let bytes = 0;
    try {
      const lines = [LOG_HEADER, ...job.records].map((record) => `${JSON.stringify(record)}\n`).join('');
      const buffer = Buffer.from(lines, 'utf8');
      bytes = buffer.length;
      const handle = await open(temp, 'w', this.#options.mode);
      try {
        await handle.writeFile(buffer);
        if (this.#options.fsync) await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.#path);
    } catch (error) {
      // Nothing changed: the old log is still whole and still open for appends.
      await unlink(temp).catch(() => undefined);
      job.reject(error);
      return;
    }
    try {
      if (this.#options.fsync) await syncDirectory(dirname(this.#path));
      // The open handle still points at the replaced file; later appends must go to the new one.
      const old = this.#handle;
      this.#handle = await open(this.#path, 'a', this.#options.mode);
      await old?.close();
      this.#size = bytes;
      this.#baseline = bytes;
      job.resolve();
    } catch (error) {
      await this.#fail(error);
      job.reject(this.#failure);
    }
  }

  async #replay(): Promise<IncidentRecord[]> {
    let buffer: Buffer;
    try {
      buffer = await readFile(this.#path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      buffer = Buffer.alloc(0);
    }
    const parsed = parseLog(buffer);
    if (parsed.newerVersion !== undefined) {
      throw new SreError(
        ErrorCode.STORE_FAILED,
        `${this.#source} was written by a newer sre-kit (log format version ${parsed.newerVersion})`,
      );
    }
    for (const bad of parsed.corrupt) {
      this.#report(`line ${bad.line} is not a valid record and was skipped (${bad.reason})`);
    }
    this.#handle = await open(this.#path, 'a', this.#options.mode);
    if (parsed.keep < buffer.length) {
      const torn = buffer.subarray(parsed.keep);
      if (torn.toString('utf8').trim() !== '') {
        this.#report(
          `torn tail after a crash: ${torn.length} bytes after the last complete record were truncated ` +
            `(no acknowledged write is lost: a write is acknowledged only once its whole line is on disk)`,
        );
      }
      await this.#handle.truncate(parsed.keep);
      await this.#handle.sync();
    }
    this.#size = parsed.keep;
    if (parsed.keep === 0) {
      await this.#write(`${JSON.stringify(LOG_HEADER)}\n`);
      await this.#handle.sync();
      await syncDirectory(dirname(this.#path));
    }
    this.#baseline = this.#size;
    return parsed.records;
  }

  #report(message: string): void {
    this.#onError(new SreError(ErrorCode.INTERNAL, `${this.#source}: ${message}`), {
      source: this.#source,
      task: 'replay',
    });
  }

  // A compaction killed before its rename leaves a temp file; we hold the lock, so none is in progress.
  async #removeLeftoverTemps(): Promise<void> {
    const prefix = `${basename(this.#path)}.compact-`;
    const dir = dirname(this.#path);
    for (const name of await readdir(dir)) {
      if (name.startsWith(prefix) && name.endsWith('.tmp'))
        await unlink(join(dir, name)).catch(() => undefined);
    }
  }
}

interface ParsedLog {
  readonly records: IncidentRecord[];
  /** Bytes to keep: the end of the last valid record; everything after it is a torn tail. */
  readonly keep: number;
  readonly corrupt: { line: number; reason: string }[];
  readonly newerVersion: number | undefined;
}

/**
 * Splits a log into records. Invalid lines followed by a valid one are reported and skipped (something
 * damaged the file in place); everything after the last valid line is the torn tail of a crashed write.
 */
export function parseLog(buffer: Buffer): ParsedLog {
  const records: IncidentRecord[] = [];
  const pending: { line: number; reason: string }[] = [];
  const corrupt: { line: number; reason: string }[] = [];
  let keep = 0;
  let start = 0;
  let line = 0;
  let newerVersion: number | undefined;
  for (;;) {
    const end = buffer.indexOf(0x0a, start);
    if (end === -1) break;
    line++;
    const text = buffer.toString('utf8', start, end);
    start = end + 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      pending.push({ line, reason: 'not JSON' });
      continue;
    }
    const header = value as { type?: unknown; version?: unknown };
    if (header.type === 'header' && typeof header.version === 'number' && header.version > 1) {
      newerVersion = header.version;
    }
    const record = validateRecord(value);
    if (typeof record === 'string') {
      pending.push({ line, reason: record });
      continue;
    }
    corrupt.push(...pending.splice(0));
    if (record.type !== 'header') records.push(record);
    keep = start;
  }
  return { records, keep, corrupt, newerVersion };
}

// Makes a rename or a new file's directory entry durable. Some platforms cannot open a directory for
// syncing (Windows); there the rename is as durable as the OS makes it.
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}
