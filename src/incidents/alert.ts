import { ErrorCode, SreError } from '../core/index.js';
import { isSeverity, severityOfAlert, type AlertSeverity, type Severity } from './severity.js';

/** An alert: a signal that something is wrong (or, with `status: 'resolved'`, no longer is). */
export interface Alert {
  /** The alerting rule's name (Alertmanager's `alertname`), e.g. `HighErrorRate`. */
  readonly name: string;
  readonly severity: AlertSeverity;
  /** The service it concerns. */
  readonly service: string;
  /** One line for a human, e.g. `5xx ratio 12% on /checkout`. */
  readonly summary: string;
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Alerts with the same key are the same problem. When absent it is derived from the name, service and
   * labels (see {@link alertKey}).
   */
  readonly dedupKey?: string;
  /** @default 'firing' */
  readonly status?: 'firing' | 'resolved';
  /** Longer text, e.g. Alertmanager's `description` annotation. */
  readonly description?: string;
  /** What raised it, e.g. `alertmanager`, `slo`. */
  readonly source?: string;
  /** When it started firing, epoch ms. */
  readonly startsAt?: number;
  /** When it stopped, epoch ms (resolved alerts). */
  readonly endsAt?: number;
  /** A link back to the rule or graph that raised it. */
  readonly generatorUrl?: string;
}

/**
 * The identity of an alert: its `dedupKey`, else `<name>/<service>/<hash of its sorted labels>` so the
 * same rule firing for the same labels always yields the same key (and one PagerDuty incident).
 */
export function alertKey(alert: Alert): string {
  if (alert.dedupKey !== undefined) return alert.dedupKey;
  const labels = alert.labels ?? {};
  const names = Object.keys(labels).sort();
  let text = '';
  for (const name of names) text += `${name}\u0000${labels[name]}\u0000`;
  return `${alert.name}/${alert.service}/${fnv1a(text)}`;
}

/**
 * The incident severity for an alert: its `priority` label when that is `P1`…`P5`, else critical P2,
 * warning P3, info P4.
 */
export function incidentSeverityOf(alert: Alert): Severity {
  const priority = alert.labels?.priority;
  return isSeverity(priority) ? priority : severityOfAlert(alert.severity);
}

/** The labels an alert is matched and grouped on: its own, plus `alertname`, `severity` and `service`. */
export function alertLabels(alert: Alert): Record<string, string> {
  return { ...alert.labels, alertname: alert.name, severity: alert.severity, service: alert.service };
}

/**
 * Checks an alert's shape (cold paths only: the responder and the router entry).
 * @throws {SreError} `ERR_SRE_INVALID_INPUT` naming the bad field.
 */
export function checkAlert(alert: Alert): void {
  const fail = (message: string): never => {
    throw new SreError(ErrorCode.INVALID_INPUT, `Invalid alert: ${message}`);
  };
  if (typeof alert !== 'object' || alert === null) fail('expected an object');
  if (typeof alert.name !== 'string' || alert.name === '') fail('name must be a non-empty string');
  if (alert.severity !== 'critical' && alert.severity !== 'warning' && alert.severity !== 'info') {
    fail(`severity must be critical, warning or info, received ${String(alert.severity)}`);
  }
  if (typeof alert.service !== 'string' || alert.service === '') fail('service must be a non-empty string');
  if (typeof alert.summary !== 'string') fail('summary must be a string');
  if (alert.status !== undefined && alert.status !== 'firing' && alert.status !== 'resolved') {
    fail(`status must be firing or resolved, received ${String(alert.status)}`);
  }
  if (alert.dedupKey !== undefined && (typeof alert.dedupKey !== 'string' || alert.dedupKey === '')) {
    fail('dedupKey must be a non-empty string');
  }
  if (alert.labels !== undefined) {
    if (typeof alert.labels !== 'object' || alert.labels === null) fail('labels must be an object');
    for (const [name, value] of Object.entries(alert.labels)) {
      if (typeof value !== 'string') fail(`labels.${name} must be a string`);
    }
  }
}

// 32-bit FNV-1a, hex: short, stable across processes and versions, not a security boundary.
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
