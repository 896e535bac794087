import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createCircuitBreaker,
  createHealthRegistry,
  createMonitor,
  createSloTracker,
  DAY_MS,
  historySnapshotSchema,
  isSreError,
  MAX_MAINTENANCE_WINDOWS,
  UPTIME_DAYS,
  type ScheduledMaintenance,
  type Monitor,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';
import { UptimeDays } from '../../../src/monitor/uptime-days.js';
import { breakerState, checkState, sloState } from '../../../src/monitor/component-status.js';

const START = '2026-03-10T22:00:00.000Z';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sre-status-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setup(clock: FakeClock, file?: string) {
  const health = createHealthRegistry({ service: 'checkout' }, { clock });
  const state = { db: true, cache: true };
  health.register(
    'db',
    () => {
      if (!state.db) throw new Error('ECONNREFUSED 10.0.0.12:5432 on db-primary.internal');
      return { status: 'pass' };
    },
    { critical: true },
  );
  health.register('cache', () => (state.cache ? { status: 'pass' } : { status: 'warn', output: 'slow' }), {
    critical: false,
  });
  const availability = createSloTracker(
    { name: 'availability', objective: { kind: 'availability', target: 0.999 } },
    { clock },
  );
  const fast = createSloTracker(
    { name: 'latency-200ms', objective: { kind: 'latency', target: 0.99, thresholdMs: 200 } },
    { clock },
  );
  const payments = createCircuitBreaker({ name: 'payments' }, { clock });
  const monitor = createMonitor(
    {
      service: 'checkout',
      health,
      slos: [availability, fast],
      breakers: [payments],
      resolveAfterMs: 60_000,
      ...(file === undefined ? {} : { history: { file } }),
    },
    { clock },
  );
  return { health, state, availability, fast, payments, monitor };
}

const statusOf = (monitor: Monitor, key: string) => monitor.status().sources.find((s) => s.key === key);

describe('component status of each source', () => {
  it('maps checks, SLOs and breakers as documented', () => {
    const check = { name: 'db', critical: true, durationMs: 1, time: '', componentType: 'component' };
    expect(checkState({ ...check, status: 'fail' }).status).toBe('major_outage');
    expect(checkState({ ...check, status: 'fail', critical: false }).status).toBe('partial_outage');
    expect(checkState({ ...check, status: 'warn' }).status).toBe('degraded_performance');
    expect(checkState({ ...check, status: 'pass' }).status).toBe('operational');
    expect(breakerState('p', 'open').status).toBe('major_outage');
    expect(breakerState('p', 'isolated').status).toBe('major_outage');
    expect(breakerState('p', 'halfOpen').status).toBe('partial_outage');
    expect(breakerState('p', 'closed').status).toBe('operational');
    const slo = {
      name: 's',
      target: 0.999,
      sli: 0.9,
      good: 9,
      total: 10,
      budget: { consumed: 2, remaining: -1 },
      burnRates: {
        '5m': 100,
        '30m': 100,
        '1h': 100,
        '2h': 100,
        '6h': 100,
        '1d': 100,
        '3d': 100,
        window: 100,
      },
      timeToExhaustionMs: 0,
    };
    const alert = (severity: 'page' | 'ticket') => ({
      severity,
      firing: true,
      longWindowMs: 3_600_000,
      shortWindowMs: 300_000,
      burnRate: 14.4,
      longBurnRate: 100,
      shortBurnRate: 100,
    });
    expect(sloState({ ...slo, alerts: [alert('page')] }, 'availability').status).toBe('partial_outage');
    expect(sloState({ ...slo, alerts: [alert('ticket')] }, 'availability').status).toBe(
      'degraded_performance',
    );
    expect(sloState({ ...slo, alerts: [alert('page')] }, 'latency').status).toBe('degraded_performance');
    expect(sloState({ ...slo, alerts: [] }, 'availability').status).toBe('operational');
  });
});

