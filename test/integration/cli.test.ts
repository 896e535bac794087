// The `sre-kit` command as a user runs it: a real process (the bin bundled from the sources), real
// files, real servers on 127.0.0.1, Prometheus's own promtool on the rules it writes.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFileIncidentStore,
  createHealthRegistry,
  createIncidentRecorder,
  type HealthRegistry,
} from 'sre-kit';
import { healthRoutes } from 'sre-kit/express';
import { createFakeClock } from 'sre-kit/testing';
import { bundleChild, type ChildBundle } from '../helpers/child-bundle.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { promtool } from '../helpers/promtool.js';

let cli: ChildBundle;
beforeAll(async () => {
  cli = await bundleChild(join(import.meta.dirname, '..', '..', 'src', 'cli', 'bin.ts'), 'sre-kit-cli-');
}, 60_000);
afterAll(() => cli.remove());

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli.entry, ...args], {
      cwd: cli.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A failure is one line on stderr, naming the command. */
function expectOneLineError(result: Run, code: number, text: RegExp): void {
  expect(result.code).toBe(code);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^sre-kit( \w+)?: /);
  expect(result.stderr).toMatch(text);
}

const OPENSLO = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: orders-availability
spec:
  service: orders
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 28d, isRolling: true }]
  objectives: [{ target: 0.999 }]
  indicatorRef: orders-availability
---
apiVersion: openslo/v1
kind: SLI
metadata: { name: orders-availability }
spec:
  ratioMetric:
    counter: true
    good: { metricSource: { type: Prometheus, spec: { query: 'sre_slo_events_total{slo="orders-availability",outcome="good"}' } } }
    total: { metricSource: { type: Prometheus, spec: { query: 'sre_slo_events_total{slo="orders-availability"}' } } }
`;

const SRE_KIT_YAML = `slos:
  - name: checkout-latency
    objective: { kind: latency, target: 0.95, thresholdMs: 200 }
    window: { kind: calendar, unit: month, timeZone: Europe/Berlin }
    alerts: sloth
rules:
  labels: { team: payments }
