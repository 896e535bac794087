// The monitor with a maintenance calendar: alerts silenced in the router (recorded, not delivered),
// automatic incidents held during a window and opened if the problem outlives it, a reminder before a
// window closes on firing alerts, and SLO events excluded from the SLA report's budgets.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createAlertRouter,
  createCircuitBreaker,
  createMaintenanceCalendar,
  createMonitor,
  createSloTracker,
  slaReportSchema,
  type Notification,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

const MIN = 60_000;

function setup(start = '2026-06-07T01:00:00Z') {
  const clock = createFakeClock({ start });
  const calendar = createMaintenanceCalendar({ timeZone: 'Europe/Berlin' }, { clock });
  const delivered: Notification[] = [];
  const alerts = createAlertRouter(
    {
      routes: [
        {
          notifiers: [
            {
              name: 'pager',
              notify: (n) => {
                delivered.push(n);
                return Promise.resolve();
              },
            },
          ],
        },
      ],
      groupWaitMs: 0,
      silencer: calendar,
    },
    { clock },
  );
  const breaker = createCircuitBreaker(
    { name: 'database', failureThreshold: { kind: 'consecutive', count: 2 }, openMs: 60 * MIN },
    { clock },
  );
  const availability = createSloTracker(
    { name: 'availability', objective: { kind: 'availability', target: 0.99 } },
    { clock },
  );
  const monitor = createMonitor(
    {
      service: 'checkout',
      breakers: [breaker],
      slos: [availability],
      alerts,
      maintenance: calendar,
      evaluateIntervalMs: MIN,
      resolveAfterMs: 0,
      maintenanceReminderMs: 10 * MIN,
    },
    { clock },
  );
  const openBreaker = async (): Promise<void> => {
    for (let i = 0; i < 2; i++)
      await breaker.execute(() => Promise.reject(new Error('db down'))).catch(() => undefined);
  };
  const close = async (): Promise<void> => {
    await monitor.close();
    await alerts.close();
    breaker.close();
    availability.close();
  };
  return { clock, calendar, alerts, delivered, breaker, availability, monitor, openBreaker, close };
}

async function tick(clock: FakeClock, ms: number): Promise<void> {
  await clock.advanceAsync(ms);
}

describe('a weekly window silencing a planned restart', () => {
  it('silences the breaker alert, holds its incident, and opens it if the problem outlives the window', async () => {
    // Sunday 2026-06-07, 03:00 in Berlin (01:00Z): the window is 03:00-03:30 local.
    const t = setup();
    t.calendar.add({
      id: 'db-restart',
      title: 'Weekly database restart',
      matchers: ['service="checkout"', 'breaker="database"'],
      recurring: { weekdays: ['sunday'], times: [{ start: '03:00', end: '03:30' }] },
      createdBy: 'ops',
      comment: 'CHG-1234',
    });
    await t.openBreaker();
    await t.monitor.evaluate();
    await tick(t.clock, 1_000);
    await t.alerts.flush();

    expect(t.delivered).toEqual([]);
    expect(t.monitor.incidents.list()).toEqual([]);
    expect(t.alerts.silenced().map((s) => [s.key, s.silencedBy.id])).toEqual([
      ['breaker:database', 'db-restart'],
    ]);
    expect(t.alerts.stats().silenced).toBe(1);

    // 10 minutes before it closes, still firing: a reminder, delivered (never silenced itself).
    await tick(t.clock, 20 * MIN);
    await t.alerts.flush();
    const reminder = t.delivered.flatMap((n) => n.alerts).find((a) => a.name === 'MaintenanceWindowClosing');
    expect(reminder?.summary).toBe(
      'Maintenance window Weekly database restart closes at 2026-06-07T01:30:00.000Z with 1 alert(s) still firing: breaker:database',
    );
    expect(t.monitor.incidents.list()).toEqual([]);

    // The window closes with the breaker still open: the incident opens now and pages.
    await tick(t.clock, 10 * MIN);
    await t.monitor.incidents.ready();
    await tick(t.clock, 1_000);
    await t.alerts.flush();
    const incidents = t.monitor.incidents.list();
    expect(incidents.map((i) => [i.dedupKey, i.severity, i.status])).toEqual([
      ['breaker:database', 'P3', 'open'],
    ]);
    expect(t.delivered.flatMap((n) => n.alerts).some((a) => a.dedupKey === 'breaker:database')).toBe(true);
    expect(t.alerts.silenced()).toEqual([]);
    await t.close();
  });

  it('resolves the silenced alert quietly when the restart is over before the window closes', async () => {
    const t = setup();
    t.calendar.add({
      id: 'db-restart',
      title: 'Weekly database restart',
      matchers: ['breaker="database"'],
      recurring: { weekdays: ['sunday'], times: [{ start: '03:00', end: '03:30' }] },
      createdBy: 'ops',
    });
    await t.openBreaker();
    await t.monitor.evaluate();
    expect(t.alerts.silenced()).toHaveLength(1);
    t.breaker.reset();
    await tick(t.clock, MIN);
    await t.alerts.flush();
    expect(t.alerts.silenced()).toEqual([]);
    await tick(t.clock, 40 * MIN);
    await t.alerts.flush();
    expect(t.delivered).toEqual([]);
    expect(t.monitor.incidents.list()).toEqual([]);
    await t.close();
  });

  it('leaves alerts the matchers do not cover alone', async () => {
    const t = setup();
    t.calendar.add({
      id: 'cache-restart',
      title: 'Cache restart',
      matchers: ['breaker="cache"'],
      recurring: { weekdays: ['sunday'] },
      createdBy: 'ops',
    });
    await t.openBreaker();
    await t.monitor.evaluate();
    await tick(t.clock, 1_000);
    await t.alerts.flush();
    expect(t.monitor.incidents.list().map((i) => i.dedupKey)).toEqual(['breaker:database']);
    expect(t.delivered).toHaveLength(1);
    await t.close();
  });
});

