// The maintenance and drill actions of the agent protocol over real HTTP, on Express 5 and Fastify 5:
// `maintenance_windows` adds a window and lists it open, `run_drill` runs a backup drill and answers its
// journal, is refused with 409 while a P1 incident is open and answers 404 for an unknown drill, and
// `drill_report` lists the journal; a monitor without a calendar refuses `maintenance_windows` (409).
// `maintenance_windows` and `run_drill` are acts: a route left at its default (`read` only) answers them
// 403 and changes nothing, while `drill_report` still reads.
import { createHash } from 'node:crypto';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AgentPermission,
  agentDrillReportResponseSchema,
  agentMaintenanceWindowsResponseSchema,
  agentResponseSchema,
  agentRunDrillResponseSchema,
  createDrill,
  createMaintenanceCalendar,
  createMonitor,
  type AgentResponse,
  type Monitor,
} from 'sre-kit';
import { agentRoute } from 'sre-kit/express';
import { sreFastify } from 'sre-kit/fastify';
import { startServer } from '../helpers/http-server.js';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

// The routes allow acts unless the test asks for the default (read only).
type Serve = (monitor: Monitor, allow?: readonly AgentPermission[] | 'default') => Promise<string>;
const acting: readonly AgentPermission[] = ['read', 'act'];

const servers: Record<string, Serve> = {
  express: async (monitor, allow = acting) => {
    const app = express();
    app.post('/agent', agentRoute(monitor, allow === 'default' ? {} : { allow: [...allow] }));
    const server = await startServer(app);
    closers.push(() => server.close());
    return `${server.url}/agent`;
  },
  fastify: async (monitor, allow = acting) => {
    const app = Fastify();
    await app.register(sreFastify, {
      agent: allow === 'default' ? { monitor } : { monitor, allow: [...allow] },
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    return `${url}/agent`;
  },
};

function shop(options: { calendar: boolean }): Monitor {
  const calendar = options.calendar ? createMaintenanceCalendar({ timeZone: 'Europe/Berlin' }) : undefined;
  const monitor = createMonitor({
    service: 'checkout',
    ...(calendar === undefined ? {} : { maintenance: calendar }),
  });
  closers.push(() => monitor.close());
  const rows = [
    { id: 1, total: 1999 },
    { id: 2, total: 4500 },
  ];
  const backup = JSON.stringify(rows);
  const sha = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');
  createDrill({
    kind: 'backup',
    name: 'orders-restore',
    monitor,
    restore: () => JSON.parse(backup) as unknown,
    verify: ({ restored }) => [
      { name: 'orders row count', expected: rows.length, actual: (restored as unknown[]).length },
      { name: 'orders checksum', expected: sha(rows), actual: sha(restored) },
    ],
  });
  return monitor;
}

async function ask(url: string, request: object): Promise<{ status: number; body: AgentResponse }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agent: 'sre-reliability', ...request }),
  });
  return { status: res.status, body: agentResponseSchema.parse(await res.json()) };
}

