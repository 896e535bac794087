// A lock file beside the log so that two processes never append to one file. It holds the owner's pid
// and is created exclusively: the pid is written and synced to a private temp file which is then
// hard-linked to the lock path. link(2) fails with EEXIST like open(O_CREAT | O_EXCL), atomically, and
// the lock file is never seen empty or half-written, even if the process is killed while taking it.
// A lock whose pid is no longer alive was left by a crash and is taken over.
import { randomBytes } from 'node:crypto';
import { link, open, readFile, unlink } from 'node:fs/promises';
import { ErrorCode, SreError } from '../core/index.js';

/** A held lock; `release()` removes the file if it is still ours. */
export interface FileLock {
  readonly path: string;
  release(): Promise<void>;
}

const MAX_TAKEOVER_TRIES = 5;

/**
 * Takes the lock at `lockPath`.
 * @throws {SreError} `ERR_SRE_STORE_LOCKED` when a live process holds it.
 */
export async function acquireFileLock(lockPath: string): Promise<FileLock> {
  const content = `${process.pid}\n`;
  const temp = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    for (let tries = 0; tries < MAX_TAKEOVER_TRIES; tries++) {
      if (await tryLink(temp, lockPath)) {
        return { path: lockPath, release: () => releaseIfOurs(lockPath, content) };
      }
      await checkStale(lockPath);
    }
  } finally {
    await unlink(temp).catch(ignoreMissing);
  }
  throw new SreError(ErrorCode.STORE_LOCKED, `Could not take the lock ${lockPath}: it keeps changing hands`);
}

async function tryLink(temp: string, lockPath: string): Promise<boolean> {
  try {
    await link(temp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

// Throws when a live process holds the lock; removes a stale lock so the caller can try again.
async function checkStale(lockPath: string): Promise<void> {
  const holder = await readHolder(lockPath);
  if (holder === 'gone') return;
  if (holder.pid !== undefined && isAlive(holder.pid)) {
    throw new SreError(
      ErrorCode.STORE_LOCKED,
      `${lockPath} is held by process ${holder.pid}; two processes cannot write one incident log ` +
        `(if that process is not using it, stop it or delete the lock file)`,
    );
  }
  // Stale (its process is gone, or it is not a lock we wrote). Remove it only if it still says what we
  // read: that narrows, but cannot close, the race with another process taking over at the same instant.
  const again = await readHolder(lockPath);
  if (again !== 'gone' && again.raw === holder.raw) await unlink(lockPath).catch(ignoreMissing);
}

interface Holder {
  readonly raw: string;
  readonly pid: number | undefined;
}

async function readHolder(lockPath: string): Promise<Holder | 'gone'> {
  try {
    const raw = await readFile(lockPath, 'utf8');
    const pid = /^\s*(\d+)\s*$/.test(raw) ? Number(raw.trim()) : undefined;
    return { raw, pid: pid !== undefined && pid > 0 ? pid : undefined };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function releaseIfOurs(lockPath: string, content: string): Promise<void> {
  try {
    if ((await readFile(lockPath, 'utf8')) === content) await unlink(lockPath);
  } catch (error) {
    ignoreMissing(error);
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
