import { z } from 'zod';

// A drill's journal: what was checked, injected and seen, and the verdict, after Chaos Toolkit's journal
// (steady state before and after, the method's runs, rollbacks, a run marked deviated). Plain JSON:
// times are ISO-8601 strings, durations milliseconds.

const isoTime = z.iso.datetime({ offset: true });
const ms = z.number().min(0);
const scalar = z.union([z.number(), z.string(), z.boolean()]);

/** The schema of one steady-state probe's reading. */
export const drillProbeResultSchema = z.object({
  /** The probe: its `signal` (`breaker:payments`) or its `name`. */
  name: z.string(),
  /** What it read, or `null` when it could not (see `error`) or there was nothing to read (no events). */
  value: scalar.nullable(),
  /** The tolerance it was held to: `>= 0.999`, `== closed`. */
  tolerance: z.string(),
  met: z.boolean(),
  error: z.string().nullable(),
});

/** The schema of a steady-state check: every probe, and whether all were met. */
export const drillSteadyStateSchema = z.object({
  at: isoTime,
  met: z.boolean(),
  probes: z.array(drillProbeResultSchema),
});

/** The schema of one injection as it happened. */
export const drillInjectionResultSchema = z.object({
  name: z.string(),
  errorRate: z.number().min(0).max(1).nullable(),
  latencyMs: z.union([ms, z.object({ min: ms, max: ms })]).nullable(),
  /** When it was switched on and off; `null` when the drill ended before it started. */
  startedAt: isoTime.nullable(),
  endedAt: isoTime.nullable(),
  durationMs: ms,
});

/** The schema of an alert a drill saw fire. */
export const drillAlertSchema = z.object({
  /** The alert's identity: the monitor's `breaker:payments`, `slo:availability:page`, … */
  key: z.string(),
  name: z.string(),
  severity: z.enum(['critical', 'warning', 'info']),
  firstSeenAt: isoTime,
  /** The maintenance window that silenced it, or `null` (delivered). */
  silencedBy: z.string().nullable(),
});

/** The schema of an incident opened during a drill. */
export const drillIncidentSchema = z.object({
  id: z.string(),
  severity: z.enum(['P1', 'P2', 'P3', 'P4', 'P5']),
  title: z.string(),
  dedupKey: z.string().nullable(),
  openedAt: isoTime,
});

/** The schema of a backup drill's restore and integrity checks. */
export const drillBackupSchema = z.object({
  restore: z.object({ ok: z.boolean(), durationMs: ms, error: z.string().nullable() }),
  checks: z.array(
    z.object({ name: z.string(), expected: scalar, actual: scalar.nullable(), ok: z.boolean() }),
  ),
});

/** The verdict of a drill run. */
export const drillVerdictSchema = z.enum(['passed', 'deviated', 'aborted']);

/**
 * The schema of a drill's journal: the steady state before and after, the injections, the alerts and
 * incidents expected and seen, time to detect and to recover, how it ended and why. `passed`: every
 * expectation met; `deviated`: the system did not behave as expected (each way listed in `reasons`);
 * `aborted`: stopped early (a steady state not met before, an `abortWhen` condition, an open P1), its
 * rollback run.
 */
export const drillJournalSchema = z.object({
  /** `<drill>@<startedAt>`. */
  id: z.string(),
  drill: z.string(),
  kind: z.enum(['chaos', 'backup']),
  service: z.string(),
  description: z.string(),
  startedAt: isoTime,
  endedAt: isoTime,
  durationMs: ms,
  verdict: drillVerdictSchema,
  /** Why, one sentence each: every deviation, or why it aborted; empty when it passed. */
  reasons: z.array(z.string()),
  steadyState: z.object({
    before: drillSteadyStateSchema.nullable(),
    after: drillSteadyStateSchema.nullable(),
  }),
  injections: z.array(drillInjectionResultSchema),
  expected: z.object({
    alerts: z.array(z.string()),
    incidents: z.array(z.string()),
    recoveredWithinMs: ms.nullable(),
  }),
  actual: z.object({ alerts: z.array(drillAlertSchema), incidents: z.array(drillIncidentSchema) }),
  missing: z.object({ alerts: z.array(z.string()), incidents: z.array(z.string()) }),
  /** From the first injection to the first expected alert (or incident) seen; `null` when none was. */
  timeToDetectMs: ms.nullable(),
  /**
   * From the first injection to the steady state holding again after it broke; `null` when it never
   * broke or never came back.
   */
  timeToRecoverMs: ms.nullable(),
  abort: z.object({ reason: z.string(), at: isoTime }).nullable(),
  rollback: z.object({
    ran: z.boolean(),
    ok: z.boolean().nullable(),
    error: z.string().nullable(),
    at: isoTime.nullable(),
  }),
  /** The maintenance window the drill opened to keep its bad events out of SLO budgets, or `null`. */
  maintenanceWindow: z.string().nullable(),
  backup: drillBackupSchema.nullable(),
});

/** A drill's journal (see {@link drillJournalSchema}). */
export type DrillJournal = z.infer<typeof drillJournalSchema>;
/** A drill's verdict. */
export type DrillVerdict = z.infer<typeof drillVerdictSchema>;
/** One steady-state check in a journal. */
export type DrillSteadyState = z.infer<typeof drillSteadyStateSchema>;
/** One probe reading in a journal. */
export type DrillProbeResult = z.infer<typeof drillProbeResultSchema>;
/** One injection in a journal. */
export type DrillInjectionResult = z.infer<typeof drillInjectionResultSchema>;
/** One alert seen in a journal. */
export type DrillAlert = z.infer<typeof drillAlertSchema>;
/** One incident seen in a journal. */
export type DrillIncident = z.infer<typeof drillIncidentSchema>;
/** A backup drill's restore and checks in a journal. */
export type DrillBackup = z.infer<typeof drillBackupSchema>;

/** An ISO-8601 time of epoch ms. */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** A journal's text cut to a readable length. */
export function clip(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** An error as one line for a journal. */
export function errorText(error: unknown): string {
  try {
    return clip(error instanceof Error ? error.message : String(error));
  } catch {
    return 'an unreadable error';
  }
}
