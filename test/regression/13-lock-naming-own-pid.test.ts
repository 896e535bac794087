// Issue 13, item 17: in a container the app is PID 1 before and after a restart, so the lock left by
// the previous life names PID 1, which is alive (it is us), and the store refused to open forever. A
// lock naming this process that this process does not hold is stale. Taking a stale lock over is safe
// when several processes find it at once: exactly one of them gets it (real files, real processes).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, createFileIncidentStore, isSreError } from 'sre-kit';
import { bundleChild, type ChildBundle } from '../helpers/child-bundle.js';

const RACE_ROUNDS = 40;
const RACERS = 3;
// Above Linux's pid_max: never a live process.
const DEAD_PID = 999_999_999;

let bundle: ChildBundle;
let dir: string;
let child: string;

beforeAll(async () => {
  bundle = await bundleChild(join(import.meta.dirname, '13-lock-takeover.child.ts'), 'sre-kit-lock-');
  ({ dir, entry: child } = bundle);
});

afterAll(() => bundle.remove());

/** A racer process: send it a command, read its answer lines in order. */
interface Racer {
  readonly pid: number;
  send(command: string): void;
  next(): Promise<string>;
  stop(): Promise<number | null>;
}

function startRacer(): Racer {
  const proc = spawn(process.execPath, [child], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = '';
  let err = '';
  const exited = new Promise<number | null>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('exit', (code) => {
      for (const wake of waiting.splice(0)) wake(`exited ${String(code)}: ${err}`);
      resolve(code);
    });
  });
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      const wake = waiting.shift();
      if (wake === undefined) lines.push(line);
      else wake(line);
    }
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return {
    pid: proc.pid ?? -1,
    send: (command) => proc.stdin.write(`${command}\n`),
    next: () => {
      const line = lines.shift();
      return line === undefined ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve(line);
    },
    stop: () => {
      proc.stdin.end();
      return exited;
    },
  };
}

describe('regression #13 (17): a lock naming this process that it does not hold is stale', () => {
  it.each([
    ['as old locks were written (just the pid)', `${process.pid}\n`],
    ['with a token this process does not hold', `${process.pid} ${threadId} 0123456789abcdef01234567\n`],
  ])('takes over a lock naming process.pid %s', async (_, content) => {
    const path = join(dir, `own-pid-${content.length}.jsonl`);
    await writeFile(`${path}.lock`, content);
    const store = createFileIncidentStore({ path });
    await store.load();
    const lock = await readFile(`${path}.lock`, 'utf8');
    expect(lock).not.toBe(content);
    expect(lock.startsWith(`${process.pid} `)).toBe(true);
    // The lock this process now holds is not stale to a second store in it.
    const second = createFileIncidentStore({ path });
    const error = await Promise.resolve(second.load()).catch((e: unknown) => e);
    expect(isSreError(error, ErrorCode.STORE_LOCKED)).toBe(true);
    await store.close();
    expect(await readdir(dir)).not.toContain(`${basename(path)}.lock`);
  });

  it('a takeover marker left by a process killed mid-takeover does not block, and is cleared', async () => {
    const path = join(dir, 'killed-mid-takeover.jsonl');
    const stale = `${DEAD_PID}\n`;
    const key = createHash('sha256').update(stale).digest('hex').slice(0, 24);
    await writeFile(`${path}.lock`, stale);
    await writeFile(`${path}.lock.takeover-${key}`, `${DEAD_PID - 1} 0 00ff00ff00ff00ff00ff00ff\n`);
    const store = createFileIncidentStore({ path });
    await store.load();
    expect((await readdir(dir)).filter((name) => name.startsWith('killed-mid-takeover'))).toEqual([
      'killed-mid-takeover.jsonl',
      'killed-mid-takeover.jsonl.lock',
    ]);
    await store.close();
  });

  it(`${RACERS} processes racing for one stale lock: exactly one wins, ${RACE_ROUNDS} rounds`, async () => {
    const racers = Array.from({ length: RACERS }, () => startRacer());
    try {
      expect(await Promise.all(racers.map((racer) => racer.next()))).toEqual(racers.map(() => 'ready'));
      for (let round = 0; round < RACE_ROUNDS; round++) {
        const path = join(dir, `race-${round}.jsonl`);
        // Alternate the two stale forms: the old bare pid and the current line.
        await writeFile(
          `${path}.lock`,
          round % 2 === 0 ? `${DEAD_PID}\n` : `${DEAD_PID} 0 ${round.toString(16).padStart(24, '0')}\n`,
        );
        for (const racer of racers) racer.send(`go ${path}`);
        const verdicts = await Promise.all(racers.map((racer) => racer.next()));
        const winners = racers.filter((_, i) => verdicts[i] === 'won');
        expect(winners, `round ${round}: ${verdicts.join(', ')}`).toHaveLength(1);
        expect(verdicts.filter((v) => v === `locked ${ErrorCode.STORE_LOCKED}`)).toHaveLength(RACERS - 1);
        const lock = await readFile(`${path}.lock`, 'utf8');
        expect(lock.split(/\s/)[0], 'the lock names the winner').toBe(String(winners[0]?.pid));
        for (const racer of racers) racer.send('release');
        expect(await Promise.all(racers.map((racer) => racer.next()))).toEqual(racers.map(() => 'released'));
        // The winner released its lock on close; nothing else is left beside the log.
        expect((await readdir(dir)).filter((name) => name.startsWith(`race-${round}.`))).toEqual([
          `race-${round}.jsonl`,
        ]);
      }
    } finally {
      expect(await Promise.all(racers.map((racer) => racer.stop()))).toEqual(racers.map(() => 0));
    }
  }, 60_000);
});
