// The options of createAlertRouter, and their schema (parsed once, when a router is created).
import { z } from 'zod';
import type { Alert } from './alert.js';
import { parseMatcher } from './matchers.js';
import type { Notifier } from './notifier.js';
import { userObject } from './user-object.js';

/** One route: which alerts (matchers), who hears about them (notifiers), and how they are grouped. */
export interface AlertRoute {
  /** The receiver name in notifications. @default `route-<index>` */
  readonly name?: string;
  /**
   * Alertmanager matchers, all of which must hold: `severity="critical"`, `service=~"api|web"`,
   * `env!="dev"`, `team!~"infra.*"`. Alerts carry their labels plus `alertname`, `severity` and `service`.
   * A value is a double-quoted string (JSON escapes; `""` is the empty string) or an unquoted word free
   * of whitespace and of `{}!=~,\"'` and backticks; regexes are anchored at both ends. Anything else
   * (`severity=="critical`, an unbalanced quote) is a `ConfigError` naming the route and the matcher.
   * @default [] (every alert)
   */
  readonly matchers?: readonly string[];
  /** Who is told. Each is called on its own: one failing or hanging never affects another. */
  readonly notifiers: readonly Notifier[];
  /**
   * The labels alerts are grouped by: one notification per group. `['...']` groups by every label
   * (one alert per group).
   * @default the router's `groupBy`
   */
  readonly groupBy?: readonly string[];
  /** Keep matching later routes after this one matched. @default false */
  readonly continue?: boolean;
  /** Overrides the router's `groupWaitMs` for this route. */
  readonly groupWaitMs?: number;
  /** Overrides the router's `groupIntervalMs` for this route. */
  readonly groupIntervalMs?: number;
  /** Overrides the router's `repeatIntervalMs` for this route. */
  readonly repeatIntervalMs?: number;
  /** Tell the notifiers when alerts resolve (once per alert). @default true */
  readonly sendResolved?: boolean;
}

/** The silence an {@link AlertSilencer} found for an alert: the window holding it and when it closes. */
export interface AlertSilence {
  readonly window: { readonly id: string; readonly title: string };
  /** When the silence ends, epoch ms. */
  readonly endsAt: number;
}

/**
 * Decides which alerts are silenced, such as a maintenance calendar (`createMaintenanceCalendar`). It is
 * asked once per alert sent, so it must be fast, and it must not throw.
 */
export interface AlertSilencer {
  /** The silence holding `alert` at `atMs` (epoch ms), or undefined. */
  silencing(alert: Alert, atMs: number): AlertSilence | undefined;
}

/** Options for {@link createAlertRouter}. */
export interface AlertRouterOptions {
  /** Tried in order; the first that matches takes the alert unless it sets `continue`. */
  readonly routes: readonly AlertRoute[];
  /**
   * How long a new group waits for more alerts before its first notification.
   * @default 30_000
   */
  readonly groupWaitMs?: number;
  /**
   * How often a group is re-examined: new or resolved alerts since the last notification are sent then.
   * @default 300_000 (5 minutes)
   */
  readonly groupIntervalMs?: number;
  /**
   * How long before a notification about alerts still firing, with nothing new, is sent again.
   * @default 14_400_000 (4 hours)
   */
  readonly repeatIntervalMs?: number;
  /**
   * The default grouping labels.
   * @default ['alertname', 'service']
   */
  readonly groupBy?: readonly string[];
  /**
   * The most groups held; alerts for a new group past it are dropped and counted.
   * @default 1_000
   */
  readonly maxGroups?: number;
  /**
   * The most alerts per group; new alerts past it are dropped and counted.
   * @default 1_000
   */
  readonly maxAlertsPerGroup?: number;
  /**
   * How long `close()` waits for deliveries in flight. Past it each one's `signal` is aborted with a
   * `TimeoutError` and the delivery is reported failed (`failures`, `deliveryFailed`,
   * `onInternalError`), so a hung notifier cannot hold a shutdown forever. The HTTP notifiers retry
   * for up to a minute by default: at shutdown, a notification still retrying after this is given up.
   * @default 10_000
   */
  readonly closeTimeoutMs?: number;
  /**
   * Silences alerts (a maintenance calendar): a firing alert it holds is recorded (`silenced()`,
   * `stats().silenced`, the `received` event) and never grouped or delivered; its resolution is dropped
   * too. An alert a notifier has already heard fire is not silenced, so its resolution still reaches
   * whoever was told.
   * @default none
   */
  readonly silencer?: AlertSilencer;
  /**
   * The most silenced alerts remembered by `silenced()`; past it alerts are still silenced and counted.
   * @default 1_000
   */
  readonly maxSilenced?: number;
}

const MAX_TIMER_MS = 2_147_483_647;
const duration = z.number().min(0).max(MAX_TIMER_MS);
const notifierSchema = userObject<Notifier>(
  (notifier) => typeof notifier.notify === 'function' && typeof notifier.name === 'string',
  'a notifier ({ name, notify })',
);

const routeSchema = z.strictObject({
  name: z.string().min(1).optional(),
  matchers: z.array(z.string()).default([]),
  notifiers: z.array(notifierSchema).min(1),
  groupBy: z.array(z.string().min(1)).optional(),
  continue: z.boolean().default(false),
  groupWaitMs: duration.optional(),
  groupIntervalMs: z.number().positive().max(MAX_TIMER_MS).optional(),
  repeatIntervalMs: duration.optional(),
  sendResolved: z.boolean().default(true),
});

// Checked over the whole list so that a bad matcher is named with its route (`route "pager"`): the
// field path alone gives only the index.
const routesSchema = z
  .array(routeSchema)
  .min(1)
  .superRefine((routes, ctx) => {
    routes.forEach((route, index) => {
      route.matchers.forEach((text, at) => {
        const parsed = parseMatcher(text);
        if (typeof parsed !== 'string') return;
        ctx.addIssue({
          code: 'custom',
          path: [index, 'matchers', at],
          input: text,
          message: `${parsed}, in route ${JSON.stringify(route.name ?? `route-${index}`)}`,
        });
      });
    });
  });

const optionsSchema = z.strictObject({
  routes: routesSchema,
  groupWaitMs: duration.default(30_000),
  groupIntervalMs: z.number().positive().max(MAX_TIMER_MS).default(300_000),
  repeatIntervalMs: duration.default(4 * 3_600_000),
  groupBy: z.array(z.string().min(1)).default(['alertname', 'service']),
  maxGroups: z.number().int().positive().default(1_000),
  maxAlertsPerGroup: z.number().int().positive().default(1_000),
  closeTimeoutMs: duration.default(10_000),
  silencer: userObject<AlertSilencer>(
    (silencer) => typeof silencer.silencing === 'function',
    'a silencer ({ silencing(alert, atMs) }), such as a maintenance calendar',
  ).optional(),
  maxSilenced: z.number().int().positive().max(1_000_000).default(1_000),
});

/** @internal The schema {@link AlertRouterOptions} is checked against (bound by a type test). */
export const alertRouterOptionsSchema = optionsSchema;

/** @internal The options as parsed: defaults filled in. */
export type ParsedAlertRouterOptions = z.output<typeof optionsSchema>;
