import { z } from 'zod';
import {
  parseOptions,
  resolveDeps,
  SafeEmitter,
  type CancelScheduled,
  type Clock,
  type Deps,
  type EventSource,
  type InternalErrorHandler,
} from '../core/index.js';
import { alertKey, alertLabels, checkAlert, type Alert } from './alert.js';
import { common } from './alertmanager.js';
import { parseMatcher, type LabelMatcher } from './matchers.js';
import type { NotifiedAlert, Notification, Notifier } from './notifier.js';
import { userObject } from './user-object.js';

/** One route: which alerts (matchers), who hears about them (notifiers), and how they are grouped. */
export interface AlertRoute {
  /** The receiver name in notifications. @default `route-<index>` */
  readonly name?: string;
  /**
   * Alertmanager matchers, all of which must hold: `severity="critical"`, `service=~"api|web"`,
   * `env!="dev"`, `team!~"infra.*"`. Alerts carry their labels plus `alertname`, `severity` and `service`.
   * A value is a double-quoted string (JSON escapes; `""` is the empty string) or an unquoted word free
   * of whitespace and of `{}!=~,\"'` and backticks; regexes are anchored at both ends. Anything else
   * (`severity=="critical`, an unbalanced quote) is a `ConfigError` naming the route and the matcher.
   * @default [] (every alert)
   */
  readonly matchers?: readonly string[];
  /** Who is told. Each is called on its own: one failing or hanging never affects another. */
  readonly notifiers: readonly Notifier[];
  /**
   * The labels alerts are grouped by: one notification per group. `['...']` groups by every label
   * (one alert per group).
   * @default the router's `groupBy`
   */
  readonly groupBy?: readonly string[];
  /** Keep matching later routes after this one matched. @default false */
  readonly continue?: boolean;
  /** Overrides the router's `groupWaitMs` for this route. */
  readonly groupWaitMs?: number;
  /** Overrides the router's `groupIntervalMs` for this route. */
  readonly groupIntervalMs?: number;
  /** Overrides the router's `repeatIntervalMs` for this route. */
  readonly repeatIntervalMs?: number;
  /** Tell the notifiers when alerts resolve (once per alert). @default true */
  readonly sendResolved?: boolean;
}

/** Options for {@link createAlertRouter}. */
export interface AlertRouterOptions {
  /** Tried in order; the first that matches takes the alert unless it sets `continue`. */
  readonly routes: readonly AlertRoute[];
  /**
   * How long a new group waits for more alerts before its first notification.
   * @default 30_000
   */
  readonly groupWaitMs?: number;
  /**
   * How often a group is re-examined: new or resolved alerts since the last notification are sent then.
   * @default 300_000 (5 minutes)
   */
  readonly groupIntervalMs?: number;
  /**
   * How long before a notification about alerts still firing, with nothing new, is sent again.
   * @default 14_400_000 (4 hours)
   */
  readonly repeatIntervalMs?: number;
  /**
   * The default grouping labels.
   * @default ['alertname', 'service']
   */
  readonly groupBy?: readonly string[];
  /**
   * The most groups held; alerts for a new group past it are dropped and counted.
   * @default 1_000
   */
  readonly maxGroups?: number;
  /**
   * The most alerts per group; new alerts past it are dropped and counted.
   * @default 1_000
   */
  readonly maxAlertsPerGroup?: number;
}

const MAX_TIMER_MS = 2_147_483_647;
const duration = z.number().min(0).max(MAX_TIMER_MS);
const notifierSchema = userObject<Notifier>(
  (notifier) => typeof notifier.notify === 'function' && typeof notifier.name === 'string',
  'a notifier ({ name, notify })',
);

const routeSchema = z.strictObject({
  name: z.string().min(1).optional(),
  matchers: z.array(z.string()).default([]),
  notifiers: z.array(notifierSchema).min(1),
  groupBy: z.array(z.string().min(1)).optional(),
  continue: z.boolean().default(false),
  groupWaitMs: duration.optional(),
  groupIntervalMs: z.number().positive().max(MAX_TIMER_MS).optional(),
  repeatIntervalMs: duration.optional(),
  sendResolved: z.boolean().default(true),
});

