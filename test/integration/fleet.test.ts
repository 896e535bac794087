// The fleet loop end to end, on real engines, all on 127.0.0.1 with temporary directories and free
// ports: a node:cluster of three workers (examples/fleet/service.ts) reporting to its primary; a real
// Prometheus scraping the primary's one /metrics every second and evaluating rules that `sre-kit rules`
// generated from an OpenSLO file (short windows, for the test); a real Alertmanager whose receiver is
// the primary's webhook. A total outage of the upstream must page, reach the webhook and open exactly
// one incident that a runbook works on; recovery must resolve it. The times are printed, not asserted.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createIncidentRecorder, createMemoryIncidentStore, readIncidentLog, type Incident } from 'sre-kit';
import { startAlertmanager, type AlertmanagerServer } from '../helpers/alertmanager-server.js';
import { bundleChild } from '../helpers/child-bundle.js';
import { FLEET_OPENSLO, fleetAlertmanagerConfig, fleetPrometheusConfig } from '../helpers/fleet-config.js';
import { startFleetService, startUpstream } from '../helpers/fleet-service.js';
import { freePort, startPrometheusWith, type PrometheusServer } from '../helpers/prometheus-server.js';

const root = join(import.meta.dirname, '..', '..');
const TOKEN = 'fleet-test-webhook-secret-0123';
const REPORT_INTERVAL_MS = 1_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Sends GET /orders/:n at about `rate` per second until stopped; counts answers by status. */
function startTraffic(url: string, rate: number): { stop(): Promise<void>; counts: Map<number, number> } {
  const counts = new Map<number, number>();
  let running = true;
  let n = 0;
  const loop = (async () => {
    // Bounded: stops when asked, and in any case after three minutes.
    const end = Date.now() + 180_000;
    while (running && Date.now() < end) {
      const started = Date.now();
      try {
        const res = await fetch(`${url}/orders/${++n}`, { signal: AbortSignal.timeout(3_000) });
        await res.arrayBuffer();
        counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
      } catch {
        counts.set(0, (counts.get(0) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_000 / rate - (Date.now() - started))));
    }
  })();
  return {
    counts,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** The incidents in the service's log, read as `sre-kit report` reads it: beside the running writer. */
async function incidents(path: string): Promise<Incident[]> {
  try {
    const { records } = await readIncidentLog(path);
    const recorder = createIncidentRecorder({
      service: 'orders',
      store: createMemoryIncidentStore({ records }),
    });
    const list = recorder.list();
    await recorder.close();
    return list;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Polls `probe` every 200 ms until it returns a value, or fails after `timeoutMs`. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the fleet loop on real engines', () => {
  it('pages on a total outage, opens exactly one incident that a runbook works on, and resolves it on recovery', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sre-kit-fleet-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const [service, cli] = await Promise.all([
      bundleChild(join(root, 'examples', 'fleet', 'service.ts'), 'sre-kit-fleet-service-'),
      bundleChild(join(root, 'src', 'cli', 'bin.ts'), 'sre-kit-fleet-cli-'),
    ]);
    cleanups.push(
      () => service.remove(),
      () => cli.remove(),
    );

    // The rules, from the OpenSLO file, by the command a user runs (promtool checks them on the way).
    await writeFile(join(dir, 'slos.yaml'), FLEET_OPENSLO);
    const rules = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [
        cli.entry,
        'rules',
        join(dir, 'slos.yaml'),
        '--out',
        join(dir, 'rules.yml'),
        // Alerts carry the service they page for; Alertmanager's receiver files incidents under it.
        '--label',
        'service=orders',
      ]);
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('close', (code) => resolve({ code, out }));
    });
    expect(rules.code).toBe(0);
    expect(rules.out).toContain('promtool check rules: passed');

    const [servicePort, adminPort, upstreamPort] = [await freePort(), await freePort(), await freePort()];
    const upstream = await startUpstream(upstreamPort);
    cleanups.push(() => upstream.down());
    const logPath = join(dir, 'incidents.jsonl');
    const fleet = await startFleetService(service, TOKEN, [
      '--port',
      String(servicePort),
      '--admin-port',
      String(adminPort),
      '--workers',
      '3',
      '--upstream',
      `http://127.0.0.1:${upstreamPort}`,
      '--incidents',
      logPath,
      '--report-interval-ms',
      String(REPORT_INTERVAL_MS),
    ]);
    cleanups.push(() => fleet.stop());
    expect(fleet.workerPids).toHaveLength(3);

    const admin = `127.0.0.1:${adminPort}`;
    const alertmanager: AlertmanagerServer = await startAlertmanager(
      fleetAlertmanagerConfig({ admin }, TOKEN),
    );
    cleanups.push(() => alertmanager.close());
    const prometheus: PrometheusServer = await startPrometheusWith(
      fleetPrometheusConfig({ admin, alertmanager: alertmanager.target, rulesFile: join(dir, 'rules.yml') }),
    );
    cleanups.push(() => prometheus.close());

    const traffic = startTraffic(`http://127.0.0.1:${servicePort}`, 40);
    cleanups.push(() => traffic.stop());
    // Healthy first: Prometheus must see the good events of every worker, summed by the primary.
    await until('healthy traffic in Prometheus', 30_000, async () => {
      const [sample] = await prometheus.query('sum(rate(sre_slo_events_total{outcome="good"}[5s]))');
      return sample !== undefined && Number(sample.value[1]) > 5 ? true : undefined;
    });
    expect(await incidents(logPath)).toEqual([]);

    // A total outage: the upstream's port closes, every order fails with 502.
    await upstream.down();
    const outageAt = Date.now();
    const opened = await until('the incident to open', 90_000, async () => (await incidents(logPath))[0]);
    const incidentAt = Date.now();
    const firing = await prometheus.query('ALERTS{alertname="SloErrorBudgetBurn",alertstate="firing"}');
    expect(firing.map((s) => s.metric.severity)).toEqual(['page']);
    expect(opened).toMatchObject({ source: 'alertmanager', service: 'orders', severity: 'P2' });
    // The runbook ran: it diagnosed the dead upstream, restarted a worker, could not verify a fix
    // while the upstream stayed down, and handed the incident to people.
    const worked = await until('the runbook to finish', 30_000, async () => {
      const incident = (await incidents(logPath))[0];
      return incident?.timeline.some((e) => e.text.startsWith('Escalated')) === true ? incident : undefined;
    });
    const notes = worked.timeline.map((entry) => entry.text);
    expect(notes).toContainEqual(
      expect.stringMatching(/^Diagnosis \(upstream-outage\): upstream unreachable/),
    );
    expect(notes).toContainEqual(
      expect.stringMatching(/^Runbook upstream-outage attempt 1: verification failed/),
    );
    expect(fleet.output()).toMatch(/fleet: escalated INC-\d{4}-001: upstream unreachable/);

    // Recovery: the upstream comes back; the burn stops; Prometheus resolves the alert, Alertmanager
    // sends the resolution, and the incident resolves.
    await upstream.up();
    const recoveredAt = Date.now();
    const resolved = await until('the incident to resolve', 90_000, async () => {
      const incident = (await incidents(logPath))[0];
      return incident?.status === 'resolved' ? incident : undefined;
    });
    const resolvedAt = Date.now();
    expect(resolved).toMatchObject({ id: opened.id, resolvedBy: 'alertmanager', automated: true });
    // Exactly one incident, however often Alertmanager repeated the page.
    const all = await incidents(logPath);
    expect(all).toHaveLength(1);

    console.log(
      `fleet loop: outage → incident ${((incidentAt - outageAt) / 1000).toFixed(1)} s, ` +
        `recovery → resolution ${((resolvedAt - recoveredAt) / 1000).toFixed(1)} s ` +
        `(traffic by status: ${JSON.stringify(Object.fromEntries(traffic.counts))}, ` +
        `occurrences ${all[0]?.occurrences})`,
    );

    // Everything stops, and nothing is left behind.
    await traffic.stop();
    await fleet.stop();
    expect(fleet.output()).toContain('fleet: stopped');
    await prometheus.close();
    await alertmanager.close();
    for (const pid of [fleet.child.pid ?? 0, ...fleet.workerPids, prometheus.pid, alertmanager.pid])
      expect(alive(pid)).toBe(false);
  }, 180_000);
});
