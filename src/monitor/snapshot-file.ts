import { readFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { ErrorCode, SreError } from '../core/index.js';
import { historySnapshotSchema, type HistorySnapshot } from './history.js';

// The history file: written whole to a temporary file, fsynced, then renamed over the old one, so a
// crash leaves either the previous snapshot or the new one, never half of one.

/** Writes `text` to `path` atomically (tmp + fsync + rename). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

/**
 * Reads a history snapshot back: `undefined` when the file does not exist.
 * @throws {SreError} `ERR_SRE_STORE_FAILED` when it cannot be read, parsed or validated.
 */
export function readHistoryFile(path: string): HistorySnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SreError(ErrorCode.STORE_FAILED, `Cannot read the monitor history ${path}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SreError(ErrorCode.STORE_FAILED, `The monitor history ${path} is not JSON (ignored)`, {
      cause: error,
    });
  }
  const parsed = historySnapshotSchema.safeParse(json);
  if (!parsed.success)
    throw new SreError(
      ErrorCode.STORE_FAILED,
      `The monitor history ${path} is malformed (ignored): ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      { cause: parsed.error },
    );
  return parsed.data;
}