// Checked over the whole list so that a bad matcher is named with its route (`route "pager"`): the
// field path alone gives only the index.
const routesSchema = z
  .array(routeSchema)
  .min(1)
  .superRefine((routes, ctx) => {
    routes.forEach((route, index) => {
      route.matchers.forEach((text, at) => {
        const parsed = parseMatcher(text);
        if (typeof parsed !== 'string') return;
        ctx.addIssue({
          code: 'custom',
          path: [index, 'matchers', at],
          input: text,
          message: `${parsed}, in route ${JSON.stringify(route.name ?? `route-${index}`)}`,
        });
      });
    });
  });

const optionsSchema = z.strictObject({
  routes: routesSchema,
  groupWaitMs: duration.default(30_000),
  groupIntervalMs: z.number().positive().max(MAX_TIMER_MS).default(300_000),
  repeatIntervalMs: duration.default(4 * 3_600_000),
  groupBy: z.array(z.string().min(1)).default(['alertname', 'service']),
  maxGroups: z.number().int().positive().default(1_000),
  maxAlertsPerGroup: z.number().int().positive().default(1_000),
});

/** @internal The schema {@link AlertRouterOptions} is checked against (bound by a type test). */
export const alertRouterOptionsSchema = optionsSchema;

/** The events an {@link AlertRouter} emits. */
export type AlertRouterEvents = {
  /** A notifier accepted a notification. */
  delivered: {
    readonly receiver: string;
    readonly notifier: string;
    readonly groupKey: string;
    readonly status: 'firing' | 'resolved';
    readonly alerts: number;
  };
  /** A notifier finally failed (after its own retries); the group is retried at its next interval. */
  deliveryFailed: {
    readonly receiver: string;
    readonly notifier: string;
    readonly groupKey: string;
    readonly error: unknown;
  };
};

/** Counters of what an {@link AlertRouter} did with the alerts it was sent. */
export interface AlertRouterStats {
  readonly received: number;
  /** Alerts no route matched. */
  readonly unrouted: number;
  /** Malformed alerts, counted and dropped. */
  readonly invalid: number;
  /** Alerts dropped at `maxGroups` or `maxAlertsPerGroup`. */
  readonly dropped: number;
  readonly groups: number;
  readonly deliveries: number;
  readonly failures: number;
}

