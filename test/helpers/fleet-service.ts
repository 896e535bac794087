// The example fleet service (examples/fleet/service.ts) and the upstream it calls, for the tests that
// run it as a real node:cluster.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { ChildBundle } from './child-bundle.js';

/** The upstream the workers call: up or down (its port closed), on the same port throughout. */
export async function startUpstream(port: number): Promise<{ up(): Promise<void>; down(): Promise<void> }> {
  let server: Server | undefined;
  const up = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server = createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(req.url === '/health' ? { status: 'pass' } : { order: req.url }));
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const down = (): Promise<void> =>
    new Promise((resolve) => {
      if (server === undefined) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
      server = undefined;
    });
  await up();
  return { up, down };
}

export interface FleetService {
  readonly child: ChildProcess;
  readonly workerPids: number[];
  output(): string;
  stop(): Promise<void>;
}

/** Runs the bundled service with `args` and the webhook `token`; resolves once every worker listens. */
export async function startFleetService(
  bundle: ChildBundle,
  token: string,
  args: string[],
): Promise<FleetService> {
  const child = spawn(process.execPath, [bundle.entry, ...args], {
    env: { ...process.env, SRE_KIT_ALERTMANAGER_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const workerPids = await new Promise<number[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start:\n${out}`)), 60_000);
    const onData = (): void => {
      const match = /fleet: ready .* workers=([\d,]+)/.exec(out);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve(match[1].split(',').map(Number));
    };
    child.stdout.on('data', onData);
    void exited.then(() => reject(new Error(`the service exited:\n${out}`)));
  });
  return {
    child,
    workerPids,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
