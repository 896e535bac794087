import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { incidentReportSchema, monitorHealthReportSchema, slaReportSchema } from 'sre-kit';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'examples', 'demo', 'main.ts');
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

describe.concurrent('npm run demo', () => {
  it('runs its fault schedule, exits 0 by itself and writes reports that match the exported schemas', async () => {
    const out = await mkdtemp(join(tmpdir(), 'sre-kit-demo-'));
    dirs.push(out);
    // The same as `npm run demo -- --duration 8 --out <dir>`, without npm in between.
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', main, '--duration', '8', '--out', out],
      {
        cwd: root,
        timeout: 40_000,
      },
    );

    // It says where it serves, and every fault of the schedule happened.
    expect(stdout).toMatch(/http:\/\/127\.0\.0\.1:\d+\/health/);
    expect(stdout).toMatch(/http:\/\/127\.0\.0\.1:\d+\/metrics/);
    for (const fault of ['latency spike', 'error burst', 'payments primary down', 'slow budget burn'])
      expect(stdout).toContain(`fault on:  ${fault}`);
    expect(stdout).toContain('runbook payments-failover');

    // It says what it seeded the SLOs with, and which window and counts each budget figure stands for.
    expect(stdout).toMatch(
      /seeded: 7 simulated days of past traffic, restored into each SLO at start:\n {2}availability \S+ bad of \S+ events/,
    );
    expect(stdout).toContain("30d budget: error budget left in the SLO's rolling 30d window");
    expect(stdout).toMatch(/ {2}availability {2}99\.9% {2}30d budget +(\d+% left|overspent), \S+\/\S+ bad/);
    expect(stdout).toMatch(/sla today, 00:00 to \d\d:\d\d UTC/);
    expect(stdout).toMatch(/\S+ bad of \S+ allowed = \d+% of today's error budget/);
    // The failed requests were grouped, and the payments outage brought a new error type (alerted).
    expect(stdout).toMatch(/error groups, most errors first:\n {2}\S+ x \w+/);
    expect(stdout).toMatch(
      /\d+ x PaymentProviderError \(new since start\): payments primary region answered/,
    );
    expect(stdout).toMatch(/alert \[FIRING\] NewErrorType: New error PaymentProviderError at payments\.ts/);

    const files = await readdir(out);
    expect(files).toContain('health-report.json');
    expect(files).toContain('sla-report.json');
    const health = monitorHealthReportSchema.parse(await readJson(join(out, 'health-report.json')));
    expect(health.predictions).toBeDefined();
    // The payments dependency, the database pool and the product cache report from the real objects.
    expect(health.services['payments']).toMatchObject({
      breaker: expect.any(String),
      calls: expect.any(Number),
    });
    expect(health.services['database']).toMatchObject({ connections: expect.any(Number), max: 4 });
    expect(health.services['product-cache']?.hit_rate).toBeGreaterThan(0);
    expect(health.slos.map((slo) => slo.name)).toContain('payments:availability');
    const sla = slaReportSchema.parse(await readJson(join(out, 'sla-report.json')));
    expect(sla.period).toBe('day');
    expect(sla.traffic.requests).toBeGreaterThan(0);

    const incidentFiles = files.filter((file) => /^incident-.+\.json$/.test(file));
    expect(incidentFiles.length).toBeGreaterThan(0);
    const incidents = await Promise.all(
      incidentFiles.map(async (file) => incidentReportSchema.parse(await readJson(join(out, file)))),
    );
    // The payments outage was fixed by the runbook, so at least one incident ends resolved.
    expect(incidents.some((incident) => incident.resolution !== '')).toBe(true);
  }, 60_000);

  it('prints the usage and exits 2 on a bad argument', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', main, '--duration', 'soon'], {
      cwd: root,
    }).then(
      () => undefined,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('Usage: npm run demo');
  });
});
