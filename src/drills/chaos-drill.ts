// One run of a chaos drill, after Chaos Toolkit's experiment: check the steady state (not met: stop),
// inject the faults, watch every interval (abort conditions, the steady state breaking and holding
// again, the expected alerts and incidents arriving), restore, check the steady state after, roll back,
// and write the journal with its verdict.
import type { Clock } from '../core/index.js';
import type { Alert, Incident, Severity } from '../incidents/index.js';
import type { FaultInjector, FaultSettings } from '../resilience/index.js';
import {
  clip,
  errorText,
  isoOf,
  type DrillAlert,
  type DrillIncident,
  type DrillJournal,
  type DrillSteadyState,
} from './journal.js';
import type { ChaosDrillOptions, ParsedChaosOptions } from './options.js';
import { checkSteadyState, unmet } from './steady-state.js';

const SEVERITY_RANK: Record<Severity, number> = { P1: 1, P2: 2, P3: 3, P4: 4, P5: 5 };
const MAX_SEEN = 256;

interface Injection {
  readonly name: string;
  readonly settings: Partial<FaultSettings>;
  readonly target: FaultInjector;
  readonly afterMs: number;
  readonly durationMs: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  previous: FaultSettings | undefined;
  cancel: (() => void) | undefined;
}

/** Runs a chaos drill once and returns its journal (never throws: failures are in the journal). */
export async function runChaosDrill(
  options: ParsedChaosOptions,
  raw: ChaosDrillOptions,
  clock: Clock,
): Promise<DrillJournal> {
  return new ChaosRun(options, raw, clock).run();
}

class ChaosRun {
  readonly #o: ParsedChaosOptions;
  readonly #raw: ChaosDrillOptions;
  readonly #clock: Clock;
  readonly #controller = new AbortController();
  readonly #alerts = new Map<string, DrillAlert>();
  readonly #incidents = new Map<string, DrillIncident>();
  readonly #injections: Injection[];
  readonly #startedAt: number;
  #injectedAt: number | undefined;
  #detectedAt: number | undefined;
  #brokenAt: number | undefined;
  #recoveredAt: number | undefined;
  #abort: { reason: string; at: number } | undefined;
  #window: string | null = null;

