// Alertmanager's webhook format (version 4), both ways: `fromAlertmanagerWebhook` lets a fleet's
// Alertmanager feed the responder, and the webhook notifier sends the same format, so any receiver
// written for Alertmanager accepts sre-kit's notifications.
import { z } from 'zod';
import { ErrorCode, SreError } from '../core/index.js';
import type { Alert } from './alert.js';
import type { Notification } from './notifier.js';
import type { AlertSeverity } from './severity.js';

const labelSet = z.record(z.string(), z.string());

const webhookAlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']).optional(),
  labels: labelSet,
  annotations: labelSet.optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

/** The body Alertmanager POSTs to a webhook receiver (version 4); unknown fields are allowed. */
export const alertmanagerWebhookSchema = z.looseObject({
  version: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  receiver: z.string().optional(),
  groupLabels: labelSet.optional(),
  commonLabels: labelSet.optional(),
  commonAnnotations: labelSet.optional(),
  externalURL: z.string().optional(),
  alerts: z.array(webhookAlertSchema),
});

/** Alertmanager's webhook body. */
export type AlertmanagerWebhook = z.output<typeof alertmanagerWebhookSchema>;

// The body with its alerts left unread: each is read on its own, so one bad alert is skipped alone.
const envelopeSchema = alertmanagerWebhookSchema.extend({ alerts: z.array(z.unknown()) });

/** An alert of a webhook body that could not be read, and why. */
export interface SkippedAlertmanagerAlert {
  /** Its position in the body's `alerts`. */
  readonly index: number;
  /** Its `fingerprint`, when it has a readable one. */
  readonly fingerprint?: string;
  /** What is wrong with it: the field and the problem, e.g. `labels.count: expected string, …`. */
  readonly reason: string;
}

/** What {@link fromAlertmanagerWebhook} read from a webhook body. */
export interface AlertmanagerWebhookAlerts {
  /** The alerts read, in the body's order; each is a valid {@link Alert}. */
  readonly alerts: Alert[];
  /** The alerts that could not be read (a label value that is not a string, an unknown status, …). */
  readonly skipped: SkippedAlertmanagerAlert[];
}

const CRITICAL = new Set(['critical', 'page', 'error', 'high', 'major', 'p1', 'p2']);
const INFO = new Set(['info', 'informational', 'low', 'none', 'p4', 'p5']);
// Alertmanager sends this for "not ended yet".
const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Turns Alertmanager's webhook body into alerts. `alertname` becomes the name; `severity` is normalized
 * (critical/page/error/high → critical, info/low/none → info, anything else → warning); the service is
 * the `service`, `job` or `app` label; the summary is the `summary` (else `description`) annotation; the
 * fingerprint becomes the dedup key; the remaining labels are kept.
 *
 * A label or annotation whose value is empty counts as absent, as in Prometheus's data model, so it
 * takes the default: an alert without `alertname` is named `unnamed` (a page is never dropped for a
 * missing name), one without `service`, `job` or `app` belongs to `unknown`, and the summary falls back
 * to the name. Every alert returned is therefore one the responder and router accept. An alert that
 * cannot be read at all is skipped, with its index and the reason, and the rest of the batch is read.
 *
 * @example
 * ```ts
 * app.post('/alertmanager', express.json(), async (req, res) => {
 *   const { alerts, skipped } = fromAlertmanagerWebhook(req.body);
 *   for (const alert of alerts) await responder.handle(alert);
 *   res.status(200).json({ accepted: alerts.length, skipped });
 * });
 * ```
 * @throws {SreError} `ERR_SRE_INVALID_INPUT` naming the first bad field when the body is not one.
 */