describe('monitor.status()', () => {
  it('reads every source, the open incidents with their phase, and never changes state', async () => {
    const clock = createFakeClock({ start: START });
    const { state, availability, payments, monitor } = setup(clock);
    await monitor.evaluate();
    expect(monitor.status().sources.map((s) => [s.key, s.status])).toEqual([
      ['check:db', 'operational'],
      ['check:cache', 'operational'],
      ['slo:availability', 'operational'],
      ['slo:latency-200ms', 'operational'],
      ['breaker:payments', 'operational'],
    ]);

    state.db = false;
    state.cache = false;
    availability.record(false, 1_000); // every event bad: both burn-rate alerts fire
    payments.isolate(); // refuses every call, as an open circuit does
    clock.advance(10_000);
    await monitor.evaluate();
    const read = monitor.status();
    expect(statusOf(monitor, 'check:db')?.status).toBe('major_outage');
    expect(statusOf(monitor, 'check:cache')?.status).toBe('degraded_performance');
    expect(statusOf(monitor, 'slo:availability')?.status).toBe('partial_outage');
    expect(statusOf(monitor, 'breaker:payments')?.status).toBe('major_outage');
    expect(statusOf(monitor, 'check:db')?.since).toBe(clock.wallNow());
    expect(read.incidents.map((i) => [i.incident.dedupKey, i.phase]).sort()).toEqual([
      ['breaker:payments', 'identified'], // the monitor wrote its root cause
      ['check:db', 'identified'],
      ['slo:availability:page', 'investigating'],
      ['slo:availability:ticket', 'investigating'],
    ]);

    // Reading is pure: the same answer twice, and the uptime it reads is not advanced by it.
    clock.advance(5_000);
    const again = monitor.status();
    expect(again.sources).toEqual(monitor.status().sources);
    expect(monitor.uptime({ days: 1 }).days[0]?.sources.get('check:db')?.majorMs).toBe(0);

    // The check recovers: its incident is monitored until resolveAfterMs has passed.
    state.db = true;
    clock.advance(5_000);
    await monitor.evaluate();
    const db = monitor.status().incidents.find((i) => i.incident.dedupKey === 'check:db');
    expect(db?.phase).toBe('monitoring');
    expect(db?.monitoringSince).toBe(clock.wallNow());
    await monitor.close();
  });
});

describe('daily uptime', () => {
  it('holds each status until the next evaluation and splits the time at UTC midnight', () => {
    const uptime = new UptimeDays();
    const start = Date.parse(START); // 22:00 UTC
    const down = { key: 'check:db', kind: 'check', name: 'db', reason: 'x' } as const;
    uptime.observe([{ ...down, status: 'major_outage' }], start);
    uptime.observe([{ ...down, status: 'operational' }], start + 3 * 3_600_000); // 01:00 next day
    uptime.observe([{ ...down, status: 'operational' }], start + 4 * 3_600_000);
    const day = Math.floor(start / DAY_MS);
    const [first, second] = uptime.days(day, day + 1);
    expect(first?.sources.get('check:db')).toEqual({
      observedMs: 2 * 3_600_000,
      degradedMs: 0,
      partialMs: 0,
      majorMs: 2 * 3_600_000,
      maintenanceMs: 0,
    });
    expect(second?.sources.get('check:db')?.observedMs).toBe(2 * 3_600_000);
    expect(second?.sources.get('check:db')?.majorMs).toBe(3_600_000);
  });

  it('keeps 90 days and is bounded in sources', () => {
    const uptime = new UptimeDays();
    const start = Date.parse(START);
    for (let d = 0; d <= UPTIME_DAYS + 5; d++)
      uptime.observe(
        [{ key: 'a', kind: 'check', name: 'a', reason: '', status: 'operational' }],
        start + d * DAY_MS,
      );
    expect(uptime.toJSON()).toHaveLength(UPTIME_DAYS);
    const many = Array.from({ length: 600 }, (_, i) => ({
      key: `check:${i}`,
      kind: 'check' as const,
      name: String(i),
      reason: '',
      status: 'operational' as const,
    }));
    const bounded = new UptimeDays();
    bounded.observe(many, start);
    bounded.observe(many, start + 1_000);
    expect(bounded.toJSON()[0]!.sources).toSatisfy((s: object) => Object.keys(s).length === 512);
    expect(bounded.droppedSources).toBe(88);
  });

  it('is kept in the history file and restored by the next monitor', async () => {
    const file = join(dir, 'history.json');
    const clock = createFakeClock({ start: START });
    const first = setup(clock, file);
    first.state.db = false;
    await first.monitor.evaluate();
    clock.advance(600_000);
    await first.monitor.evaluate();
    await first.monitor.close();
    const saved = historySnapshotSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(saved.uptime?.[0]?.sources['check:db']).toEqual([600_000, 0, 0, 600_000, 0]);

    const second = setup(clock, file);
    const days = second.monitor.uptime({ days: 2 }).days;
    expect(days.at(-1)?.sources.get('check:db')?.majorMs).toBe(600_000);
    expect(days.at(-1)?.date).toBe('2026-03-10');
    await second.monitor.close();
  });

  it('rejects a days count outside 1..90 with a ConfigError', async () => {
    const clock = createFakeClock({ start: START });
    const { monitor } = setup(clock);
    for (const days of [0, 91, 1.5]) {
      const call = vi.fn(() => monitor.uptime({ days }));
      expect(call).toThrow(/days/);
      try {
        call();
      } catch (error) {
        expect(isSreError(error, 'ERR_SRE_INVALID_OPTIONS')).toBe(true);
      }
    }
    await monitor.close();
  });
});

