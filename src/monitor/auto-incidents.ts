import type { HealthRegistry, HealthStatusChangedEvent } from '../health/index.js';
import type { Alert, Severity } from '../incidents/index.js';
import type { CircuitBreaker } from '../resilience/index.js';
import type { SloAlertEvent, SloTracker } from '../slo/index.js';
import { describeMs, round } from './format.js';
import type { AutoIncidentOptions } from './types.js';

// Signals → alerts: SLO burn-rate alerts, breaker open/close and critical checks each become one alert
// with a stable dedup key, firing then resolved, so the responder opens one incident and resolves it.

/** An alert the monitor raises: always deduplicated by a stable key. */
export type MonitorAlert = Alert & { readonly dedupKey: string };

/** What {@link wireAutoIncidents} listens to and where it sends the alerts. */
export interface AutoIncidentSources {
  readonly service: string;
  /** The parsed `autoIncidents` option: every field set. */
  readonly auto: Required<AutoIncidentOptions>;
  readonly slos: readonly SloTracker[];
  readonly breakers: readonly CircuitBreaker<never>[];
  readonly health: HealthRegistry | undefined;
  /** Sends one alert on, with the severity its incident opens with. */
  readonly raise: (alert: MonitorAlert, severity: Severity) => void;
}

/** Subscribes to every source of automatic incidents; returns the unsubscribe functions. */
export function wireAutoIncidents(sources: AutoIncidentSources): (() => void)[] {
  const unsubscribe: (() => void)[] = [];
  for (const slo of sources.slos) {
    const state: SloFiring = { page: new Set(), ticket: new Set() };
    unsubscribe.push(slo.on('alert', (event) => onSloAlert(sources, state, event)));
  }
  for (const breaker of sources.breakers) {
    unsubscribe.push(
      breaker.on('open', (event) => onBreaker(sources, breaker.name, true, event.reason)),
      breaker.on('close', () => onBreaker(sources, breaker.name, false, 'closed')),
    );
  }
  if (sources.health !== undefined)
    unsubscribe.push(sources.health.on('statusChanged', (event) => onCheck(sources, event)));
  return unsubscribe;
}

// The burn-rate windows firing per severity: the alert fires while any window does.
interface SloFiring {
  readonly page: Set<string>;
  readonly ticket: Set<string>;
}

function onSloAlert(sources: AutoIncidentSources, state: SloFiring, event: SloAlertEvent): void {
  const severity = event.severity === 'page' ? sources.auto.sloPage : sources.auto.sloTicket;
  if (severity === false) return;
  const firingSet = event.severity === 'page' ? state.page : state.ticket;
  const wasFiring = firingSet.size > 0;
  const window = `${event.longWindowMs}/${event.shortWindowMs}`;
  if (event.firing) firingSet.add(window);
  else firingSet.delete(window);
  const firing = firingSet.size > 0;
  if (firing === wasFiring) return;
  const kind = event.severity === 'page' ? 'page' : 'ticket';
  const rate = round(event.longBurnRate, 1);
  sources.raise(
    {
      name: kind === 'page' ? 'SloErrorBudgetBurnFast' : 'SloErrorBudgetBurnSlow',
      severity: kind === 'page' ? 'critical' : 'warning',
      service: sources.service,
      summary: `SLO ${event.name} is burning its error budget at ${rate}× over ${describeMs(event.longWindowMs)} (${kind})`,
      description: `Burn rate ${rate}× over ${describeMs(event.longWindowMs)} and ${round(event.shortBurnRate, 1)}× over ${describeMs(event.shortWindowMs)}, threshold ${event.burnRate}×.`,
      dedupKey: `slo:${event.name}:${kind}`,
      labels: { slo: event.name, alert: kind },
      source: 'slo',
      status: firing ? 'firing' : 'resolved',
    },
    severity,
  );
}

function onBreaker(sources: AutoIncidentSources, name: string, open: boolean, reason: string): void {
  const severity = sources.auto.breakerOpen;
  if (severity === false) return;
  sources.raise(
    {
      name: 'CircuitBreakerOpen',
      severity: 'warning',
      service: sources.service,
      summary: open
        ? `Circuit breaker ${name} opened (${reason}): calls to its dependency are refused`
        : `Circuit breaker ${name} closed`,
      dedupKey: `breaker:${name}`,
      labels: { breaker: name },
      source: 'breaker',
      status: open ? 'firing' : 'resolved',
    },
    severity,
  );
}

function onCheck(sources: AutoIncidentSources, event: HealthStatusChangedEvent): void {
  const severity = sources.auto.criticalCheckFail;
  if (severity === false || !event.result.critical) return;
  const failing = event.status === 'fail';
  if (!failing && event.previous !== 'fail') return;
  sources.raise(
    {
      name: 'CriticalHealthCheckFailing',
      severity: 'critical',
      service: sources.service,
      summary: failing
        ? `Critical health check ${event.name} is failing${event.result.output === undefined ? '' : `: ${event.result.output}`}`
        : `Critical health check ${event.name} passes again`,
      dedupKey: `check:${event.name}`,
      labels: { check: event.name },
      source: 'health',
      status: failing ? 'firing' : 'resolved',
    },
    severity,
  );
}