export function fromAlertmanagerWebhook(body: unknown): AlertmanagerWebhookAlerts {
  const result = envelopeSchema.safeParse(body);
  if (!result.success) {
    throw new SreError(
      ErrorCode.INVALID_INPUT,
      `Not an Alertmanager webhook body: ${describeIssue(result.error, '(body)')}`,
    );
  }
  const webhook = result.data;
  const alerts: Alert[] = [];
  const skipped: SkippedAlertmanagerAlert[] = [];
  webhook.alerts.forEach((raw, index) => {
    const entry = webhookAlertSchema.safeParse(raw);
    if (entry.success) {
      alerts.push(toAlert(webhook, entry.data));
      return;
    }
    const fingerprint = (raw as { fingerprint?: unknown } | null)?.fingerprint;
    skipped.push({
      index,
      ...(typeof fingerprint === 'string' && fingerprint !== '' ? { fingerprint } : {}),
      reason: describeIssue(entry.error, '(alert)'),
    });
  });
  return { alerts, skipped };
}

function toAlert(
  webhook: z.output<typeof envelopeSchema>,
  entry: z.output<typeof webhookAlertSchema>,
): Alert {
  const { alertname, severity, service, ...labels } = { ...webhook.commonLabels, ...entry.labels };
  const annotations = { ...webhook.commonAnnotations, ...entry.annotations };
  const name = present(alertname) ?? 'unnamed';
  const description = present(annotations.description);
  const summary = present(annotations.summary) ?? description ?? name;
  const status = entry.status ?? webhook.status ?? 'firing';
  const startsAt = parseTime(entry.startsAt);
  const endsAt = entry.endsAt === ZERO_TIME ? undefined : parseTime(entry.endsAt);
  return {
    name,
    severity: normalizeSeverity(present(severity)),
    service: present(service) ?? present(labels.job) ?? present(labels.app) ?? 'unknown',
    summary,
    labels,
    status,
    source: 'alertmanager',
    ...(entry.fingerprint === undefined || entry.fingerprint === '' ? {} : { dedupKey: entry.fingerprint }),
    ...(description === undefined || description === summary ? {} : { description }),
    ...(startsAt === undefined ? {} : { startsAt }),
    ...(endsAt === undefined || status !== 'resolved' ? {} : { endsAt }),
    ...(entry.generatorURL === undefined || entry.generatorURL === ''
      ? {}
      : { generatorUrl: entry.generatorURL }),
  } satisfies Alert;
}

// In Prometheus's data model an empty label value is the same as no label.
function present(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

function describeIssue(error: z.ZodError, whole: string): string {
  const issue = error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? whole : issue.path.map(String).join('.');
  return `${where}: ${issue?.message ?? 'invalid'}`;
}

/** Renders a notification as Alertmanager's webhook body (what {@link webhookNotifier} sends). */
export function toAlertmanagerWebhook(notification: Notification, nowMs: number): AlertmanagerWebhook {
  const annotationsOf = (alert: Notification['alerts'][number]): Record<string, string> => ({
    summary: alert.summary,
    ...(alert.description === undefined ? {} : { description: alert.description }),
  });
  const alerts = notification.alerts.map((alert) => ({
    status: alert.status,
    labels: { ...alert.labels, alertname: alert.name, severity: alert.severity, service: alert.service },
    annotations: annotationsOf(alert),
    startsAt: new Date(alert.startsAt).toISOString(),
    endsAt: alert.status === 'resolved' ? new Date(alert.endsAt ?? nowMs).toISOString() : ZERO_TIME,
    generatorURL: alert.generatorUrl ?? '',
    fingerprint: alert.dedupKey,
  }));
  const commonAnnotations = common(alerts.map((alert) => alert.annotations));
  return {
    version: '4',
    groupKey: notification.groupKey,
    truncatedAlerts: 0,
    status: notification.status,
    receiver: notification.receiver,
    groupLabels: { ...notification.groupLabels },
    commonLabels: { ...notification.commonLabels },
    commonAnnotations,
    externalURL: '',
    alerts,
  };
}

/** The label pairs every set shares. */
export function common(sets: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  const [first, ...rest] = sets;
  if (first === undefined) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(first)) {
    if (rest.every((set) => set[name] === value)) out[name] = value;
  }
  return out;
}

function normalizeSeverity(value: string | undefined): AlertSeverity {
  const v = value?.toLowerCase();
  if (v === undefined) return 'warning';
  if (CRITICAL.has(v)) return 'critical';
  if (INFO.has(v)) return 'info';
  return 'warning';
}

function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) || ms <= 0 ? undefined : ms;
}
