import { z } from 'zod';
import { parseOptions } from '../core/index.js';
import type { HealthCheckDefinition, HealthCheckOutcome, ServiceHealth } from '../health/index.js';
import type { SloStatus } from '../slo/index.js';

/** How an observed service stands: the vocabulary of the service health report. */
export type ServiceState = 'up' | 'degraded' | 'down';

/**
 * Anything the service health report lists under `services`: a tracked dependency, a connection pool,
 * a cache or a data pipeline. The monitor takes these as they are.
 */
export interface ObservedService {
  /** The service's name: its key under `services` and its health check's name. */
  readonly name: string;
  /** Its entry in the service health report: `status` plus its observed fields, in snake_case. */
  serviceHealth(): ServiceHealth;
  /**
   * A check for a health registry (`health.register(name, dep.healthCheck())`): up passes, degraded
   * warns, down fails, with the service's main figure as the observed value and the reason as output.
   */
  healthCheck(): HealthCheckDefinition;
}

/** A state and why: every verdict says what it rests on. */
export interface ServiceVerdict {
  readonly state: ServiceState;
  /** Why, with the figures behind it (`"breaker open"`, `"12 of 40 calls failed in 60 s"`). */
  readonly reason: string;
}

const HEALTH_STATUS = { up: 'pass', degraded: 'warn', down: 'fail' } as const;

/** Names of dependencies, pools, caches and pipelines: valid as health check names and in SLO names. */
export const serviceNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'a name of 1 to 100 characters from A-Z a-z 0-9 . _ -');

/**
 * Validates a service name given as its own argument, so a bad one is reported as the field `name`.
 * @throws {ConfigError} when the name is not valid.
 */
export function parseServiceName(name: unknown, where: string): string {
  return parseOptions(z.strictObject({ name: serviceNameSchema }), { name }, where).name;
}

/** A zod field for a caller's function, passed through as it is (never wrapped). */
export function functionField<F>() {
  return z.custom<F>((value) => typeof value === 'function', { message: 'a function' });
}

/**
 * Builds a health check from a service's verdict and its main figure: up passes, degraded warns,
 * down fails; the reason is the output when it is not up.
 */
export function verdictCheck(
  measurement: string,
  unit: string,
  read: () => { readonly verdict: ServiceVerdict; readonly value: number | null },
): HealthCheckDefinition {
  return {
    componentType: 'component',
    measurement,
    run(): HealthCheckOutcome {
      const { verdict, value } = read();
      const status = HEALTH_STATUS[verdict.state];
      const observed = value === null ? {} : { observedValue: value, observedUnit: unit };
      return verdict.state === 'up'
        ? { status, ...observed }
        : { status, ...observed, output: verdict.reason };
    },
  };
}

/** Rounds a ratio or a figure for a report: 4 significant decimals, never `-0`. */
export function rounded(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor + 0;
}

/** An SLO of an observed service, summarised for its status. */
export interface ServiceSloStatus {
  /** The SLO's name: `<service>:availability`, `<service>:latency` or `<service>:freshness`. */
  readonly name: string;
  /** Its target. */
  readonly target: number;
  /** good ÷ total over its window; `null` before any event. */
  readonly sli: number | null;
  /** Good events (or fresh slices) in its window. */
  readonly good: number;
  /** All events (or judged slices) in its window. */
  readonly total: number;
  /** Share of the error budget left (negative when overspent). */
  readonly budgetRemaining: number;
  /** Its one-hour burn rate. */
  readonly burnRate1h: number;
  /** Severities of the burn-rate alerts firing now. */
  readonly firing: readonly string[];
}

/** Summarises an SLO tracker's status for a service's status. */
export function summariseSlo(status: SloStatus): ServiceSloStatus {
  return {
    name: status.name,
    target: status.target,
    sli: status.sli,
    good: status.good,
    total: status.total,
    budgetRemaining: rounded(status.budget.remaining),
    burnRate1h: rounded(status.burnRates['1h'] ?? 0),
    firing: status.alerts.filter((alert) => alert.firing).map((alert) => alert.severity),
  };
}

/** The verdict an SLO gives on its own: degraded while an alert fires or the budget is spent. */
export function sloVerdict(slo: ServiceSloStatus | undefined): ServiceVerdict | undefined {
  if (slo === undefined) return undefined;
  if (slo.firing.length > 0)
    return { state: 'degraded', reason: `${slo.name} burn-rate alert firing (${slo.firing.join(', ')})` };
  if (slo.total > 0 && slo.budgetRemaining <= 0)
    return { state: 'degraded', reason: `${slo.name} error budget spent (${slo.good} of ${slo.total} good)` };
  return undefined;
}
