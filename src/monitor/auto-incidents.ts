import type { InternalErrorHandler } from '../core/index.js';
import type { AlertRouter, IncidentRecorder, Responder, Severity } from '../incidents/index.js';
import type { RouteSignals } from '../signals/index.js';
import { describeMs, pct } from './format.js';
import type { Condition, MonitorAlert } from './incident-conditions.js';

// Conditions → incidents. Each source's condition (incident-conditions.ts) is compared with the
// incidents the monitor holds:
// - active and not held: raise a firing alert (router: people; responder: the incident), at once;
// - active and held: the signal is not clear; the incident's impact follows the worst seen (peak burn,
//   share failing, affected routes), written only when it gets materially worse;
// - clear and held: resolved once the signal has been clear for `resolveAfterMs` (hysteresis: a signal
//   that flickers around its threshold keeps one incident open instead of reopening and paging again);
// - gone (an unregistered check): resolved at once, saying so.
// Alerts of one key are handled in order, so a recovery never overtakes the opening it resolves.

/** The most conditions held at once (SLOs × 2, breakers, critical checks); more are reported, not held. */
export const MAX_TRACKED = 2_048;
/** Routes remembered per incident to name the affected ones. */
const MAX_BASELINE_ROUTES = 500;
/** Routes an impact names. */
const MAX_AFFECTED_ROUTES = 5;
/** How much worse (relative) a condition must get before the incident's impact is rewritten. */
const WORSE_BY = 1.1;

/** What {@link AutoIncidents} needs. */
export interface AutoIncidentsOptions {
  readonly recorder: IncidentRecorder;
  readonly responder: Responder;
  readonly alerts: AlertRouter;
  /** How long a condition must be clear before its incident resolves. */
  readonly resolveAfterMs: number;
  /** Per-route traffic and errors, to name the routes an incident affects. */
  readonly signals: { routes(): readonly RouteSignals[] } | undefined;
  readonly onError: InternalErrorHandler;
  readonly source: string;
  /**
   * Maintenance: whether a new incident is held back now (its alert covered by a silencing window),
   * and the release of one whose condition cleared while held.
   */
  readonly gate?: {
    hold(key: string, alert: MonitorAlert, now: number): boolean;
    release(key: string): void;
  };
}

/** The alert the monitor sends for a condition: its labels carry the incident's priority. */
export function conditionAlert(
  alert: Omit<MonitorAlert, 'status'>,
  severity: Severity,
  status: 'firing' | 'resolved',
  summary: string,
  description: string | undefined,
): MonitorAlert {
  const { description: _description, ...rest } = alert;
  return {
    ...rest,
    summary,
    ...(description === undefined ? {} : { description }),
    labels: { ...rest.labels, priority: severity },
    status,
  };
}

interface AffectedRoute {
  readonly route: string;
  readonly errors: number;
  readonly requests: number;
}

/** The identity of a set of affected routes: their names (their counts change on every request). */
function routeNames(routes: readonly AffectedRoute[]): string {
  return routes.map((r) => r.route).join('\n');
}

interface Held {
  alert: Omit<MonitorAlert, 'status'>;
  severity: Severity;
  incidentId: string | undefined;
  clearSince: number | undefined;
  /** The condition at its worst, and how bad that was. */
  worst: Condition;
  peak: number;
  /** What the incident's impact was last written from. */
  written: { peak: number; routes: string } | undefined;
  /** Per-route requests and errors when the incident opened. */
  baseline: Map<string, { requests: number; errors: number }> | undefined;
}

/** The monitor's automatic incidents: conditions in, alerts and incident updates out. */
export class AutoIncidents {
  readonly #options: AutoIncidentsOptions;
  readonly #held = new Map<string, Held>();
  readonly #queues = new Map<string, Promise<void>>();
  #adopted = false;
  #closed = false;

  constructor(options: AutoIncidentsOptions) {
    this.#options = options;
  }

  /** How long the condition behind `key` has been clear while its incident waits to resolve. */
  clearFor(key: string, now: number): number | undefined {
    const held = this.#held.get(key);
    return held?.clearSince === undefined ? undefined : Math.max(0, now - held.clearSince);
  }

  /** The `resolveAfterMs` in force. */
  get resolveAfterMs(): number {
    return this.#options.resolveAfterMs;
  }

