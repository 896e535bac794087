// A lock file beside the log so that two processes never append to one file.
//
// Taking it: the owner line `<pid> <threadId> <token>` (the token is random, so no two locks ever have
// the same content) is written and synced to a private temp file which is then hard-linked to the lock
// path. link(2) fails with EEXIST like open(O_CREAT | O_EXCL), atomically, and the lock file is never
// seen empty or half-written, even if the process is killed while taking it.
//
// Judging a lock found in place: one naming another live process is held. One naming a dead process is
// stale (a crash left it). One naming this process and thread is held only if its token is one this
// thread holds: in a container the app is PID 1 before and after a restart, so a lock saying `1` that
// we do not hold was left by our previous life. One naming this process but another thread may be held
// by a worker thread we cannot see, so it counts as held.
//
// Taking over a stale lock safely, when several processes find it at once: a process may remove the
// stale lock file only while it holds that lock's takeover marker, `<lock>.takeover-<hash of its
// content>`, created exclusively by link(2) like the lock itself, so exactly one process holds it.
// Under the marker it re-reads the lock and removes it only if it still has the stale content. That
// read-then-remove cannot remove anyone's fresh lock: a stale lock file can only be removed by the
// marker's holder (its owner is gone), and no lock ever gets the stale content back (each has a new
// token). It then races for the free lock path with link(2), which exactly one process wins. A process
// that finds the marker held by a live process loses at once (ERR_SRE_STORE_LOCKED); a marker left by
// a process killed mid-takeover is itself stale and is taken over the same way, one level down.
import { createHash, randomBytes } from 'node:crypto';
import { link, open, readdir, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { ErrorCode, SreError } from '../core/index.js';

/** A held lock; `release()` removes the file if it is still ours. */
export interface FileLock {
  readonly path: string;
  release(): Promise<void>;
}

const MAX_TRIES = 5;
// A marker of a marker exists only when a process was killed inside a takeover; deeper is absurd.
const MAX_TAKEOVER_DEPTH = 4;
const TAKEOVER = '.takeover-';

/**
 * Takes the lock at `lockPath`, taking over a stale one (see the file's header for the protocol).
 * @throws {SreError} `ERR_SRE_STORE_LOCKED` when a live process (or this one) holds it.
 */
export async function acquireFileLock(lockPath: string): Promise<FileLock> {
  const token = randomBytes(12).toString('hex');
  const content = `${process.pid} ${threadId} ${token}\n`;
  // Held from before the lock file exists: another store of this thread reading it in between must
  // see it held, not stale.
  heldTokens().add(token);
  try {
    await takeLock(lockPath, content, `${lockPath}.${process.pid}.${token}.tmp`);
  } catch (error) {
    heldTokens().delete(token);
    throw error;
  }
  return { path: lockPath, release: () => release(lockPath, content, token) };
}

async function takeLock(lockPath: string, content: string, temp: string): Promise<void> {
  try {
    const handle = await open(temp, 'w', 0o644);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      if (await tryLink(temp, lockPath)) {
        await removeLeftoverMarkers(lockPath);
        return;
      }
      const holder = await readHolder(lockPath);
      if (holder === 'gone') continue;
      if (isHeld(holder)) throw lockedError(lockPath, holder, 'is held by');
      await removeStale(lockPath, lockPath, holder, temp, 0);
    }
  } finally {
    await unlink(temp).catch(ignoreMissing);
  }
  throw new SreError(ErrorCode.STORE_LOCKED, `Could not take the lock ${lockPath}: it keeps changing hands`);
}

