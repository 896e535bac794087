// Alertmanager's webhook receiver for both adapters: authenticate, read Alertmanager's JSON (v4), and
// hand each alert to a responder, answering 200 only once every alert is durable in the incident store.
// Alertmanager retries a notification that got a 5xx (until its next group interval, then again), so
// anything not yet recorded comes back; a 4xx is never retried, so it is kept for what a retry cannot fix.
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isSreError, type InternalErrorHandler } from '../../core/index.js';
import {
  fromAlertmanagerWebhook,
  type AlertRecorded,
  type HandleAlertOptions,
  type Alert,
  type ResponseResult,
  type SkippedAlertmanagerAlert,
} from '../../incidents/index.js';
import { jsonMediaTypeProblem, parseJsonBody, truncate, type JsonAnswer } from './request-body.js';

/** What the Alertmanager route needs of a responder: `createResponder()` returns one. */
export interface AlertmanagerResponder {
  /** Handles one alert; calls `onRecorded` once the alert's change is durable. */
  handle(alert: Alert, options?: HandleAlertOptions): Promise<ResponseResult>;
}

/** Options for the Alertmanager webhook route of both adapters. */
export interface AlertmanagerRouteOptions {
  /** The responder each alert goes to (firing: open or deduplicate; resolved: resolve). Give this or `monitor`. */
  readonly responder?: AlertmanagerResponder;
  /**
   * A monitor whose responder gets the alerts, so Prometheus's alerts and the monitor's own incidents
   * share one recorder. Give this or `responder`.
   */
  readonly monitor?: { readonly responder: AlertmanagerResponder };
  /**
   * The secret Alertmanager sends: as a bearer token (`http_config.authorization.credentials`) or as
   * the password of basic auth (`http_config.basic_auth.password`; the username is not checked). Give
   * several while rotating. Compared in constant time; at least 16 characters. Anything else is 401.
   */
  readonly token: string | readonly string[];
  /**
   * The largest body accepted, in bytes; a larger one is answered 413 and its bytes discarded. Keep it
   * above what Alertmanager sends for your largest group, or set `max_alerts` on the receiver.
   * @default 1_048_576
   */
  readonly maxBodyBytes?: number;
}

/** The default of {@link AlertmanagerRouteOptions.maxBodyBytes}: 1 MiB. */
export const DEFAULT_ALERTMANAGER_MAX_BODY_BYTES = 1_048_576;

const responderSchema = z.custom<AlertmanagerResponder>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AlertmanagerResponder>).handle === 'function',
  { message: 'a responder (handle): createResponder() returns one' },
);
const tokenSchema = z.string().min(16, 'a secret of at least 16 characters').max(4096);

/** @internal The fields of {@link AlertmanagerRouteOptions}, for the schemas of both adapters. */
export const alertmanagerRouteOptionsShape = {
  responder: responderSchema.optional(),
  monitor: z
    .custom<{ readonly responder: AlertmanagerResponder }>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        responderSchema.safeParse((value as { responder?: unknown }).responder).success,
      { message: 'a monitor (with a responder): createMonitor() returns one' },
    )
    .optional(),
  token: z.union([tokenSchema, z.array(tokenSchema).min(1).max(16).readonly()]),
  maxBodyBytes: z
    .number()
    .int()
    .min(1)
    .max(64 * 1024 * 1024)
    .default(DEFAULT_ALERTMANAGER_MAX_BODY_BYTES),
};

/** @internal Exactly one of `responder` and `monitor`. */
export function refineAlertmanagerRouteOptions(
  value: { readonly responder?: unknown; readonly monitor?: unknown },
  ctx: z.RefinementCtx,
  path: readonly string[] = [],
): void {
  if ((value.responder === undefined) === (value.monitor === undefined))
    ctx.addIssue({
      code: 'custom',
      path: [...path, value.responder === undefined ? 'responder' : 'monitor'],
      message:
        value.responder === undefined
          ? 'a responder, or a monitor whose responder gets the alerts'
          : 'either responder or monitor, not both',
    });
}