describe('maintenance windows', () => {
  const HOUR = 3_600_000;

  it('a source a window in progress names is under_maintenance, and its time counts as maintenance', async () => {
    const clock = createFakeClock({ start: START });
    const start = clock.wallNow();
    const windows: ScheduledMaintenance[] = [
      {
        id: 'db-upgrade',
        title: 'Database upgrade',
        components: ['db'],
        startsAt: start,
        endsAt: start + HOUR,
      },
      // By key; starts in two days: listed as scheduled, changes no status yet.
      {
        id: 'payments-provider',
        title: 'Payment provider migration',
        summary: 'Card payments may be retried once.',
        components: ['breaker:payments'],
        startsAt: start + 2 * DAY_MS,
        endsAt: start + 2 * DAY_MS + HOUR,
      },
      // Past the 7-day look-ahead, and over: neither is listed.
      {
        id: 'later',
        title: 'Later',
        components: ['db'],
        startsAt: start + 8 * DAY_MS,
        endsAt: start + 9 * DAY_MS,
      },
      { id: 'done', title: 'Done', components: ['db'], startsAt: start - 2 * HOUR, endsAt: start - HOUR },
    ];
    // The setup's sources, watched by a monitor that knows the windows.
    const parts = setup(clock);
    const maintained = createMonitor(
      {
        service: 'checkout',
        health: parts.health,
        slos: [parts.availability, parts.fast],
        breakers: [parts.payments],
        scheduledMaintenance: { windows: () => windows },
      },
      { clock },
    );
    parts.state.db = false; // the planned restart: the check fails during the window
    await maintained.evaluate();
    clock.advance(600_000);
    await maintained.evaluate();
    const read = maintained.status();
    const db = read.sources.find((s) => s.key === 'check:db');
    expect(db).toMatchObject({ status: 'under_maintenance', reason: 'maintenance db-upgrade' });
    expect(db?.detail).toMatch(/^major_outage: critical health check failing/);
    expect(read.sources.find((s) => s.key === 'breaker:payments')?.status).toBe('operational');
    expect(read.maintenance.map((m) => [m.id, m.phase])).toEqual([
      ['db-upgrade', 'in_progress'],
      ['payments-provider', 'scheduled'],
    ]);
    expect(read.maintenanceSkipped).toBe(0);
    const today = maintained.uptime({ days: 1 }).days[0]?.sources.get('check:db');
    expect(today).toMatchObject({ observedMs: 600_000, maintenanceMs: 600_000, majorMs: 0 });

    // The window ends: the failing check is an outage again.
    clock.advance(HOUR);
    await maintained.evaluate();
    expect(maintained.status().sources.find((s) => s.key === 'check:db')?.status).toBe('major_outage');
    await maintained.close();
    await parts.monitor.close();
  });

  it('skips and counts malformed windows; a source that throws reads as none and is reported', async () => {
    const clock = createFakeClock({ start: START });
    const now = clock.wallNow();
    const onInternalError = vi.fn();
    const good = { id: 'ok', title: 'OK', components: ['db'], startsAt: now, endsAt: now + 1_000 };
    let given: unknown[] = [
      good,
      { ...good }, // a duplicate id
      { ...good, id: 'backwards', endsAt: now - 1 },
      { ...good, id: 'nan', startsAt: Number.NaN },
      { ...good, id: '' },
      { ...good, id: 'no-components', components: 'db' },
      null,
    ];
    const monitor = createMonitor(
      { service: 'checkout', scheduledMaintenance: { windows: () => given as ScheduledMaintenance[] } },
      { clock, onInternalError },
    );
    expect(monitor.status().maintenance.map((m) => m.id)).toEqual(['ok']);
    expect(monitor.status().maintenanceSkipped).toBe(6);
    given = Array.from({ length: 150 }, (_, i) => ({ ...good, id: `w${i}` }));
    expect(monitor.status().maintenance).toHaveLength(MAX_MAINTENANCE_WINDOWS);
    expect(monitor.status().maintenanceSkipped).toBe(50);
    const throwing = createMonitor(
      {
        service: 'checkout',
        scheduledMaintenance: {
          windows: () => {
            throw new Error('calendar down');
          },
        },
      },
      { clock, onInternalError },
    );
    expect(throwing.status().maintenance).toEqual([]);
    expect(onInternalError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'calendar down' }),
      expect.objectContaining({ task: 'maintenance windows' }),
    );
    expect(() => createMonitor({ service: 'checkout', scheduledMaintenance: {} as never })).toThrow(
      /scheduledMaintenance/,
    );
    await monitor.close();
    await throwing.close();
  });
});
