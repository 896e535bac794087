/**
 * An incident's severity, P1 (worst) to P5.
 *
 * | severity | meaning                                                                 | alert    | PagerDuty |
 * | -------- | ----------------------------------------------------------------------- | -------- | --------- |
 * | `P1`     | critical: the service is down or losing data for most users; all hands  | critical | critical  |
 * | `P2`     | major: a core function is failing or badly degraded for many users       | critical | error     |
 * | `P3`     | minor: partial degradation or a workaround exists; fix in working hours | warning  | warning   |
 * | `P4`     | low: little user impact, e.g. a redundant component lost                | info     | info      |
 * | `P5`     | informational: a near miss or cosmetic problem, tracked for follow-up   | info     | info      |
 */
export type Severity = 'P1' | 'P2' | 'P3' | 'P4' | 'P5';

/** Every severity, worst first. */
export const SEVERITIES: readonly Severity[] = Object.freeze(['P1', 'P2', 'P3', 'P4', 'P5']);

/** An alert's severity, as Alertmanager and most alerting rules spell it. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** The severities PagerDuty's Events API v2 accepts in `payload.severity`. */
export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

const TO_ALERT: Readonly<Record<Severity, AlertSeverity>> = Object.freeze({
  P1: 'critical',
  P2: 'critical',
  P3: 'warning',
  P4: 'info',
  P5: 'info',
});

const TO_PAGERDUTY: Readonly<Record<Severity, PagerDutySeverity>> = Object.freeze({
  P1: 'critical',
  P2: 'error',
  P3: 'warning',
  P4: 'info',
  P5: 'info',
});

// The reverse mapping is many-to-one, so an alert becomes the milder of the severities that map to it:
// a critical alert is a P2 until someone (or the alert's `priority` label) says it is a P1.
const FROM_ALERT: Readonly<Record<AlertSeverity, Severity>> = Object.freeze({
  critical: 'P2',
  warning: 'P3',
  info: 'P4',
});

/** Maps an incident severity to an alert severity: P1–P2 critical (page), P3 warning, P4–P5 info. */
export function alertSeverityOf(severity: Severity): AlertSeverity {
  return TO_ALERT[severity];
}

/** Maps an incident severity to PagerDuty's: P1 critical, P2 error, P3 warning, P4–P5 info. */
export function pagerDutySeverityOf(severity: Severity): PagerDutySeverity {
  return TO_PAGERDUTY[severity];
}

/** Maps an alert severity to an incident severity: critical P2, warning P3, info P4. */
export function severityOfAlert(severity: AlertSeverity): Severity {
  return FROM_ALERT[severity];
}

/** Whether `value` is one of `P1`…`P5`. */
export function isSeverity(value: unknown): value is Severity {
  return value === 'P1' || value === 'P2' || value === 'P3' || value === 'P4' || value === 'P5';
}

/** Whether severity `a` is worse than `b` (P1 is the worst). */
export function isWorseSeverity(a: Severity, b: Severity): boolean {
  return a < b;
}
