import { z } from 'zod';

// The shape of `GET <path>/summary.json`: Atlassian Statuspage's `/api/v2/summary.json` (page,
// components, incidents with their updates, scheduled maintenances, status), every field sre-kit emits,
// plus an `x_sre` extension with daily uptime and latency percentiles. A Statuspage client reads it
// as it reads any hosted page; it ignores `x_sre`.

const iso = z.iso.datetime({ offset: true });
const componentStatus = z.enum([
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
]);
const ms = z.number().min(0);
const ratio = z.number().min(0).max(1);

/** A component (or a group, with `group: true` and its members' ids in `components`). */
export const statusComponentSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  status: componentStatus,
  created_at: iso,
  updated_at: iso,
  position: z.number().int().min(1),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z.string().nullable(),
  group_id: z.string().nullable(),
  page_id: z.string(),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
  components: z.array(z.string()).optional(),
});

/** One public update of an incident. */
export const statusIncidentUpdateSchema = z.strictObject({
  id: z.string().min(1),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']),
  body: z.string(),
  incident_id: z.string(),
  created_at: iso,
  updated_at: iso,
  display_at: iso,
  affected_components: z.array(
    z.strictObject({
      code: z.string(),
      name: z.string(),
      old_status: componentStatus,
      new_status: componentStatus,
    }),
  ),
  deliver_notifications: z.boolean(),
  custom_tweet: z.null(),
  tweet_id: z.null(),
});

/** An unresolved incident. */
export const statusIncidentSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']),
  created_at: iso,
  updated_at: iso,
  monitoring_at: iso.nullable(),
  resolved_at: iso.nullable(),
  impact: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  shortlink: z.string(),
  started_at: iso,
  page_id: z.string(),
  incident_updates: z.array(statusIncidentUpdateSchema),
  components: z.array(statusComponentSchema),
});

/** A scheduled maintenance, upcoming or in progress. */
export const statusMaintenanceSchema = statusIncidentSchema.extend({
  status: z.enum(['scheduled', 'in_progress', 'verifying', 'completed']),
  impact: z.literal('maintenance'),
  scheduled_for: iso,
  scheduled_until: iso,
  incident_updates: z.array(
    statusIncidentUpdateSchema.extend({
      status: z.enum(['scheduled', 'in_progress', 'verifying', 'completed']),
    }),
  ),
});

const latency = z.strictObject({
  count: z.number().min(0),
  p50_ms: z.number().min(0).nullable(),
  p99_ms: z.number().min(0).nullable(),
});

/** One day of a component's uptime in the `x_sre` extension. */
export const statusUptimeDaySchema = z.strictObject({
  date: z.iso.date(),
  /** (observed − major − 0.3 × partial) / observed; `null` when not observed. */
  uptime: ratio.nullable(),
  observed_ms: ms,
  degraded_ms: ms,
  partial_ms: ms,
  major_ms: ms,
  maintenance_ms: ms,
});

/** sre-kit's extension: the evidence behind the page. */
export const statusExtensionSchema = z.strictObject({
  /** When the monitor last evaluated; `null` before its first evaluation. */
  evaluated_at: iso.nullable(),
  uptime_days: z.number().int().min(1).max(90),
  /** How a day's uptime is computed. */
  uptime_formula: z.string(),
  components: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      uptime: z.strictObject({ ratio: ratio.nullable(), up_ms: ms, observed_ms: ms }),
      days: z.array(statusUptimeDaySchema),
      /** The monitor's sources behind it, only with `exposeDetails`. */
      sources: z
        .array(
          z.strictObject({
            key: z.string(),
            status: componentStatus,
            since: iso,
            reason: z.string(),
            detail: z.string().optional(),
          }),
        )
        .optional(),
    }),
  ),
  latency: z.strictObject({
    last_24h: latency,
    days: z.array(latency.extend({ date: z.iso.date() })),
  }),
});

/** The whole `summary.json`. */
export const statusSummarySchema = z.strictObject({
  page: z.strictObject({
    id: z.string().min(1),
    name: z.string().min(1),
    url: z.string(),
    time_zone: z.literal('Etc/UTC'),
    updated_at: iso,
  }),
  components: z.array(statusComponentSchema),
  incidents: z.array(statusIncidentSchema),
  scheduled_maintenances: z.array(statusMaintenanceSchema),
  status: z.strictObject({
    indicator: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
    description: z.string(),
  }),
  x_sre: statusExtensionSchema,
});

/** `summary.json` as parsed. */
export type StatusSummary = z.infer<typeof statusSummarySchema>;
