// Drills on the fake clock: a chaos drill against a monitor wired with a breaker, an SLO and a fault
// injector, driven by simulated traffic; a backup drill with integrity checks.
import { describe, expect, it, vi } from 'vitest';
import {
  AgentErrorCode,
  ConfigError,
  createCircuitBreaker,
  createDrill,
  createFaultInjector,
  createMaintenanceCalendar,
  createMonitor,
  createSloTracker,
  drillJournalSchema,
  type ChaosDrillOptions,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

const S = 1_000;

function setup(options: { target?: number; history?: number } = {}) {
  const clock = createFakeClock({ start: '2026-06-10T10:00:00Z' });
  const calendar = createMaintenanceCalendar({}, { clock });
  const availability = createSloTracker(
    { name: 'availability', objective: { kind: 'availability', target: options.target ?? 0.99 } },
    { clock },
  );
  availability.record(true, options.history ?? 100_000);
  const faults = createFaultInjector({ enabled: false }, { clock });
  const payments = createCircuitBreaker(
    {
      name: 'payments',
      failureThreshold: { kind: 'consecutive', count: 3 },
      openMs: 2 * S,
    },
    { clock },
  );
  const monitor = createMonitor(
    {
      service: 'checkout',
      slos: [availability],
      breakers: [payments],
      maintenance: calendar,
      evaluateIntervalMs: 500,
      resolveAfterMs: 0,
    },
    { clock },
  );
  // Ten requests a second through the breaker and the injector, each feeding the SLO.
  let stopped = false;
  const budgetLog: { at: number; consumed: number }[] = [];
  const request = (): void => {
    if (stopped) return;
    void payments
      .execute(() => faults.execute(() => Promise.resolve('charged')))
      .then(
        () => availability.record(true),
        () => availability.record(false),
      )
      .then(() => budgetLog.push({ at: clock.wallNow(), consumed: availability.status().budget.consumed }));
    clock.schedule(100, request);
  };
  request();
  const close = async (): Promise<void> => {
    stopped = true;
    await monitor.close();
    payments.close();
    availability.close();
  };
  return { clock, calendar, availability, faults, payments, monitor, budgetLog, close };
}

type Setup = ReturnType<typeof setup>;

function chaos(t: Setup, overrides: Partial<ChaosDrillOptions> = {}): ChaosDrillOptions {
  return {
    name: 'payments-failover',
    monitor: t.monitor,
    steadyState: [{ signal: 'breaker:payments', equals: 'closed' }],
    inject: [{ target: t.faults, name: 'payments-outage', errorRate: 1, durationMs: 5 * S }],
    expect: { alerts: ['breaker:payments'], incidents: ['breaker:payments'], recoveredWithinMs: 30 * S },
    intervalMs: 500,
    ...overrides,
  };
}

/** Runs a drill while the fake clock moves (at most `limitMs`). */
async function runWhileTicking(clock: FakeClock, run: Promise<unknown>, limitMs = 120 * S): Promise<void> {
  let done = false;
  void run.finally(() => (done = true));
  for (let elapsed = 0; !done && elapsed < limitMs; elapsed += 100) await clock.advanceAsync(100);
}

describe('a chaos drill', () => {
  it('injects the outage, sees the breaker open and its alert and incident, measures recovery, and passes', async () => {
    const t = setup();
    const drill = createDrill(chaos(t, { excludeFromSlo: true }), { clock: t.clock });
    const running = drill.run();
    await runWhileTicking(t.clock, running);
    const journal = drillJournalSchema.parse(await running);
    expect(journal.verdict).toBe('passed');
    expect(journal.reasons).toEqual([]);
    expect(journal.steadyState.before?.met).toBe(true);
    expect(journal.steadyState.after?.met).toBe(true);
    expect(journal.injections).toMatchObject([{ name: 'payments-outage', errorRate: 1, durationMs: 5 * S }]);
    expect(journal.actual.alerts.map((a) => a.key)).toContain('breaker:payments');
    expect(journal.actual.incidents.map((i) => i.dedupKey)).toContain('breaker:payments');
    expect(journal.missing).toEqual({ alerts: [], incidents: [] });
    // The breaker opens on the third failed call (300 ms in) and the monitor hears it at once.
    expect(journal.timeToDetectMs).toBeGreaterThan(0);
    expect(journal.timeToDetectMs).toBeLessThanOrEqual(1 * S);
    // It stays open through the outage and closes after it, within the 30 s expected.
    expect(journal.timeToRecoverMs).toBeGreaterThanOrEqual(5 * S);
    expect(journal.timeToRecoverMs).toBeLessThanOrEqual(30 * S);
    expect(t.faults.settings()).toMatchObject({ enabled: false });
    // Its window kept the outage out of the SLO budget, and the SLA report lists the drill.
    expect(journal.maintenanceWindow).toMatch(/^drill:payments-failover@/);
    const report = t.monitor.slaReport({ period: 'day' });
    expect(report.slos[0]?.excluded.total).toBeGreaterThan(0);
    expect(report.drills).toMatchObject({ total: 1, byVerdict: { passed: 1, deviated: 0, aborted: 0 } });
    expect(drill.journals()).toEqual([journal]);
    await t.close();
  });

  it('aborts within one interval of its steady state breaking beyond abortWhen, and rolls back', async () => {
    const t = setup({ target: 0.999, history: 1_000_000 });
    const rollback = vi.fn();
    const drill = createDrill(
      chaos(t, {
        name: 'error-storm',
        steadyState: [{ signal: 'slo:availability', min: 0.99 }],
        inject: [{ target: t.faults, errorRate: 1, durationMs: 60 * S }],
        expect: { alerts: [], recoveredWithinMs: 90 * S },
        abortWhen: { budgetConsumedAbove: 0.05 },
        intervalMs: 1 * S,
        rollback,
      }),
      { clock: t.clock },
    );
    const running = drill.run();
    await runWhileTicking(t.clock, running);
    const journal = drillJournalSchema.parse(await running);
    expect(journal.verdict).toBe('aborted');
    expect(journal.reasons[0]).toMatch(
      /^SLO availability spent \d+(\.\d+)? % of its error budget during the drill \(abort above 5 %\)$/,
    );
    // When the budget spent since the start first passed 5 %, and when the drill aborted.
    const start = t.budgetLog.find((entry) => entry.at >= Date.parse(journal.startedAt))!.consumed;
    const crossed = t.budgetLog.find((entry) => entry.consumed - start > 0.05)!.at;
    const abortedAt = Date.parse(journal.abort!.at);
    expect(abortedAt).toBeGreaterThanOrEqual(crossed);
    expect(abortedAt - crossed).toBeLessThanOrEqual(1 * S);
    expect(rollback).toHaveBeenCalledTimes(1);
    expect(rollback.mock.calls[0]?.[0]).toMatchObject({ reason: 'aborted' });
    expect(journal.rollback).toMatchObject({ ran: true, ok: true });
    expect(journal.injections[0]?.endedAt).toBe(journal.abort?.at);
    expect(t.faults.settings().enabled).toBe(false);
    await t.close();
  });

  it('aborts within one interval of an incident as severe as abortWhen.incidentSeverity, and rolls back', async () => {
    const t = setup();
    const rollback = vi.fn();
    const drill = createDrill(
      chaos(t, {
        name: 'breaker-storm',
        // The breaker's incident opens at P3 (the monitor's default for an open breaker).
        abortWhen: { incidentSeverity: 'P3' },
        rollback,
      }),
      { clock: t.clock },
    );
    const running = drill.run();
    await runWhileTicking(t.clock, running);
    const journal = drillJournalSchema.parse(await running);
    expect(journal.verdict).toBe('aborted');
    const incident = journal.actual.incidents.find((i) => i.dedupKey === 'breaker:payments')!;
    expect(incident.severity).toBe('P3');
    expect(journal.reasons[0]).toBe(
      `incident ${incident.id} (P3, ${incident.title}) opened during the drill (abort at P3 or worse)`,
    );
    const abortedAt = Date.parse(journal.abort!.at);
    expect(abortedAt).toBeGreaterThanOrEqual(Date.parse(incident.openedAt));
    expect(abortedAt - Date.parse(incident.openedAt)).toBeLessThanOrEqual(500);
    // The 5-second outage is cut short at the abort, and the rollback runs once, told why.
    expect(journal.injections[0]?.endedAt).toBe(journal.abort?.at);
    expect(journal.injections[0]!.durationMs).toBeLessThan(5 * S);
    expect(t.faults.settings().enabled).toBe(false);
    expect(rollback).toHaveBeenCalledTimes(1);
    expect(rollback.mock.calls[0]?.[0]).toMatchObject({ reason: 'aborted' });
    await t.close();
  });

  it('does not start when the steady state does not hold', async () => {
    const t = setup();
    t.payments.isolate();
    const drill = createDrill(chaos(t), { clock: t.clock });
    const journal = await drill.run();
    expect(journal.verdict).toBe('aborted');
    expect(journal.reasons).toEqual([
      'not started: the steady state does not hold: breaker:payments = isolated (== closed)',
    ]);
    expect(journal.injections[0]?.startedAt).toBeNull();
    expect(t.faults.settings().enabled).toBe(false);
    await t.close();
  });

  it('refuses to start while a P1 incident is open, and so does the agent', async () => {
    const t = setup();
    const drill = createDrill(chaos(t), { clock: t.clock });
    await t.monitor.incidents.open({ title: 'Checkout down', severity: 'P1' });
    const journal = await drill.run();
    expect(journal.verdict).toBe('aborted');
    expect(journal.reasons[0]).toMatch(/^not started: P1 incident INC-2026-\d+ \(Checkout down\) is open$/);
    const answer = await t.monitor.handle({
      agent: 'sre-reliability',
      action: 'run_drill',
      name: 'payments-failover',
    });
    expect(!answer.ok && answer.error.code).toBe(AgentErrorCode.REFUSED);
    await t.close();
  });

  it('deviates when an expected alert never fires, naming it', async () => {
    const t = setup();
    const drill = createDrill(
      chaos(t, {
        inject: [{ target: t.faults, errorRate: 0.05, durationMs: 2 * S }],
        expect: { alerts: ['slo:availability:page'], recoveredWithinMs: 4 * S },
      }),
      { clock: t.clock },
    );
    const running = drill.run();
    await runWhileTicking(t.clock, running);
    const journal = drillJournalSchema.parse(await running);
    expect(journal.verdict).toBe('deviated');
    expect(journal.missing.alerts).toEqual(['slo:availability:page']);
    expect(journal.reasons).toContain('expected alert slo:availability:page never fired');
    expect(journal.timeToDetectMs).toBeNull();
    await t.close();
  });

  it('runs through the agent: run_drill answers the journal, drill_report lists it', async () => {
    const t = setup();
    createDrill(chaos(t), { clock: t.clock });
    const answer = t.monitor.handle({
      agent: 'sre-reliability',
      action: 'run_drill',
      name: 'payments-failover',
    });
    await runWhileTicking(t.clock, answer);
    const response = await answer;
    expect(response.ok && response.action === 'run_drill' && response.result.verdict).toBe('passed');
    const report = await t.monitor.handle({ agent: 'sre-reliability', action: 'drill_report' });
    expect(
      report.ok && report.action === 'drill_report' && report.result.journals.map((j) => j.drill),
    ).toEqual(['payments-failover']);
    const unknown = await t.monitor.handle({ agent: 'sre-reliability', action: 'run_drill', name: 'nope' });
    expect(!unknown.ok && unknown.error.code).toBe(AgentErrorCode.NOT_FOUND);
    await t.close();
  });

  it('refuses a second drill of one name, and excludeFromSlo without a calendar', async () => {
    const t = setup();
    createDrill(chaos(t), { clock: t.clock });
    expect(() => createDrill(chaos(t), { clock: t.clock })).toThrow(ConfigError);
    const bare = createMonitor({ service: 'checkout' }, { clock: t.clock });
    expect(() => createDrill(chaos(t, { name: 'x', monitor: bare, excludeFromSlo: true }))).toThrow(
      /excludeFromSlo: expected false, or a monitor with a maintenance calendar/,
    );
    expect(() => createDrill(chaos(t, { name: 'y', steadyState: [{ signal: 'nonsense' }] }))).toThrow(
      ConfigError,
    );
    await bare.close();
    await t.close();
  });
});

describe('a backup drill', () => {
  const backup = (t: Setup, actualRows: number | (() => Promise<never>)) =>
    createDrill(
      {
        kind: 'backup',
        name: `restore-${String(actualRows)}`.slice(0, 40),
        monitor: t.monitor,
        restore: () =>
          typeof actualRows === 'number' ? { rows: actualRows, checksum: 'a1b2' } : actualRows(),
        verify: ({ restored }) => {
          const copy = restored as { rows: number; checksum: string };
          return [
            { name: 'orders row count', expected: 1_234, actual: copy.rows },
            { name: 'orders checksum', expected: 'a1b2', actual: copy.checksum },
          ];
        },
        timeoutMs: 10 * S,
      },
      { clock: t.clock },
    );

  it('passes when every integrity check holds', async () => {
    const t = setup();
    const journal = drillJournalSchema.parse(await backup(t, 1_234).run());
    expect(journal).toMatchObject({ kind: 'backup', verdict: 'passed', reasons: [] });
    expect(journal.backup?.checks.map((c) => c.ok)).toEqual([true, true]);
    await t.close();
  });

  it('deviates on a row count that differs, saying by how much', async () => {
    const t = setup();
    const journal = await backup(t, 1_200).run();
    expect(journal.verdict).toBe('deviated');
    expect(journal.reasons).toEqual(['integrity check orders row count: expected 1234, found 1200']);
    await t.close();
  });

  it('deviates when the restore does not finish within timeoutMs', async () => {
    const t = setup();
    const running = backup(t, () => new Promise<never>(() => undefined)).run();
    await runWhileTicking(t.clock, running, 20 * S);
    const journal = await running;
    expect(journal.verdict).toBe('deviated');
    expect(journal.backup?.restore).toMatchObject({
      ok: false,
      error: 'restore and verify took longer than 10000 ms',
    });
    await t.close();
  });
});
