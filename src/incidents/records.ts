// The incident log: every change to an incident is one record, appended to a store and replayed on
// start. The reducer here is the only code that turns records into incidents, so a live recorder and
// a replay after a crash always agree.
import { z } from 'zod';
import type { Incident, RelatedChange, TimelineEntry, TimelineKind } from './incident.js';
import { SEVERITIES, type Severity } from './severity.js';

/** The fields {@link IncidentRecorder.update} may change. */
export interface IncidentChanges {
  readonly title?: string;
  readonly severity?: Severity;
  readonly impact?: string;
  readonly rootCause?: string;
  readonly resolution?: string;
  readonly lessonsLearned?: readonly string[];
  readonly actionItems?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  /** The changes suspected of causing it, most suspected first (at most 10). */
  readonly relatedChanges?: readonly RelatedChange[];
}

/** One line of the incident log: a change to one incident, or compaction state. */
export type IncidentRecord =
  | { readonly type: 'header'; readonly format: 'sre-kit/incidents'; readonly version: 1 }
  | { readonly type: 'opened'; readonly at: number; readonly incident: Incident }
  | { readonly type: 'occurred'; readonly id: string; readonly at: number; readonly severity?: Severity }
  | { readonly type: 'acknowledged'; readonly id: string; readonly at: number; readonly by?: string }
  | {
      readonly type: 'noted';
      readonly id: string;
      readonly at: number;
      readonly text: string;
      readonly by?: string;
    }
  | {
      readonly type: 'updated';
      readonly id: string;
      readonly at: number;
      readonly changes: IncidentChanges;
      readonly by?: string;
    }
  | {
      readonly type: 'resolved';
      readonly id: string;
      readonly at: number;
      readonly automated: boolean;
      readonly resolution?: string;
      readonly rootCause?: string;
      readonly by?: string;
    }
  | { readonly type: 'reopened'; readonly id: string; readonly at: number; readonly severity?: Severity }
  | { readonly type: 'purged'; readonly id: string; readonly at: number }
  | { readonly type: 'snapshot'; readonly incident: Incident }
  | { readonly type: 'sequence'; readonly key: string; readonly seq: number };

/** The state a log replays into: incidents by id (in opening order) and the highest sequence per id prefix. */
export interface IncidentLogState {
  readonly incidents: Map<string, Incident>;
  /** `INC-2026` → the highest sequence number ever used under it, so ids are never reused. */
  readonly sequences: Map<string, number>;
}

/** The header every log file starts with. */
export const LOG_HEADER: IncidentRecord = Object.freeze({
  type: 'header',
  format: 'sre-kit/incidents',
  version: 1,
});

/** Creates an empty log state. */
export function emptyLogState(): IncidentLogState {
  return { incidents: new Map(), sequences: new Map() };
}

/** Splits `INC-2026-007` into its sequence key `INC-2026` and number 7; undefined when malformed. */
export function parseIncidentId(id: string): { key: string; seq: number } | undefined {
  const match = /^([A-Za-z][A-Za-z0-9_]*-\d{4})-(\d{3,})$/.exec(id);
  if (match === null) return undefined;
  return { key: match[1] as string, seq: Number(match[2]) };
}

const severitySchema = z.enum(SEVERITIES as [Severity, ...Severity[]]);
const time = z.number().finite();
const text = z.string();
const stringList = z.array(z.string());
const labels = z.record(z.string(), z.string());

const timelineSchema = z.object({
  at: time,
  kind: z.enum(['opened', 'occurred', 'acknowledged', 'noted', 'updated', 'resolved', 'reopened']),
  text,
  by: text.optional(),
});

const relatedChangesSchema = z
  .array(
    z.object({
      id: text,
      kind: text,
      service: text,
      version: text.optional(),
      startedAt: time,
      finishedAt: time.optional(),
      score: z.number().min(0).max(1),
      reasons: stringList,
    }),
  )
  .max(10);

const incidentSchema = z.object({
  id: z.string().refine((id) => parseIncidentId(id) !== undefined, 'an incident id like INC-2026-001'),
  title: text,
  severity: severitySchema,
  status: z.enum(['open', 'acknowledged', 'resolved']),
  service: text,
  impact: text,
  source: text.optional(),
  dedupKey: text.optional(),
  labels,
  openedAt: time,
  acknowledgedAt: time.optional(),
  acknowledgedBy: text.optional(),
  resolvedAt: time.optional(),
  resolvedBy: text.optional(),
  resolution: text.optional(),
  rootCause: text.optional(),
  automated: z.boolean().optional(),
  lessonsLearned: stringList,
  actionItems: stringList,
  occurrences: z.number().int().min(1),
  lastOccurredAt: time,
  reopenCount: z.number().int().min(0),
  relatedChanges: relatedChangesSchema.optional(),
  timeline: z.array(timelineSchema),
  timelineDropped: z.number().int().min(0),
});

