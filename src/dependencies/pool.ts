import { z } from 'zod';
import { parseOptions } from '../core/index.js';
import type { HealthCheckDefinition, ServiceHealth } from '../health/index.js';
import {
  functionField,
  rounded,
  parseServiceName,
  verdictCheck,
  type ObservedService,
  type ServiceVerdict,
} from './service.js';

/** How to read a connection pool: functions over the pool's own counters (read when asked, never cached). */
export interface ObservePoolOptions {
  /** Connections open now, idle and in use (`pool.totalCount` in pg, `pool.size` in generic-pool). */
  readonly total: () => number;
  /** Open connections not in use (`pool.idleCount`, `pool.available`). */
  readonly idle: () => number;
  /** Requests waiting for a connection (`pool.waitingCount`, `pool.pending`). */
  readonly waiting: () => number;
  /**
   * The most connections the pool opens (`pool.options.max`, `pool.max`). Without it, saturation is
   * judged against the connections open now.
   * @default undefined
   */
  readonly max?: () => number;
  /**
   * The share of the pool in use at which it is reported degraded even with nobody waiting.
   * @default 1 (only a full pool with waiters degrades)
   */
  readonly degradedUtilization?: number;
}

/** @internal The schema bound to {@link ObservePoolOptions} by a type test. */
export const observePoolOptionsSchema = z.strictObject({
  total: functionField<() => number>(),
  idle: functionField<() => number>(),
  waiting: functionField<() => number>(),
  max: functionField<() => number>().optional(),
  degradedUtilization: z.number().gt(0).max(1).default(1),
});

/** A pool's state at one reading. */
export interface PoolStatus {
  /** The pool's name. */
  readonly name: string;
  /** up, degraded (saturated with waiters, or past `degradedUtilization`), or degraded when unreadable. */
  readonly state: ServiceVerdict['state'];
  /** Why, with the figures. */
  readonly reason: string;
  /** Connections open. */
  readonly total: number;
  /** Open connections not in use. */
  readonly idle: number;
  /** Connections in use: total − idle. */
  readonly inUse: number;
  /** Requests waiting for a connection. */
  readonly waiting: number;
  /** The pool's limit, `null` when not given. */
  readonly max: number | null;
  /** inUse ÷ max (or ÷ total without a max); `null` when the denominator is 0 or unreadable. */
  readonly utilization: number | null;
  /** Every connection it may open is in use and requests wait. */
  readonly saturated: boolean;
}

/** A connection pool whose occupancy feeds the health report and capacity forecasts. */
export interface ObservedPool extends ObservedService {
  /** Reads the pool now (reading changes nothing). */
  status(): PoolStatus;
}

interface Reading {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
  readonly max: number | null;
}

class Pool implements ObservedPool {
  readonly name: string;
  readonly #options: z.output<typeof observePoolOptionsSchema>;

  constructor(name: string, options: z.output<typeof observePoolOptionsSchema>) {
    this.name = name;
    this.#options = options;
  }

  status(): PoolStatus {
    const reading = this.#read();
    if (typeof reading === 'string') {
      return {
        name: this.name,
        state: 'degraded',
        reason: reading,
        total: 0,
        idle: 0,
        inUse: 0,
        waiting: 0,
        max: null,
        utilization: null,
        saturated: false,
      };
    }
    const { total, idle, waiting, max } = reading;
    const inUse = Math.max(0, total - idle);
    const capacity = max ?? total;
    const utilization = capacity > 0 ? rounded(inUse / capacity) : null;
    const full = capacity > 0 && inUse >= capacity;
    const saturated = full && waiting > 0;
    const figures = `${inUse} of ${max ?? `${total} open`} in use, ${waiting} waiting`;
    let verdict: ServiceVerdict = { state: 'up', reason: figures };
    if (saturated) verdict = { state: 'degraded', reason: `pool saturated: ${figures}` };
    else if (utilization !== null && utilization >= this.#options.degradedUtilization && max !== null)
      verdict = { state: 'degraded', reason: `pool at ${Math.round(utilization * 100)} %: ${figures}` };
    return { name: this.name, ...verdict, total, idle, inUse, waiting, max, utilization, saturated };
  }

  serviceHealth(): ServiceHealth {
    const status = this.status();
    const health: ServiceHealth = {
      status: status.state,
      connections: status.total,
      idle: status.idle,
      in_use: status.inUse,
      waiting: status.waiting,
    };
    if (status.max !== null) health.max = status.max;
    if (status.utilization !== null) health.saturation = status.utilization;
    if (status.state !== 'up') health.reason = status.reason;
    return health;
  }

  healthCheck(): HealthCheckDefinition {
    return verdictCheck('connections', 'count', () => {
      const status = this.status();
      return { verdict: status, value: status.reason.startsWith('reading') ? null : status.total };
    });
  }

  // The counters, or why they could not be read (a throwing or nonsensical reader).
  #read(): Reading | string {
    try {
      const total = this.#options.total();
      const idle = this.#options.idle();
      const waiting = this.#options.waiting();
      const max = this.#options.max?.() ?? null;
      for (const value of [total, idle, waiting, max ?? 0]) {
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
          return `reading the pool gave ${String(value)}: not a count`;
      }
      return { total, idle, waiting, max };
    } catch (error) {
      return `reading the pool failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

/**
 * Observes a connection pool through its own counters: connections open, idle, in use and waiting,
 * and whether it is saturated (every connection in use with requests waiting). Nothing is sampled in
 * the background; each read asks the pool.
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ max: 10 });
 * const database = observePool('database', {
 *   total: () => pool.totalCount, idle: () => pool.idleCount, waiting: () => pool.waitingCount,
 *   max: () => 10,
 * });
 * ```
 * @throws {ConfigError} naming each bad option.
 */
export function observePool(name: string, options: ObservePoolOptions): ObservedPool {
  const parsedName = parseServiceName(name, 'observePool');
  return new Pool(parsedName, parseOptions(observePoolOptionsSchema, options, 'observePool'));
}
