import { z } from 'zod';
import { parseOptions, resolveDeps, type Clock, type Deps } from '../core/index.js';
import { InjectedFaultError } from '../core/errors.js';
import { scopeOf, type CallScope } from './call-scope.js';
import { invoke, rejectWith } from './invoke.js';
import type { ExecuteContext, ExecuteOptions, Policy, Work } from './policy.js';
import { sleep } from './sleep.js';

/** Options for {@link createFaultInjector}. */
export interface FaultInjectorOptions {
  /**
   * Whether faults are injected; switch at run time with `enable()` / `disable()`.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The share of calls (0..1) that fail with an injected error instead of running.
   * @default 0
   */
  readonly errorRate?: number;
  /**
   * Latency added before a call, in ms: a fixed number or a uniform range.
   * @default 0
   */
  readonly latencyMs?: number | { readonly min: number; readonly max: number };
  /**
   * The share of calls (0..1) that get the added latency.
   * @default 1
   */
  readonly latencyRate?: number;
  /**
   * Builds the injected error. @default () => new InjectedFaultError()
   */
  readonly createError?: () => unknown;
  /**
   * Uniform random numbers in [0, 1); pass a seeded one for reproducible chaos. @default Math.random
   */
  readonly random?: () => number;
}

const ms = z.number().min(0).max(2_147_483_647);
const rate = z.number().min(0).max(1);
const fn = z.custom<() => unknown>((v) => typeof v === 'function', { message: 'a function' });

const latencySchema = z.union([
  ms,
  z.strictObject({ min: ms, max: ms }).refine((r) => r.max >= r.min, { message: 'max >= min' }),
]);

/** @internal The schema bound to {@link FaultInjectorOptions} by a type test. */
export const faultInjectorOptionsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  errorRate: rate.default(0),
  latencyMs: latencySchema.default(0),
  latencyRate: rate.default(1),
  createError: fn.optional(),
  random: z.custom<() => number>((v) => typeof v === 'function', { message: 'a function' }).optional(),
});

/** What a fault injector injects, as {@link FaultInjector.settings} reports and `configure` changes it. */
export interface FaultSettings {
  readonly enabled: boolean;
  readonly errorRate: number;
  readonly latencyMs: number | { readonly min: number; readonly max: number };
  readonly latencyRate: number;
}

const settingsSchema = z.strictObject({
  enabled: z.boolean().optional(),
  errorRate: rate.optional(),
  latencyMs: latencySchema.optional(),
  latencyRate: rate.optional(),
});

/** What a fault injector has done since creation. */
export interface FaultInjectorStats {
  readonly enabled: boolean;
  /** Calls that went through the injector. */
  readonly calls: number;
  /** Calls failed on purpose. */
  readonly injectedErrors: number;
  /** Calls delayed on purpose. */
  readonly injectedDelays: number;
}

/** A policy that injects failures and latency on purpose (chaos testing). */
export interface FaultInjector extends Policy<ExecuteContext> {
  /** Whether faults are being injected. */
  readonly enabled: boolean;
  /** Starts injecting faults. */
  enable(): void;
  /** Stops injecting faults: calls run untouched. */
  disable(): void;
  /** What it injects now. */
  settings(): FaultSettings;
  /**
   * Changes what it injects from the next call on (a drill's injection), and returns the settings it
   * replaced, so passing them back restores it. Fields left out keep their value.
   * @throws {ConfigError} naming a bad field (an error rate above 1, a negative latency).
   */
  configure(settings: Partial<FaultSettings>): FaultSettings;
  /** What it has done. */
  stats(): FaultInjectorStats;
}

class Injector implements FaultInjector {
  enabled: boolean;
  readonly #clock: Clock;
  readonly #random: () => number;
  #errorRate = 0;
  #latency: FaultSettings['latencyMs'] = 0;
  #latencyMin = 0;
  #latencySpan = 0;
  #requestedLatencyRate = 1;
  #latencyRate = 0;
  readonly #createError: () => unknown;
  #calls = 0;
  #errors = 0;
  #delays = 0;

  constructor(options: z.output<typeof faultInjectorOptionsSchema>, clock: Clock) {
    this.#clock = clock;
    this.enabled = options.enabled;
    this.#random = options.random ?? Math.random;
    this.#apply(options);
    this.#createError = options.createError ?? (() => new InjectedFaultError());
  }

  execute<T>(work: Work<T>, options?: ExecuteOptions): Promise<T> {
    const scope = scopeOf(options);
    if (scope.aborted) return rejectWith(scope.abortReason);
    if (!this.enabled) return invoke(work, scope);
    this.#calls++;
    if (this.#latencyRate > 0 && this.#random() < this.#latencyRate) {
      this.#delays++;
      const delay = this.#latencyMin + this.#random() * this.#latencySpan;
      return sleep(this.#clock, delay, scope).then(() => this.#maybeFail(work, scope));
    }
    return this.#maybeFail(work, scope);
  }

  enable(): void {
    this.enabled = true;
  }

  disable(): void {
    this.enabled = false;
  }

  settings(): FaultSettings {
    return {
      enabled: this.enabled,
      errorRate: this.#errorRate,
      latencyMs: this.#latency,
      latencyRate: this.#requestedLatencyRate,
    };
  }

  configure(settings: Partial<FaultSettings>): FaultSettings {
    const parsed = parseOptions(settingsSchema, settings, 'FaultInjector.configure');
    const previous = this.settings();
    this.#apply({ ...previous, ...(definedOnly(parsed) as Partial<FaultSettings>) });
    return previous;
  }

  #apply(settings: FaultSettings): void {
    this.enabled = settings.enabled;
    this.#errorRate = settings.errorRate;
    const latency = settings.latencyMs;
    this.#latency = latency;
    this.#latencyMin = typeof latency === 'number' ? latency : latency.min;
    this.#latencySpan = typeof latency === 'number' ? 0 : latency.max - latency.min;
    this.#requestedLatencyRate = settings.latencyRate;
    this.#latencyRate = this.#latencyMin + this.#latencySpan > 0 ? settings.latencyRate : 0;
  }

  stats(): FaultInjectorStats {
    return {
      enabled: this.enabled,
      calls: this.#calls,
      injectedErrors: this.#errors,
      injectedDelays: this.#delays,
    };
  }

  #maybeFail<T>(work: Work<T>, scope: CallScope): Promise<T> {
    if (this.#errorRate > 0 && this.#random() < this.#errorRate) {
      this.#errors++;
      return invoke(() => {
        throw this.#createError();
      }, scope);
    }
    return invoke(work, scope);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Creates a fault injector for chaos testing: it delays calls by `latencyMs` (on the injected clock,
 * abortable) and fails `errorRate` of them with `InjectedFaultError` instead of running them. Injected
 * errors are ordinary failures to the policies around it, so a breaker outside it opens as it would in
 * a real outage.
 *
 * @example
 * ```ts
 * const chaos = createFaultInjector({ errorRate: 0.1, latencyMs: { min: 50, max: 500 } });
 * await compose(retry, breaker, chaos).execute(({ signal }) => callPayments(signal));
 * ```
 * @throws {ConfigError} naming each bad option.
 */
export function createFaultInjector(options?: FaultInjectorOptions, deps?: Deps): FaultInjector {
  const parsed = parseOptions(faultInjectorOptionsSchema, options ?? {}, 'createFaultInjector');
  return new Injector(parsed, resolveDeps(deps).clock);
}
