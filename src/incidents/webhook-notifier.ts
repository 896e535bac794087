import { z } from 'zod';
import { parseOptions, resolveDeps } from '../core/index.js';
import { toAlertmanagerWebhook } from './alertmanager.js';
import {
  createDeliveryExecutor,
  deliveryRetrySchema,
  postJson,
  type DeliveryExecutor,
  type DeliveryRetryOptions,
} from './http-delivery.js';
import { userObject } from './user-object.js';
import type { Notifier } from './notifier.js';
import type { HttpNotifierDeps } from './pagerduty-notifier.js';

/** Options for {@link webhookNotifier}. */
export interface WebhookNotifierOptions {
  /** Where to POST. */
  readonly url: string;
  /** Extra request headers, e.g. `authorization`. @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default 'webhook' */
  readonly name?: string;
  /** Retry with backoff and a per-attempt timeout. @default see {@link DeliveryRetryOptions} */
  readonly retry?: DeliveryRetryOptions;
  /** Runs each POST instead of the built-in retry. @default none */
  readonly executor?: DeliveryExecutor;
}

const optionsSchema = z.strictObject({
  url: z.url(),
  headers: z.record(z.string(), z.string()).default({}),
  name: z.string().min(1).default('webhook'),
  retry: deliveryRetrySchema.default(deliveryRetrySchema.parse({})),
  executor: userObject<DeliveryExecutor>(
    (executor) => typeof executor.execute === 'function',
    'an executor with execute(fn, { signal })',
  ).optional(),
});

/** @internal The schema {@link WebhookNotifierOptions} is checked against (bound by a type test). */
export const webhookNotifierOptionsSchema = optionsSchema;

/**
 * Creates a notifier that POSTs each notification as Alertmanager's webhook JSON (version 4), so any
 * receiver written for Alertmanager works; retries with backoff and times out.
 *
 * @example
 * ```ts
 * const hook = webhookNotifier({ url: 'https://ops.example.com/hooks/alerts', headers: { authorization: `Bearer ${token}` } });
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function webhookNotifier(options: WebhookNotifierOptions, deps?: HttpNotifierDeps): Notifier {
  const parsed = parseOptions(optionsSchema, options, 'webhookNotifier');
  const { clock } = resolveDeps(deps);
  const deliveryDeps = {
    clock,
    ...(deps?.fetch === undefined ? {} : { fetch: deps.fetch }),
    ...(deps?.random === undefined ? {} : { random: deps.random }),
  };
  const executor = options.executor ?? createDeliveryExecutor(parsed.retry, deliveryDeps);
  return {
    name: parsed.name,
    async notify(notification, notifyOptions) {
      await postJson(parsed.url, toAlertmanagerWebhook(notification, clock.wallNow()), {
        headers: parsed.headers,
        executor,
        deps: deliveryDeps,
        ...(notifyOptions?.signal === undefined ? {} : { signal: notifyOptions.signal }),
      });
    },
  };
}
