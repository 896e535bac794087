import type { Severity } from './severity.js';

/** Where an incident is in its life: `open` (nobody on it yet), `acknowledged`, `resolved`. */
export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';

/** What a timeline entry records. */
export type TimelineKind =
  'opened' | 'occurred' | 'acknowledged' | 'noted' | 'updated' | 'resolved' | 'reopened';

/** One line of an incident's timeline. */
export interface TimelineEntry {
  /** When it happened, in epoch milliseconds (the clock's wall time). */
  readonly at: number;
  /** What happened. */
  readonly kind: TimelineKind;
  /** A human-readable description (for `noted`, the note itself). */
  readonly text: string;
  /** Who did it, when known. */
  readonly by?: string;
}

/**
 * A change (a deploy, a config or flag change, ...) attached to an incident as a likely cause, with how
 * strongly it is suspected and why. The monitor attaches the top ones when the incident opens.
 */
export interface RelatedChange {
  /** The change's id in the change log, e.g. `deploy-812`. */
  readonly id: string;
  /** `deploy`, `config`, `flag`, `infra` or `rollback`. */
  readonly kind: string;
  readonly service: string;
  readonly version?: string;
  /** When the change started and finished, epoch ms. */
  readonly startedAt: number;
  readonly finishedAt?: number;
  /** How strongly it is suspected, 0 to 1. */
  readonly score: number;
  /** Why, one phrase per factor: `opened 4 min after deploy-812 finished`, `same service (checkout)`. */
  readonly reasons: readonly string[];
}

/**
 * An incident as the recorder holds it. Incidents are immutable snapshots: every change produces a
 * new frozen object, so holding one never sees later changes and can never corrupt the recorder.
 * Times are epoch milliseconds from the clock's wall time.
 */
export interface Incident {
  /** `<prefix>-<year>-<seq>`, e.g. `INC-2026-001`; never reused. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  /** The service affected. */
  readonly service: string;
  /** Who or what is affected and how, e.g. `10% of requests failing`; empty when unknown. */
  readonly impact: string;
  /** What detected it, e.g. `slo`, `alertmanager`, `health`. */
  readonly source?: string;
  /** Signals with the same key while the incident is open are the same incident. */
  readonly dedupKey?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly openedAt: number;
  /** First acknowledgement; a reopened incident keeps it (MTTA measures the first response). */
  readonly acknowledgedAt?: number;
  readonly acknowledgedBy?: string;
  readonly resolvedAt?: number;
  readonly resolvedBy?: string;
  readonly resolution?: string;
  readonly rootCause?: string;
  /** Whether the (last) resolution was automated, e.g. by a runbook. */
  readonly automated?: boolean;
  readonly lessonsLearned: readonly string[];
  readonly actionItems: readonly string[];
  /** How many signals this incident absorbed, the first included. */
  readonly occurrences: number;
  /** When the last signal arrived. */
  readonly lastOccurredAt: number;
  /** How many times it was reopened after being resolved. */
  readonly reopenCount: number;
  /** The changes suspected of causing it, most suspected first (set by the monitor when it opens). */
  readonly relatedChanges?: readonly RelatedChange[];
  /** The history, oldest first; capped (the first entry is always kept). */
  readonly timeline: readonly TimelineEntry[];
  /** Timeline entries dropped to respect the cap. */
  readonly timelineDropped: number;
}