  constructor(options: ParsedChaosOptions, raw: ChaosDrillOptions, clock: Clock) {
    this.#o = options;
    this.#raw = raw;
    this.#clock = clock;
    this.#startedAt = clock.wallNow();
    this.#injections = options.inject.map((injection, i) => ({
      name: injection.name ?? `injection-${i}`,
      settings: {
        enabled: true,
        ...(injection.errorRate === undefined ? {} : { errorRate: injection.errorRate }),
        ...(injection.latencyMs === undefined ? {} : { latencyMs: injection.latencyMs }),
        ...(injection.latencyRate === undefined ? {} : { latencyRate: injection.latencyRate }),
      },
      // z.custom keeps the caller's injector itself, which is what must be configured.
      target: injection.target,
      afterMs: injection.afterMs,
      durationMs: injection.durationMs,
      startedAt: undefined,
      endedAt: undefined,
      previous: undefined,
      cancel: undefined,
    }));
  }

  #now(): number {
    return this.#clock.wallNow();
  }

  #steadyState(): Promise<DrillSteadyState> {
    return checkSteadyState(this.#o.monitor, this.#raw.steadyState, this.#controller.signal, () =>
      this.#now(),
    );
  }

  async run(): Promise<DrillJournal> {
    const monitor = this.#o.monitor;
    const p1 = monitor.incidents.list({ status: ['open', 'acknowledged'], severity: 'P1' })[0];
    if (p1 !== undefined) {
      this.#abort = { reason: `not started: P1 incident ${p1.id} (${p1.title}) is open`, at: this.#now() };
      return this.#journal(null, null, { ran: false });
    }
    const before = await this.#steadyState();
    if (!before.met) {
      this.#abort = {
        reason: `not started: the steady state does not hold: ${unmet(before)}`,
        at: this.#now(),
      };
      return this.#journal(before, null, { ran: false });
    }
    const budgetAtStart = new Map(monitor.sloStatus().map((s) => [s.name, s.budget.consumed]));
    const unsubscribe = this.#watch();
    let after: DrillSteadyState | null = null;
    let rollback: RollbackRecord = { ran: false };
    try {
      this.#injectedAt = this.#now();
      this.#openWindow();
      for (const injection of this.#injections) this.#schedule(injection);
      await this.#observe(budgetAtStart);
      this.#restoreAll();
      if (this.#abort !== undefined) rollback = await this.#rollback('aborted');
      after = await this.#steadyState();
      if (this.#abort === undefined) rollback = await this.#rollback('completed');
    } finally {
      this.#restoreAll();
      for (const off of unsubscribe) off();
      if (this.#window !== null) monitor.maintenance?.close(this.#window, this.#now());
    }
    return this.#journal(before, after, rollback);
  }

  // Alerts and incidents as they arrive, with the time they arrived.
  #watch(): (() => void)[] {
    const monitor = this.#o.monitor;
    const seenIncident = ({ incident }: { incident: Incident }): void => {
      if (this.#incidents.size >= MAX_SEEN || this.#incidents.has(incident.id)) return;
      this.#incidents.set(incident.id, {
        id: incident.id,
        severity: incident.severity,
        title: incident.title,
        dedupKey: incident.dedupKey ?? null,
        openedAt: isoOf(this.#now()),
      });
      if (
        this.#detectedAt === undefined &&
        this.#o.expect.alerts.length === 0 &&
        this.#expectsIncident(incident)
      )
        this.#detectedAt = this.#now();
    };
    return [
      monitor.alerts.on('received', ({ alert, key, silencedBy }) => this.#seenAlert(alert, key, silencedBy)),
      monitor.incidents.on('opened', seenIncident),
      monitor.incidents.on('reopened', seenIncident),
    ];
  }

  #seenAlert(alert: Alert, key: string, silencedBy: string | null): void {
    if (alert.status === 'resolved' || this.#alerts.has(key) || this.#alerts.size >= MAX_SEEN) return;
    this.#alerts.set(key, {
      key,
      name: alert.name,
      severity: alert.severity,
      firstSeenAt: isoOf(this.#now()),
      silencedBy,
    });
    if (this.#detectedAt === undefined && this.#o.expect.alerts.some((e) => e === key || e === alert.name))
      this.#detectedAt = this.#now();
  }

  #expectsIncident(incident: Incident): boolean {
    return incident.dedupKey !== undefined && this.#o.expect.incidents.includes(incident.dedupKey);
  }

  #openWindow(): void {
    const calendar = this.#o.monitor.maintenance;
    if (!this.#o.excludeFromSlo || calendar === undefined) return;
    const start = this.#injectedAt ?? this.#now();
    const id = clip(`drill:${this.#o.name}@${isoOf(start)}`, 128);
    calendar.add({
      id,
      title: `Drill ${this.#o.name}`,
      matchers: [`service=${JSON.stringify(this.#o.monitor.service)}`],
      start,
      end: start + this.#horizonMs() + 2 * this.#o.intervalMs,
      silence: false,
      excludeFromSlo: true,
      createdBy: `drill ${this.#o.name}`,
      comment: this.#o.description,
    });
    this.#window = id;
  }

  // How long after the first injection the drill watches at most: until its last injection ends or
  // its recovery deadline, whichever is later.
  #horizonMs(): number {
    const lastEnd = Math.max(...this.#injections.map((i) => i.afterMs + i.durationMs));
    return Math.max(lastEnd, this.#o.expect.recoveredWithinMs);
  }

  #schedule(injection: Injection): void {
    injection.cancel = this.#clock.schedule(
      injection.afterMs,
      () => {
        if (this.#abort !== undefined) return;
        injection.previous = injection.target.configure(injection.settings);
        injection.startedAt = this.#now();
        injection.cancel = this.#clock.schedule(injection.durationMs, () => this.#restore(injection), {
          ref: true,
        });
      },
      { ref: true },
    );
  }

  #restore(injection: Injection): void {
    injection.cancel?.();
    injection.cancel = undefined;
    if (injection.previous !== undefined && injection.endedAt === undefined) {
      injection.target.configure(injection.previous);
      injection.endedAt = this.#now();
    }
  }

  #restoreAll(): void {
    for (const injection of this.#injections) {
      this.#restore(injection);
      injection.cancel?.();
      injection.cancel = undefined;
    }
  }

  async #observe(budgetAtStart: ReadonlyMap<string, number>): Promise<void> {
    const start = this.#injectedAt ?? this.#now();
    const deadline = start + this.#horizonMs();
    for (;;) {
      await this.#sleep(this.#o.intervalMs);
      const now = this.#now();
      const abort = this.#abortReason(budgetAtStart);
      if (abort !== undefined) {
        this.#abort = { reason: abort, at: now };
        return;
      }
      const state = await this.#steadyState();
      if (!state.met) {
        this.#brokenAt ??= now;
        this.#recoveredAt = undefined;
      } else if (this.#brokenAt !== undefined) this.#recoveredAt ??= now;
      const injected = this.#injections.every(
        (i) => i.endedAt !== undefined || now - start >= i.afterMs + i.durationMs,
      );
      const seen = this.#missingAlerts().length === 0 && this.#missingIncidents().length === 0;
      if (injected && ((state.met && seen) || now >= deadline)) return;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#clock.schedule(ms, resolve, { ref: true }));
  }

  #abortReason(budgetAtStart: ReadonlyMap<string, number>): string | undefined {
    const { budgetConsumedAbove, incidentSeverity } = this.#o.abortWhen;
    if (budgetConsumedAbove !== undefined)
      for (const status of this.#o.monitor.sloStatus()) {
        const spent = status.budget.consumed - (budgetAtStart.get(status.name) ?? status.budget.consumed);
        if (spent > budgetConsumedAbove)
          return `SLO ${status.name} spent ${percent(spent)} of its error budget during the drill (abort above ${percent(budgetConsumedAbove)})`;
      }
    if (incidentSeverity !== undefined)
      for (const incident of this.#incidents.values())
        if (SEVERITY_RANK[incident.severity] <= SEVERITY_RANK[incidentSeverity])
          return `incident ${incident.id} (${incident.severity}, ${incident.title}) opened during the drill (abort at ${incidentSeverity} or worse)`;
    return undefined;
  }

  async #rollback(reason: 'completed' | 'aborted'): Promise<RollbackRecord> {
    const rollback = this.#raw.rollback;
    if (rollback === undefined) return { ran: false };
    const at = this.#now();
    try {
      await rollback({ signal: this.#controller.signal, reason });
      return { ran: true, ok: true, at };
    } catch (error) {
      return { ran: true, ok: false, error: errorText(error), at };
    }
  }

  #missingAlerts(): string[] {
    const seen = [...this.#alerts.values()];
    return this.#o.expect.alerts.filter((e) => !seen.some((a) => a.key === e || a.name === e));
  }

  #missingIncidents(): string[] {
    const seen = [...this.#incidents.values()];
    return this.#o.expect.incidents.filter((e) => !seen.some((i) => i.dedupKey === e));
  }

  #journal(
    before: DrillSteadyState | null,
    after: DrillSteadyState | null,
    rollback: RollbackRecord,
  ): DrillJournal {
    const endedAt = this.#now();
    // Detection and recovery are measured from the moment the first fault was switched on.
    const starts = this.#injections.flatMap((i) => (i.startedAt === undefined ? [] : [i.startedAt]));
    const injectedAt = starts.length === 0 ? undefined : Math.min(...starts);
    const missing = { alerts: this.#missingAlerts(), incidents: this.#missingIncidents() };
    const recovered =
      injectedAt !== undefined && this.#recoveredAt !== undefined ? this.#recoveredAt - injectedAt : null;
    const reasons: string[] = [];
    if (this.#abort !== undefined) reasons.push(this.#abort.reason);
    else {
      if (after !== null && !after.met)
        reasons.push(`the steady state does not hold after the drill: ${unmet(after)}`);
      for (const alert of missing.alerts) reasons.push(`expected alert ${alert} never fired`);
      for (const incident of missing.incidents) reasons.push(`expected incident ${incident} never opened`);
      const within = this.#o.expect.recoveredWithinMs;
      if (this.#brokenAt !== undefined && recovered === null)
        reasons.push(`the steady state did not hold again within ${within} ms of the first injection`);
      else if (recovered !== null && recovered > within)
        reasons.push(
          `the steady state held again after ${recovered} ms, beyond recoveredWithinMs (${within} ms)`,
        );
      if (rollback.ran && rollback.ok === false) reasons.push(`the rollback failed: ${rollback.error ?? ''}`);
    }
    return {
      id: `${this.#o.name}@${isoOf(this.#startedAt)}`,
      drill: this.#o.name,
      kind: 'chaos',
      service: this.#o.monitor.service,
      description: this.#o.description,
      startedAt: isoOf(this.#startedAt),
      endedAt: isoOf(endedAt),
      durationMs: endedAt - this.#startedAt,
      verdict: this.#abort !== undefined ? 'aborted' : reasons.length > 0 ? 'deviated' : 'passed',
      reasons,
      steadyState: { before, after },
      injections: this.#injections.map((i) => ({
        name: i.name,
        errorRate: i.settings.errorRate ?? null,
        latencyMs: i.settings.latencyMs ?? null,
        startedAt: i.startedAt === undefined ? null : isoOf(i.startedAt),
        endedAt: i.endedAt === undefined ? null : isoOf(i.endedAt),
        durationMs: i.startedAt === undefined ? 0 : (i.endedAt ?? endedAt) - i.startedAt,
      })),
      expected: {
        alerts: [...this.#o.expect.alerts],
        incidents: [...this.#o.expect.incidents],
        recoveredWithinMs: this.#o.expect.recoveredWithinMs,
      },
      actual: { alerts: [...this.#alerts.values()], incidents: [...this.#incidents.values()] },
      missing,
      timeToDetectMs:
        injectedAt === undefined || this.#detectedAt === undefined ? null : this.#detectedAt - injectedAt,
      timeToRecoverMs: recovered,
      abort: this.#abort === undefined ? null : { reason: this.#abort.reason, at: isoOf(this.#abort.at) },
      rollback: {
        ran: rollback.ran,
        ok: rollback.ok ?? null,
        error: rollback.error ?? null,
        at: rollback.at === undefined ? null : isoOf(rollback.at),
      },
      maintenanceWindow: this.#window,
      backup: null,
    };
  }
}

interface RollbackRecord {
  readonly ran: boolean;
  readonly ok?: boolean;
  readonly error?: string;
  readonly at?: number;
}

function percent(share: number): string {
  return `${Number((share * 100).toFixed(2))} %`;
}
