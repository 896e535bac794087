import { ErrorCode, SreError, parseOptions, resolveDeps, type Clock, type Deps } from '../core/index.js';
import {
  mergeChange,
  sameChange,
  timeInputMs,
  toChange,
  type Change,
  type ChangeInput,
  type ChangeKind,
  type TimeInput,
} from './change.js';
import {
  correlateChanges,
  MAX_CORRELATED,
  type CorrelatedChange,
  type CorrelationIncident,
  type SignalStepReader,
} from './correlate.js';
import { doraMetrics, type DoraIncident, type DoraReport } from './dora.js';
import { changeLogOptionsSchema, type ChangeLogOptions, type ParsedChangeLogOptions } from './options.js';

/** What {@link ChangeLog.record} did with a change. */
export interface RecordChangeResult {
  /** `recorded` (a new id), `updated` (an id seen before, with news), `duplicate` (nothing new). */
  readonly action: 'recorded' | 'updated' | 'duplicate';
  /** The change as the log now holds it. */
  readonly change: Change;
}

/** Which changes {@link ChangeLog.list} returns. */
export interface ChangeFilter {
  /** Changes that started at or after this. */
  readonly since?: TimeInput;
  /** Changes that started before this. */
  readonly until?: TimeInput;
  readonly service?: string;
  readonly kind?: ChangeKind | readonly ChangeKind[];
}

/** Options of {@link ChangeLog.correlate}. */
export interface CorrelateOptions {
  /** Reads whether a golden signal stepped up after a change (the monitor gives its SLOs'). */
  readonly signalStep?: SignalStepReader;
  /** How many changes to return. @default 3 */
  readonly limit?: number;
}

/** A DORA query: the period, and the incidents to count failures and recovery from. */
export interface DoraQuery {
  readonly since: TimeInput;
  readonly until: TimeInput;
  /** The incidents that may follow deployments (the monitor passes its recorder's). @default [] */
  readonly incidents?: readonly DoraIncident[];
  /**
   * Count only what had happened by then: later rollbacks, hotfixes, incidents and resolutions are
   * left out, so a closed period's report never changes. @default everything recorded
   */
  readonly asOf?: TimeInput;
}

/** The changes made to a service, fed by the orchestrator: correlation with incidents, and DORA. */
export interface ChangeLog {
  /** The options in force, defaults filled in. */
  readonly options: ParsedChangeLogOptions;
  /**
   * Records a change. The id is the idempotency key: the same id again (a retried webhook, a deploy's
   * "finished" after its "started") updates that one change and never counts twice.
   * @throws {SreError} `ERR_SRE_INVALID_INPUT` naming a bad field, or when a known id comes back as
   *   another kind or service.
   */
  record(change: ChangeInput): RecordChangeResult;
  /** The change with this id, if the log still holds it. */
  get(id: string): Change | undefined;
  /** The changes matching `filter`, by start. */
  list(filter?: ChangeFilter): Change[];
  /**
   * The changes most likely behind `incident`, best first (at most 3 by default), each with its score
   * and reasons. See the formula in docs/changes.md. Reading it changes nothing.
   */
  correlate(incident: CorrelationIncident, options?: CorrelateOptions): CorrelatedChange[];
  /**
   * DORA's five metrics over [since, until): deployment frequency, lead time for changes, change fail
   * rate, failed deployment recovery time and deployment rework rate, each with its numerator and
   * denominator. Reading it changes nothing.
   * @throws {SreError} `ERR_SRE_INVALID_INPUT` when the period is not two times in order.
   */
  dora(query: DoraQuery): DoraReport;
  /** How many changes the log holds. */
  readonly size: number;
}

