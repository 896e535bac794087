import {
  parseOptions,
  resolveDeps,
  SafeEmitter,
  TimeoutError,
  type CancelScheduled,
  type Clock,
  type Deps,
  type EventSource,
  type InternalErrorHandler,
} from '../core/index.js';
import { alertKey, alertLabels, checkAlert, type Alert } from './alert.js';
import { common } from './alertmanager.js';
import {
  alertRouterOptionsSchema,
  type AlertRouterOptions,
  type AlertSilence,
  type AlertSilencer,
  type ParsedAlertRouterOptions,
} from './alert-router-options.js';
import { parseMatcher, type LabelMatcher } from './matchers.js';
import type { NotifiedAlert, Notification, Notifier } from './notifier.js';

export type { AlertRoute, AlertRouterOptions, AlertSilence, AlertSilencer } from './alert-router-options.js';

/** An alert the router's silencer holds: recorded, not delivered. */
export interface SilencedAlert {
  /** The alert's identity ({@link alertKey}). */
  readonly key: string;
  /** The alert as last sent. */
  readonly alert: Alert;
  /** The silence's window. */
  readonly silencedBy: { readonly id: string; readonly title: string };
  /** When it was first silenced, epoch ms. */
  readonly since: number;
  /** When it was last sent, epoch ms. */
  readonly lastSeenAt: number;
  /** When the silence holding it ends, epoch ms. */
  readonly silenceEndsAt: number;
}

/** The events an {@link AlertRouter} emits. */
export type AlertRouterEvents = {
  /**
   * A well-formed alert arrived (firing or resolved), with the id of the window silencing it, if any:
   * what a drill watches to see which alerts fired.
   */
  received: {
    readonly alert: Alert;
    readonly key: string;
    readonly silencedBy: string | null;
  };
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
  /** Firing alerts the silencer held (each send counts), never delivered. */
  readonly silenced: number;
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
  /**
   * The firing alerts the silencer holds now, oldest first: silenced, recorded, not delivered (at most
   * `maxSilenced`). An alert leaves the list when it resolves or is sent again outside its silence.
   */
  silenced(): readonly SilencedAlert[];
  /**
   * Stops the timers and waits for deliveries in flight, at most `closeTimeoutMs`: past it they are
   * aborted and reported failed. Pending groups are not sent (call `flush()` first). Idempotent.
   */
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
  readonly inFlight: Set<Delivery>;
  /** Indexes of notifiers with a delivery in flight. */
  readonly busy: Set<number>;
  cancel: CancelScheduled | undefined;
}

/** One notification on its way to one notifier. */
interface Delivery {
  /** Settles when the notifier's promise does (never, for a hung notifier). */
  readonly done: Promise<void>;
  /** Aborts the notifier's signal with `reason` and reports the delivery failed, if it has not settled. */
  abandon(reason: unknown): void;
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
  const parsed = parseOptions(alertRouterOptionsSchema, options, 'createAlertRouter');
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
  return new Router(routes, parsed, clock, onInternalError, options.silencer);
}

class Router implements AlertRouter {
  readonly #routes: readonly PreparedRoute[];
  readonly #maxGroups: number;
  readonly #maxAlerts: number;
  readonly #closeTimeoutMs: number;
  readonly #clock: Clock;
  readonly #onError: InternalErrorHandler;
  readonly #events: SafeEmitter<AlertRouterEvents>;
  readonly #groups = new Map<string, Group>();
  readonly #silencer: AlertSilencer | undefined;
  readonly #maxSilenced: number;
  readonly #silenced = new Map<string, SilencedAlert>();
  #closed = false;
  #closing: Promise<void> | undefined;
  #received = 0;
  #unrouted = 0;
  #invalid = 0;
  #dropped = 0;
  #silencedCount = 0;
  #deliveries = 0;
  #failures = 0;

