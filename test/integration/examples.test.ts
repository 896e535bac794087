import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = join(import.meta.dirname, '..', '..', 'examples');
// Every example is a real program a user could copy: with `--once` it must run to completion by itself
// (examples that start a server otherwise keep serving until Ctrl-C: see the second test).
// Folders hold multi-file examples whose entry is index.ts; a folder without one (examples/demo, a
// long-running program with its own test) is not run here.
const examples = readdirSync(dir, { withFileTypes: true })
  .filter(
    (entry) =>
      (entry.isFile() && entry.name.endsWith('.ts')) ||
      (entry.isDirectory() && existsSync(join(dir, entry.name, 'index.ts'))),
  )
  .map((entry) => (entry.isDirectory() ? join(entry.name, 'index.ts') : entry.name));

describe('examples', () => {
  it.each(examples)('%s runs and exits 0', async (file) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(dir, file), '--once'], {
      timeout: 60_000,
      env: { ...process.env, SRE_KIT_EXAMPLE_TEST: '1' },
    });
    expect(stdout.length).toBeGreaterThan(0);
  });
});

// Without --once, the server examples print the URLs to curl, answer them, and stop on Ctrl-C (SIGINT).
describe('server examples', () => {
  it.each(['express.ts', 'fastify.ts', 'health.ts'])(
    '%s serves the URL it prints until SIGINT',
    async (file) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(dir, file)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        child.once('exit', (code, signal) => resolve({ code, signal }));
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const match = /curl '([^']+)'/.exec(out);
            if (match?.[1] !== undefined) resolve(match[1]);
          });
          void exited.then(() => reject(new Error(`${file} exited before serving:\n${out}`)));
        });
        const response = await fetch(url);
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        child.kill('SIGINT');
        const { code, signal } = await exited;
        // Either it re-raised the signal after a graceful shutdown, or it closed everything and ended.
        expect(signal === 'SIGINT' || code === 0).toBe(true);
      } finally {
        child.kill('SIGKILL');
      }
    },
  );
});