/**
 * Creates a change log: the deploys, config and flag changes, infrastructure changes and rollbacks the
 * orchestrator reports, kept (at most `retain`) to correlate incidents with the changes before them and
 * to compute the DORA metrics. Changes are recorded idempotently by id.
 *
 * @example
 * ```ts
 * const changes = createChangeLog({ service: 'checkout' });
 * changes.record({
 *   id: 'deploy-812', kind: 'deploy', version: 'v2.3.1',
 *   startedAt: '2026-03-02T10:00:00Z', finishedAt: '2026-03-02T10:04:00Z',
 *   commits: [{ sha: 'a1b2c3d', committedAt: '2026-03-01T16:20:00Z' }],
 * });
 * const [top] = changes.correlate({ openedAt: Date.parse('2026-03-02T10:08:00Z') });
 * console.log(top?.change.id, top?.reasons); // deploy-812 ['opened 4 min after deploy-812 finished', ...]
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function createChangeLog(options: ChangeLogOptions, deps?: Deps): ChangeLog {
  const parsed = parseOptions(changeLogOptionsSchema, options, 'createChangeLog');
  return new ChangeLogImpl(parsed, resolveDeps(deps).clock);
}

class ChangeLogImpl implements ChangeLog {
  readonly options: ParsedChangeLogOptions;
  readonly #clock: Clock;
  /** Sorted by start (ties by recording order). */
  readonly #changes: Change[] = [];
  readonly #byId = new Map<string, Change>();

  constructor(options: ParsedChangeLogOptions, clock: Clock) {
    this.options = options;
    this.#clock = clock;
  }

  get size(): number {
    return this.#changes.length;
  }

  record(input: ChangeInput): RecordChangeResult {
    const incoming = toChange(input, this.options.service, this.#clock.wallNow());
    const known = this.#byId.get(incoming.id);
    if (known !== undefined) {
      const merged = mergeChange(known, incoming, input);
      if (sameChange(known, merged)) return { action: 'duplicate', change: known };
      this.#remove(known);
      this.#insert(merged);
      return { action: 'updated', change: merged };
    }
    this.#insert(incoming);
    while (this.#changes.length > this.options.retain) {
      const oldest = this.#changes.shift() as Change;
      this.#byId.delete(oldest.id);
    }
    return { action: 'recorded', change: incoming };
  }

  get(id: string): Change | undefined {
    return this.#byId.get(id);
  }

  list(filter: ChangeFilter = {}): Change[] {
    const since = filter.since === undefined ? Number.NEGATIVE_INFINITY : timeInputMs(filter.since);
    const until = filter.until === undefined ? Number.POSITIVE_INFINITY : timeInputMs(filter.until);
    const kinds =
      filter.kind === undefined
        ? undefined
        : new Set<ChangeKind>(typeof filter.kind === 'string' ? [filter.kind] : filter.kind);
    return this.#changes.filter(
      (c) =>
        c.startedAt >= since &&
        c.startedAt < until &&
        (filter.service === undefined || c.service === filter.service) &&
        (kinds === undefined || kinds.has(c.kind)),
    );
  }

  correlate(incident: CorrelationIncident, options: CorrelateOptions = {}): CorrelatedChange[] {
    const limit = Math.max(1, Math.min(options.limit ?? MAX_CORRELATED, 100));
    return correlateChanges(this.#changes, incident, this.options, options.signalStep, limit);
  }

  dora(query: DoraQuery): DoraReport {
    const since = timeInputMs(query.since);
    const until = timeInputMs(query.until);
    if (!(Number.isFinite(since) && Number.isFinite(until) && until > since))
      throw new SreError(
        ErrorCode.INVALID_INPUT,
        'Invalid DORA period: since and until must be times, since before until',
      );
    const asOf = query.asOf === undefined ? Number.POSITIVE_INFINITY : timeInputMs(query.asOf);
    if (Number.isNaN(asOf)) throw new SreError(ErrorCode.INVALID_INPUT, 'Invalid DORA asOf: not a time');
    return doraMetrics(this.#changes, query.incidents ?? [], since, until, this.options, asOf);
  }

  // Keeps #changes sorted by start: a binary search for the first later start, then a splice.
  #insert(change: Change): void {
    let lo = 0;
    let hi = this.#changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#changes[mid] as Change).startedAt <= change.startedAt) lo = mid + 1;
      else hi = mid;
    }
    this.#changes.splice(lo, 0, change);
    this.#byId.set(change.id, change);
  }

  #remove(change: Change): void {
    const index = this.#changes.indexOf(change);
    if (index >= 0) this.#changes.splice(index, 1);
    this.#byId.delete(change.id);
  }
}
