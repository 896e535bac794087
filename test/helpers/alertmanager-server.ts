import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './prometheus-server.js';

/** A real Alertmanager (Debian's `prometheus-alertmanager` package) on 127.0.0.1. */
export interface AlertmanagerServer {
  /** `host:port`, for Prometheus's `alerting.alertmanagers`. */
  readonly target: string;
  readonly url: string;
  readonly pid: number;
  /** Everything it logged so far. */
  log(): string;
  close(): Promise<void>;
}

/** Starts Alertmanager with `config` (an alertmanager.yml as an object), clustering off. */
export async function startAlertmanager(config: object): Promise<AlertmanagerServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sre-kit-am-'));
  writeFileSync(join(dir, 'alertmanager.yml'), JSON.stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(
    'prometheus-alertmanager',
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // No gossip: one Alertmanager, and no port of its own beyond the web one.
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited early:\n${log}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`alertmanager did not become ready:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    target: `127.0.0.1:${port}`,
    url,
    pid: child.pid ?? 0,
    log: () => log,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
