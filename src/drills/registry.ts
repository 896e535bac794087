import { z } from 'zod';
import { ConfigError, describeValue, parseOptions } from '../core/index.js';
import type { DrillJournal } from './journal.js';

/** What a registry needs of a drill: its name (the drill itself is kept as given). */
export interface RegisteredDrill {
  readonly name: string;
  readonly kind: 'chaos' | 'backup';
  /** Whether a run is in progress. */
  readonly running: boolean;
  run(): Promise<DrillJournal>;
}

/** Filters for {@link DrillRegistry.journals}. */
export interface DrillJournalFilter {
  /** Only this drill's journals. */
  readonly name?: string;
  /** Only runs started at or after this, epoch ms. */
  readonly since?: number;
  /** Only runs started before this, epoch ms. */
  readonly until?: number;
}

/**
 * A monitor's drills by name and the journals of their runs (the most recent `maxJournals`): what the
 * agent's `run_drill` and `drill_report` and the SLA report read. `createDrill` registers each drill.
 */
export interface DrillRegistry {
  /**
   * Adds a drill.
   * @throws {ConfigError} when a drill of that name is already registered.
   */
  register(drill: RegisteredDrill): void;
  /** Forgets a drill (its journals stay); returns whether it was there. */
  unregister(name: string): boolean;
  get(name: string): RegisteredDrill | undefined;
  /** The registered drills' names, in the order registered. */
  names(): readonly string[];
  /** Keeps a run's journal (`drill.run()` does this). */
  record(journal: DrillJournal): void;
  /** Journals, oldest first, filtered. */
  journals(filter?: DrillJournalFilter): readonly DrillJournal[];
}

/** Options for {@link createDrillRegistry}. */
export interface DrillRegistryOptions {
  /**
   * The most journals kept; past it the oldest are dropped.
   * @default 100
   */
  readonly maxJournals?: number;
}

/** @internal The schema {@link DrillRegistryOptions} is checked against (bound by a type test). */
export const drillRegistryOptionsSchema = z.strictObject({
  maxJournals: z.number().int().min(1).max(100_000).default(100),
});

/**
 * Creates a drill registry. The monitor has one (`monitor.drills`); create your own only to run drills
 * against something that is not a monitor.
 * @throws {ConfigError} when `maxJournals` is not a whole number from 1 to 100,000.
 */
export function createDrillRegistry(options: DrillRegistryOptions = {}): DrillRegistry {
  return new Registry(parseOptions(drillRegistryOptionsSchema, options, 'createDrillRegistry').maxJournals);
}

class Registry implements DrillRegistry {
  readonly #drills = new Map<string, RegisteredDrill>();
  readonly #journals: DrillJournal[] = [];
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  register(drill: RegisteredDrill): void {
    if (this.#drills.has(drill.name))
      throw new ConfigError('createDrill', [
        {
          field: 'name',
          expected: 'a name no other drill of this monitor has (run_drill finds drills by name)',
          received: describeValue(drill.name),
        },
      ]);
    this.#drills.set(drill.name, drill);
  }

  unregister(name: string): boolean {
    return this.#drills.delete(name);
  }

  get(name: string): RegisteredDrill | undefined {
    return this.#drills.get(name);
  }

  names(): readonly string[] {
    return [...this.#drills.keys()];
  }

  record(journal: DrillJournal): void {
    this.#journals.push(journal);
    if (this.#journals.length > this.#max) this.#journals.splice(0, this.#journals.length - this.#max);
  }

  journals(filter: DrillJournalFilter = {}): readonly DrillJournal[] {
    return this.#journals.filter((journal) => {
      const started = Date.parse(journal.startedAt);
      return (
        (filter.name === undefined || journal.drill === filter.name) &&
        (filter.since === undefined || started >= filter.since) &&
        (filter.until === undefined || started < filter.until)
      );
    });
  }
}
