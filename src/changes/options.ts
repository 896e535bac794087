import { z } from 'zod';

/** How strongly each kind of change is suspected, before time, service and signals: its `kind` factor. */
export const KIND_WEIGHTS = Object.freeze({
  deploy: 1,
  config: 0.9,
  flag: 0.8,
  infra: 0.7,
  rollback: 0.3,
} as const);

/** Options for `createChangeLog`. */
export interface ChangeLogOptions {
  /** The service changes belong to unless a change names its own. */
  readonly service: string;
  /** The most changes kept; past it the oldest (by start) are forgotten, ids included. @default 10_000 */
  readonly retain?: number;
  /**
   * How far back from an incident's opening changes are considered for correlation, ms (PagerDuty
   * shows the changes of the past 24 hours).
   * @default 86_400_000
   */
  readonly lookbackMs?: number;
  /**
   * The time factor of a correlation halves every `halfLifeMs` between a change finishing and the
   * incident opening.
   * @default 3_600_000
   */
  readonly halfLifeMs?: number;
  /**
   * Which services each service depends on (calls, stores, queues): a change to a dependency of the
   * incident's service is suspected more than one to an unrelated service.
   * @default {}
   * @example { checkout: ['payments', 'postgres'] }
   */
  readonly dependencies?: Readonly<Record<string, readonly string[]>>;
  /**
   * How long after a deployment a rollback, a hotfix or a linked incident makes it a failed deployment,
   * ms (DORA's change fail rate).
   * @default 86_400_000
   */
  readonly failureWindowMs?: number;
  /**
   * The least correlation score (0 to 1) at which an incident with no stated change is linked to its
   * top correlated change, for DORA's change fail rate and recovery time.
   * @default 0.3
   */
  readonly minLinkScore?: number;
}

const DAY_MS = 86_400_000;

/** @internal The schema {@link ChangeLogOptions} is checked against (bound by a type test). */
export const changeLogOptionsSchema = z.strictObject({
  service: z.string().min(1).max(128),
  retain: z.number().int().min(1).max(1_000_000).default(10_000),
  lookbackMs: z
    .number()
    .int()
    .min(60_000)
    .max(30 * DAY_MS)
    .default(DAY_MS),
  halfLifeMs: z
    .number()
    .int()
    .min(1_000)
    .max(30 * DAY_MS)
    .default(3_600_000),
  dependencies: z
    .record(z.string().min(1).max(128), z.array(z.string().min(1).max(128)).max(256).readonly())
    .refine((deps) => Object.keys(deps).length <= 1_000, 'at most 1,000 services')
    .default({}),
  failureWindowMs: z
    .number()
    .int()
    .min(60_000)
    .max(30 * DAY_MS)
    .default(DAY_MS),
  minLinkScore: z.number().min(0).max(1).default(0.3),
});

/** Options after parsing. */
export type ParsedChangeLogOptions = z.output<typeof changeLogOptionsSchema>;
