import { z } from 'zod';
import { parseOptions, resolveDeps, type Deps } from '../core/index.js';
import {
  createDeliveryExecutor,
  deliveryRetrySchema,
  postJson,
  type DeliveryExecutor,
  type DeliveryRetryOptions,
  type FetchLike,
} from './http-delivery.js';
import { userObject } from './user-object.js';
import type { Incident } from './incident.js';
import type { NotifiedAlert, Notification, Notifier } from './notifier.js';
import type { Diagnosis, EscalationContext } from './responder.js';
import { pagerDutySeverityOf, type PagerDutySeverity } from './severity.js';

const MAX_SUMMARY = 1024;
const MAX_DEDUP_KEY = 255;

/**
 * A PagerDuty Events API v2 event, as documented at
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ (trigger, acknowledge, resolve).
 * `payload` is required for `trigger` only; `dedup_key` for `acknowledge` and `resolve`.
 */
export const pagerDutyEventSchema = z
  .strictObject({
    routing_key: z.string().length(32),
    event_action: z.enum(['trigger', 'acknowledge', 'resolve']),
    dedup_key: z.string().min(1).max(MAX_DEDUP_KEY).optional(),
    payload: z
      .strictObject({
        summary: z.string().min(1).max(MAX_SUMMARY),
        source: z.string().min(1),
        severity: z.enum(['critical', 'error', 'warning', 'info']),
        timestamp: z.iso.datetime({ offset: true }).optional(),
        component: z.string().optional(),
        group: z.string().optional(),
        class: z.string().optional(),
        custom_details: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
    client: z.string().optional(),
    client_url: z.string().optional(),
    links: z.array(z.strictObject({ href: z.string(), text: z.string().optional() })).optional(),
    images: z
      .array(z.strictObject({ src: z.string(), href: z.string().optional(), alt: z.string().optional() }))
      .optional(),
  })
  .refine((event) => event.event_action !== 'trigger' || event.payload !== undefined, {
    message: 'a trigger event needs a payload',
    path: ['payload'],
  })
  .refine((event) => event.event_action === 'trigger' || event.dedup_key !== undefined, {
    message: 'acknowledge and resolve events need a dedup_key',
    path: ['dedup_key'],
  });

/** A PagerDuty Events API v2 event. */
export type PagerDutyEvent = z.output<typeof pagerDutyEventSchema>;

/** What {@link PagerDutyNotifier.trigger} takes (camelCase; the routing key is filled in). */
export interface PagerDutyTrigger {
  /** Same key → same PagerDuty alert; ≤ 255 characters. */
  readonly dedupKey: string;
  /** Truncated to PagerDuty's 1024 characters. */
  readonly summary: string;
  readonly severity: PagerDutySeverity;
  /** The affected system, e.g. a host or service name. */
  readonly source: string;
  readonly component?: string;
  readonly group?: string;
  readonly class?: string;
  readonly customDetails?: Readonly<Record<string, unknown>>;
  /** Epoch ms. */
  readonly timestamp?: number;
}

/** Options for {@link pagerDutyNotifier}. */
export interface PagerDutyNotifierOptions {
  /** The 32-character integration (routing) key of a PagerDuty service's Events API v2 integration. */
  readonly routingKey: string;
  /**
   * The Events API endpoint (set it to a test server, or the EU endpoint).
   * @default 'https://events.pagerduty.com/v2/enqueue'
   */
  readonly url?: string;
  /** @default 'pagerduty' */
  readonly name?: string;
  /** `client` shown in PagerDuty. @default 'sre-kit' */
  readonly client?: string;
  /** `client_url` shown in PagerDuty. @default none */
  readonly clientUrl?: string;
  /** Retry with backoff and a per-attempt timeout. @default see {@link DeliveryRetryOptions} */
  readonly retry?: DeliveryRetryOptions;
  /** Runs each POST instead of the built-in retry (e.g. `compose(retry, breaker, timeout)`). @default none */
  readonly executor?: DeliveryExecutor;
}

const optionsSchema = z.strictObject({
  routingKey: z.string().length(32),
  url: z.url().default('https://events.pagerduty.com/v2/enqueue'),
  name: z.string().min(1).default('pagerduty'),
  client: z.string().default('sre-kit'),
  clientUrl: z.string().optional(),
  retry: deliveryRetrySchema.default(deliveryRetrySchema.parse({})),
  executor: userObject<DeliveryExecutor>(
    (executor) => typeof executor.execute === 'function',
    'an executor with execute(fn, { signal })',
  ).optional(),
});

/** @internal The schema {@link PagerDutyNotifierOptions} is checked against (bound by a type test). */
export const pagerDutyNotifierOptionsSchema = optionsSchema;

/** A notifier for PagerDuty's Events API v2 that can also trigger, acknowledge and resolve by hand. */
export interface PagerDutyNotifier extends Notifier {
  /** Sends one event (the routing key is filled in); resolves once PagerDuty accepted it. */
  send(
    event: Omit<PagerDutyEvent, 'routing_key'>,
    options?: { readonly signal?: AbortSignal },
  ): Promise<void>;
  trigger(input: PagerDutyTrigger, options?: { readonly signal?: AbortSignal }): Promise<void>;
  acknowledge(dedupKey: string, options?: { readonly signal?: AbortSignal }): Promise<void>;
  resolve(dedupKey: string, options?: { readonly signal?: AbortSignal }): Promise<void>;
  /**
   * Pages for an incident (dedup key = incident id, severity mapped P1 critical … P4–P5 info): pass it
   * as a responder's `escalate`. Bound, so it can be passed around.
   */
  readonly escalate: (
    incident: Incident,
    diagnosis?: Diagnosis,
    context?: EscalationContext,
  ) => Promise<void>;
}

/** Deps of the HTTP notifiers: the clock and error hook, plus an injectable `fetch` and jitter source. */
export interface HttpNotifierDeps extends Deps {
  readonly fetch?: FetchLike;
  readonly random?: () => number;
}

/**
 * Creates a PagerDuty notifier: each firing alert becomes a `trigger` (dedup_key = the alert's key),
 * each resolved alert a `resolve`; POSTs retry with backoff (honouring 429 `Retry-After`) and time out.
 *
 * @example
 * ```ts
 * const pagerDuty = pagerDutyNotifier({ routingKey: process.env.PD_ROUTING_KEY! });
 * const router = createAlertRouter({ routes: [{ matchers: ['severity="critical"'], notifiers: [pagerDuty] }] });
 * const responder = createResponder({ recorder, runbooks, escalate: pagerDuty.escalate });
 * recorder.on('acknowledged', ({ incident }) => pagerDuty.acknowledge(incident.id));
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function pagerDutyNotifier(
  options: PagerDutyNotifierOptions,
  deps?: HttpNotifierDeps,
): PagerDutyNotifier {
  const parsed = parseOptions(optionsSchema, options, 'pagerDutyNotifier');
  const { clock } = resolveDeps(deps);
  const deliveryDeps = {
    clock,
    ...(deps?.fetch === undefined ? {} : { fetch: deps.fetch }),
    ...(deps?.random === undefined ? {} : { random: deps.random }),
  };
  const executor = options.executor ?? createDeliveryExecutor(parsed.retry, deliveryDeps);

  const send: PagerDutyNotifier['send'] = async (event, sendOptions) => {
    const body: Record<string, unknown> = { routing_key: parsed.routingKey, ...event };
    if (event.event_action === 'trigger') {
      body.client ??= parsed.client;
      if (parsed.clientUrl !== undefined) body.client_url ??= parsed.clientUrl;
    }
    await postJson(parsed.url, body, {
      executor,
      deps: deliveryDeps,
      ...(sendOptions?.signal === undefined ? {} : { signal: sendOptions.signal }),
    });
  };

  const trigger: PagerDutyNotifier['trigger'] = (input, sendOptions) =>
    send(
      {
        event_action: 'trigger',
        dedup_key: input.dedupKey.slice(0, MAX_DEDUP_KEY),
        payload: {
          summary: truncate(input.summary === '' ? input.dedupKey : input.summary, MAX_SUMMARY),
          source: input.source,
          severity: input.severity,
          ...(input.timestamp === undefined ? {} : { timestamp: new Date(input.timestamp).toISOString() }),
          ...(input.component === undefined ? {} : { component: input.component }),
          ...(input.group === undefined ? {} : { group: input.group }),
          ...(input.class === undefined ? {} : { class: input.class }),
          ...(input.customDetails === undefined ? {} : { custom_details: { ...input.customDetails } }),
        },
      },
      sendOptions,
    );

  const action =
    (eventAction: 'acknowledge' | 'resolve') =>
    (dedupKey: string, sendOptions?: { readonly signal?: AbortSignal }): Promise<void> =>
      send({ event_action: eventAction, dedup_key: dedupKey.slice(0, MAX_DEDUP_KEY) }, sendOptions);

  const alertEvent = (alert: NotifiedAlert, signal: AbortSignal | undefined): Promise<void> => {
    const sendOptions = signal === undefined ? undefined : { signal };
    if (alert.status === 'resolved') return action('resolve')(alert.dedupKey, sendOptions);
    return trigger(
      {
        dedupKey: alert.dedupKey,
        summary: alert.summary === '' ? alert.name : alert.summary,
        severity: alert.severity,
        source: alert.labels?.instance ?? alert.service,
        component: alert.service,
        class: alert.name,
        timestamp: alert.startsAt,
        customDetails: {
          ...(alert.description === undefined ? {} : { description: alert.description }),
          labels: { ...alert.labels },
          ...(alert.generatorUrl === undefined ? {} : { generator_url: alert.generatorUrl }),
        },
      },
      sendOptions,
    );
  };

  return {
    name: parsed.name,
    async notify(
      notification: Notification,
      notifyOptions?: { readonly signal?: AbortSignal },
    ): Promise<void> {
      // One event per alert, each retried on its own, so one rejected event does not hold back the rest.
      const results = await Promise.allSettled(
        notification.alerts.map((alert) => alertEvent(alert, notifyOptions?.signal)),
      );
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length === 1) throw failed[0]?.reason;
      if (failed.length > 1) {
        throw new AggregateError(
          failed.map((r) => r.reason as unknown),
          `${failed.length} of ${results.length} PagerDuty events failed`,
        );
      }
    },
    send,
    trigger,
    acknowledge: action('acknowledge'),
    resolve: action('resolve'),
    escalate: (incident, diagnosis, context) =>
      trigger({
        dedupKey: incident.id,
        summary: `[${incident.severity}] ${incident.title}`,
        severity: pagerDutySeverityOf(incident.severity),
        source: incident.service,
        component: incident.service,
        ...(incident.source === undefined ? {} : { class: incident.source }),
        timestamp: incident.openedAt,
        customDetails: {
          incident_id: incident.id,
          impact: incident.impact,
          occurrences: incident.occurrences,
          labels: { ...incident.labels },
          ...(diagnosis === undefined ? {} : { diagnosis: diagnosis.summary }),
          ...(diagnosis?.rootCause === undefined ? {} : { suspected_root_cause: diagnosis.rootCause }),
          ...(diagnosis?.details === undefined ? {} : { details: diagnosis.details }),
          ...(context === undefined
            ? {}
            : {
                escalation_reason: context.reason,
                attempts: context.attempts,
                ...(context.runbook === undefined ? {} : { runbook: context.runbook }),
              }),
        },
      }),
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
