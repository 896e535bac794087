import { z } from 'zod';
import {
  ErrorCode,
  parseOptions,
  resolveDeps,
  SafeEmitter,
  SreError,
  type Clock,
  type Deps,
  type EventSource,
  type InternalErrorHandler,
} from '../core/index.js';
import type { Incident, IncidentStatus } from './incident.js';
import { createMemoryIncidentStore } from './memory-store.js';
import { computeIncidentMetrics, toEpoch, type IncidentMetrics, type IncidentWindow } from './metrics.js';
import {
  applyRecord,
  emptyLogState,
  type IncidentChanges,
  type IncidentLogState,
  type IncidentRecord,
} from './records.js';
import { toIncidentReport, type IncidentReport } from './report.js';
import { isSeverity, isWorseSeverity, type Severity } from './severity.js';
import type { IncidentStore } from './store.js';
import { userObject } from './user-object.js';

/** Options for {@link createIncidentRecorder}. */
export interface IncidentRecorderOptions {
  /** The service incidents belong to when {@link OpenIncidentInput.service} is not given. */
  readonly service: string;
  /**
   * Ids are `<idPrefix>-<year>-<seq>` (e.g. `INC-2026-001`): a letter, then letters, digits or `_`.
   * The sequence restarts each (UTC) year, never repeats within one, and survives restarts.
   * @default 'INC'
   */
  readonly idPrefix?: string;
  /**
   * Where incidents are kept. Use {@link createFileIncidentStore} for incidents that survive a restart.
   * The recorder owns it: `close()` closes it.
   * @default createMemoryIncidentStore()
   */
  readonly store?: IncidentStore;
  /**
   * A signal with the `dedupKey` of an incident resolved at most this long ago reopens that incident
   * instead of opening a new one (the fix did not hold). 0 turns reopening off.
   * @default 1_800_000 (30 minutes)
   */
  readonly reopenWindowMs?: number;
  /**
   * The most incidents held. Past it the oldest resolved incident is forgotten (its id stays used);
   * when every incident is still open, opening another rejects with `ERR_SRE_INCIDENT_LIMIT`.
   * @default 10_000
   */
  readonly maxIncidents?: number;
  /**
   * The most timeline entries per incident. Past it the oldest entries after the first are dropped and
   * counted in `timelineDropped`.
   * @default 200
   */
  readonly maxTimelineEntries?: number;
}

const storeSchema = userObject<IncidentStore>(
  (store) =>
    typeof store.load === 'function' &&
    typeof store.append === 'function' &&
    typeof store.compact === 'function' &&
    typeof store.close === 'function',
  'an IncidentStore (load, append, compact, close)',
);

const optionsSchema = z.strictObject({
  service: z.string().min(1),
  idPrefix: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a letter, then letters, digits or _')
    .default('INC'),
  store: storeSchema.optional(),
  reopenWindowMs: z
    .number()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(30 * 60_000),
  maxIncidents: z.number().int().positive().default(10_000),
  maxTimelineEntries: z.number().int().min(2).default(200),
});

/** @internal The schema {@link IncidentRecorderOptions} is checked against (bound by a type test). */
export const incidentRecorderOptionsSchema = optionsSchema;

