import { parseOptions, resolveDeps, ErrorCode, SreError, type Clock, type Deps } from '../core/index.js';
import { runBackupDrill } from './backup-drill.js';
import { runChaosDrill } from './chaos-drill.js';
import type { DrillJournal } from './journal.js';
import {
  backupDrillOptionsSchema,
  chaosDrillOptionsSchema,
  type BackupDrillOptions,
  type ChaosDrillOptions,
  type DrillMonitor,
  type DrillOptions,
} from './options.js';

/** A drill: run it (by hand, on a schedule, or through the agent's `run_drill`) and read its journals. */
export interface Drill {
  readonly name: string;
  readonly kind: 'chaos' | 'backup';
  /** Whether a run is in progress. */
  readonly running: boolean;
  /**
   * Runs the drill once and resolves with its journal (also kept by the monitor's drill registry). It
   * refuses to start, with an `aborted` journal, while a P1 incident is open.
   * @throws {SreError} `INVALID_INPUT` when a run of this drill is already in progress.
   */
  run(): Promise<DrillJournal>;
  /** This drill's journals kept by the registry, oldest first. */
  journals(): readonly DrillJournal[];
}

/**
 * Creates a drill and registers it with its monitor by name. A chaos drill (the default kind) checks a
 * steady-state hypothesis, injects faults through fault injectors for a while, and judges what the
 * monitor saw: the alerts and incidents expected, time to detect, time to recover, and the steady state
 * after; `abortWhen` stops it within one `intervalMs` and runs its rollback. A backup drill
 * (`kind: 'backup'`) restores a backup and verifies it with your integrity checks. Every run ends in a
 * journal that matches `drillJournalSchema`, verdict `passed`, `deviated` or `aborted`.
 *
 * @example
 * ```ts
 * const drill = createDrill({
 *   name: 'payments-failover', monitor,
 *   steadyState: [{ signal: 'breaker:payments', equals: 'closed' }, { signal: 'slo:availability', min: 0.999 }],
 *   inject: [{ target: paymentsFaults, errorRate: 1, durationMs: 60_000 }],
 *   expect: { alerts: ['breaker:payments'], recoveredWithinMs: 120_000 },
 *   abortWhen: { budgetConsumedAbove: 0.05, incidentSeverity: 'P1' },
 *   excludeFromSlo: true,
 * });
 * const journal = await drill.run();
 * ```
 * @throws {ConfigError} when options are invalid, a drill of that name is already registered, or
 *   `excludeFromSlo` is set on a monitor without a maintenance calendar.
 */
export function createDrill(options: DrillOptions, deps?: Deps): Drill {
  const { clock } = resolveDeps(deps);
  const drill = options.kind === 'backup' ? new BackupDrill(options, clock) : new ChaosDrill(options, clock);
  options.monitor.drills.register(drill);
  return drill;
}

abstract class BaseDrill implements Drill {
  abstract readonly kind: 'chaos' | 'backup';
  readonly name: string;
  readonly #monitor: DrillMonitor;
  #running = false;

  constructor(name: string, monitor: DrillMonitor) {
    this.name = name;
    this.#monitor = monitor;
  }

  get running(): boolean {
    return this.#running;
  }

  async run(): Promise<DrillJournal> {
    if (this.#running) throw new SreError(ErrorCode.INVALID_INPUT, `Drill ${this.name} is already running`);
    this.#running = true;
    try {
      const journal = await this.runOnce();
      this.#monitor.drills.record(journal);
      return journal;
    } finally {
      this.#running = false;
    }
  }

  journals(): readonly DrillJournal[] {
    return this.#monitor.drills.journals({ name: this.name });
  }

  protected abstract runOnce(): Promise<DrillJournal>;
}

class ChaosDrill extends BaseDrill {
  readonly kind = 'chaos';
  readonly #run: () => Promise<DrillJournal>;

  constructor(options: ChaosDrillOptions, clock: Clock) {
    const parsed = parseOptions(chaosDrillOptionsSchema, options, 'createDrill');
    super(parsed.name, options.monitor);
    this.#run = () => runChaosDrill(parsed, options, clock);
  }

  protected runOnce(): Promise<DrillJournal> {
    return this.#run();
  }
}

class BackupDrill extends BaseDrill {
  readonly kind = 'backup';
  readonly #run: () => Promise<DrillJournal>;

  constructor(options: BackupDrillOptions, clock: Clock) {
    const parsed = parseOptions(backupDrillOptionsSchema, options, 'createDrill');
    super(parsed.name, options.monitor);
    this.#run = () => runBackupDrill(parsed, options, clock);
  }

  protected runOnce(): Promise<DrillJournal> {
    return this.#run();
  }
}