/** Routes alerts to notifiers, grouped and de-duplicated like Alertmanager. */
export interface AlertRouter extends EventSource<AlertRouterEvents> {
  /** Takes one alert (firing or resolved). Never throws: a malformed alert is counted and dropped. */
  send(alert: Alert): void;
  /** Sends every group that has something to say now, ignoring waits, and waits for the deliveries. */
  flush(): Promise<void>;
  stats(): AlertRouterStats;
  /** Stops the timers and waits for deliveries in flight; pending groups are not sent (call `flush()` first). Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface PreparedRoute {
  readonly receiver: string;
  readonly matchers: readonly LabelMatcher[];
  readonly notifiers: readonly Notifier[];
  readonly groupBy: readonly string[] | 'all';
  readonly continue: boolean;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  readonly sendResolved: boolean;
}

interface Entry {
  alert: NotifiedAlert;
}

/** What a notifier was last told about a group: Alertmanager's notification log entry. */
interface LogEntry {
  readonly firing: ReadonlySet<string>;
  readonly resolved: ReadonlySet<string>;
  readonly at: number;
}

interface Group {
  readonly key: string;
  readonly route: PreparedRoute;
  readonly labels: Readonly<Record<string, string>>;
  readonly alerts: Map<string, Entry>;
  readonly log: (LogEntry | undefined)[];
  readonly inFlight: Set<Promise<void>>;
  /** Indexes of notifiers with a delivery in flight. */
  readonly busy: Set<number>;
  cancel: CancelScheduled | undefined;
}

/**
 * Creates an alert router: matchers pick the route, alerts are grouped by labels, a new group waits
 * `groupWaitMs` then notifies, later changes go out every `groupIntervalMs`, unchanged firing alerts
 * are repeated every `repeatIntervalMs`, and each resolved alert is announced once. Timers run on the
 * injected clock, unref'd; `close()` clears them.
 *
 * @example
 * ```ts
 * const router = createAlertRouter({
 *   routes: [
 *     { matchers: ['severity="critical"'], notifiers: [pagerDuty], continue: true },
 *     { matchers: ['severity=~"critical|warning"'], notifiers: [slack] },
 *     { notifiers: [logNotifier(console)] },
 *   ],
 *   groupWaitMs: 10_000,
 * });
 * router.send({ name: 'HighErrorRate', severity: 'critical', service: 'api', summary: '5xx at 12%' });
 * ```
 * @throws {ConfigError} when options are invalid (a bad matcher is named with its route).
 */
export function createAlertRouter(options: AlertRouterOptions, deps?: Deps): AlertRouter {
  const parsed = parseOptions(optionsSchema, options, 'createAlertRouter');
  const { clock, onInternalError } = resolveDeps(deps);
  const routes = parsed.routes.map((route, index): PreparedRoute => {
    const groupBy = route.groupBy ?? parsed.groupBy;
    return {
      receiver: route.name ?? `route-${index}`,
      matchers: route.matchers.map((text) => parseMatcher(text) as LabelMatcher),
      // The caller's notifier objects, not copies: their methods may use `this`.
      notifiers: options.routes[index]?.notifiers ?? [],
      groupBy: groupBy.includes('...') ? 'all' : [...groupBy],
      continue: route.continue,
      groupWaitMs: route.groupWaitMs ?? parsed.groupWaitMs,
      groupIntervalMs: route.groupIntervalMs ?? parsed.groupIntervalMs,
      repeatIntervalMs: route.repeatIntervalMs ?? parsed.repeatIntervalMs,
      sendResolved: route.sendResolved,
    };
  });
  return new Router(routes, parsed.maxGroups, parsed.maxAlertsPerGroup, clock, onInternalError);
}

class Router implements AlertRouter {
  readonly #routes: readonly PreparedRoute[];
  readonly #maxGroups: number;
  readonly #maxAlerts: number;
  readonly #clock: Clock;
  readonly #onError: InternalErrorHandler;
  readonly #events: SafeEmitter<AlertRouterEvents>;
  readonly #groups = new Map<string, Group>();
  #closed = false;
  #closing: Promise<void> | undefined;
  #received = 0;
  #unrouted = 0;
  #invalid = 0;
  #dropped = 0;
  #deliveries = 0;
  #failures = 0;

  constructor(
    routes: readonly PreparedRoute[],
    maxGroups: number,
    maxAlerts: number,
    clock: Clock,
    onError: InternalErrorHandler,
  ) {
    this.#routes = routes;
    this.#maxGroups = maxGroups;
    this.#maxAlerts = maxAlerts;
    this.#clock = clock;
    this.#onError = onError;
    this.#events = new SafeEmitter('alertRouter', onError);
  }

  on: AlertRouter['on'] = (event, listener) => this.#events.on(event, listener);
  once: AlertRouter['once'] = (event, listener) => this.#events.once(event, listener);
  off: AlertRouter['off'] = (event, listener) => this.#events.off(event, listener);

