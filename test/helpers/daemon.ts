import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port nothing listens on now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A Prometheus-family server (Prometheus, Alertmanager) running in its own temporary directory. */
export interface Daemon {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Everything it logged so far. */
  log(): string;
  /** Stops it, waits for its exit and removes its directory. */
  close(): Promise<void>;
}

/**
 * Writes `config` (JSON is YAML) to `<dir>/<configName>`, starts `command` with `args(dir, port)` on a
 * free port, and resolves once its `/-/ready` answers 200 (both Prometheus and Alertmanager have one).
 */
export async function startDaemon(
  command: string,
  configName: string,
  config: object,
  args: (dir: string, port: number) => string[],
): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), `sre-kit-${command}-`));
  writeFileSync(join(dir, configName), JSON.stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(command, args(dir, port), { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  // A missing binary (ENOENT) is an 'error' with no 'exit': it fails the start with a clear message.
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };

  // Bounded: 30 s, then the child is stopped (no process left behind) and the error carries its log.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (spawnError !== undefined) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${command} could not start (Debian package installed?): ${spawnError.message}`);
    }
    if (child.exitCode !== null) {
      await close();
      throw new Error(`${command} exited early:\n${log}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`${command} did not become ready:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, port, pid: child.pid ?? 0, log: () => log, close };
}
