// The built-in maintenance jobs against real parts: a TLS server presenting a self-signed certificate
// on 127.0.0.1, and a real directory on disk.
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createMaintenanceScheduler, maintenanceJobs } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const DAY = 86_400_000;
const now = Date.now();
const servers: Server[] = [];
const certificates = new Map<number, { port: number; pem: string }>();

beforeAll(async () => {
  for (const days of [10, 60]) {
    const cert = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date(now - 30 * DAY),
      notAfterDate: new Date(now + days * DAY),
    });
    const server = createServer({ key: cert.private, cert: cert.cert }, (_req, res) => res.end('ok'));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    certificates.set(days, { port: (server.address() as AddressInfo).port, pem: cert.cert });
  }
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('maintenanceJobs.certificateRenewal', () => {
  const clock = createFakeClock({ start: now });

  async function runFor(days: number, renewWithinDays: number) {
    const { port, pem } = certificates.get(days)!;
    const renewed: number[] = [];
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    jobs.schedule(
      'tls-renewal',
      '0 4 * * *',
      maintenanceJobs.certificateRenewal(
        {
          host: '127.0.0.1',
          port,
          ca: pem,
          renewWithinDays,
          renew: ({ daysLeft, signal }) => {
            expect(signal.aborted).toBe(false);
            renewed.push(daysLeft);
          },
        },
        { clock },
      ),
    );
    const run = await jobs.trigger('tls-renewal');
    await jobs.close();
    return { run, renewed };
  }

  it('calls the renewal hook when the certificate expires within renewWithinDays', async () => {
    const { run, renewed } = await runFor(10, 21);
    expect(renewed).toEqual([10]);
    expect(run).toMatchObject({
      outcome: 'ok',
      note: 'certificate of 127.0.0.1 expires in 10 days (renewal within 21): renewed',
    });
  });

  it('leaves a certificate far from expiry alone', async () => {
    const { run, renewed } = await runFor(60, 21);
    expect(renewed).toEqual([]);
    expect(run.note).toBe('certificate of 127.0.0.1 expires in 60 days (renewal within 21): nothing to do');
  });

  it('fails the run when no certificate can be read', async () => {
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' }, { clock });
    jobs.schedule(
      'tls-renewal',
      '0 4 * * *',
      maintenanceJobs.certificateRenewal({
        host: '127.0.0.1',
        port: 1,
        renew: () => undefined,
        timeoutMs: 2_000,
      }),
    );
    const run = await jobs.trigger('tls-renewal');
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatch(/ECONNREFUSED/);
    await jobs.close();
  });

  it('rejects unknown options, naming them', () => {
    expect(() =>
      maintenanceJobs.certificateRenewal({ host: 'a', renew: () => undefined, renewWithin: 3 } as never),
    ).toThrow(ConfigError);
  });
});

describe('maintenanceJobs.logRotation', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sre-kit-logs-'));
    await writeFile(join(dir, 'app.log'), 'line\n'.repeat(100));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const rotateIn = (path: string) => async () => {
    await rename(join(path, 'app.log'), join(path, 'app.log.1'));
    await writeFile(join(path, 'app.log'), '');
  };

  it('rotates when the free share of the disk is at or below the threshold', async () => {
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' });
    // No real disk is 99.999 % free: the hook runs.
    jobs.schedule(
      'log-rotation',
      '0 * * * *',
      maintenanceJobs.logRotation({ path: dir, rotateBelowFreeRatio: 0.99999, rotate: rotateIn(dir) }),
    );
    const run = await jobs.trigger('log-rotation');
    expect(run.outcome).toBe('ok');
    expect(run.note).toMatch(/^\d+\.\d % free at .+ \(rotation at or below 99\.999 %\): rotated$/);
    expect((await readdir(dir)).sort()).toEqual(['app.log', 'app.log.1']);
    await jobs.close();
  });

  it('does nothing while there is room', async () => {
    const jobs = createMaintenanceScheduler({ timeZone: 'UTC' });
    let rotated = false;
    jobs.schedule(
      'log-rotation',
      '0 * * * *',
      maintenanceJobs.logRotation({
        path: dir,
        rotateBelowFreeRatio: 0.00001,
        rotate: () => (rotated = true),
      }),
    );
    const run = await jobs.trigger('log-rotation');
    expect(run.note).toMatch(/: nothing to do$/);
    expect(rotated).toBe(false);
    await jobs.close();
  });
});