  /** Takes one condition into account now (from an event, or from {@link AutoIncidents.sweep}). */
  observe(condition: Condition, now: number): void {
    if (this.#closed) return;
    const held = this.#held.get(condition.key);
    if (condition.gone !== undefined) {
      if (held !== undefined) this.#resolve(condition.key, held, condition.gone);
      else this.#options.gate?.release(condition.key);
      return;
    }
    if (!condition.active) {
      if (held === undefined) return this.#options.gate?.release(condition.key);
      held.clearSince ??= now;
      if (now - held.clearSince >= this.#options.resolveAfterMs)
        this.#resolve(
          condition.key,
          held,
          `${condition.subject} ${condition.recovered} and stayed clear for ${describeMs(now - held.clearSince)}`,
        );
      return;
    }
    if (held === undefined) {
      const alert = conditionAlert(
        condition.alert,
        condition.severity,
        'firing',
        condition.alert.summary,
        condition.impact,
      );
      if (this.#options.gate?.hold(condition.key, alert, now) === true) return;
      return this.#open(condition);
    }
    held.clearSince = undefined;
    held.alert = condition.alert;
    if (condition.magnitude > held.peak || held.peak === 0) {
      held.peak = Math.max(held.peak, condition.magnitude);
      held.worst = condition;
    }
    const written = held.written;
    if (
      written !== undefined &&
      (held.peak > written.peak * WORSE_BY || routeNames(this.#affected(held)) !== written.routes)
    )
      this.#enqueue(condition.key, () => this.#writeImpact(held));
  }

  /**
   * Compares every source's condition with the incidents held: opens, updates and resolves. On the
   * first sweep it also takes over the open incidents of these keys left by an earlier process, so a
   * problem that cleared while the service was down resolves. A held key of a family in
   * `completeFamilies` (e.g. `check:`) missing from `conditions` belongs to a source that went away.
   */
  async sweep(
    conditions: readonly Condition[],
    now: number,
    completeFamilies: readonly string[] = [],
  ): Promise<void> {
    if (this.#closed) return;
    if (!this.#adopted) {
      this.#adopted = true;
      await this.#adopt(conditions, now);
    }
    const keys = new Set<string>();
    for (const condition of conditions) {
      keys.add(condition.key);
      this.observe(condition, now);
    }
    for (const [key, held] of this.#held)
      if (!keys.has(key) && completeFamilies.some((family) => key.startsWith(family)))
        this.#resolve(key, held, `${held.worst.subject} no longer exists`);
  }

  /** Waits until every alert and update queued so far has been handled. */
  async settle(): Promise<void> {
    for (let i = 0; i < 100 && this.#queues.size > 0; i++) await Promise.all(this.#queues.values());
  }

  /** Stops taking conditions; queued work still finishes (await {@link AutoIncidents.settle}). */
  close(): void {
    this.#closed = true;
  }

  async #adopt(conditions: readonly Condition[], now: number): Promise<void> {
    const byKey = new Map(conditions.map((c) => [c.key, c]));
    try {
      await this.#options.recorder.ready();
      for (const incident of this.#options.recorder.list({ status: ['open', 'acknowledged'] })) {
        const condition = incident.dedupKey === undefined ? undefined : byKey.get(incident.dedupKey);
        if (condition === undefined || this.#held.has(condition.key) || this.#held.size >= MAX_TRACKED)
          continue;
        this.#held.set(condition.key, {
          alert: condition.alert,
          severity: condition.severity,
          incidentId: incident.id,
          clearSince: condition.active ? undefined : now,
          worst: condition,
          peak: condition.magnitude,
          written: { peak: condition.magnitude, routes: '' },
          baseline: undefined,
        });
      }
    } catch (error) {
      this.#options.onError(error, { source: this.#options.source, task: 'adopt open incidents' });
    }
  }

  #open(condition: Condition): void {
    if (this.#held.size >= MAX_TRACKED) {
      this.#options.onError(
        new Error(`more than ${MAX_TRACKED} automatic incident sources: ${condition.key} ignored`),
        {
          source: this.#options.source,
          task: 'open incident',
        },
      );
      return;
    }
    const held: Held = {
      alert: condition.alert,
      severity: condition.severity,
      incidentId: undefined,
      clearSince: undefined,
      worst: condition,
      peak: condition.magnitude,
      written: undefined,
      baseline: this.#routeCounts(),
    };
    this.#held.set(condition.key, held);
    const alert = this.#alert(held, 'firing', condition.alert.summary, condition.impact);
    this.#send(alert);
    this.#enqueue(condition.key, async () => {
      const result = await this.#options.responder.handle(alert);
      held.incidentId = result.incident?.id ?? this.#options.recorder.findOpen(condition.key)?.id;
      await this.#writeImpact(held);
    });
  }

  #resolve(key: string, held: Held, reason: string): void {
    this.#held.delete(key);
    const alert = this.#alert(held, 'resolved', reason, undefined);
    this.#send(alert);
    this.#enqueue(key, async () => {
      await this.#writeImpact(held);
      await this.#options.responder.handle(alert);
    });
  }

  #alert(
    held: Held,
    status: 'firing' | 'resolved',
    summary: string,
    description: string | undefined,
  ): MonitorAlert {
    return conditionAlert(held.alert, held.severity, status, summary, description);
  }

  #send(alert: MonitorAlert): void {
    try {
      this.#options.alerts.send(alert);
    } catch (error) {
      this.#options.onError(error, { source: this.#options.source, task: `alert ${alert.dedupKey}` });
    }
  }

  // Writes the impact (the worst seen, with the routes affected since opening) and the root cause,
  // when the incident is still open and they changed.
  async #writeImpact(held: Held): Promise<void> {
    const id = held.incidentId;
    const incident = id === undefined ? undefined : this.#options.recorder.get(id);
    if (id === undefined || incident === undefined || incident.status === 'resolved') return;
    const routes = this.#affected(held);
    held.written = { peak: held.peak, routes: routeNames(routes) };
    const listed = routes.map(
      (r) => `${r.route} (${r.errors} of ${r.requests} failed, ${pct(r.errors / r.requests)})`,
    );
    const impact = `${held.worst.impact}${listed.length === 0 ? '' : `; affected routes: ${listed.join(', ')}`}`;
    const rootCause = held.worst.rootCause;
    const changes: { impact?: string; rootCause?: string } = {};
    if (impact !== incident.impact) changes.impact = impact;
    if (rootCause !== undefined && rootCause !== incident.rootCause) changes.rootCause = rootCause;
    if (changes.impact !== undefined || changes.rootCause !== undefined)
      await this.#options.recorder.update(id, { ...changes, by: 'monitor' });
  }

  #routeCounts(): Map<string, { requests: number; errors: number }> | undefined {
    const signals = this.#options.signals;
    if (signals === undefined) return undefined;
    try {
      const counts = new Map<string, { requests: number; errors: number }>();
      for (const r of signals.routes()) {
        if (counts.size >= MAX_BASELINE_ROUTES) break;
        counts.set(`${r.method} ${r.route}`, { requests: r.requests, errors: r.errors });
      }
      return counts;
    } catch (error) {
      this.#options.onError(error, { source: this.#options.source, task: 'route signals' });
      return undefined;
    }
  }

  // The routes with errors since the incident opened, most errors first.
  #affected(held: Held): AffectedRoute[] {
    const before = held.baseline;
    const now = before === undefined ? undefined : this.#routeCounts();
    if (before === undefined || now === undefined) return [];
    const out: AffectedRoute[] = [];
    for (const [route, counts] of now) {
      const base = before.get(route) ?? { requests: 0, errors: 0 };
      const errors = counts.errors - base.errors;
      if (errors > 0)
        out.push({ route, errors, requests: Math.max(errors, counts.requests - base.requests) });
    }
    out.sort((a, b) => b.errors - a.errors || a.route.localeCompare(b.route));
    return out.slice(0, MAX_AFFECTED_ROUTES);
  }

  #enqueue(key: string, task: () => Promise<void>): void {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const next = previous.then(task).then(
      () => undefined,
      (error: unknown) =>
        this.#options.onError(error, { source: this.#options.source, task: `respond to ${key}` }),
    );
    this.#queues.set(key, next);
    void next.then(() => {
      if (this.#queues.get(key) === next) this.#queues.delete(key);
    });
  }
}