/** What {@link IncidentRecorder.open} takes. */
export interface OpenIncidentInput {
  /** A short statement of the problem, e.g. `Checkout error rate above SLO`. */
  readonly title: string;
  readonly severity: Severity;
  /** @default the recorder's `service` */
  readonly service?: string;
  /** Who or what is affected and how, e.g. `10% of requests failing`. @default '' */
  readonly impact?: string;
  /** Signals with the same key while the incident is open (or recently resolved) are the same incident. */
  readonly dedupKey?: string;
  /** What detected it, e.g. `slo`, `alertmanager`. */
  readonly source?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** What {@link IncidentRecorder.trigger} did with a signal. */
export type TriggerAction = 'opened' | 'deduplicated' | 'reopened';

/** The result of {@link IncidentRecorder.trigger}. */
export interface TriggerResult {
  readonly incident: Incident;
  readonly action: TriggerAction;
}

/** Options for {@link IncidentRecorder.resolve}. */
export interface ResolveIncidentInput {
  /** What fixed it, e.g. `Increased connection pool size`. */
  readonly resolution?: string;
  /** Why it happened, e.g. `Database connection pool exhausted`. */
  readonly rootCause?: string;
  /** Whether automation (a runbook) resolved it rather than a person. @default false */
  readonly automated?: boolean;
  readonly by?: string;
}

/** Filters for {@link IncidentRecorder.list}; all given filters must match. */
export interface IncidentFilter extends IncidentWindow {
  readonly status?: IncidentStatus | readonly IncidentStatus[];
  readonly severity?: Severity | readonly Severity[];
  readonly service?: string;
}

/** The events an {@link IncidentRecorder} emits, each after the change is durable in the store. */
export type IncidentRecorderEvents = {
  /** A new incident was opened. */
  opened: { readonly incident: Incident };
  /** Someone took it on. */
  acknowledged: { readonly incident: Incident; readonly by: string | undefined };
  /** It changed: another signal arrived (`occurred`), a note was added (`noted`) or fields changed (`updated`). */
  updated: { readonly incident: Incident; readonly change: 'occurred' | 'noted' | 'updated' };
  /** It was resolved. */
  resolved: { readonly incident: Incident };
  /** A signal arrived within the reopen window after it was resolved. */
  reopened: { readonly incident: Incident };
};

/** Records incidents durably: open (with dedup and reopen), acknowledge, note, resolve, report, metrics. */
export interface IncidentRecorder extends EventSource<IncidentRecorderEvents> {
  /**
   * Resolves once the store has been replayed. The async methods wait for it by themselves; the sync
   * reads (`get`, `findOpen`, `list`, `metrics`, `report`) throw `ERR_SRE_NOT_READY` until then rather
   * than answer from an empty recorder (a memory store, the default, replays at once). Rejects if the
   * store cannot be loaded (e.g. `ERR_SRE_STORE_LOCKED`); the reads then throw `ERR_SRE_NOT_READY` with
   * that error as the `cause`.
   */
  ready(): Promise<void>;
  /**
   * Opens an incident, or folds the signal into the open incident with the same `dedupKey`
   * (occurrences + 1, a timeline entry, severity raised if the signal is worse), or reopens the one
   * resolved with that key within `reopenWindowMs`. Resolves once the change is durable.
   * @throws {SreError} `ERR_SRE_INVALID_INPUT` for a bad input, `ERR_SRE_INCIDENT_LIMIT` at the cap.
   */
  trigger(input: OpenIncidentInput): Promise<TriggerResult>;
  /** {@link IncidentRecorder.trigger}, returning just the incident. */
  open(input: OpenIncidentInput): Promise<Incident>;
  /**
   * Marks an open incident acknowledged (a no-op once acknowledged or resolved).
   * @throws {SreError} `ERR_SRE_INCIDENT_NOT_FOUND`.
   */
  acknowledge(id: string, options?: { readonly by?: string }): Promise<Incident>;
  /**
   * Adds a note to the timeline.
   * @throws {SreError} `ERR_SRE_INCIDENT_NOT_FOUND`.
   */
  note(id: string, text: string, options?: { readonly by?: string }): Promise<Incident>;
  /**
   * Resolves an incident (a no-op once resolved).
   * @throws {SreError} `ERR_SRE_INCIDENT_NOT_FOUND`.
   */
  resolve(id: string, input?: ResolveIncidentInput): Promise<Incident>;
  /**
   * Changes fields, e.g. severity, impact, lessons learned and action items for the postmortem.
   * @throws {SreError} `ERR_SRE_INCIDENT_NOT_FOUND`, `ERR_SRE_INVALID_INPUT`.
   */
  update(id: string, changes: IncidentChanges & { readonly by?: string }): Promise<Incident>;
  /**
   * The incident with this id, if held.
   * @throws {SreError} `ERR_SRE_NOT_READY` before the store has loaded (see `ready()`).
   */
  get(id: string): Incident | undefined;
  /**
   * The unresolved incident holding `dedupKey`, if any.
   * @throws {SreError} `ERR_SRE_NOT_READY` before the store has loaded (see `ready()`).
   */
  findOpen(dedupKey: string): Incident | undefined;
  /**
   * The incidents matching `filter`, in opening order.
   * @throws {SreError} `ERR_SRE_NOT_READY` before the store has loaded (see `ready()`).
   */
  list(filter?: IncidentFilter): Incident[];
  /**
   * MTTA, MTTR, MTBF, counts and automation coverage over the incidents opened in `window`.
   * @throws {SreError} `ERR_SRE_NOT_READY` before the store has loaded (see `ready()`).
   */
  metrics(window?: IncidentWindow): IncidentMetrics;
  /**
   * The incident report (the shape `incidentReportSchema` validates).
   * @throws {SreError} `ERR_SRE_INCIDENT_NOT_FOUND`; `ERR_SRE_NOT_READY` before the store has loaded.
   */
  report(id: string): IncidentReport;
  /** Waits for pending writes and closes the store. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

type ParsedOptions = z.output<typeof optionsSchema>;

/**
 * Creates an incident recorder.
 *
 * @example
 * ```ts
 * const incidents = createIncidentRecorder({
 *   service: 'checkout',
 *   store: createFileIncidentStore({ path: './incidents.jsonl' }),
 * });
 * const inc = await incidents.open({ title: 'Error rate above SLO', severity: 'P2', dedupKey: 'slo:errors' });
 * await incidents.acknowledge(inc.id, { by: 'oncall' });
 * await incidents.resolve(inc.id, { resolution: 'Rolled back', rootCause: 'Bad deploy' });
 * console.log(incidents.report(inc.id));
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function createIncidentRecorder(options: IncidentRecorderOptions, deps?: Deps): IncidentRecorder {
  const parsed = parseOptions(optionsSchema, options, 'createIncidentRecorder');
  const { clock, onInternalError } = resolveDeps(deps);
  return new Recorder(parsed, options.store ?? createMemoryIncidentStore(), clock, onInternalError);
}

const MAX_LABELS = 64;
const CHANGE_KEYS = [
  'title',
  'severity',
  'impact',
  'rootCause',
  'resolution',
  'lessonsLearned',
  'actionItems',
  'labels',
  'relatedChanges',
] as const satisfies readonly (keyof IncidentChanges)[];

class Recorder implements IncidentRecorder {
  readonly #options: ParsedOptions;
  readonly #store: IncidentStore;
  readonly #clock: Clock;
  readonly #onError: InternalErrorHandler;
  readonly #source: string;
  readonly #events: SafeEmitter<IncidentRecorderEvents>;
  readonly #state: IncidentLogState = emptyLogState();
  // dedupKey → the unresolved incident holding it, and → the last resolved one (for reopening).
  readonly #active = new Map<string, string>();
  readonly #lastResolved = new Map<string, string>();
  readonly #ready: Promise<void>;
  #loaded = false;
  #loadFailure: { readonly error: unknown } | undefined;
  #compacting = false;
  #closing: Promise<void> | undefined;

  constructor(options: ParsedOptions, store: IncidentStore, clock: Clock, onError: InternalErrorHandler) {
    this.#options = options;
    this.#store = store;
    this.#clock = clock;
    this.#onError = onError;
    this.#source = `incidentRecorder:${options.service}`;
    this.#events = new SafeEmitter(this.#source, onError);
    let loaded: ReturnType<IncidentStore['load']>;
    try {
      loaded = store.load();
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the store's own error
      loaded = Promise.reject(error);
    }
    if (isPromiseLike(loaded)) {
      this.#ready = Promise.resolve(loaded).then((records) => this.#replay(records));
      // Reported here so a recorder nobody awaits still surfaces the failure; callers get it too.
      // Registered first, so the reads see the failure by the time anyone awaiting ready() does.
      this.#ready.catch((error: unknown) => {
        this.#loadFailure = { error };
        this.#onError(error, { source: this.#source, task: 'load' });
      });
    } else {
      this.#replay(loaded);
      this.#ready = Promise.resolve();
    }
  }

  on: IncidentRecorder['on'] = (event, listener) => this.#events.on(event, listener);
  once: IncidentRecorder['once'] = (event, listener) => this.#events.once(event, listener);
  off: IncidentRecorder['off'] = (event, listener) => this.#events.off(event, listener);

  ready(): Promise<void> {
    return this.#ready;
  }

  async trigger(input: OpenIncidentInput): Promise<TriggerResult> {
    checkOpenInput(input);
    await this.#writable();
    const now = this.#clock.wallNow();
    const key = input.dedupKey;
    if (key !== undefined) {
      const activeId = this.#active.get(key);
      const active = activeId === undefined ? undefined : this.#state.incidents.get(activeId);
      if (active !== undefined) {
        const worse = isWorseSeverity(input.severity, active.severity);
        const incident = await this.#change({
          type: 'occurred',
          id: active.id,
          at: now,
          ...(worse ? { severity: input.severity } : {}),
        });
        if (this.#events.has('updated')) this.#events.emit('updated', { incident, change: 'occurred' });
        return { incident, action: 'deduplicated' };
      }
      const resolvedId = this.#lastResolved.get(key);
      const resolved = resolvedId === undefined ? undefined : this.#state.incidents.get(resolvedId);
      if (
        resolved?.resolvedAt !== undefined &&
        this.#options.reopenWindowMs > 0 &&
        now - resolved.resolvedAt <= this.#options.reopenWindowMs
      ) {
        const worse = isWorseSeverity(input.severity, resolved.severity);
        const incident = await this.#change({
          type: 'reopened',
          id: resolved.id,
          at: now,
          ...(worse ? { severity: input.severity } : {}),
        });
        if (this.#events.has('reopened')) this.#events.emit('reopened', { incident });
        return { incident, action: 'reopened' };
      }
    }
    const pending: Promise<void>[] = [];
    if (this.#state.incidents.size >= this.#options.maxIncidents)
      pending.push(this.#forgetOldestResolved(now));
    const id = this.#nextId(now);
    const incident: Incident = {
      id,
      title: input.title,
      severity: input.severity,
      status: 'open',
      service: input.service ?? this.#options.service,
      impact: input.impact ?? '',
      ...(input.source === undefined ? {} : { source: input.source }),
      ...(key === undefined ? {} : { dedupKey: key }),
      labels: { ...input.labels },
      openedAt: now,
      lessonsLearned: [],
      actionItems: [],
      occurrences: 1,
      lastOccurredAt: now,
      reopenCount: 0,
      timeline: [
        {
          at: now,
          kind: 'opened',
          text: `Opened: ${input.title}${input.source === undefined ? '' : ` (${input.source})`}`,
        },
      ],
      timelineDropped: 0,
    };
    const opened = this.#change({ type: 'opened', at: now, incident });
    await Promise.all(pending);
    const stored = await opened;
    if (this.#events.has('opened')) this.#events.emit('opened', { incident: stored });
    return { incident: stored, action: 'opened' };
  }

  async open(input: OpenIncidentInput): Promise<Incident> {
    return (await this.trigger(input)).incident;
  }

  async acknowledge(id: string, options: { readonly by?: string } = {}): Promise<Incident> {
    checkOptionalString(options.by, 'by');
    await this.#writable();
    const current = this.#require(id);
    if (current.status !== 'open') return current;
    const incident = await this.#change({
      type: 'acknowledged',
      id,
      at: this.#clock.wallNow(),
      ...(options.by === undefined ? {} : { by: options.by }),
    });
    if (this.#events.has('acknowledged')) this.#events.emit('acknowledged', { incident, by: options.by });
    return incident;
  }

  async note(id: string, text: string, options: { readonly by?: string } = {}): Promise<Incident> {
    if (typeof text !== 'string' || text === '') throw invalid('note text must be a non-empty string');
    checkOptionalString(options.by, 'by');
    await this.#writable();
    this.#require(id);
    const incident = await this.#change({
      type: 'noted',
      id,
      at: this.#clock.wallNow(),
      text,
      ...(options.by === undefined ? {} : { by: options.by }),
    });
    if (this.#events.has('updated')) this.#events.emit('updated', { incident, change: 'noted' });
    return incident;
  }

  async resolve(id: string, input: ResolveIncidentInput = {}): Promise<Incident> {
    checkOptionalString(input.resolution, 'resolution');
    checkOptionalString(input.rootCause, 'rootCause');
    checkOptionalString(input.by, 'by');
    if (input.automated !== undefined && typeof input.automated !== 'boolean') {
      throw invalid('automated must be a boolean');
    }
    await this.#writable();
    const current = this.#require(id);
    if (current.status === 'resolved') return current;
    const incident = await this.#change({
      type: 'resolved',
      id,
      at: this.#clock.wallNow(),
      automated: input.automated ?? false,
      ...(input.resolution === undefined ? {} : { resolution: input.resolution }),
      ...(input.rootCause === undefined ? {} : { rootCause: input.rootCause }),
      ...(input.by === undefined ? {} : { by: input.by }),
    });
    if (this.#events.has('resolved')) this.#events.emit('resolved', { incident });
    return incident;
  }

  async update(id: string, input: IncidentChanges & { readonly by?: string }): Promise<Incident> {
    const { by, ...rest } = input;
    checkOptionalString(by, 'by');
    const changes = checkChanges(rest);
    await this.#writable();
    const current = this.#require(id);
    if (Object.keys(changes).length === 0) return current;
    const incident = await this.#change({
      type: 'updated',
      id,
      at: this.#clock.wallNow(),
      changes,
      ...(by === undefined ? {} : { by }),
    });
    if (this.#events.has('updated')) this.#events.emit('updated', { incident, change: 'updated' });
    return incident;
  }

  get(id: string): Incident | undefined {
    this.#readable();
    return this.#state.incidents.get(id);
  }

  findOpen(dedupKey: string): Incident | undefined {
    this.#readable();
    const id = this.#active.get(dedupKey);
    return id === undefined ? undefined : this.#state.incidents.get(id);
  }

  list(filter: IncidentFilter = {}): Incident[] {
    this.#readable();
    const since = toEpoch(filter.since, -Infinity);
    const until = toEpoch(filter.until, Infinity);
    const statuses = toSet(filter.status);
    const severities = toSet(filter.severity);
    const out: Incident[] = [];
    for (const incident of this.#state.incidents.values()) {
      if (incident.openedAt < since || incident.openedAt >= until) continue;
      if (statuses !== undefined && !statuses.has(incident.status)) continue;
      if (severities !== undefined && !severities.has(incident.severity)) continue;
      if (filter.service !== undefined && incident.service !== filter.service) continue;
      out.push(incident);
    }
    return out;
  }

  metrics(window: IncidentWindow = {}): IncidentMetrics {
    this.#readable();
    return computeIncidentMetrics(this.#state.incidents.values(), window);
  }

  report(id: string): IncidentReport {
    this.#readable();
    return toIncidentReport(this.#require(id), this.#clock.wallNow());
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.#ready;
      } catch {
        // Nothing was loaded; closing the store still releases whatever it holds.
      }
      try {
        await this.#store.close();
      } finally {
        this.#events.clear();
      }
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #writable(): Promise<void> {
    if (this.#closing !== undefined) throw new SreError(ErrorCode.CLOSED, `${this.#source} is closed`);
    if (!this.#loaded) await this.#ready;
    if (this.#closing !== undefined) throw new SreError(ErrorCode.CLOSED, `${this.#source} is closed`);
  }

  // The reads are synchronous and so cannot wait for the load; answering from the empty recorder
  // instead would read an open P1 on disk as "no incidents". They refuse until the replay is done.
  #readable(): void {
    if (this.#loaded) return;
    const failure = this.#loadFailure;
    throw new SreError(
      ErrorCode.NOT_READY,
      failure === undefined
        ? `${this.#source}: the incident store is still loading; await ready() before reading`
        : `${this.#source}: the incident store failed to load, so there is nothing to read (see the cause)`,
      failure === undefined ? undefined : { cause: failure.error },
    );
  }

  #require(id: string): Incident {
    const incident = this.#state.incidents.get(id);
    if (incident === undefined) throw new SreError(ErrorCode.INCIDENT_NOT_FOUND, `No incident ${String(id)}`);
    return incident;
  }

  #nextId(now: number): string {
    const key = `${this.#options.idPrefix}-${new Date(now).getUTCFullYear()}`;
    const seq = (this.#state.sequences.get(key) ?? 0) + 1;
    return `${key}-${String(seq).padStart(3, '0')}`;
  }

  // Applies the record in memory at once, so that concurrent calls see it (two signals with one key can
  // never open two incidents), and queues it to the store in the same synchronous step, so the store's
  // order is the memory order and whatever is on disk is always a prefix of what happened.
  async #change(record: IncidentRecord): Promise<Incident> {
    const id = record.type === 'opened' ? record.incident.id : (record as { id: string }).id;
    this.#apply(record);
    const incident = this.#state.incidents.get(id) as Incident;
    const durable = this.#store.append(record);
    await durable;
    this.#maybeCompact();
    return incident;
  }

  #apply(record: IncidentRecord): boolean {
    const before = 'id' in record ? this.#state.incidents.get(record.id) : undefined;
    const problem = applyRecord(this.#state, record, this.#options.maxTimelineEntries);
    if (problem !== undefined) {
      this.#onError(new SreError(ErrorCode.INTERNAL, `${this.#source}: ${problem}`), {
        source: this.#source,
        task: this.#loaded ? 'record' : 'replay',
      });
      return false;
    }
    const id =
      record.type === 'opened' || record.type === 'snapshot'
        ? record.incident.id
        : 'id' in record
          ? record.id
          : undefined;
    if (id !== undefined) this.#index(before, this.#state.incidents.get(id));
    return true;
  }

  #index(before: Incident | undefined, after: Incident | undefined): void {
    const key = (after ?? before)?.dedupKey;
    if (key === undefined) return;
    const id = (after ?? before)?.id as string;
    if (this.#active.get(key) === id) this.#active.delete(key);
    if (after === undefined) {
      if (this.#lastResolved.get(key) === id) this.#lastResolved.delete(key);
    } else if (after.status === 'resolved') {
      this.#lastResolved.set(key, id);
    } else {
      this.#active.set(key, id);
      if (this.#lastResolved.get(key) === id) this.#lastResolved.delete(key);
    }
  }

  #replay(records: readonly IncidentRecord[]): void {
    for (const record of records) this.#apply(record);
    this.#loaded = true;
  }

  #forgetOldestResolved(now: number): Promise<void> {
    let oldest: Incident | undefined;
    for (const incident of this.#state.incidents.values()) {
      if (
        incident.status === 'resolved' &&
        (oldest === undefined || (incident.resolvedAt ?? 0) < (oldest.resolvedAt ?? 0))
      ) {
        oldest = incident;
      }
    }
    if (oldest === undefined) {
      throw new SreError(
        ErrorCode.INCIDENT_LIMIT,
        `${this.#source} holds ${this.#options.maxIncidents} unresolved incidents (maxIncidents); resolve some first`,
      );
    }
    const record: IncidentRecord = { type: 'purged', id: oldest.id, at: now };
    this.#apply(record);
    return this.#store.append(record);
  }

  #maybeCompact(): void {
    if (this.#compacting || this.#closing !== undefined || !this.#store.compactionDue) return;
    this.#compacting = true;
    // The snapshot is exactly what has been handed to the store so far; the store queues the compaction
    // behind those appends, so no change is lost or counted twice.
    const snapshot: IncidentRecord[] = [];
    for (const [key, seq] of this.#state.sequences) snapshot.push({ type: 'sequence', key, seq });
    for (const incident of this.#state.incidents.values()) snapshot.push({ type: 'snapshot', incident });
    this.#store
      .compact(snapshot)
      .catch((error: unknown) => this.#onError(error, { source: this.#source, task: 'compact' }))
      .finally(() => {
        this.#compacting = false;
      });
  }
}

function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function toSet<T>(value: T | readonly T[] | undefined): Set<T> | undefined {
  if (value === undefined) return undefined;
  return new Set(Array.isArray(value) ? (value as readonly T[]) : [value as T]);
}

function invalid(message: string): SreError {
  return new SreError(ErrorCode.INVALID_INPUT, message);
}

function checkOptionalString(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== 'string') throw invalid(`${field} must be a string`);
}

function checkLabels(value: unknown, field: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${field} must be an object`);
  const entries = Object.entries(value);
  if (entries.length > MAX_LABELS) throw invalid(`${field} may hold at most ${MAX_LABELS} labels`);
  for (const [name, v] of entries) {
    if (typeof v !== 'string') throw invalid(`${field}.${name} must be a string`);
  }
}

/** The most related changes an incident holds. */
const MAX_RELATED_CHANGES = 10;

function checkRelatedChanges(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length > MAX_RELATED_CHANGES)
    throw invalid(`relatedChanges must be an array of at most ${MAX_RELATED_CHANGES} changes`);
  value.forEach((item: unknown, i) => {
    const field = `relatedChanges[${i}]`;
    if (typeof item !== 'object' || item === null) throw invalid(`${field} must be an object`);
    const r = item as Record<string, unknown>;
    for (const key of ['id', 'kind', 'service'])
      if (typeof r[key] !== 'string') throw invalid(`${field}.${key} must be a string`);
    checkOptionalString(r.version, `${field}.version`);
    if (typeof r.startedAt !== 'number' || !Number.isFinite(r.startedAt))
      throw invalid(`${field}.startedAt must be a time in epoch ms`);
    if (r.finishedAt !== undefined && (typeof r.finishedAt !== 'number' || !Number.isFinite(r.finishedAt)))
      throw invalid(`${field}.finishedAt must be a time in epoch ms`);
    if (typeof r.score !== 'number' || !(r.score >= 0 && r.score <= 1))
      throw invalid(`${field}.score must be a number from 0 to 1`);
    checkStringList(r.reasons, `${field}.reasons`);
    if (r.reasons === undefined) throw invalid(`${field}.reasons must be an array of strings`);
  });
}

function checkStringList(value: unknown, field: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalid(`${field} must be an array of strings`);
  }
}