const changesSchema = z.object({
  title: text.optional(),
  severity: severitySchema.optional(),
  impact: text.optional(),
  rootCause: text.optional(),
  resolution: text.optional(),
  lessonsLearned: stringList.optional(),
  actionItems: stringList.optional(),
  labels: labels.optional(),
  relatedChanges: relatedChangesSchema.optional(),
});

const id = z.string();
const recordSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), format: z.literal('sre-kit/incidents'), version: z.literal(1) }),
  z.object({ type: z.literal('opened'), at: time, incident: incidentSchema }),
  z.object({ type: z.literal('occurred'), id, at: time, severity: severitySchema.optional() }),
  z.object({ type: z.literal('acknowledged'), id, at: time, by: text.optional() }),
  z.object({ type: z.literal('noted'), id, at: time, text, by: text.optional() }),
  z.object({ type: z.literal('updated'), id, at: time, changes: changesSchema, by: text.optional() }),
  z.object({
    type: z.literal('resolved'),
    id,
    at: time,
    automated: z.boolean(),
    resolution: text.optional(),
    rootCause: text.optional(),
    by: text.optional(),
  }),
  z.object({ type: z.literal('reopened'), id, at: time, severity: severitySchema.optional() }),
  z.object({ type: z.literal('purged'), id, at: time }),
  z.object({ type: z.literal('snapshot'), incident: incidentSchema }),
  z.object({ type: z.literal('sequence'), key: z.string().min(1), seq: z.number().int().min(0) }),
]);

/**
 * Checks a parsed log line; returns the record, or a message saying what is wrong. Replay is a cold
 * path, so this uses zod: a record that does not match is reported, never half-applied.
 */
export function validateRecord(value: unknown): IncidentRecord | string {
  const result = recordSchema.safeParse(value);
  if (result.success) return result.data as IncidentRecord;
  const issue = result.error.issues[0];
  return issue === undefined ? 'invalid record' : `${issue.path.join('.') || '(record)'}: ${issue.message}`;
}

/**
 * Applies one record to `state`. Returns `undefined` when it applied, or why it did not (an unknown
 * id, a duplicate open) so replay can report it; a record that does not apply changes nothing.
 *
 * @param maxTimeline The timeline cap: past it, the oldest entries after the first are dropped.
 */
export function applyRecord(
  state: IncidentLogState,
  record: IncidentRecord,
  maxTimeline: number,
): string | undefined {
  switch (record.type) {
    case 'header':
      return undefined;
    case 'sequence':
      bumpSequence(state, record.key, record.seq);
      return undefined;
    case 'opened':
    case 'snapshot': {
      const incident = record.incident;
      if (state.incidents.has(incident.id)) return `incident ${incident.id} is already in the log`;
      const parsed = parseIncidentId(incident.id);
      if (parsed !== undefined) bumpSequence(state, parsed.key, parsed.seq);
      state.incidents.set(incident.id, freezeIncident(incident));
      return undefined;
    }
    case 'purged':
      return state.incidents.delete(record.id) ? undefined : `no incident ${record.id} to purge`;
    default: {
      const current = state.incidents.get(record.id);
      if (current === undefined) return `no incident ${record.id} for a ${record.type} record`;
      state.incidents.set(record.id, freezeIncident(nextIncident(current, record, maxTimeline)));
      return undefined;
    }
  }
}

function bumpSequence(state: IncidentLogState, key: string, seq: number): void {
  if ((state.sequences.get(key) ?? 0) < seq) state.sequences.set(key, seq);
}

type ChangeRecord = Exclude<Extract<IncidentRecord, { id: string }>, { type: 'purged' }>;