  constructor(
    routes: readonly PreparedRoute[],
    limits: Pick<
      ParsedAlertRouterOptions,
      'maxGroups' | 'maxAlertsPerGroup' | 'closeTimeoutMs' | 'maxSilenced'
    >,
    clock: Clock,
    onError: InternalErrorHandler,
    silencer: AlertSilencer | undefined,
  ) {
    this.#routes = routes;
    this.#silencer = silencer;
    this.#maxSilenced = limits.maxSilenced;
    this.#maxGroups = limits.maxGroups;
    this.#maxAlerts = limits.maxAlertsPerGroup;
    this.#closeTimeoutMs = limits.closeTimeoutMs;
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
    const key = alertKey(alert);
    const silence = this.#silencer === undefined ? undefined : this.#silence(alert, key);
    if (this.#events.has('received'))
      this.#events.emit('received', { alert, key, silencedBy: silence?.window.id ?? null });
    if (silence !== undefined) return;
    const labels = alertLabels(alert);
    let routed = false;
    for (const route of this.#routes) {
      if (!route.matchers.every((matcher) => matcher.matches(labels))) continue;
      routed = true;
      this.#add(route, alert, labels, key);
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
      silenced: this.#silencedCount,
      groups: this.#groups.size,
      deliveries: this.#deliveries,
      failures: this.#failures,
    };
  }

  silenced(): readonly SilencedAlert[] {
    return [...this.#silenced.values()];
  }

  // The silence holding `alert`, recorded; a resolution of a silenced alert is swallowed with it. An
  // alert already in a group was notified before its silence began: it keeps its group, so whoever was
  // told about it hears it resolve.
  #silence(alert: Alert, key: string): AlertSilence | undefined {
    const held = this.#silenced.get(key);
    if (alert.status === 'resolved') {
      if (held === undefined) return undefined;
      this.#silenced.delete(key);
      return { window: held.silencedBy, endsAt: held.silenceEndsAt };
    }
    const now = this.#clock.wallNow();
    let silence: AlertSilence | undefined;
    try {
      silence = this.#silencer?.silencing(alert, now);
    } catch (error) {
      this.#onError(error, { source: 'alertRouter', task: 'silencer' });
    }
    if (silence === undefined || this.#grouped(key)) {
      this.#silenced.delete(key);
      return undefined;
    }
    this.#silencedCount++;
    if (held !== undefined || this.#silenced.size < this.#maxSilenced)
      this.#silenced.set(key, {
        key,
        alert,
        silencedBy: { id: silence.window.id, title: silence.window.title },
        since: held?.since ?? now,
        lastSeenAt: now,
        silenceEndsAt: silence.endsAt,
      });
    return silence;
  }

  #grouped(key: string): boolean {
    for (const group of this.#groups.values()) if (group.alerts.has(key)) return true;
    return false;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      for (const group of this.#groups.values()) {
        group.cancel?.();
        group.cancel = undefined;
      }
      await this.#settledWithin(this.#closeTimeoutMs);
      this.#groups.clear();
      this.#silenced.clear();
      this.#events.clear();
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #settled(): Promise<void> {
    for (;;) {
      const pending = this.#inFlight();
      if (pending.length === 0) return;
      await Promise.allSettled(pending.map((delivery) => delivery.done));
    }
  }

  // Waits for the deliveries in flight up to the deadline, then abandons the rest: a hung notifier's
  // promise may never settle, so it is not waited for. The timer is ref'd: the caller awaits it.
  async #settledWithin(deadlineMs: number): Promise<void> {
    let cancel: CancelScheduled = () => undefined;
    const expired = new Promise<'expired'>((resolve) => {
      cancel = this.#clock.schedule(deadlineMs, () => resolve('expired'), { ref: true });
    });
    const outcome = await Promise.race([this.#settled(), expired]);
    cancel();
    if (outcome !== 'expired') return;
    for (const delivery of this.#inFlight()) {
      delivery.abandon(
        new TimeoutError(
          deadlineMs,
          `The alert router closed with this delivery still running after closeTimeoutMs (${deadlineMs} ms)`,
        ),
      );
    }
  }

  #inFlight(): Delivery[] {
    return [...this.#groups.values()].flatMap((group) => [...group.inFlight]);
  }

  #add(route: PreparedRoute, alert: Alert, labels: Record<string, string>, fingerprint: string): void {
    const groupLabels = pick(labels, route.groupBy);
    const key = `${route.receiver}:${formatLabels(groupLabels)}`;
    let group = this.#groups.get(key);
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
    const controller = new AbortController();
    // Settled once: by the notifier, or by close() abandoning it at its deadline, whichever comes first.
    let settled = false;
    // A notifier that throws synchronously is treated like one that rejects.
    const promise = new Promise<void>((resolve) =>
      resolve(notifier.notify(notification, { signal: controller.signal })),
    );
    const failed = (error: unknown): void => {
      if (settled) return;
      settled = true;
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
    };
    const tracked = promise.then(() => {
      if (settled) return;
      settled = true;
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
    }, failed);
    const delivery: Delivery = {
      done: tracked.finally(() => {
        group.busy.delete(index);
        group.inFlight.delete(delivery);
        this.#cleanup(group);
      }),
      abandon: (reason) => {
        controller.abort(reason);
        failed(reason);
      },
    };
    group.inFlight.add(delivery);
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