function checkOpenInput(input: OpenIncidentInput): void {
  if (typeof input !== 'object' || input === null) throw invalid('open() expects an object');
  if (typeof input.title !== 'string' || input.title === '')
    throw invalid('title must be a non-empty string');
  if (!isSeverity(input.severity)) {
    throw invalid(`severity must be one of P1, P2, P3, P4, P5, received ${String(input.severity)}`);
  }
  checkOptionalString(input.service, 'service');
  checkOptionalString(input.impact, 'impact');
  checkOptionalString(input.dedupKey, 'dedupKey');
  checkOptionalString(input.source, 'source');
  checkLabels(input.labels, 'labels');
}

function checkChanges(changes: IncidentChanges): IncidentChanges {
  checkOptionalString(changes.title, 'title');
  if (changes.title === '') throw invalid('title must be a non-empty string');
  if (changes.severity !== undefined && !isSeverity(changes.severity)) {
    throw invalid(`severity must be one of P1, P2, P3, P4, P5, received ${String(changes.severity)}`);
  }
  checkOptionalString(changes.impact, 'impact');
  checkOptionalString(changes.rootCause, 'rootCause');
  checkOptionalString(changes.resolution, 'resolution');
  checkStringList(changes.lessonsLearned, 'lessonsLearned');
  checkStringList(changes.actionItems, 'actionItems');
  checkLabels(changes.labels, 'labels');
  checkRelatedChanges(changes.relatedChanges);
  const out: Record<string, unknown> = {};
  for (const key of CHANGE_KEYS) {
    const value = changes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
