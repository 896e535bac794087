// The payments failover drill on the real demo service (examples/demo/drill.ts): real HTTP traffic, a
// real payments outage through the fault injector, the breaker, the monitor, the runbook.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { drillJournalSchema } from 'sre-kit';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const program = join(root, 'examples', 'demo', 'drill.ts');
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the payments failover drill on the demo service', () => {
  it('injects the outage, sees the breaker open, its alert and incident, measures recovery, and passes', async () => {
    const out = await mkdtemp(join(tmpdir(), 'sre-kit-drill-'));
    dirs.push(out);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', program, '--out', out], {
      cwd: root,
      timeout: 50_000,
    });
    const journal = drillJournalSchema.parse(
      JSON.parse(await readFile(join(out, 'drill-journal.json'), 'utf8')),
    );

    expect(journal.steadyState.before?.met).toBe(true);
    expect(journal.injections).toMatchObject([{ name: 'payments primary down', errorRate: 1 }]);
    expect(journal.actual.alerts.map((a) => a.key)).toContain('breaker:payments');
    expect(journal.actual.incidents.map((i) => i.dedupKey)).toContain('breaker:payments');
    expect(journal.missing).toEqual({ alerts: [], incidents: [] });
    expect(journal.timeToDetectMs).not.toBeNull();
    expect(journal.timeToRecoverMs).not.toBeNull();
    expect(journal.timeToRecoverMs!).toBeLessThanOrEqual(15_000);
    expect(journal.steadyState.after?.met).toBe(true);
    expect(journal.rollback).toMatchObject({ ran: true, ok: true });
    expect(journal.maintenanceWindow).toMatch(/^drill:payments-failover@/);
    expect(journal.verdict).toBe('passed');
    expect(stdout).toContain('runbook payments-failover: switched payments to the standby region');
    expect(stdout).toMatch(/sla: availability excluded [1-9]\d* events of the drill's window/);
    expect(stdout).toContain('sla: drills today 1 (1 passed)');
  }, 60_000);
});