  send(alert: Alert): void {
    if (this.#closed) return;
    try {
      checkAlert(alert);
    } catch {
      this.#invalid++;
      return;
    }
    this.#received++;
    const labels = alertLabels(alert);
    let routed = false;
    for (const route of this.#routes) {
      if (!route.matchers.every((matcher) => matcher.matches(labels))) continue;
      routed = true;
      this.#add(route, alert, labels);
      if (!route.continue) break;
    }
    if (!routed) this.#unrouted++;
  }

  async flush(): Promise<void> {
    for (const group of [...this.#groups.values()]) {
      group.cancel?.();
      group.cancel = undefined;
      this.#flush(group);
    }
    await this.#settled();
  }

  stats(): AlertRouterStats {
    return {
      received: this.#received,
      unrouted: this.#unrouted,
      invalid: this.#invalid,
      dropped: this.#dropped,
      groups: this.#groups.size,
      deliveries: this.#deliveries,
      failures: this.#failures,
    };
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      for (const group of this.#groups.values()) {
        group.cancel?.();
        group.cancel = undefined;
      }
      await this.#settled();
      this.#groups.clear();
      this.#events.clear();
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #settled(): Promise<void> {
    for (;;) {
      const pending = [...this.#groups.values()].flatMap((group) => [...group.inFlight]);
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
    }
  }

  #add(route: PreparedRoute, alert: Alert, labels: Record<string, string>): void {
    const groupLabels = pick(labels, route.groupBy);
    const key = `${route.receiver}:${formatLabels(groupLabels)}`;
    let group = this.#groups.get(key);
    const fingerprint = alertKey(alert);
    const existing = group?.alerts.get(fingerprint);
    if (alert.status === 'resolved') {
      // Resolving an alert we never saw fire has nothing to announce.
      if (existing === undefined) return;
      existing.alert = {
        ...existing.alert,
        ...alert,
        status: 'resolved',
        dedupKey: fingerprint,
        startsAt: existing.alert.startsAt,
        endsAt: alert.endsAt ?? this.#clock.wallNow(),
      };
      return;
    }
    if (existing !== undefined) {
      const { endsAt: _endsAt, ...rest } = existing.alert;
      existing.alert = {
        ...rest,
        ...alert,
        status: 'firing',
        dedupKey: fingerprint,
        startsAt: existing.alert.startsAt,
      };
      return;
    }
    if (group === undefined) {
      if (this.#groups.size >= this.#maxGroups) {
        this.#dropped++;
        return;
      }
      group = {
        key,
        route,
        labels: groupLabels,
        alerts: new Map(),
        log: route.notifiers.map(() => undefined),
        inFlight: new Set(),
        busy: new Set(),
        cancel: undefined,
      };
      this.#groups.set(key, group);
      const created = group;
      group.cancel = this.#clock.schedule(route.groupWaitMs, () => this.#tick(created));
    }
    if (group.alerts.size >= this.#maxAlerts) {
      this.#dropped++;
      return;
    }
    const { endsAt: _endsAt, ...firing } = alert;
    group.alerts.set(fingerprint, {
      alert: {
        ...firing,
        status: 'firing',
        dedupKey: fingerprint,
        startsAt: alert.startsAt ?? this.#clock.wallNow(),
      },
    });
  }

  #tick(group: Group): void {
    group.cancel = undefined;
    if (this.#closed || this.#groups.get(group.key) !== group) return;
    this.#flush(group);
  }

  #flush(group: Group): void {
    const { route } = group;
    const firing = new Set<string>();
    const resolved = new Set<string>();
    for (const [fingerprint, entry] of group.alerts) {
      (entry.alert.status === 'firing' ? firing : resolved).add(fingerprint);
    }
    const now = this.#clock.now();
    route.notifiers.forEach((notifier, index) => {
      const last = group.log[index];
      const need = needsUpdate(last, firing, resolved, now, route);
      if (need === 'no') return;
      if (need === 'silently') {
        group.log[index] = { firing, resolved, at: last?.at ?? now };
        return;
      }
      const alerts: NotifiedAlert[] = [];
      for (const entry of group.alerts.values())
        if (entry.alert.status === 'firing') alerts.push(entry.alert);
      if (route.sendResolved) {
        for (const entry of group.alerts.values())
          if (entry.alert.status === 'resolved') alerts.push(entry.alert);
      }
      const notification: Notification = {
        receiver: route.receiver,
        groupKey: group.key,
        status: firing.size > 0 ? 'firing' : 'resolved',
        groupLabels: group.labels,
        commonLabels: common(alerts.map((alert) => alertLabels(alert))),
        alerts,
      };
      this.#deliver(group, index, notifier, notification, { firing, resolved, at: now });
    });
    this.#cleanup(group);
    if (!this.#closed && this.#groups.get(group.key) === group && group.cancel === undefined) {
      group.cancel = this.#clock.schedule(route.groupIntervalMs, () => this.#tick(group));
    }
  }

  #deliver(
    group: Group,
    index: number,
    notifier: Notifier,
    notification: Notification,
    entry: LogEntry,
  ): void {
    // Only one delivery per notifier and group at a time; a slow one is re-examined at the next interval.
    if (group.busy.has(index)) return;
    group.busy.add(index);
    // A notifier that throws synchronously is treated like one that rejects.
    const promise = new Promise<void>((resolve) => resolve(notifier.notify(notification)));
    const tracked = promise.then(
      () => {
        group.log[index] = entry;
        this.#deliveries++;
        if (this.#events.has('delivered')) {
          this.#events.emit('delivered', {
            receiver: notification.receiver,
            notifier: notifier.name,
            groupKey: group.key,
            status: notification.status,
            alerts: notification.alerts.length,
          });
        }
      },
      (error: unknown) => {
        this.#failures++;
        this.#onError(error, {
          source: `alertRouter:${notification.receiver}`,
          task: `notify:${notifier.name}`,
        });
        if (this.#events.has('deliveryFailed')) {
          this.#events.emit('deliveryFailed', {
            receiver: notification.receiver,
            notifier: notifier.name,
            groupKey: group.key,
            error,
          });
        }
      },
    );
    const done = tracked.finally(() => {
      group.busy.delete(index);
      group.inFlight.delete(done);
      this.#cleanup(group);
    });
    group.inFlight.add(done);
  }

  // Drops resolved alerts every notifier has heard about (or never heard fire), and the group once empty.
  #cleanup(group: Group): void {
    if (group.inFlight.size > 0) return;
    for (const [fingerprint, entry] of group.alerts) {
      if (entry.alert.status !== 'resolved') continue;
      if (
        group.log.every(
          (log) => log === undefined || !log.firing.has(fingerprint) || log.resolved.has(fingerprint),
        )
      ) {
        group.alerts.delete(fingerprint);
      }
    }
    if (group.alerts.size === 0 && this.#groups.get(group.key) === group) {
      group.cancel?.();
      group.cancel = undefined;
      this.#groups.delete(group.key);
    }
  }
}

// Alertmanager's DedupStage.needsUpdate, plus 'silently' for a receiver that does not want resolved
// notices: its log is brought up to date without sending anything.
function needsUpdate(
  last: LogEntry | undefined,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  now: number,
  route: PreparedRoute,
): 'send' | 'silently' | 'no' {
  if (last === undefined) return firing.size > 0 ? 'send' : 'no';
  for (const fingerprint of firing) if (!last.firing.has(fingerprint)) return 'send';
  let newlyResolved = false;
  for (const fingerprint of resolved) {
    if (last.firing.has(fingerprint) && !last.resolved.has(fingerprint)) newlyResolved = true;
  }
  if (newlyResolved) return route.sendResolved ? 'send' : 'silently';
  if (firing.size === 0) return last.firing.size > 0 ? (route.sendResolved ? 'send' : 'silently') : 'no';
  return now - last.at >= route.repeatIntervalMs ? 'send' : 'no';
}

function pick(labels: Record<string, string>, names: readonly string[] | 'all'): Record<string, string> {
  if (names === 'all') return { ...labels };
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = labels[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function formatLabels(labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`);
  return `{${parts.join(',')}}`;
}
