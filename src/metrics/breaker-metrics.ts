import { z } from 'zod';
import { checkUnique, parseOptions } from '../core/index.js';
import type { CircuitBreaker, CircuitState } from '../resilience/index.js';
import type { MetricFamily, MetricSample, MetricsSource } from './metric-family.js';

const STATES: readonly CircuitState[] = ['closed', 'open', 'halfOpen', 'isolated'];
type CallOutcome = 'success' | 'failure' | 'ignored' | 'rejected';

const breakerListSchema = z
  .object({ breakers: z.array(z.custom<BreakerStatsSource>(() => true)) })
  .superRefine((value, ctx) => checkUnique(ctx, value.breakers, ['breakers'], { noun: 'breaker' }));

/** A breaker as this source reads it: any `CircuitBreaker`, whatever its fallback type. */
export type BreakerStatsSource = Pick<CircuitBreaker, 'name' | 'state' | 'stats'>;

/**
 * Exposes circuit breakers: `sre_circuit_breaker_state{breaker,state}` (1 for the current state, 0 for
 * the others, so `== 1` selects it and alerts survive renames of the value), calls by outcome, timeouts
 * and slow calls as counters. Breaker names must be unique: Prometheus drops all but one of two series
 * with the same labels.
 *
 * @example
 * ```ts
 * app.get('/metrics', metricsHandler({ http: sre, breakers: [payments] }));
 * ```
 * @throws {ConfigError} when two breakers share a name.
 */
export function breakerMetrics(breakers: readonly BreakerStatsSource[]): MetricsSource {
  const list = [...parseOptions(breakerListSchema, { breakers }, 'breakerMetrics').breakers];
  return {
    *collect() {
      if (list.length === 0) return;
      const state: MetricSample[] = [];
      const calls: MetricSample[] = [];
      const timeouts: MetricSample[] = [];
      const slow: MetricSample[] = [];
      for (const breaker of list) {
        const s = breaker.stats();
        for (const name of STATES)
          state.push({ labels: { breaker: s.name, state: name }, value: s.state === name ? 1 : 0 });
        const outcomes: ReadonlyArray<readonly [CallOutcome, number]> = [
          ['success', s.successes],
          ['failure', s.failures],
          ['ignored', s.ignored],
          ['rejected', s.rejections],
        ];
        for (const [outcome, value] of outcomes)
          calls.push({ suffix: '_total', labels: { breaker: s.name, outcome }, value });
        timeouts.push({ suffix: '_total', labels: { breaker: s.name }, value: s.timeouts });
        slow.push({ suffix: '_total', labels: { breaker: s.name }, value: s.slowCalls });
      }
      const families: MetricFamily[] = [
        {
          name: 'sre_circuit_breaker_state',
          help: 'Circuit breaker state: 1 for the current one.',
          type: 'gauge',
          samples: state,
        },
        {
          name: 'sre_circuit_breaker_calls',
          help: 'Calls through each breaker by outcome; rejected calls never ran.',
          type: 'counter',
          samples: calls,
        },
        {
          name: 'sre_circuit_breaker_timeouts',
          help: "Calls that hit the breaker's own timeout (also counted as failures).",
          type: 'counter',
          samples: timeouts,
        },
        {
          name: 'sre_circuit_breaker_slow_calls',
          help: 'Calls slower than the slow-call threshold.',
          type: 'counter',
          samples: slow,
        },
      ];
      yield* families;
    },
  };
}
