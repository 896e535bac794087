import { z } from 'zod';
import { parseOptions, resolveDeps, type Deps } from '../../core/index.js';
import type { HealthCheckDefinition, HealthCheckOutcome } from '../types.js';
import { statusAbove } from './shared.js';

/** When something was last updated: a `Date`, epoch milliseconds, or nothing if it never was. */
export type LastUpdatedAt = Date | number | null | undefined;

/** Options for {@link freshness}. */
export interface FreshnessCheckOptions {
  /**
   * Reads when the data was last updated (a sync, a cache refresh, a consumer's last message).
   * May be async.
   */
  readonly lastUpdatedAt: () => LastUpdatedAt | Promise<LastUpdatedAt>;
  /**
   * Warn when the data is this many milliseconds old.
   * @default undefined (never warns)
   */
  readonly warnLagMs?: number;
  /**
   * Fail when the data is this many milliseconds old (or was never updated).
   * @example 5 * 60_000 // "sync lag < 5 minutes"
   */
  readonly failLagMs: number;
}

/** The schema behind the options interface (bound to it by a type test). */
export const freshnessOptionsSchema = z
  .strictObject({
    lastUpdatedAt: z.custom<FreshnessCheckOptions['lastUpdatedAt']>((v) => typeof v === 'function', {
      message: 'a function',
    }),
    warnLagMs: z.number().gt(0).optional(),
    failLagMs: z.number().gt(0),
  })
  .refine((o) => o.warnLagMs === undefined || o.warnLagMs < o.failLagMs, {
    path: ['warnLagMs'],
    message: 'a number < failLagMs',
  });

/**
 * A check of how stale some data is: the lag between the injected clock's wall time and
 * `lastUpdatedAt()`, reported as `lag` in `ms`.
 *
 * @example
 * ```ts
 * health.register('sync', checks.freshness({ lastUpdatedAt: () => lastSync, warnLagMs: 60_000, failLagMs: 300_000 }));
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function freshness(options: FreshnessCheckOptions, deps?: Deps): HealthCheckDefinition {
  const { lastUpdatedAt, warnLagMs, failLagMs } = parseOptions(
    freshnessOptionsSchema,
    options,
    'checks.freshness',
  );
  const { clock } = resolveDeps(deps);
  const judge = (value: LastUpdatedAt): HealthCheckOutcome => {
    if (value === null || value === undefined) return { status: 'fail', output: 'never updated' };
    const at = value instanceof Date ? value.getTime() : value;
    if (typeof at !== 'number' || !Number.isFinite(at))
      return { status: 'fail', output: 'lastUpdatedAt returned an invalid time' };
    // A timestamp from the future (clock skew) is as fresh as it gets, not negative lag.
    const lagMs = Math.max(0, clock.wallNow() - at);
    const status = statusAbove(lagMs, warnLagMs, failLagMs);
    return status === 'pass'
      ? { status, observedValue: lagMs, observedUnit: 'ms' }
      : {
          status,
          observedValue: lagMs,
          observedUnit: 'ms',
          output: `last updated at ${new Date(at).toISOString()}`,
        };
  };
  return {
    componentType: 'component',
    measurement: 'lag',
    run() {
      const value = lastUpdatedAt();
      return value instanceof Promise ? value.then(judge) : judge(value);
    },
  };
}
