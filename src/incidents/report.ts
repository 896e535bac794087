import { z } from 'zod';
import type { Incident } from './incident.js';
import { SEVERITIES, type Severity } from './severity.js';

/** The schema of one change suspected of causing an incident, as its report lists it. */
export const relatedChangeReportSchema = z.strictObject({
  change_id: z.string(),
  kind: z.string(),
  service: z.string(),
  version: z.string().nullable(),
  started_at: z.iso.datetime({ offset: true }),
  /** How strongly it is suspected, 0 to 1. */
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
});

/**
 * The incident report contract (docs/incidents.md), exactly these keys:
 * `{ incident_id, severity, service, impact, root_cause, resolution, duration_minutes, lessons_learned }`,
 * plus `related_changes` once changes were correlated with it (the monitor does when it has a change
 * log). Consumers validate with it; `root_cause` and `resolution` are empty strings while unknown.
 */
export const incidentReportSchema = z.strictObject({
  incident_id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*-\d{4}-\d{3,}$/),
  severity: z.enum(SEVERITIES as [Severity, ...Severity[]]),
  service: z.string(),
  impact: z.string(),
  root_cause: z.string(),
  resolution: z.string(),
  duration_minutes: z.number().nonnegative(),
  lessons_learned: z.array(z.string()),
  /** The changes suspected of causing it, most suspected first; absent when none were correlated. */
  related_changes: z.array(relatedChangeReportSchema).optional(),
});

/** An incident report, e.g. `{ "incident_id": "INC-2024-001", "severity": "P2", … }`. */
export type IncidentReport = z.output<typeof incidentReportSchema>;

/**
 * Builds the report of `incident`. Its duration runs from opening to resolution, or to `nowMs` while it
 * is still open, in minutes rounded to one decimal.
 */
export function toIncidentReport(incident: Incident, nowMs: number): IncidentReport {
  const end = incident.resolvedAt ?? Math.max(nowMs, incident.openedAt);
  return {
    incident_id: incident.id,
    severity: incident.severity,
    service: incident.service,
    impact: incident.impact,
    root_cause: incident.rootCause ?? '',
    resolution: incident.resolution ?? '',
    duration_minutes: Math.max(0, Math.round((end - incident.openedAt) / 6_000) / 10),
    lessons_learned: [...incident.lessonsLearned],
    ...(incident.relatedChanges === undefined
      ? {}
      : {
          related_changes: incident.relatedChanges.map((r) => ({
            change_id: r.id,
            kind: r.kind,
            service: r.service,
            version: r.version ?? null,
            started_at: new Date(r.startedAt).toISOString(),
            score: r.score,
            reasons: [...r.reasons],
          })),
        }),
  };
}
