import { z } from 'zod';
import { ConfigError, describeValue, parseOptions } from '../../core/index.js';
import type { HealthCheckDefinition } from '../types.js';
import { round, statusBelow } from './shared.js';

/**
 * The part of an SLO tracker {@link sloBudget} reads. Structural, so health never imports the SLO
 * primitive: `createSloTracker()`'s trackers fit it.
 */
export interface SloBudgetSource {
  readonly name: string;
  status(): { readonly budget: { readonly remaining: number } };
}

/** Options for {@link sloBudget}. */
export interface SloBudgetCheckOptions {
  /**
   * Warn when the fraction of the error budget left falls to this or below.
   * @default 0.25
   */
  readonly warnRemaining?: number;
  /**
   * Fail when the fraction of the error budget left falls to this or below (0: the budget is spent).
   * @default 0
   */
  readonly failRemaining?: number;
}

/** The schema behind the options interface (bound to it by a type test). */
export const sloBudgetOptionsSchema = z
  .strictObject({
    warnRemaining: z.number().min(-1).max(1).default(0.25),
    failRemaining: z.number().min(-1).max(1).default(0),
  })
  .refine((o) => o.warnRemaining > o.failRemaining, {
    path: ['warnRemaining'],
    message: 'a number > failRemaining',
  });

/**
 * A check of an SLO's error budget: warns when the fraction left falls to `warnRemaining`, fails at
 * `failRemaining`, and observes the fraction left as a `ratio`. Each run reads the tracker's
 * `status()`, a pure read: checking the budget never changes the SLO's alerts.
 *
 * @example
 * ```ts
 * health.register('availability-budget', checks.sloBudget(availability, { warnRemaining: 0.2 }), {
 *   critical: false,
 * });
 * ```
 * @throws {ConfigError} when options are invalid or `slo` has no `name` and `status()`.
 */
export function sloBudget(slo: SloBudgetSource, options: SloBudgetCheckOptions = {}): HealthCheckDefinition {
  if (typeof slo !== 'object' || slo === null || typeof slo.status !== 'function') {
    throw new ConfigError('checks.sloBudget', [
      { field: 'slo', received: describeValue(slo), expected: 'an SLO tracker (name, status())' },
    ]);
  }
  const { warnRemaining, failRemaining } = parseOptions(sloBudgetOptionsSchema, options, 'checks.sloBudget');
  return {
    componentType: 'component',
    measurement: 'budgetRemaining',
    run() {
      const remaining = round(slo.status().budget.remaining, 4);
      const status = statusBelow(remaining, warnRemaining, failRemaining);
      return status === 'pass'
        ? { status, observedValue: remaining, observedUnit: 'ratio' }
        : {
            status,
            observedValue: remaining,
            observedUnit: 'ratio',
            output: `SLO ${slo.name}: ${round(remaining * 100, 2)} % of the error budget left`,
          };
    },
  };
}
