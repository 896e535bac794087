import type { Alert } from './alert.js';

/** An alert as a notifier receives it: its status settled and its key computed. */
export interface NotifiedAlert extends Alert {
  readonly status: 'firing' | 'resolved';
  /** The alert's identity ({@link alertKey}); PagerDuty's `dedup_key`. */
  readonly dedupKey: string;
  /** When it started firing (epoch ms): the alert's own `startsAt`, else when the router first saw it. */
  readonly startsAt: number;
}

/** One message for one receiver: a group of alerts, Alertmanager style. */
export interface Notification {
  /** The route's name. */
  readonly receiver: string;
  /** Identifies the group: the route and the values of its `groupBy` labels. */
  readonly groupKey: string;
  /** `firing` while any alert in it fires, else `resolved`. */
  readonly status: 'firing' | 'resolved';
  /** The labels the group was formed on. */
  readonly groupLabels: Readonly<Record<string, string>>;
  /** The labels every alert in it shares. */
  readonly commonLabels: Readonly<Record<string, string>>;
  /** Firing alerts first, then resolved ones (each resolved alert is notified once). */
  readonly alerts: readonly NotifiedAlert[];
}

/** Something that delivers notifications: a webhook, PagerDuty, Slack, a log. */
export interface Notifier {
  /** Names it in events and error reports. */
  readonly name: string;
  /**
   * Delivers one notification, retrying as it sees fit; rejects when it finally could not. The router
   * calls notifiers independently: one failing or hanging never delays or breaks another.
   */
  notify(notification: Notification, options?: { readonly signal?: AbortSignal }): Promise<void>;
}
