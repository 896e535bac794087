import { z } from 'zod';
import { parseOptions, resolveDeps } from '../core/index.js';
import {
  createDeliveryExecutor,
  deliveryRetrySchema,
  postJson,
  type DeliveryExecutor,
  type DeliveryRetryOptions,
} from './http-delivery.js';
import { userObject } from './user-object.js';
import type { Notification, Notifier } from './notifier.js';
import type { HttpNotifierDeps } from './pagerduty-notifier.js';

/** Options for {@link slackNotifier}. */
export interface SlackNotifierOptions {
  /** A Slack incoming-webhook URL (it is a secret: it is never put in error messages). */
  readonly webhookUrl: string;
  /** Overrides the webhook's channel (legacy webhooks only). @default the webhook's own */
  readonly channel?: string;
  /** Overrides the poster's name (legacy webhooks only). @default the webhook's own */
  readonly username?: string;
  /** @default 'slack' */
  readonly name?: string;
  /** The most alerts listed per message; the rest are counted. @default 10 */
  readonly maxAlertsListed?: number;
  /** Retry with backoff and a per-attempt timeout (Slack answers 429 with `Retry-After`). */
  readonly retry?: DeliveryRetryOptions;
  /** Runs each POST instead of the built-in retry. @default none */
  readonly executor?: DeliveryExecutor;
}

const optionsSchema = z.strictObject({
  webhookUrl: z.url(),
  channel: z.string().optional(),
  username: z.string().optional(),
  name: z.string().min(1).default('slack'),
  maxAlertsListed: z.number().int().positive().default(10),
  retry: deliveryRetrySchema.default(deliveryRetrySchema.parse({})),
  executor: userObject<DeliveryExecutor>(
    (executor) => typeof executor.execute === 'function',
    'an executor with execute(fn, { signal })',
  ).optional(),
});

/** @internal The schema {@link SlackNotifierOptions} is checked against (bound by a type test). */
export const slackNotifierOptionsSchema = optionsSchema;

/**
 * Creates a notifier that posts each notification to a Slack incoming webhook as one message.
 *
 * @example
 * ```ts
 * const slack = slackNotifier({ webhookUrl: process.env.SLACK_WEBHOOK_URL! });
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function slackNotifier(options: SlackNotifierOptions, deps?: HttpNotifierDeps): Notifier {
  const parsed = parseOptions(optionsSchema, options, 'slackNotifier');
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
      const body = {
        text: slackText(notification, parsed.maxAlertsListed),
        ...(parsed.channel === undefined ? {} : { channel: parsed.channel }),
        ...(parsed.username === undefined ? {} : { username: parsed.username }),
      };
      await postJson(parsed.webhookUrl, body, {
        executor,
        deps: deliveryDeps,
        ...(notifyOptions?.signal === undefined ? {} : { signal: notifyOptions.signal }),
      });
    },
  };
}

/** The Slack mrkdwn text of a notification: a headline, then one line per alert. */
export function slackText(notification: Notification, maxListed: number): string {
  const firing = notification.alerts.filter((alert) => alert.status === 'firing').length;
  const title = Object.values(notification.groupLabels).join(' ') || notification.receiver;
  const head =
    notification.status === 'firing'
      ? `:rotating_light: *[FIRING:${firing}] ${escape(title)}*`
      : `:white_check_mark: *[RESOLVED] ${escape(title)}*`;
  const lines = notification.alerts.slice(0, maxListed).map((alert) => {
    const mark =
      alert.status === 'firing'
        ? alert.severity === 'critical'
          ? ':red_circle:'
          : ':large_orange_circle:'
        : ':large_green_circle:';
    return `${mark} ${escape(alert.name)} (${escape(alert.service)}, ${alert.severity}): ${escape(alert.summary)}`;
  });
  const more = notification.alerts.length - maxListed;
  if (more > 0) lines.push(`…and ${more} more`);
  return [head, ...lines].join('\n');
}

// Slack treats &, < and > as control characters in mrkdwn.
function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
