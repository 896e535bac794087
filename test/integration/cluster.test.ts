// sre-kit/cluster in real processes: a node:cluster primary (examples/fleet/service.ts) and its workers
// over IPC. The primary's /metrics counts every request the workers served; a worker killed with
// SIGKILL takes with it at most what it served since its last report, and what it reported stays.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleChild } from '../helpers/child-bundle.js';
import { startFleetService, startUpstream } from '../helpers/fleet-service.js';
import { freePort } from '../helpers/prometheus-server.js';

const root = join(import.meta.dirname, '..', '..');
const INTERVAL_MS = 2_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function counted(adminUrl: string): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  const match = /^sre_slo_events_total\{slo="orders-availability",outcome="good"\} (\d+)$/m.exec(text);
  return Number(match?.[1] ?? 0);
}

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('sre-kit/cluster in a node:cluster', () => {
  it('serves every worker in one /metrics, and a killed worker loses at most one interval', async () => {
    const bundle = await bundleChild(join(root, 'examples', 'fleet', 'service.ts'), 'sre-kit-cluster-');
    cleanups.push(() => bundle.remove());
    const [port, adminPort, upstreamPort] = [await freePort(), await freePort(), await freePort()];
    const upstream = await startUpstream(upstreamPort);
    cleanups.push(() => upstream.down());
    const fleet = await startFleetService(bundle, 'cluster-test-webhook-secret', [
      '--port',
      String(port),
      '--admin-port',
      String(adminPort),
      '--workers',
      '2',
      '--upstream',
      `http://127.0.0.1:${upstreamPort}`,
      '--incidents',
      join(bundle.dir, 'incidents.jsonl'),
      '--report-interval-ms',
      String(INTERVAL_MS),
    ]);
    cleanups.push(() => fleet.stop());
    const admin = `http://127.0.0.1:${adminPort}`;

    // Served per worker, as each answer names its process.
    const served = new Map<number, number>();
    const send = async (count: number): Promise<Map<number, number>> => {
      const batch = new Map<number, number>();
      for (let i = 0; i < count; i++) {
        // A fresh connection each time, so node:cluster spreads the requests over the workers.
        const res = await fetch(`http://127.0.0.1:${port}/orders/${i}`, { headers: { connection: 'close' } });
        await res.arrayBuffer();
        expect(res.status).toBe(200);
        const pid = Number(res.headers.get('x-worker-pid'));
        batch.set(pid, (batch.get(pid) ?? 0) + 1);
        served.set(pid, (served.get(pid) ?? 0) + 1);
      }
      return batch;
    };

    await send(60);
    expect(served.size).toBe(2); // both workers took part
    // Within an interval or two, the primary counts every request of both workers.
    await until('every report to arrive', 10_000, async () => (await counted(admin)) === 60);

    // More work, then one worker is killed before it can report all of it.
    const batch = await send(20);
    const [victim, share] = [...batch.entries()].sort((a, b) => b[1] - a[1])[0] as [number, number];
    process.kill(victim, 'SIGKILL');
    // Its replacement starts; the survivor keeps reporting.
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    const total = await counted(admin);
    const lost = 80 - total;
    console.log(
      `cluster: killed worker ${victim} had served ${share} requests since the last full count; lost ${lost}`,
    );
    expect(lost).toBeGreaterThanOrEqual(0);
    expect(lost).toBeLessThanOrEqual(share); // at most its last interval: everything older stayed counted
    expect(total).toBeGreaterThanOrEqual(60);
    expect(fleet.output()).toMatch(
      new RegExp(`fleet: worker ${victim} died \\(SIGKILL\\); starting another`),
    );

    await fleet.stop();
    expect(fleet.output()).toContain('fleet: stopped');
  }, 90_000);
});