function nextIncident(current: Incident, record: ChangeRecord, maxTimeline: number): Incident {
  const add = (kind: TimelineKind, text: string, by?: string): TimelinePart =>
    appendTimeline(current, { at: record.at, kind, text, ...(by === undefined ? {} : { by }) }, maxTimeline);
  switch (record.type) {
    case 'occurred': {
      const worse = record.severity !== undefined && record.severity < current.severity;
      return {
        ...current,
        ...(worse ? { severity: record.severity } : {}),
        occurrences: current.occurrences + 1,
        lastOccurredAt: record.at,
        ...add(
          'occurred',
          `Signal ${current.occurrences + 1}${worse ? `, severity raised to ${record.severity}` : ''}`,
        ),
      };
    }
    case 'acknowledged': {
      return {
        ...current,
        status: current.status === 'resolved' ? 'resolved' : 'acknowledged',
        acknowledgedAt: current.acknowledgedAt ?? record.at,
        ...(current.acknowledgedBy === undefined && record.by !== undefined
          ? { acknowledgedBy: record.by }
          : {}),
        ...add('acknowledged', `Acknowledged${record.by === undefined ? '' : ` by ${record.by}`}`, record.by),
      };
    }
    case 'noted': {
      return { ...current, ...add('noted', record.text, record.by) };
    }
    case 'updated': {
      const changed = Object.keys(record.changes).filter(
        (key) => record.changes[key as keyof IncidentChanges] !== undefined,
      );
      const next: Mutable<Incident> = {
        ...current,
        ...add('updated', `Updated ${changed.join(', ')}`, record.by),
      };
      const c = record.changes;
      if (c.title !== undefined) next.title = c.title;
      if (c.severity !== undefined) next.severity = c.severity;
      if (c.impact !== undefined) next.impact = c.impact;
      if (c.rootCause !== undefined) next.rootCause = c.rootCause;
      if (c.resolution !== undefined) next.resolution = c.resolution;
      if (c.lessonsLearned !== undefined) next.lessonsLearned = [...c.lessonsLearned];
      if (c.actionItems !== undefined) next.actionItems = [...c.actionItems];
      if (c.labels !== undefined) next.labels = { ...c.labels };
      if (c.relatedChanges !== undefined)
        next.relatedChanges = c.relatedChanges.map((r) => ({ ...r, reasons: [...r.reasons] }));
      return next;
    }
    case 'resolved': {
      const how = record.automated ? 'Resolved automatically' : 'Resolved';
      const next: Mutable<Incident> = {
        ...current,
        status: 'resolved',
        resolvedAt: record.at,
        automated: record.automated,
        ...add(
          'resolved',
          `${how}${record.resolution === undefined ? '' : `: ${record.resolution}`}`,
          record.by,
        ),
      };
      if (record.resolution !== undefined) next.resolution = record.resolution;
      if (record.rootCause !== undefined) next.rootCause = record.rootCause;
      if (record.by !== undefined) next.resolvedBy = record.by;
      else delete next.resolvedBy;
      return next;
    }
    case 'reopened': {
      const worse = record.severity !== undefined && record.severity < current.severity;
      // The resolution turned out not to hold: clear it (the timeline keeps what it said).
      const {
        resolvedAt: _resolvedAt,
        resolvedBy: _resolvedBy,
        automated: _automated,
        resolution: _resolution,
        ...rest
      } = current;
      return {
        ...rest,
        ...(worse ? { severity: record.severity } : {}),
        status: 'open',
        occurrences: current.occurrences + 1,
        lastOccurredAt: record.at,
        reopenCount: current.reopenCount + 1,
        ...add('reopened', `Reopened by signal ${current.occurrences + 1}`),
      };
    }
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type TimelinePart = Pick<Incident, 'timeline' | 'timelineDropped'>;

function appendTimeline(current: Incident, entry: TimelineEntry, maxTimeline: number): TimelinePart {
  const timeline = [...current.timeline, entry];
  let dropped = 0;
  // Keep the first entry (how it started) and the newest ones.
  if (timeline.length > maxTimeline && timeline.length > 1) {
    dropped = Math.min(timeline.length - Math.max(maxTimeline, 1), timeline.length - 1);
    timeline.splice(1, dropped);
  }
  return { timeline, timelineDropped: current.timelineDropped + dropped };
}

// Freezes in place: every incident reaching here is a fresh object (built by the reducer or the
// recorder, or parsed from the log), and unchanged parts shared with the previous version are frozen
// already, so a change costs one shallow copy, not a deep one.
function freezeIncident(incident: Incident): Incident {
  if (Object.isFrozen(incident)) return incident;
  Object.freeze(incident.labels);
  Object.freeze(incident.lessonsLearned);
  Object.freeze(incident.actionItems);
  if (incident.relatedChanges !== undefined && !Object.isFrozen(incident.relatedChanges)) {
    for (const related of incident.relatedChanges) {
      Object.freeze(related.reasons);
      Object.freeze(related);
    }
    Object.freeze(incident.relatedChanges);
  }
  if (!Object.isFrozen(incident.timeline)) {
    for (const entry of incident.timeline) Object.freeze(entry);
    Object.freeze(incident.timeline);
  }
  return Object.freeze(incident);
}
