import { z } from 'zod';
import type { CanaryJudge } from './judge.js';
import type { CanaryObservation } from './observation.js';

/** Options for `createRolloutGate`. */
export interface RolloutGateOptions {
  /** What the rollout is called in statuses, events and readiness reasons. @default 'canary' */
  readonly name?: string;
  /** The judge every check asks. */
  readonly judge: CanaryJudge;
  /**
   * The canary's share of traffic at each step, in percent: increasing, each above 0 and at most 100.
   * Every step below 100 is judged until it passes; after the last one the canary gets 100 %.
   * @example [5, 25, 50, 100]
   */
  readonly steps: readonly number[];
  /** Time between two checks of a step, ms (the first check comes one interval after the step starts). */
  readonly intervalMs: number;
  /**
   * Failing verdicts in a row that roll the canary back. One flaky check does not; a verdict that is
   * not `fail` resets the count.
   * @default 2
   */
  readonly consecutiveFailures?: number;
  /**
   * Checks of one step without a pass (inconclusive, marginal, failing or unmeasured) before the canary
   * is rolled back: a canary that never gathers the evidence to pass is not promoted. Traffic that
   * vanishes leaves every check inconclusive, so it ends here too.
   * @default 60
   */
  readonly maxChecksPerStep?: number;
  /**
   * Reads both arms' cumulative counts and latency now (requests, errors, `encode()` or `histogram()`).
   * The gate judges what each step gained since the step began.
   */
  readonly observe: () => CanaryObservation | Promise<CanaryObservation>;
  /**
   * Routes `percent` of traffic to the canary (the load balancer or service mesh call). 0 is a
   * rollback, 100 the promotion. A step starts once it has resolved.
   */
  readonly setWeight: (percent: number) => void | Promise<void>;
}

const MAX_TIMER_MS = 2_147_483_647;
const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: what });

/** @internal The schema {@link RolloutGateOptions} is checked against (bound by a type test). */
export const rolloutGateOptionsSchema = z.strictObject({
  name: z.string().min(1).max(128).default('canary'),
  judge: z.custom<CanaryJudge>(
    (v) => typeof v === 'object' && v !== null && typeof (v as CanaryJudge).evaluate === 'function',
    { message: 'a canary judge (evaluate)' },
  ),
  steps: z
    .array(z.number().gt(0).max(100))
    .min(1)
    .max(100)
    .refine((steps) => steps.every((s, i) => i === 0 || s > (steps[i - 1] as number)), 'increasing steps'),
  intervalMs: z.number().int().min(1).max(MAX_TIMER_MS),
  consecutiveFailures: z.number().int().min(1).max(1_000).default(2),
  maxChecksPerStep: z.number().int().min(1).max(100_000).default(60),
  observe: fn('a function returning the observation of both arms'),
  setWeight: fn('a function routing a share of traffic to the canary'),
});

/** Options after parsing. */
export type ParsedRolloutGateOptions = z.output<typeof rolloutGateOptionsSchema>;