/** The parsed options: the responder to feed, the secrets' digests, the size limit. */
export interface AlertmanagerEndpoint {
  readonly responder: AlertmanagerResponder;
  readonly secrets: readonly Buffer[];
  readonly maxBodyBytes: number;
}

/** Prepares the endpoint from parsed options: the caller's own responder, the secrets as digests. */
export function alertmanagerEndpoint(options: {
  readonly responder?: AlertmanagerResponder | undefined;
  readonly monitor?: { readonly responder: AlertmanagerResponder } | undefined;
  readonly token: string | readonly string[];
  readonly maxBodyBytes: number;
}): AlertmanagerEndpoint {
  const tokens = typeof options.token === 'string' ? [options.token] : options.token;
  return {
    responder: (options.responder ?? options.monitor?.responder) as AlertmanagerResponder,
    secrets: tokens.map(digest),
    maxBodyBytes: options.maxBodyBytes,
  };
}

// Comparing fixed-length digests keeps the comparison's time independent of the secret's length too.
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether `authorization` carries one of the secrets (`Bearer <secret>`, or `Basic` with the secret as
 * the password). Every secret is compared, in constant time, whatever matched first.
 */
export function authorized(authorization: string | undefined, secrets: readonly Buffer[]): boolean {
  const presented = presentedSecret(authorization);
  if (presented === undefined) return false;
  const candidate = digest(presented);
  let ok = false;
  for (const secret of secrets) ok = timingSafeEqual(candidate, secret) || ok;
  return ok;
}

