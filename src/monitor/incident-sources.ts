import type { Clock, InternalErrorHandler } from '../core/index.js';
import type { HealthCheckResult, HealthRegistry } from '../health/index.js';
import type { CircuitBreaker, OpenReason } from '../resilience/index.js';
import type { SloSnapshot, SloStatus, SloTracker } from '../slo/index.js';
import type { AutoIncidents } from './auto-incidents.js';
import type { BreakerView } from './dependency-state.js';
import {
  breakerCondition,
  checkCondition,
  goneCheckCondition,
  sloConditions,
  type Condition,
} from './incident-conditions.js';
import type { AutoIncidentOptions } from './types.js';

// The monitor's sources of automatic incidents, read two ways: breaker and check events make a change
// seen at once, and every evaluation sweeps every source's state (SLO alerts included), so what was
// already wrong at start, or changed unseen, is noticed too.

/** What {@link IncidentSources} reads and where its conditions go. */
export interface IncidentSourcesOptions {
  readonly service: string;
  readonly auto: Required<AutoIncidentOptions>;
  readonly slos: readonly SloTracker[];
  readonly breakers: readonly CircuitBreaker<never>[];
  readonly health: HealthRegistry | undefined;
  readonly incidents: AutoIncidents;
  readonly clock: Clock;
  readonly onError: InternalErrorHandler;
  readonly source: string;
}

/** Reads SLOs, breakers and critical checks as conditions for {@link AutoIncidents}. */
export class IncidentSources {
  readonly #options: IncidentSourcesOptions;
  // Why each breaker last opened, as its `open` event said (bounded by the breakers given).
  readonly #openReasons = new Map<string, OpenReason>();

  constructor(options: IncidentSourcesOptions) {
    this.#options = options;
  }

  /** Subscribes to every source's events; returns the unsubscribe functions. */
  subscribe(): (() => void)[] {
    const { service, auto, incidents, clock } = this.#options;
    const observe = (condition: Condition | undefined): void => {
      if (condition !== undefined) incidents.observe(condition, clock.wallNow());
    };
    const out: (() => void)[] = [];
    for (const breaker of this.#options.breakers)
      out.push(
        breaker.on('open', (event) => {
          this.#openReasons.set(breaker.name, event.reason);
          observe(breakerCondition(service, this.breakerView(breaker), auto));
        }),
        breaker.on('close', () => observe(breakerCondition(service, this.breakerView(breaker), auto))),
      );
    const health = this.#options.health;
    if (health !== undefined)
      out.push(
        health.on('statusChanged', (event) => observe(checkCondition(service, event.result, auto))),
        // Removing a failing critical check resolves its incident at once (the next sweep would too).
        health.on('unregistered', (event) => {
          if (event.critical) observe(goneCheckCondition(service, event.name, auto, 'was unregistered'));
        }),
      );
    return out;
  }

  /** A breaker as the judgments read it: state, counters, and why it last opened. */
  breakerView(breaker: CircuitBreaker<never>): BreakerView {
    let stats: BreakerView['stats'];
    try {
      stats = breaker.stats();
    } catch (error) {
      this.#options.onError(error, { source: this.#options.source, task: `breaker ${breaker.name}` });
    }
    const state = stats?.state ?? breaker.state;
    // A closed breaker's last reason no longer explains anything.
    if (state === 'closed') this.#openReasons.delete(breaker.name);
    return { name: breaker.name, state, stats, reason: this.#openReasons.get(breaker.name) };
  }

  /**
   * Every source's state now, compared with the incidents held (opens, updates, resolves), then waits
   * for the bookkeeping. `checks` is the latest run of the health checks; `extra` the conditions of
   * sources read elsewhere (anomalies).
   */
  async sweep(
    now: number,
    checks: HealthCheckResult | undefined,
    extra: readonly Condition[] = [],
  ): Promise<void> {
    const { service, auto, incidents } = this.#options;
    const conditions: Condition[] = [...extra];
    for (const slo of this.#options.slos) {
      let status: SloStatus;
      let snapshot: SloSnapshot;
      try {
        status = slo.status();
        snapshot = slo.snapshot();
      } catch (error) {
        this.#options.onError(error, { source: this.#options.source, task: `slo ${slo.name}` });
        continue;
      }
      conditions.push(...sloConditions(service, status, auto, snapshot));
    }
    for (const breaker of this.#options.breakers) {
      const condition = breakerCondition(service, this.breakerView(breaker), auto);
      if (condition !== undefined) conditions.push(condition);
    }
    // A draining registry answers without its checks: it says nothing about them.
    const complete = checks !== undefined && !checks.draining;
    if (complete)
      for (const check of checks.checks) {
        const condition = checkCondition(service, check, auto);
        if (condition !== undefined) conditions.push(condition);
      }
    await incidents.sweep(conditions, now, complete ? ['check:'] : []);
    await incidents.settle();
  }
}
