// The public surface of the incidents primitive.
export {
  SEVERITIES,
  alertSeverityOf,
  pagerDutySeverityOf,
  severityOfAlert,
  isSeverity,
  type Severity,
  type AlertSeverity,
  type PagerDutySeverity,
} from './severity.js';
export type { Incident, IncidentStatus, RelatedChange, TimelineEntry, TimelineKind } from './incident.js';
export type { IncidentChanges, IncidentRecord } from './records.js';
export type { IncidentStore } from './store.js';
export {
  createMemoryIncidentStore,
  type MemoryIncidentStore,
  type MemoryIncidentStoreOptions,
} from './memory-store.js';
export { createFileIncidentStore, type FileIncidentStoreOptions } from './file-store.js';
export { readIncidentLog, type IncidentLogContents } from './read-log.js';
export { resolutionAsOf, type IncidentMetrics, type IncidentWindow } from './metrics.js';
export { incidentReportSchema, relatedChangeReportSchema, type IncidentReport } from './report.js';
export {
  createIncidentRecorder,
  type IncidentRecorder,
  type IncidentRecorderOptions,
  type IncidentRecorderEvents,
  type IncidentFilter,
  type OpenIncidentInput,
  type ResolveIncidentInput,
  type TriggerAction,
  type TriggerResult,
} from './recorder.js';
export { alertKey, alertLabels, incidentSeverityOf, type Alert } from './alert.js';
export { parseMatcher, type LabelMatcher } from './matchers.js';
export {
  createResponder,
  type Responder,
  type ResponderOptions,
  type HandleAlertOptions,
  type AlertRecorded,
  type ResponseResult,
  type ResponseNotice,
  type Runbook,
  type RunbookContext,
  type Diagnosis,
  type EscalationContext,
  type EscalationReason,
} from './responder.js';
export {
  createAlertRouter,
  type AlertRouter,
  type AlertRouterOptions,
  type AlertRoute,
  type AlertRouterEvents,
  type AlertRouterStats,
  type AlertSilence,
  type AlertSilencer,
  type SilencedAlert,
} from './alert-router.js';
export type { Notifier, Notification, NotifiedAlert } from './notifier.js';
export {
  DeliveryError,
  type DeliveryExecutor,
  type DeliveryRetryOptions,
  type FetchLike,
} from './http-delivery.js';
export {
  pagerDutyNotifier,
  pagerDutyEventSchema,
  type PagerDutyNotifier,
  type PagerDutyNotifierOptions,
  type PagerDutyEvent,
  type PagerDutyTrigger,
  type HttpNotifierDeps,
} from './pagerduty-notifier.js';
export { webhookNotifier, type WebhookNotifierOptions } from './webhook-notifier.js';
export { slackNotifier, type SlackNotifierOptions } from './slack-notifier.js';
export { logNotifier, type NotifierLogger } from './log-notifier.js';
export {
  fromAlertmanagerWebhook,
  alertmanagerWebhookSchema,
  type AlertmanagerWebhook,
  type AlertmanagerWebhookAlerts,
  type SkippedAlertmanagerAlert,
} from './alertmanager.js';
