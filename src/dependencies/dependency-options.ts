// The options of trackDependency and their schema.
import { z } from 'zod';
import type { RateLimiter } from '../ratelimit/index.js';
import type {
  CircuitBreakerOptions,
  RetryBudget,
  RetryBudgetOptions,
  RetryPolicyOptions,
} from '../resilience/index.js';
import type { BurnRatePreset, SloWindow } from '../slo/index.js';
import { functionField, serviceNameSchema } from './service.js';

/** The SLOs of a tracked dependency, judged per attempt (each request the dependency receives). */
export interface DependencySloOptions {
  /**
   * The share of attempts that must succeed, in (0, 1); `false` for no availability SLO.
   * @default 0.999
   */
  readonly availability?: number | false;
  /**
   * The latency limit in ms of a latency SLO ("95 % of attempts under 300 ms"); without it, none.
   * @default undefined (no latency SLO)
   */
  readonly latencyMs?: number;
  /**
   * The share of attempts that must succeed within `latencyMs`, in (0, 1).
   * @default 0.95
   */
  readonly latencyTarget?: number;
  /**
   * The budget window of both SLOs.
   * @default { kind: 'rolling', durationMs: 30 days }
   */
  readonly window?: SloWindow;
  /**
   * Burn-rate alerts on both SLOs.
   * @default 'google'
   */
  readonly alerts?: BurnRatePreset | false;
}

/** The throttle of a tracked dependency: wait for the partner's rate limit instead of collecting 429s. */
export interface DependencyThrottleOptions {
  /** The limiter holding the partner's limit (shared by every caller of that partner). */
  readonly limiter: RateLimiter;
  /**
   * The key in the limiter.
   * @default the dependency's name
   */
  readonly key?: string;
  /**
   * The longest wait accepted before a call rejects with `RateLimitedError`, in ms.
   * @default the limiter's `perMs`
   */
  readonly maxWaitMs?: number;
}

/** Options for {@link trackDependency}. */
export interface TrackDependencyOptions {
  /** The dependency's name (`payments-api`): 1 to 100 characters from `A-Z a-z 0-9 . _ -`. */
  readonly name: string;
  /**
   * Its SLOs, or `false` for none.
   * @default { availability: 0.999 }
   */
  readonly slo?: DependencySloOptions | false;
  /**
   * Circuit breaker options (its name is the dependency's), or `false` for no breaker.
   * @default {} (opens after 5 failures in a row, for 30 s)
   */
  readonly breaker?: Omit<CircuitBreakerOptions, 'name' | 'isFailure' | 'fallback'> | false;
  /**
   * Retry options, or `false` for no retries. Each retry goes through the breaker and the timeout.
   * @default { retries: 2 }
   */
  readonly retry?: Omit<RetryPolicyOptions, 'budget' | 'retryOn'> | false;
  /**
   * The retry budget that caps retries against this dependency (or one shared with other
   * dependencies), or `false` to retry without a budget.
   * @default {} (10 % of requests plus 10 a second, over 10 s)
   */
  readonly retryBudget?: RetryBudgetOptions | RetryBudget | false;
  /**
   * The time limit of each attempt, in ms, or `false` for none.
   * @default 10_000
   */
  readonly timeoutMs?: number | false;
  /**
   * Waits for a partner's rate limit before each call, or `false`.
   * @default false
   */
  readonly throttle?: DependencyThrottleOptions | false;
  /**
   * Whether an error counts against the dependency (its SLO, error rate and breaker), and is retried.
   * A caller's abort never counts, nor do sre-kit's own refusals (open circuit, rate limited).
   * @default () => true
   */
  readonly isFailure?: (error: unknown) => boolean;
  /**
   * The recent window the status's latency and error rate are computed over, in ms.
   * @default 60_000
   */
  readonly windowMs?: number;
  /**
   * The error rate in the window at which the dependency is degraded.
   * @default 0.05
   */
  readonly degradedErrorRate?: number;
  /**
   * The error rate in the window at which the dependency is down.
   * @default 0.5
   */
  readonly downErrorRate?: number;
  /**
   * Attempts the window must hold before its error rate judges the dependency; below it the rate is
   * reported but says nothing.
   * @default 10
   */
  readonly minCalls?: number;
}

const target = z.number().gt(0).lt(1);

/** @internal The schema bound to {@link TrackDependencyOptions} by a type test. */
export const trackDependencyOptionsSchema = z
  .strictObject({
    name: serviceNameSchema,
    slo: z
      .union([
        z.literal(false),
        z.strictObject({
          availability: z.union([z.literal(false), target]).default(0.999),
          latencyMs: z.number().gt(0).optional(),
          latencyTarget: target.default(0.95),
          window: z.custom<SloWindow>((v) => typeof v === 'object' && v !== null).optional(),
          alerts: z.union([z.literal(false), z.enum(['google', 'sloth'])]).default('google'),
        }),
      ])
      .default({ availability: 0.999, latencyTarget: 0.95, alerts: 'google' }),
    // Nested options are validated by the primitive they configure (errors re-named by `nested`);
    // copied so that freezing the parsed options never freezes the caller's object.
    breaker: z.union([z.literal(false), z.custom<object>(isObject).transform(copy)]).default({}),
    retry: z.union([z.literal(false), z.custom<object>(isObject).transform(copy)]).default({ retries: 2 }),
    retryBudget: z
      .union([
        z.literal(false),
        z.custom<object>(isObject).transform((v) => (isRetryBudget(v) ? v : copy(v))),
      ])
      .default({}),
    timeoutMs: z.union([z.literal(false), z.number().gt(0).max(2_147_483_647)]).default(10_000),
    throttle: z
      .union([
        z.strictObject({
          limiter: z.custom<RateLimiter>(
            (v) => isObject(v) && typeof (v as RateLimiter).throttle === 'function',
            {
              message: 'a rate limiter from createRateLimiter',
            },
          ),
          key: z.string().min(1).optional(),
          maxWaitMs: z.number().min(0).optional(),
        }),
        z.literal(false),
      ])
      .default(false),
    isFailure: functionField<(error: unknown) => boolean>().optional(),
    windowMs: z.number().min(1_000).max(86_400_000).default(60_000),
    degradedErrorRate: z.number().gt(0).max(1).default(0.05),
    downErrorRate: z.number().gt(0).max(1).default(0.5),
    minCalls: z.number().int().min(1).max(1_000_000).default(10),
  })
  .refine((o) => o.degradedErrorRate <= o.downErrorRate, {
    path: ['degradedErrorRate'],
    message: 'a number <= downErrorRate',
  });

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function copy(value: object): object {
  return { ...value };
}

/** @internal Whether a value is a shared retry budget (from createRetryBudget) rather than its options. */
export function isRetryBudget(value: unknown): value is RetryBudget {
  return isObject(value) && typeof (value as RetryBudget).tryAcquire === 'function';
}