describe('SLO events excluded from the SLA report', () => {
  it('leaves the window’s events out of good and total alike, and says how many', async () => {
    const t = setup('2026-06-08T09:00:00Z');
    // One-off window 10:00-10:30Z, excluding the monitor's SLOs.
    t.calendar.add({
      id: 'migration',
      title: 'Schema migration',
      matchers: ['service="checkout"'],
      start: '2026-06-08T10:00:00Z',
      end: '2026-06-08T10:30:00Z',
      silence: false,
      excludeFromSlo: true,
      createdBy: 'ops',
    });
    // 09:00-11:00: 100 events a minute; 5 % fail during the window, none outside it.
    for (let minute = 0; minute < 120; minute++) {
      const inWindow = minute >= 60 && minute < 90;
      t.availability.record(true, inWindow ? 95 : 100);
      if (inWindow) t.availability.record(false, 5);
      await tick(t.clock, MIN);
      await t.monitor.evaluate();
    }
    const report = slaReportSchema.parse(t.monitor.slaReport({ period: 'day' }));
    const [slo] = report.slos;
    expect(slo?.excluded).toEqual({ good: 30 * 95, total: 30 * 100 });
    expect([slo?.good, slo?.total]).toEqual([90 * 100, 90 * 100]);
    expect(slo?.achieved).toBe(100);
    expect(slo?.budgetUsed).toBe(0);
    expect(report.maintenance.windows).toEqual([
      {
        id: 'migration',
        title: 'Schema migration',
        from: '2026-06-08T10:00:00.000Z',
        to: '2026-06-08T10:30:00.000Z',
        silence: false,
        excludeFromSlo: true,
      },
    ]);
    expect(report.maintenance.rule).toMatch(/wholly inside a window/);
    // The tracker itself still counts every event.
    expect(t.availability.status().total).toBe(120 * 100);
    await t.close();
  });

  it('does not exclude events recorded before the window was added', async () => {
    const t = setup('2026-06-08T10:00:00Z');
    for (let minute = 0; minute < 10; minute++) {
      t.availability.record(false, 10);
      await tick(t.clock, MIN);
    }
    t.calendar.add({
      id: 'late',
      title: 'Added afterwards',
      matchers: ['service="checkout"'],
      start: '2026-06-08T10:00:00Z',
      end: '2026-06-08T11:00:00Z',
      excludeFromSlo: ['availability'],
      createdBy: 'ops',
    });
    await tick(t.clock, 5 * MIN);
    await t.monitor.evaluate();
    const report = t.monitor.slaReport({ period: 'day' });
    expect(report.slos[0]?.excluded).toEqual({ good: 0, total: 0 });
    expect(report.slos[0]?.total).toBe(100);
    await t.close();
  });

  it('keeps the exclusions across a restart through the history file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sre-kit-exclusions-'));
    const file = join(dir, 'history.json');
    try {
      const clock = createFakeClock({ start: '2026-06-08T09:59:00Z' });
      const calendar = createMaintenanceCalendar({}, { clock });
      calendar.add({
        id: 'w',
        title: 'Window',
        matchers: ['service="checkout"'],
        start: '2026-06-08T10:00:00Z',
        end: '2026-06-08T10:10:00Z',
        excludeFromSlo: true,
        createdBy: 'ops',
      });
      const slo = createSloTracker(
        { name: 'availability', objective: { kind: 'availability', target: 0.99 } },
        { clock },
      );
      const options = { service: 'checkout', slos: [slo], maintenance: calendar, history: { file } };
      const first = createMonitor(options, { clock });
      await clock.advanceAsync(MIN);
      for (let i = 0; i < 10; i++) {
        slo.record(false, 3);
        await clock.advanceAsync(MIN);
      }
      await first.evaluate();
      await first.close();
      // A fresh tracker: what the second monitor knows of the window's events comes from the file.
      const fresh = createSloTracker(
        { name: 'availability', objective: { kind: 'availability', target: 0.99 } },
        { clock },
      );
      const second = createMonitor({ ...options, slos: [fresh] }, { clock });
      expect(second.slaReport({ period: 'day' }).slos[0]).toMatchObject({
        excluded: { good: 0, total: 30 },
        total: 0,
      });
      await second.close();
      slo.close();
      fresh.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
