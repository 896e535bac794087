import { ConfigError, describeValue } from '../../core/index.js';
import type { HealthCheckDefinition } from '../types.js';
import { round } from './shared.js';

/**
 * The part of a circuit breaker {@link circuitBreaker} reads. Structural, so health never imports the
 * resilience primitive: `createCircuitBreaker`'s breakers fit it, and so does any look-alike.
 */
export interface BreakerLike {
  readonly name: string;
  /** `closed`, `open`, `halfOpen` or `isolated`. */
  readonly state: string;
  stats(): {
    readonly failures: number;
    readonly calls: number;
    readonly failureWindow?: { readonly ratio: number };
  };
}

/**
 * A check of a circuit breaker: fails while it is open or isolated (its dependency is refused),
 * warns while half-open (probing), passes when closed. Observes the state, and the failure rate of the
 * breaker's window (or since creation when it counts consecutive failures) as a `ratio` in the output.
 *
 * @example
 * ```ts
 * health.register('payments', checks.circuitBreaker(paymentsBreaker), { critical: false });
 * ```
 * @throws {ConfigError} when `breaker` has no `name`, `state` and `stats()`.
 */
export function circuitBreaker(breaker: BreakerLike): HealthCheckDefinition {
  if (
    typeof breaker !== 'object' ||
    breaker === null ||
    typeof breaker.name !== 'string' ||
    typeof breaker.stats !== 'function'
  ) {
    throw new ConfigError('checks.circuitBreaker', [
      {
        field: 'breaker',
        received: describeValue(breaker),
        expected: 'a circuit breaker (name, state, stats())',
      },
    ]);
  }
  return {
    componentType: 'component',
    measurement: 'state',
    run() {
      // Reading `state` moves an open circuit whose open period has passed to half-open.
      const state = breaker.state;
      if (state === 'closed') return { status: 'pass', observedValue: state };
      const stats = breaker.stats();
      const ratio = round(
        stats.failureWindow?.ratio ?? (stats.calls === 0 ? 0 : stats.failures / stats.calls),
        4,
      );
      const output = `circuit ${breaker.name} is ${state} (failure rate ${ratio})`;
      return state === 'halfOpen'
        ? { status: 'warn', observedValue: state, output }
        : { status: 'fail', observedValue: state, output };
    },
  };
}