`;

describe('sre-kit (the command)', () => {
  it('prints help for itself and each command, and refuses an unknown command with exit 64', async () => {
    const top = await run('--help');
    expect([top.code, top.stdout]).toEqual([0, expect.stringContaining('Commands:')]);
    for (const command of ['rules', 'budget', 'report', 'check']) {
      const help = await run(command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: sre-kit ${command}`));
    }
    expectOneLineError(await run('deploy'), 64, /unknown command "deploy"/);
    expect((await run('--version')).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  describe('rules', () => {
    it('turns an OpenSLO file into a rule file that promtool check rules accepts', async () => {
      writeFileSync(join(cli.dir, 'slos.yaml'), OPENSLO);
      const result = await run('rules', 'slos.yaml', '--out', 'rules.yml', '--label', 'team=orders');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^Wrote \d+ rules in 2 groups for 1 SLO \(orders-availability\) to rules\.yml; promtool check rules: passed/,
      );
      const check = promtool(['check', 'rules', join(cli.dir, 'rules.yml')]);
      expect([check.status, check.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
      const file = parse(readFileSync(join(cli.dir, 'rules.yml'), 'utf8')) as {
        groups: { rules: { alert?: string; labels: Record<string, string> }[] }[];
      };
      const alerts = file.groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);
      expect(alerts.map((a) => a.labels)).toEqual([
        { team: 'orders', severity: 'page', slo: 'orders-availability' },
        { team: 'orders', severity: 'ticket', slo: 'orders-availability' },
      ]);
    });

    it("reads sre-kit's own YAML with its rule options, to stdout or as JSON", async () => {
      writeFileSync(join(cli.dir, 'sre-kit.yaml'), SRE_KIT_YAML);
      const yaml = await run('rules', 'sre-kit.yaml');
      expect(yaml.code).toBe(0);
      writeFileSync(join(cli.dir, 'from-stdout.yml'), yaml.stdout);
      expect(promtool(['check', 'rules', join(cli.dir, 'from-stdout.yml')]).status).toBe(0);
      const json = await run('rules', 'sre-kit.yaml', '--json', '--skip-promtool');
      const summary = JSON.parse(json.stdout) as Record<string, unknown>;
      expect(summary).toMatchObject({
        ok: true,
        format: 'sre-kit',
        slos: ['checkout-latency'],
        promtool: 'skipped',
        out: null,
      });
      expect(JSON.stringify(summary.file)).toContain('"team":"payments"');
    });

    it('gives one line and exit 1 for a missing file, bad YAML or an invalid SLO; 64 for a bad command line', async () => {
      writeFileSync(join(cli.dir, 'broken.yaml'), 'slos: [\n  - name: x\n');
      writeFileSync(
        join(cli.dir, 'invalid.yaml'),
        '- name: x\n  objective: { kind: availability, target: 99.9 }\n',
      );
      writeFileSync(join(cli.dir, 'other.yaml'), 'hello: world\n');
      expectOneLineError(await run('rules', 'missing.yaml'), 1, /cannot read missing\.yaml: no such file/);
      expectOneLineError(await run('rules', 'broken.yaml'), 1, /broken\.yaml is not valid YAML: .*line \d+/);
      expectOneLineError(await run('rules', 'invalid.yaml'), 1, /\[0\]\.objective\.target: expected/);
      expectOneLineError(await run('rules', 'other.yaml'), 1, /neither OpenSLO .* nor an sre-kit SLO file/);
      expectOneLineError(await run('rules'), 64, /missing the SLO file/);
      expectOneLineError(await run('rules', 'slos.yaml', '--bogus'), 64, /Unknown option '--bogus'/);
      expectOneLineError(await run('rules', 'slos.yaml', '--label', 'team'), 64, /expected name=value/);
      const json = await run('rules', 'missing.yaml', '--json');
      expect(JSON.parse(json.stdout)).toEqual({
        ok: false,
        error: { code: 'ERR_CLI_FAILED', message: 'cannot read missing.yaml: no such file' },
      });
    });
  });

  describe('budget', () => {
    it('states the budget, the alerts that guard it, and what events spent of it', async () => {
      const plain = await run('budget', '--target', '99.9', '--window', '30d');
      expect(plain.code).toBe(0);
      expect(plain.stdout).toContain('error budget: 0.1% of events, or 43m 12s of full downtime');
      expect(plain.stdout).toMatch(/page\s+1h \/ 5m\s+14\.4x\s+2%\s+2d 2h/);

      const json = JSON.parse(
        (await run('budget', '--target', '99.9', '--window', '30d', '--events', '999400,1000000', '--json'))
          .stdout,
      ) as { budget: { allowedDowntimeMs: number }; events: Record<string, number> };
      expect(json.budget.allowedDowntimeMs).toBe(2_592_000);
      // 600 bad of a million at a 0.1 % budget: burn rate 0.6 over the whole window, 40 % left, and at
      // that pace the rest lasts 0.4 × 30 d / 0.6 = 20 days.
      expect(json.events).toMatchObject({
        burnRate: 0.6,
        consumed: 0.6,
        remaining: 0.4,
        timeToExhaustionMs: 20 * 86_400_000,
      });

      const partial = JSON.parse(
        (
          await run(
            'budget',
            '--target',
            '99.9',
            '--window',
            '30d',
            '--events',
            '999000,1000000',
            '--elapsed',
            '3d',
            '--json',
          )
        ).stdout,
      ) as { events: Record<string, number> };
      expect(partial.events).toMatchObject({ burnRate: 1, consumed: 0.1, remaining: 0.9 });
    });

    it('refuses a ratio given as a percentage, bad durations and impossible events, with exit 64', async () => {
      expectOneLineError(
        await run('budget', '--target', '0.999', '--window', '30d'),
        64,
        /write --target 99\.9/,
      );
      expectOneLineError(
        await run('budget', '--target', '99.9', '--window', 'month'),
        64,
        /--window "month"/,
      );
      expectOneLineError(await run('budget', '--target', '99.9'), 64, /missing --window/);
      expectOneLineError(
        await run('budget', '--target', '99.9', '--window', '30d', '--events', '10,5'),
        64,
        /good \(10\) is more than total \(5\)/,
      );
    });
  });

  describe('report', () => {
    it("reports a month's incidents from a live file log as a table, JSON and Markdown", async () => {
      const path = join(cli.dir, 'var', 'incidents.jsonl');
      const clock = createFakeClock({ start: '2026-03-02T10:00:00Z' });
      const recorder = createIncidentRecorder(
        { service: 'orders', store: createFileIncidentStore({ path }) },
        { clock },
      );
      const first = await recorder.open({
        title: 'Orders API failing',
        severity: 'P2',
        impact: 'all checkouts fail',
      });
      clock.advance(15 * 60_000);
      await recorder.resolve(first.id, {
        resolution: 'Restarted the pool',
        rootCause: 'Pool exhausted',
        automated: true,
      });
      clock.advanceTo('2026-03-20T08:00:00Z');
      await recorder.open({ title: 'Slow search', severity: 'P3', service: 'search' });
      clock.advanceTo('2026-04-03T08:00:00Z');
      await recorder.open({ title: 'Next month', severity: 'P4' });
      // The service still holds the log (and its lock): the report reads beside it.

      const table = await run('report', '--incidents', path, '--period', 'month', '--at', '2026-03');
      expect(table.code).toBe(0);
      expect(table.stdout).toContain(
        'Incidents, month from 2026-03-01T00:00:00.000Z to 2026-04-01T00:00:00.000Z (UTC)',
      );
      expect(table.stdout).toMatch(
        /INC-2026-001\s+P2\s+orders\s+resolved\s+2026-03-02 10:00Z\s+15m\s+Orders API failing\s+Restarted the pool/,
      );
      expect(table.stdout).toMatch(/INC-2026-002\s+P3\s+search\s+open/);
      expect(table.stdout).not.toContain('Next month');

      const json = JSON.parse(
        (await run('report', '--incidents', path, '--at', '2026-03-10', '--json')).stdout,
      ) as {
        metrics: Record<string, unknown>;
        incidents: Record<string, unknown>[];
      };
      expect(json.metrics).toMatchObject({ count: 2, open: 1, mttrMs: 15 * 60_000, autoResolvedRatio: 1 });
      expect(json.incidents[0]).toMatchObject({
        incident_id: 'INC-2026-001',
        root_cause: 'Pool exhausted',
        duration_minutes: 15,
        status: 'resolved',
      });
      const one = JSON.parse(
        (await run('report', '--incidents', path, '--at', '2026-03', '--service', 'search', '--json')).stdout,
      ) as {
        metrics: { count: number };
      };
      expect(one.metrics.count).toBe(1);

      const markdown = await run('report', '--incidents', path, '--at', '2026-03', '--markdown');
      expect(markdown.stdout).toMatch(/^## Incidents, month/);
      expect(markdown.stdout).toContain('| INC-2026-001 | P2 | orders |');
      await recorder.close();
    });

    it('gives one line for a missing log, a bad period, date or time zone', async () => {
      expectOneLineError(
        await run('report', '--incidents', 'nope.jsonl'),
        1,
        /cannot read nope\.jsonl: no such file/,
      );
      expectOneLineError(await run('report'), 64, /missing --incidents/);
      expectOneLineError(
        await run('report', '--incidents', 'x', '--period', 'year'),
        64,
        /expected day, week or month/,
      );
      expectOneLineError(
        await run('report', '--incidents', 'x', '--at', 'yesterday'),
        64,
        /--at "yesterday"/,
      );
      expectOneLineError(
        await run('report', '--incidents', 'x', '--tz', 'Mars/Olympus'),
        64,
        /not an IANA time zone/,
      );
    });
  });

  describe('check', () => {
    let server: TestServer;
    let health: HealthRegistry;
    let cacheUp = true;
    let databaseUp = true;
    beforeAll(async () => {
      health = createHealthRegistry({ service: 'orders', exposeDetails: true });
      health.register('database', () =>
        databaseUp
          ? { observedValue: 3, observedUnit: 'ms' }
          : { status: 'fail', output: 'connection refused' },
      );
      health.register('cache', () => (cacheUp ? undefined : { status: 'fail', output: 'redis down' }), {
        critical: false,
      });
      const app = express();
      app.use(healthRoutes(health));
      app.get('/page', (_req, res) => void res.type('html').send('<html>hi</html>'));
      server = await startServer(app);
    });
    afterAll(async () => {
      await server.close();
      health.close();
    });

    it('exits 0, 1 and 2 as health+json passes, warns and fails, and lists each check', async () => {
      const pass = await run('check', `${server.url}/health`);
      expect(pass.code).toBe(0);
      expect(pass.stdout).toMatch(
        /^PASS http:\/\/127\.0\.0\.1:\d+\/health \(HTTP 200\): orders: 2 checks pass/,
      );
      expect(pass.stdout).toMatch(/database\s+pass\s+3 ms/);

      cacheUp = false;
      const warn = await run('check', `${server.url}/health`);
      expect(warn.code).toBe(1);
      expect(warn.stdout).toMatch(/^WARN .*: orders: cache is not passing/);

      databaseUp = false;
      const fail = await run('check', `${server.url}/health`, '--json');
      expect(fail.code).toBe(2);
      expect(JSON.parse(fail.stdout)).toMatchObject({
        status: 'fail',
        httpStatus: 503,
        format: 'health+json',
        checks: expect.arrayContaining([{ name: 'database', status: 'fail', output: 'connection refused' }]),
      });
      databaseUp = true;
      cacheUp = true;
    });

    it('reads probe text by its HTTP status, and exits 2 unreachable, 3 for an answer that is neither', async () => {
      expect((await run('check', `${server.url}/livez`)).code).toBe(0);
      databaseUp = false;
      const ready = await run('check', `${server.url}/readyz`);
      expect(ready.code).toBe(2);
      expect(ready.stdout).toMatch(/^FAIL .*\(HTTP 503\): readyz check failed/);
      expect(ready.stdout).toMatch(/database\s+fail\s+connection refused/);
      databaseUp = true;

      const closed = await startServer((_req, res) => res.end());
      const url = `${closed.url}/health`;
      await closed.close();
      const down = await run('check', url);
      expect(down.code).toBe(2);
      expect(down.stdout).toMatch(/^FAIL .*: unreachable: ECONNREFUSED/);
      expect((await run('check', `${server.url}/page`)).code).toBe(3);
      expectOneLineError(await run('check', 'localhost:3000'), 64, /not a URL|only http and https/);
      expectOneLineError(await run('check'), 64, /missing the URL/);
    });
  });
});
