// gracefulShutdown in a real process: SIGTERM while a slow request is in flight.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { constants } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

const child = join(import.meta.dirname, 'health-shutdown.child.ts');
const running: ChildProcess[] = [];

afterEach(() => {
  for (const proc of running) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  running.length = 0;
});

function start(env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.push(proc);
  const lines: string[] = [];
  const waiters: { match: RegExp; resolve: (line: string) => void }[] = [];
  createInterface({ input: proc.stdout }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters.filter((w) => w.match.test(line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  });
  const waitFor = (match: RegExp) =>
    new Promise<string>((resolve) => {
      const seen = lines.find((l) => match.test(l));
      if (seen !== undefined) resolve(seen);
      else waiters.push({ match, resolve });
    });
  const exited = once(proc, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { proc, lines, waitFor, exited };
}

// Keep-alive on, as load balancers and Node's own global agent use: idle sockets must not hold shutdown.
const agent = new Agent({ keepAlive: true });

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const exitStatus = ([code, signal]: [number | null, NodeJS.Signals | null]): number =>
  code ?? 128 + (constants.signals[signal as NodeJS.Signals] ?? 0);

describe('gracefulShutdown in a child process', () => {
  it('finishes the slow request, answers readiness 503 while draining, and exits 143', async () => {
    const { proc, lines, waitFor, exited } = start();
    const port = Number((await waitFor(/^listening \d+$/)).split(' ')[1]);
    expect(await get(port, '/readyz')).toEqual({ status: 200, body: '[+]self ok\nreadyz check passed\n' });

    let slowDone = false;
    const slow = get(port, '/slow').finally(() => (slowDone = true));
    await waitFor(/^slow request started$/);
    proc.kill('SIGTERM');
    // The signal reaches the child asynchronously: poll readiness as a kubelet would. During the
    // drain delay the server still accepts, and readiness fails while the slow request is in flight.
    let ready = await get(port, '/readyz');
    for (let i = 0; i < 40 && ready.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      ready = await get(port, '/readyz');
    }
    expect(ready).toEqual({ status: 503, body: '[-]shutdown failed: shutting down\nreadyz check failed\n' });
    expect(slowDone).toBe(false);

    expect(await slow).toEqual({ status: 200, body: 'slow done' });
    const status = await exited;
    expect(status).toEqual([null, 'SIGTERM']); // re-raised: the process ends as killed by SIGTERM
    expect(exitStatus(status)).toBe(143);
    expect(lines).toContain('hook ran');
  });

  it('exits with the given exit code instead when told to', async () => {
    const { proc, waitFor, exited } = start({ EXIT_CODE: '0', SLOW_MS: '200' });
    const port = Number((await waitFor(/^listening \d+$/)).split(' ')[1]);
    const slow = get(port, '/slow');
    await waitFor(/^slow request started$/);
    proc.kill('SIGTERM');
    expect(await slow).toEqual({ status: 200, body: 'slow done' });
    expect(await exited).toEqual([0, null]);
  });
});