describe.each(Object.keys(servers))('maintenance and drill actions over HTTP (%s)', (server) => {
  const serve = servers[server]!;

  it('adds a maintenance window and lists it open, with when it closes', async () => {
    const url = await serve(shop({ calendar: true }));
    const start = new Date(Date.now() - 60_000).toISOString();
    const end = new Date(Date.now() + 3_600_000).toISOString();
    const added = await ask(url, {
      action: 'maintenance_windows',
      operation: 'add',
      window: {
        id: 'db-restart',
        title: 'Database restart',
        matchers: ['service="checkout"', 'component="database"'],
        start,
        end,
        exclude_from_slo: true,
        created_by: 'agent',
        comment: 'CHG-77',
      },
    });
    expect(added.status).toBe(200);
    const result = agentMaintenanceWindowsResponseSchema.parse(added.body).result;
    expect(result.added).toBe('db-restart');
    expect(result.windows).toMatchObject([
      {
        id: 'db-restart',
        open: true,
        opensAt: start,
        closesAt: end,
        excludeFromSlo: true,
        createdBy: 'agent',
      },
    ]);

    const listed = await ask(url, { action: 'maintenance_windows' });
    expect(listed.status).toBe(200);
    expect(agentMaintenanceWindowsResponseSchema.parse(listed.body).result).toMatchObject({
      added: null,
      windows: [{ id: 'db-restart', open: true }],
    });

    // A one-off time without its offset is refused, naming the field, never read as UTC.
    const bad = await ask(url, {
      action: 'maintenance_windows',
      operation: 'add',
      window: {
        id: 'naive',
        title: 'No offset',
        matchers: ['service="checkout"'],
        start: '2026-06-07T03:00:00',
        end: '2026-06-07T04:00:00',
        created_by: 'agent',
      },
    });
    expect(bad.status).toBe(422);
    expect(!bad.body.ok && bad.body.error.code).toBe('ERR_SRE_BAD_REQUEST');
  });

  it('runs a drill by name, lists its journal, and refuses it while a P1 is open (409)', async () => {
    const monitor = shop({ calendar: true });
    const url = await serve(monitor);

    const ran = await ask(url, { action: 'run_drill', name: 'orders-restore' });
    expect(ran.status).toBe(200);
    const journal = agentRunDrillResponseSchema.parse(ran.body).result;
    expect(journal).toMatchObject({ drill: 'orders-restore', kind: 'backup', verdict: 'passed' });
    expect(journal.backup?.checks.map((c) => c.ok)).toEqual([true, true]);

    const report = await ask(url, { action: 'drill_report', name: 'orders-restore' });
    expect(report.status).toBe(200);
    expect(agentDrillReportResponseSchema.parse(report.body).result).toMatchObject({
      drills: [{ name: 'orders-restore', kind: 'backup', running: false }],
      journals: [{ id: journal.id, verdict: 'passed' }],
    });

    const unknown = await ask(url, { action: 'run_drill', name: 'payments-failover' });
    expect(unknown.status).toBe(404);
    expect(!unknown.body.ok && unknown.body.error.code).toBe('ERR_SRE_NOT_FOUND');

    const p1 = await monitor.incidents.open({ title: 'Checkout down', severity: 'P1' });
    const refused = await ask(url, { action: 'run_drill', name: 'orders-restore' });
    expect(refused.status).toBe(409);
    expect(!refused.body.ok && refused.body.error).toMatchObject({
      code: 'ERR_SRE_REFUSED',
      message: `Refused: P1 incident ${p1.id} (Checkout down) is open; drills wait until it is resolved`,
    });
    expect(monitor.drills.journals({ name: 'orders-restore' })).toHaveLength(1);
  });

  it('refuses maintenance_windows on a monitor without a calendar (409)', async () => {
    const url = await serve(shop({ calendar: false }));
    const answer = await ask(url, { action: 'maintenance_windows' });
    expect(answer.status).toBe(409);
    expect(!answer.body.ok && answer.body.error.code).toBe('ERR_SRE_REFUSED');
  });

  it('a read-only route (the default) answers 403 to maintenance_windows and run_drill, and reads drill_report', async () => {
    const monitor = shop({ calendar: true });
    const url = await serve(monitor, 'default');

    for (const request of [
      { action: 'maintenance_windows' },
      {
        action: 'maintenance_windows',
        operation: 'add',
        window: {
          id: 'db-restart',
          title: 'Database restart',
          matchers: ['service="checkout"'],
          start: new Date(Date.now() - 60_000).toISOString(),
          end: new Date(Date.now() + 3_600_000).toISOString(),
          created_by: 'agent',
        },
      },
      { action: 'run_drill', name: 'orders-restore' },
    ]) {
      const answer = await ask(url, request);
      expect(answer.status, request.action).toBe(403);
      expect(!answer.body.ok && answer.body.error.code).toBe('ERR_SRE_FORBIDDEN');
    }
    expect(monitor.maintenance?.list()).toEqual([]);
    expect(monitor.drills.journals()).toEqual([]);

    const report = await ask(url, { action: 'drill_report' });
    expect(report.status).toBe(200);
    expect(agentDrillReportResponseSchema.parse(report.body).result.journals).toEqual([]);
  });
});
