import { z } from 'zod';

/** Options for {@link createErrorGroups}. */
export interface ErrorGroupsOptions {
  /**
   * The most groups tracked. Beyond it the least frequent group makes room (Space-Saving), so every
   * reported count overestimates by at most `captured / maxGroups` (each group states its own bound).
   * @default 500
   */
  readonly maxGroups?: number;
  /**
   * The application's root directory: frames under it (outside node_modules) are in-app and are
   * named by their path relative to it.
   * @default process.cwd() at creation
   */
  readonly inAppRoot?: string;
  /**
   * How many in-app frames (top first) identify a group: 1 groups every error a helper throws
   * together; more split them by caller.
   * @default 3
   */
  readonly frames?: number;
  /**
   * Routes counted per group (the most frequent kept, Space-Saving again).
   * @default 5
   */
  readonly routesPerGroup?: number;
  /**
   * The most `sre_errors_total{type,route}` series exposed: the (type, route) pairs with the most
   * errors, so a storm of new error types cannot blow up the scrape.
   * @default 100
   */
  readonly maxSeries?: number;
  /**
   * Keep the latest raw stack per group and show it (and the top frames) in `top()`. Off by default:
   * stacks name files and functions an outsider should not see, and messages can carry data, so only
   * parameterised messages leave the process.
   * @default false
   */
  readonly exposeDetails?: boolean;
  /**
   * Distinct stack strings whose fingerprint is remembered, so a repeated error costs a map lookup;
   * 0 computes every fingerprint afresh. The cache holds the stack strings (about 1 KB each).
   * @default 128
   */
  readonly fingerprintCacheSize?: number;
  /**
   * Parameterised messages are cut to this many characters.
   * @default 300
   */
  readonly maxMessageLength?: number;
}

/** @internal The schema {@link ErrorGroupsOptions} is checked against (bound by a type test). */
export const errorGroupsOptionsSchema = z.strictObject({
  maxGroups: z.number().int().min(1).max(100_000).default(500),
  inAppRoot: z.string().min(1).max(4_096).optional(),
  frames: z.number().int().min(1).max(20).default(3),
  routesPerGroup: z.number().int().min(1).max(50).default(5),
  maxSeries: z.number().int().min(1).max(10_000).default(100),
  exposeDetails: z.boolean().default(false),
  fingerprintCacheSize: z.number().int().min(0).max(100_000).default(128),
  maxMessageLength: z.number().int().min(20).max(10_000).default(300),
});
