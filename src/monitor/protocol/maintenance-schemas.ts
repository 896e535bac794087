import { z } from 'zod';
import { drillJournalSchema } from '../../drills/index.js';
import { AGENT_NAME, MAX_RECENT_DRILLS } from './constants.js';
import { requestEnvelope as envelope, requestNameSchema as name } from './envelope.js';

// The agent's maintenance and drill actions: `maintenance_windows` (list the windows, or add one),
// `run_drill` (run a registered drill by name; refused while a P1 is open) and `drill_report` (the
// journals of past runs). Requests are snake_case and strict like the others; results camelCase.

const isoTime = z.iso.datetime({ offset: true });
const fieldEntry = z.union([z.number(), z.string().min(1).max(32)]);

/** The schema of a window to add through `maintenance_windows`: the calendar's window, in snake_case. */
export const agentMaintenanceWindowInputSchema = z.strictObject({
  id: name,
  title: z.string().min(1).max(256),
  matchers: z.array(z.string().max(512)).min(1).max(32),
  /** ISO-8601 with its offset. Required for a one-off window. */
  start: isoTime.optional(),
  end: isoTime.optional(),
  recurring: z
    .strictObject({
      weekdays: z.array(z.string().min(1).max(32)).min(1).max(7).optional(),
      times: z
        .array(z.strictObject({ start: z.string().max(5), end: z.string().max(5) }))
        .min(1)
        .max(24)
        .optional(),
      days_of_month: z.array(fieldEntry).min(1).max(62).optional(),
      months: z.array(fieldEntry).min(1).max(12).optional(),
      years: z.array(fieldEntry).min(1).max(100).optional(),
      time_zone: z.string().min(1).max(64).optional(),
    })
    .optional(),
  silence: z.boolean().optional(),
  exclude_from_slo: z.union([z.boolean(), z.array(name).min(1).max(64)]).optional(),
  created_by: z.string().min(1).max(128),
  comment: z.string().max(1_024).optional(),
});

/**
 * The schema of a `maintenance_windows` request: `operation: 'list'` (the default) lists every window
 * and which are open at `at` (default now); `operation: 'add'` adds `window` and lists them after.
 */
export const agentMaintenanceWindowsRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('maintenance_windows'),
    operation: z.enum(['list', 'add']).default('list'),
    at: isoTime.optional(),
    window: agentMaintenanceWindowInputSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.operation === 'add' && value.window === undefined)
      ctx.addIssue({ code: 'custom', path: ['window'], message: "the window to add (operation 'add')" });
    if (value.operation === 'list' && value.window !== undefined)
      ctx.addIssue({ code: 'custom', path: ['window'], message: "only with operation 'add'" });
  })
  .describe(
    "Maintenance windows: with operation 'list' (the default) every window and whether it is open at `at` (default now), with the span it is in or will next be in; with operation 'add', adds `window` (one-off or recurring, its matchers, whether it silences alerts and excludes SLO events) and lists them after. Changes state (for its add operation).",
  );

/** The schema of a `run_drill` request: the registered drill's name. */
export const agentRunDrillRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('run_drill'),
    name,
  })
  .describe(
    'Run a registered drill by name (a chaos drill injects its faults and checks the steady state, a backup drill restores and verifies), answered with its journal: each step, the verdict and why. Refused while a P1 incident is open or the drill is already running. Changes state.',
  );

/** The schema of a `drill_report` request: one drill's journals by `name`, or every drill's; the `recent` most recent (default 10). */
export const agentDrillReportRequestSchema = z
  .strictObject({
    ...envelope,
    action: z.literal('drill_report'),
    name: name.optional(),
    recent: z.number().int().min(1).max(MAX_RECENT_DRILLS).optional(),
  })
  .describe(
    'The drills registered (chaos or backup, running or not) and the journals of past runs, most recent first: one drill by name or all of them, the recent most recent (10 unless recent says otherwise).',
  );

/** The schema of one window in a `maintenance_windows` result. */
export const maintenanceWindowReportSchema = z.object({
  id: z.string(),
  title: z.string(),
  matchers: z.array(z.string()),
  /** When a one-off window opens (or a recurring one's occurrences may begin); `null`: from when it was added. */
  start: isoTime.nullable(),
  /** When it closes (or its occurrences stop); `null`: never. */
  end: isoTime.nullable(),
  /** The recurrence as written, or `null` for a one-off window. */
  recurring: z
    .object({
      weekdays: z.array(z.string()).optional(),
      times: z.array(z.string()),
      daysOfMonth: z.array(z.string()).optional(),
      months: z.array(z.string()).optional(),
      years: z.array(z.string()).optional(),
      timeZone: z.string(),
    })
    .nullable(),
  silence: z.boolean(),
  excludeFromSlo: z.union([z.boolean(), z.array(z.string())]),
  createdBy: z.string(),
  comment: z.string(),
  createdAt: isoTime,
  /** Whether it is open at the time asked about, and the span it is in or will next be in. */
  open: z.boolean(),
  opensAt: isoTime.nullable(),
  closesAt: isoTime.nullable(),
});

/** The schema of a `maintenance_windows` result. */
export const maintenanceWindowsResultSchema = z.object({
  /** The time `open` is about. */
  at: isoTime,
  windows: z.array(maintenanceWindowReportSchema),
  /** The id of the window added, for `operation: 'add'`; otherwise `null`. */
  added: z.string().nullable(),
});

/** The schema of a `drill_report` result: the drills registered, and journals, most recent first. */
export const drillReportResultSchema = z.object({
  drills: z.array(z.object({ name: z.string(), kind: z.enum(['chaos', 'backup']), running: z.boolean() })),
  journals: z.array(drillJournalSchema),
});

function success<A extends string, R extends z.ZodType>(action: A, result: R) {
  return z.object({
    ok: z.literal(true),
    agent: z.literal(AGENT_NAME),
    action: z.literal(action),
    requestId: z.union([z.string(), z.number()]).optional(),
    result,
  });
}

/** The schema of a successful `maintenance_windows` response. */
export const agentMaintenanceWindowsResponseSchema = success(
  'maintenance_windows',
  maintenanceWindowsResultSchema,
);
/** The schema of a successful `run_drill` response: the run's journal. */
export const agentRunDrillResponseSchema = success('run_drill', drillJournalSchema);
/** The schema of a successful `drill_report` response. */
export const agentDrillReportResponseSchema = success('drill_report', drillReportResultSchema);

/** A validated `maintenance_windows` request. */
export type AgentMaintenanceWindowsRequest = z.output<typeof agentMaintenanceWindowsRequestSchema>;
/** A validated `run_drill` request. */
export type AgentRunDrillRequest = z.output<typeof agentRunDrillRequestSchema>;
/** A validated `drill_report` request. */
export type AgentDrillReportRequest = z.output<typeof agentDrillReportRequestSchema>;
/** One window in a `maintenance_windows` result. */
export type MaintenanceWindowReport = z.output<typeof maintenanceWindowReportSchema>;
/** A `maintenance_windows` result. */
export type MaintenanceWindowsResult = z.output<typeof maintenanceWindowsResultSchema>;
/** A `drill_report` result. */
export type DrillReportResult = z.output<typeof drillReportResultSchema>;
/** A successful `maintenance_windows` response. */
export type AgentMaintenanceWindowsResponse = z.output<typeof agentMaintenanceWindowsResponseSchema>;
/** A successful `run_drill` response. */
export type AgentRunDrillResponse = z.output<typeof agentRunDrillResponseSchema>;
/** A successful `drill_report` response. */
export type AgentDrillReportResponse = z.output<typeof agentDrillReportResponseSchema>;
