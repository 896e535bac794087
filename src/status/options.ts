import { z } from 'zod';
import type { Monitor } from '../monitor/index.js';

/** What the status page reads of a monitor: `createMonitor()` returns one. */
export type StatusPageMonitor = Pick<Monitor, 'status' | 'uptime'>;

/**
 * Which components the page shows and how. A component is a public name: by default each health
 * check, SLO and circuit breaker is one, named as it was registered, and sources of one name (a check
 * and a breaker both called `payments`) are one component showing the worst of them.
 */
export interface StatusPageComponentOptions {
  /**
   * Public names by source: a source's name (`payments`) or key (`check:payments`, `slo:availability`,
   * `breaker:payments`) → the component it belongs to. Several sources may share one name: the
   * component then shows the worst of them, and each day's uptime the worst of theirs.
   * @default {} (each source is the component of its own name)
   * @example { availability: 'Checkout API', 'latency-200ms': 'Checkout API', 'breaker:payments': 'Payments' }
   */
  readonly names?: Readonly<Record<string, string>>;
  /**
   * Groups by name → the public names of their components. A group shows the worst status of its
   * components; a component belongs to one group at most.
   * @default {} (no groups)
   */
  readonly grouping?: Readonly<Record<string, readonly string[]>>;
  /**
   * Public names (components or groups) shown first, in this order; the rest follow in the monitor's
   * order (health checks, then SLOs, then breakers).
   * @default []
   */
  readonly order?: readonly string[];
  /** Public names shown only while they are not operational (Statuspage's `only_show_if_degraded`). @default [] */
  readonly onlyShowIfDegraded?: readonly string[];
  /** Sources (names or keys) never shown: internal checks such as event-loop delay. @default [] */
  readonly hide?: readonly string[];
  /** A one-line description per public name, shown under it. @default {} */
  readonly descriptions?: Readonly<Record<string, string>>;
}

/** Options for the status page (Express `statusPage`, the Fastify plugin's `statusPage`, `createStatusPage`). */
export interface StatusPageOptions {
  /** The page's title: the service as its users know it, e.g. `Checkout`. */
  readonly title: string;
  /**
   * Where the page is served: `GET <path>` (HTML), `<path>/summary.json`, `<path>/badge/<id>.svg`.
   * @default '/status'
   */
  readonly path?: string;
  /** The page's public URL, for `page.url` in the JSON. @default the path */
  readonly url?: string;
  /** Which components are shown, named and grouped how. @default every source, by its own name */
  readonly components?: StatusPageComponentOptions;
  /**
   * Show internal details: incidents' own titles, impact and timeline text, each component's sources
   * with their reasons and output (which may hold error text and host names). For an internal page only.
   * @default false
   */
  readonly exposeDetails?: boolean;
  /** `Cache-Control: max-age` of every answer, in seconds. @default 30 */
  readonly maxAgeSeconds?: number;
  /** Daily uptime bars per component, 1 to 90. @default 90 */
  readonly uptimeDays?: number;
}

const publicName = z.string().min(1).max(100);
const names = z.array(publicName).max(1_000).readonly();

/** @internal The schema {@link StatusPageOptions} is checked against (bound by a type test). */
export const statusPageOptionsSchema = z.strictObject({
  title: z.string().min(1).max(100),
  path: z
    .string()
    .regex(/^(\/[\w.~-]+)+$/, 'a path such as /status (segments of letters, digits, . _ ~ -)')
    .default('/status'),
  url: z.string().min(1).max(2_000).optional(),
  components: z
    .strictObject({
      names: z.record(z.string().min(1), publicName).readonly().default({}),
      grouping: z.record(publicName, names).readonly().default({}),
      order: names.default([]),
      onlyShowIfDegraded: names.default([]),
      hide: names.default([]),
      descriptions: z.record(publicName, z.string().max(500)).readonly().default({}),
    })
    .superRefine((value, ctx) => {
      // A component in two groups, or a group inside a group, has no one place on the page.
      const seen = new Map<string, string>();
      for (const [group, members] of Object.entries(value.grouping))
        for (const member of members) {
          if (member in value.grouping)
            ctx.addIssue({
              code: 'custom',
              path: ['grouping', group],
              message: `component names, not groups (${member} is a group)`,
            });
          const other = seen.get(member);
          if (other !== undefined)
            ctx.addIssue({
              code: 'custom',
              path: ['grouping', group],
              message: `each component in one group at most (${member} is in ${other} too)`,
            });
          seen.set(member, group);
        }
    })
    .default({ names: {}, grouping: {}, order: [], onlyShowIfDegraded: [], hide: [], descriptions: {} }),
  exposeDetails: z.boolean().default(false),
  maxAgeSeconds: z.number().int().min(0).max(86_400).default(30),
  uptimeDays: z.number().int().min(1).max(90).default(90),
});

/** The options after parsing: defaults filled in. */
export type ParsedStatusPageOptions = z.output<typeof statusPageOptionsSchema>;

/** @internal A monitor, or anything with `status()` and `uptime()`. */
export const statusPageMonitorSchema = z.custom<StatusPageMonitor>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<StatusPageMonitor>).status === 'function' &&
    typeof (value as Partial<StatusPageMonitor>).uptime === 'function',
  { message: 'a monitor (status, uptime): createMonitor() returns one' },
);