function presentedSecret(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const space = authorization.indexOf(' ');
  if (space === -1) return undefined;
  const scheme = authorization.slice(0, space).toLowerCase();
  const value = authorization.slice(space + 1).trim();
  if (scheme === 'bearer') return value;
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/** Error codes of the route's answers. */
type AlertmanagerErrorCode =
  'ERR_SRE_UNAUTHORIZED' | 'ERR_SRE_BAD_REQUEST' | 'ERR_SRE_NOT_RECORDED' | 'ERR_SRE_INTERNAL';

/** An error answer: `{ ok: false, error: { code, message } }`. */
export function alertmanagerError(
  status: number,
  code: AlertmanagerErrorCode,
  message: string,
  headers?: Readonly<Record<string, string>>,
): JsonAnswer {
  return {
    status,
    body: JSON.stringify({ ok: false, error: { code, message } }),
    ...(headers === undefined ? {} : { headers }),
  };
}

/** The 401 answer: nothing was read or recorded. */
export function unauthorized(): JsonAnswer {
  return alertmanagerError(
    401,
    'ERR_SRE_UNAUTHORIZED',
    'Missing or wrong credentials: send the configured secret as a bearer token or basic-auth password',
    { 'www-authenticate': 'Bearer realm="alertmanager", Basic realm="alertmanager"' },
  );
}

/** The 413 answer for a body over the limit. */
export function alertmanagerTooLarge(maxBodyBytes: number): JsonAnswer {
  return alertmanagerError(
    413,
    'ERR_SRE_BAD_REQUEST',
    `The request body is larger than ${maxBodyBytes} bytes; set max_alerts on the receiver`,
  );
}

/** The 415 answer for a body that is not plain JSON; undefined when it is. */
export function alertmanagerMediaType(
  contentType: string | undefined,
  contentEncoding: string | undefined,
): JsonAnswer | undefined {
  const problem = jsonMediaTypeProblem(contentType, contentEncoding);
  return problem === undefined ? undefined : alertmanagerError(415, 'ERR_SRE_BAD_REQUEST', problem);
}

/** A 4xx answer for a body the server could not read (aborted, shorter than its content-length). */
export function alertmanagerUnreadable(status: number): JsonAnswer {
  return alertmanagerError(status, 'ERR_SRE_BAD_REQUEST', 'The request body could not be read');
}

/** The 500 answer when answering itself failed; what failed goes to `onInternalError`. */
export function alertmanagerInternal(): JsonAnswer {
  return alertmanagerError(500, 'ERR_SRE_INTERNAL', 'The webhook failed to answer; Alertmanager will retry');
}

/** How many alerts of a batch did what, in the 200 answer. */
interface Tally {
  opened: number;
  deduplicated: number;
  reopened: number;
  resolved: number;
  /** Resolved alerts without an open incident: nothing to record. */
  unchanged: number;
}

/**
 * Answers one webhook body: 400 when it is not JSON or not Alertmanager's webhook format; otherwise
 * each alert goes to the responder in order, and the answer waits until each is durable (not for
 * runbooks, which run on). 200 with a tally once all are; 503 as soon as one could not be recorded, so
 * Alertmanager sends the batch again (alerts recorded before it deduplicate). Unreadable alerts are
 * skipped, listed in the answer and reported to `onInternalError`: a retry would not fix them.
 */
export async function answerAlertmanager(
  endpoint: AlertmanagerEndpoint,
  body: Uint8Array,
  onInternalError: InternalErrorHandler,
): Promise<JsonAnswer> {
  const parsed = parseJsonBody(body);
  if ('problem' in parsed) return alertmanagerError(400, 'ERR_SRE_BAD_REQUEST', parsed.problem);
  const version = (parsed.value as { version?: unknown } | null)?.version;
  if (version !== undefined && version !== '4')
    return alertmanagerError(
      400,
      'ERR_SRE_BAD_REQUEST',
      `Unsupported webhook version ${truncate(JSON.stringify(version))}: expected "4"`,
    );
  let alerts: Alert[];
  let skipped: SkippedAlertmanagerAlert[];
  try {
    ({ alerts, skipped } = fromAlertmanagerWebhook(parsed.value));
  } catch (error) {
    if (isSreError(error)) return alertmanagerError(400, 'ERR_SRE_BAD_REQUEST', truncate(error.message));
    throw error;
  }
  for (const alert of skipped)
    onInternalError(new Error(`Alertmanager alert ${alert.index} skipped: ${alert.reason}`), {
      source: 'alertmanagerRoute',
      task: 'read alert',
    });

  const tally: Tally = { opened: 0, deduplicated: 0, reopened: 0, resolved: 0, unchanged: 0 };
  for (const [i, alert] of alerts.entries()) {
    let recorded: AlertRecorded['action'] | 'unchanged';
    try {
      recorded = await record(endpoint.responder, alert, onInternalError);
    } catch (error) {
      onInternalError(error, { source: 'alertmanagerRoute', task: 'record' });
      const code = isSreError(error) ? ` (${error.code})` : '';
      return alertmanagerError(
        503,
        'ERR_SRE_NOT_RECORDED',
        `Alert ${i + 1} of ${alerts.length} (${truncate(alert.name)}) could not be recorded${code}; ` +
          `${i} recorded before it. Send the batch again.`,
      );
    }
    tally[recorded]++;
  }
  return {
    status: 200,
    body: JSON.stringify({ ok: true, received: alerts.length + skipped.length, ...tally, skipped }),
  };
}

/**
 * Resolves with what the alert did once it is durable; the runbook (if any) goes on after that and
 * whatever it throws later goes to `onInternalError`. Rejects when it could not be recorded.
 */
function record(
  responder: AlertmanagerResponder,
  alert: Alert,
  onInternalError: InternalErrorHandler,
): Promise<AlertRecorded['action'] | 'unchanged'> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const onRecorded = (recorded: AlertRecorded): void => {
      answered = true;
      resolve(recorded.action);
    };
    responder.handle(alert, { onRecorded }).then(
      () => {
        // Settled without recording: a resolved alert with no open incident.
        if (!answered) resolve('unchanged');
      },
      (error: unknown) => {
        if (answered) onInternalError(error, { source: 'alertmanagerRoute', task: 'respond' });
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the responder's own error
        else reject(error);
      },
    );
  });
}
