// Issue 13, items 4 and 18 together: a monitor over a file-backed recorder answered its async reports
// right after start with ERR_SRE_NOT_READY (the recorder refuses reads until its store has loaded), so
// the first readiness check after a restart failed instead of seeing the P1 left open on disk. The
// monitor's async reads and the agent protocol wait for the store; only the synchronous reports throw.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileIncidentStore, createIncidentRecorder, createMonitor } from 'sre-kit';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sre-kit-monitor-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('regression #13: the monitor reads a file-backed recorder only once it has loaded', () => {
  it('readiness, the health report and health_check right after a restart see the P1 on disk', async () => {
    const path = join(dir, 'incidents.jsonl');
    const before = createIncidentRecorder({ service: 'api', store: createFileIncidentStore({ path }) });
    const p1 = await before.open({ title: 'Database down', severity: 'P1', dedupKey: 'db-down' });
    await before.close();

    const restart = async () => {
      const incidents = createIncidentRecorder({ service: 'api', store: createFileIncidentStore({ path }) });
      return { incidents, monitor: createMonitor({ service: 'api', incidents }) };
    };

    let { incidents, monitor } = await restart();
    const readiness = await monitor.deploymentReadiness();
    expect(readiness.ready).toBe(false);
    expect(readiness.reasons.join(' ')).toContain(p1.id);
    await monitor.close();
    await incidents.close();

    ({ incidents, monitor } = await restart());
    const report = await monitor.healthReport();
    expect(report.openIncidents.map((i) => i.id)).toEqual([p1.id]);
    await monitor.close();
    await incidents.close();

    ({ incidents, monitor } = await restart());
    const answer = await monitor.handle({ agent: 'sre-reliability', action: 'incident_report', id: p1.id });
    expect(answer.ok).toBe(true);
    await monitor.close();
    await incidents.close();
  });
});