// Removes `path` if it still holds the stale `holder`, under the holder's takeover marker.
async function removeStale(
  lockPath: string,
  path: string,
  holder: Holder,
  temp: string,
  depth: number,
): Promise<void> {
  const marker = `${path}${TAKEOVER}${holder.key}`;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    if (await tryLink(temp, marker)) {
      try {
        const now = await readHolder(path);
        if (now !== 'gone' && now.raw === holder.raw) await unlink(path).catch(ignoreMissing);
      } finally {
        await unlink(marker).catch(ignoreMissing);
      }
      return;
    }
    const taker = await readHolder(marker);
    if (taker === 'gone') continue;
    if (isHeld(taker)) throw lockedError(lockPath, taker, 'is being taken over by');
    if (depth >= MAX_TAKEOVER_DEPTH) break;
    await removeStale(lockPath, marker, taker, temp, depth + 1);
  }
  throw new SreError(ErrorCode.STORE_LOCKED, `Could not take over the stale lock ${lockPath}`);
}

async function tryLink(temp: string, path: string): Promise<boolean> {
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** What a lock (or takeover marker) file says about its owner. */
interface Holder {
  readonly raw: string;
  /** Names the content in a takeover marker's file name. */
  readonly key: string;
  readonly pid: number | undefined;
  /** Absent in locks written before sre-kit recorded threads and tokens (the line was just the pid). */
  readonly thread: number | undefined;
  readonly token: string | undefined;
}

async function readHolder(path: string): Promise<Holder | 'gone'> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  const key = createHash('sha256').update(raw).digest('hex').slice(0, 24);
  const match = /^\s*(\d+)(?: (\d+) ([0-9a-f]+))?\s*$/.exec(raw);
  const pid = match === null ? undefined : Number(match[1]);
  return {
    raw,
    key,
    pid: pid !== undefined && pid > 0 ? pid : undefined,
    thread: match?.[2] === undefined ? undefined : Number(match[2]),
    token: match?.[3],
  };
}

// Whether the owner named in a lock may still hold it (see the file's header).
function isHeld(holder: Holder): boolean {
  if (holder.pid === undefined) return false; // not a lock sre-kit wrote
  if (holder.pid !== process.pid) return isAlive(holder.pid);
  if (holder.thread !== undefined && holder.thread !== threadId) return true;
  return holder.token !== undefined && heldTokens().has(holder.token);
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

function lockedError(lockPath: string, holder: Holder, verb: string): SreError {
  const who =
    holder.pid !== process.pid
      ? `process ${String(holder.pid)}`
      : holder.thread !== threadId
        ? `thread ${String(holder.thread)} of this process (${process.pid})`
        : `another store in this process (${process.pid})`;
  return new SreError(
    ErrorCode.STORE_LOCKED,
    `${lockPath} ${verb} ${who}; two writers cannot share one incident log ` +
      `(if that process is not using it, stop it or delete the lock file)`,
  );
}

// Markers are left only by a process killed inside a takeover. Once we hold the lock, every marker
// names a lock that is gone for good, so none of them guards anything any more. Best effort: a
// marker that stays behind costs a file, nothing else.
async function removeLeftoverMarkers(lockPath: string): Promise<void> {
  const prefix = `${basename(lockPath)}${TAKEOVER}`;
  const dir = dirname(lockPath);
  try {
    for (const name of await readdir(dir)) {
      if (name.startsWith(prefix)) await unlink(join(dir, name)).catch(() => undefined);
    }
  } catch {
    // The directory could not be listed; the lock is ours all the same.
  }
}

async function release(lockPath: string, content: string, token: string): Promise<void> {
  try {
    // Nobody else removes a lock while its owner holds it, so reading then unlinking is safe here.
    if ((await readFile(lockPath, 'utf8')) === content) await unlink(lockPath);
  } catch (error) {
    ignoreMissing(error);
  } finally {
    heldTokens().delete(token);
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

// The tokens of the locks this thread holds, shared (through the global symbol registry) by every copy
// of sre-kit loaded in it, so that a second copy does not take a lock the first holds for stale.
const kHeldTokens = Symbol.for('sre-kit.file-lock.held-tokens');

function heldTokens(): Set<string> {
  const registry = globalThis as { [kHeldTokens]?: Set<string> };
  return (registry[kHeldTokens] ??= new Set<string>());
}
