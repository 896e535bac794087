import type { InternalErrorHandler } from '../core/index.js';
import type { AlertRouter } from '../incidents/index.js';
import { MAINTENANCE_SOURCE, type MaintenanceCalendar } from '../maintenance/index.js';
import type { MonitorAlert } from './incident-conditions.js';

// The monitor's side of maintenance windows (the router's side is its silencer):
// - an automatic incident is not opened while a silencing window covers its alert (PagerDuty's
//   maintenance windows: no incidents, no notifications). The alert still goes to the router once,
//   which silences and records it. If the problem outlives the window, the incident opens at the first
//   evaluation after it closes, and pages then;
// - a window about to close while alerts it silences still fire raises a reminder (an alert of its
//   own, never silenced), once per span; it resolves when the span has closed.

/** A condition held back by a window. */
export interface HeldCondition {
  readonly key: string;
  readonly window: string;
  /** When it was first held, epoch ms. */
  readonly since: number;
  readonly alert: MonitorAlert;
}

/** What {@link MaintenanceGate} needs. */
export interface MaintenanceGateOptions {
  readonly calendar: MaintenanceCalendar;
  readonly alerts: AlertRouter;
  readonly service: string;
  /** How long before a window closes its reminder is raised. */
  readonly reminderMs: number;
  readonly onError: InternalErrorHandler;
  readonly source: string;
}

/** The most conditions held at once (the monitor's sources are bounded well below it). */
const MAX_HELD = 2_048;
/** Alert keys a reminder names. */
const MAX_NAMED = 5;

/** Holds automatic incidents during maintenance and reminds before a window closes on firing alerts. */
export class MaintenanceGate {
  readonly #options: MaintenanceGateOptions;
  readonly #held = new Map<string, HeldCondition>();
  readonly #reminders = new Map<string, { readonly endsAt: number; readonly alert: MonitorAlert }>();

  constructor(options: MaintenanceGateOptions) {
    this.#options = options;
  }

  /**
   * Whether the incident of `key` is held back now, its alert being covered by a silencing window.
   * The first time, its firing alert goes to the router (which silences and records it).
   */
  hold(key: string, alert: MonitorAlert, now: number): boolean {
    let open;
    try {
      open = this.#options.calendar.silencing(alert, now);
    } catch (error) {
      this.#options.onError(error, { source: this.#options.source, task: 'maintenance calendar' });
    }
    if (open === undefined) {
      this.#held.delete(key);
      return false;
    }
    if (!this.#held.has(key)) {
      if (this.#held.size >= MAX_HELD) return false;
      this.#held.set(key, { key, window: open.window.id, since: now, alert });
      this.#send(alert);
    }
    return true;
  }

  /** The condition of `key` cleared without an incident: its silenced alert resolves. */
  release(key: string): void {
    const held = this.#held.get(key);
    if (held === undefined) return;
    this.#held.delete(key);
    this.#send({ ...held.alert, status: 'resolved' });
  }

  /** The conditions held back now. */
  held(): readonly HeldCondition[] {
    return [...this.#held.values()];
  }

  /** Raises a reminder for each silencing window closing within `reminderMs` on alerts still firing. */
  remind(now: number): void {
    const { calendar, alerts, reminderMs, service } = this.#options;
    let silenced: ReturnType<AlertRouter['silenced']> = [];
    try {
      silenced = typeof alerts.silenced === 'function' ? alerts.silenced() : [];
    } catch (error) {
      this.#options.onError(error, { source: this.#options.source, task: 'silenced alerts' });
    }
    for (const open of calendar.active(now)) {
      if (!open.window.silence || open.endsAt - now > reminderMs) continue;
      const key = `maintenance:${open.window.id}:${open.endsAt}`;
      if (this.#reminders.has(key)) continue;
      const firing = new Set<string>();
      for (const held of this.#held.values()) if (held.window === open.window.id) firing.add(held.key);
      for (const alert of silenced) if (alert.silencedBy.id === open.window.id) firing.add(alert.key);
      if (firing.size === 0) continue;
      const names = [...firing].slice(0, MAX_NAMED).join(', ');
      const more = firing.size > MAX_NAMED ? ` and ${firing.size - MAX_NAMED} more` : '';
      const closes = new Date(open.endsAt).toISOString();
      const alert: MonitorAlert = {
        name: 'MaintenanceWindowClosing',
        severity: 'warning',
        service,
        summary: `Maintenance window ${open.window.title} closes at ${closes} with ${firing.size} alert(s) still firing: ${names}${more}`,
        description: `When it closes they are delivered and their incidents open. Extend the window (created by ${open.window.createdBy}) if the work is not done.`,
        labels: { maintenance_window: open.window.id },
        dedupKey: key,
        source: MAINTENANCE_SOURCE,
        status: 'firing',
      };
      this.#reminders.set(key, { endsAt: open.endsAt, alert });
      this.#send(alert);
    }
    for (const [key, reminder] of this.#reminders)
      if (now >= reminder.endsAt) {
        this.#reminders.delete(key);
        this.#send({ ...reminder.alert, status: 'resolved' });
      }
  }

  #send(alert: MonitorAlert): void {
    try {
      this.#options.alerts.send(alert);
    } catch (error) {
      this.#options.onError(error, { source: this.#options.source, task: `alert ${alert.dedupKey}` });
    }
  }
}
