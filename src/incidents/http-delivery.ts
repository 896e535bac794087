// How the HTTP notifiers (webhook, PagerDuty, Slack) send: one JSON POST, run through an executor that
// retries with backoff and bounds each attempt with a timeout. Everything about sending lives in this
// one file.
//
// The default executor is this file's own small loop rather than sre-kit's retry policy, on purpose:
// a notification endpoint's Retry-After (PagerDuty's 429) is honoured as a floor up to `maxElapsedMs`
// where the general policy gives up past `maxDelayMs`; its timers are ref'd so a shutdown that flushes
// the alert router really waits for the last page; and the incidents primitive stays free of p-retry.
// Any sre-kit policy fits `DeliveryExecutor`, so `executor: compose(createRetryPolicy(...),
// createTimeout(...))` swaps it per notifier (a unit test does).
import { z } from 'zod';
import { DeliveryError, ErrorCode, delay, isSreError, TimeoutError, type Clock } from '../core/index.js';

// DeliveryError lives with the other error classes so isSreError can narrow to it; it is exported from
// here, where notifiers raise it, as before.
export { DeliveryError };

/**
 * Runs one delivery, retrying and timing it out as it sees fit: the shape of sre-kit's resilience
 * policies (`compose(retry, timeout)` fits), so any of them can be passed as a notifier's `executor`.
 */
export interface DeliveryExecutor {
  execute<T>(
    fn: (context: { signal: AbortSignal }) => Promise<T>,
    options?: { signal?: AbortSignal },
  ): Promise<T>;
}

/** How an HTTP notifier retries. */
export interface DeliveryRetryOptions {
  /**
   * Retries after the first attempt (so `retries + 1` attempts at most).
   * @default 3
   */
  readonly retries?: number;
  /**
   * The backoff base: attempt n waits a random time in [0, min(maxDelayMs, minDelayMs × 2^n)] (full jitter).
   * @default 200
   */
  readonly minDelayMs?: number;
  /**
   * The backoff cap.
   * @default 10_000
   */
  readonly maxDelayMs?: number;
  /**
   * The time limit of each attempt; a hung endpoint fails the attempt with a `TimeoutError`.
   * @default 10_000
   */
  readonly timeoutMs?: number;
  /**
   * Gives up instead of sleeping past this much time since the first attempt, including a server's
   * `Retry-After`, which is otherwise honoured as a floor on the next delay.
   * @default 60_000
   */
  readonly maxElapsedMs?: number;
}

/** @internal Validation of {@link DeliveryRetryOptions}, shared by every HTTP notifier. */
export const deliveryRetrySchema = z.strictObject({
  retries: z.number().int().min(0).max(20).default(3),
  minDelayMs: z.number().min(0).max(2_147_483_647).default(200),
  maxDelayMs: z.number().min(0).max(2_147_483_647).default(10_000),
  timeoutMs: z.number().positive().max(2_147_483_647).default(10_000),
  maxElapsedMs: z.number().positive().max(2_147_483_647).default(60_000),
});

type RetrySettings = z.output<typeof deliveryRetrySchema>;

/** The `fetch` the HTTP notifiers use; injectable (a proxy agent, a test double). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** What an HTTP notifier's factory takes besides options. */
export interface DeliveryDeps {
  readonly clock: Clock;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** Jitter source in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/**
 * Builds the executor an HTTP notifier uses when the caller gives none: bounded attempts, exponential
 * backoff with full jitter, a per-attempt timeout and a `Retry-After` floor, all on the injected clock.
 */
export function createDeliveryExecutor(settings: RetrySettings, deps: DeliveryDeps): DeliveryExecutor {
  const { clock } = deps;
  const random = deps.random ?? Math.random;
  return {
    async execute<T>(
      fn: (context: { signal: AbortSignal }) => Promise<T>,
      options?: { signal?: AbortSignal },
    ): Promise<T> {
      const outer = options?.signal;
      const started = clock.now();
      for (let attempt = 0; ; attempt++) {
        outer?.throwIfAborted();
        try {
          return await withTimeout(clock, settings.timeoutMs, outer, fn);
        } catch (error) {
          if (outer?.aborted === true) throw outer.reason;
          if (!isRetryable(error) || attempt >= settings.retries) throw error;
          const ceiling = Math.min(settings.maxDelayMs, settings.minDelayMs * 2 ** attempt);
          let waitMs = random() * ceiling;
          const retryAfter = (error as { retryAfterMs?: unknown }).retryAfterMs;
          if (typeof retryAfter === 'number' && retryAfter > waitMs) waitMs = retryAfter;
          if (clock.now() - started + waitMs > settings.maxElapsedMs) throw error;
          await delay(clock, waitMs, outer);
        }
      }
    },
  };
}

/**
 * POSTs `body` as JSON through `executor`; resolves with the response text on 2xx.
 * @throws {DeliveryError} on a non-2xx answer or a network failure (after the executor's retries).
 */
export async function postJson(
  url: string,
  body: unknown,
  options: {
    readonly headers?: Readonly<Record<string, string>>;
    readonly executor: DeliveryExecutor;
    readonly deps: DeliveryDeps;
    readonly signal?: AbortSignal;
  },
): Promise<string> {
  const doFetch = options.deps.fetch ?? globalThis.fetch;
  const payload = JSON.stringify(body);
  const headers = { 'content-type': 'application/json', ...options.headers };
  return options.executor.execute(
    async ({ signal }) => {
      let response: Awaited<ReturnType<FetchLike>>;
      try {
        response = await doFetch(url, { method: 'POST', headers, body: payload, signal });
      } catch (error) {
        if (isSreError(error) || signal.aborted) throw signal.aborted ? (signal.reason as unknown) : error;
        throw new DeliveryError(
          `POST ${redact(url)} failed: ${messageOf(error)}`,
          { retryable: true },
          { cause: error },
        );
      }
      // Always read the body so the connection is released for reuse.
      const text = await response.text();
      if (response.ok) return text;
      const status = response.status;
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.deps.clock.wallNow());
      throw new DeliveryError(
        `POST ${redact(url)} answered ${status}${text === '' ? '' : `: ${text.slice(0, 200)}`}`,
        {
          status,
          retryable: status === 408 || status === 425 || status === 429 || status >= 500,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        },
      );
    },
    options.signal === undefined ? undefined : { signal: options.signal },
  );
}

/** Parses `Retry-After` (seconds, or an HTTP date relative to `nowMs`) into milliseconds. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function isRetryable(error: unknown): boolean {
  if (error instanceof DeliveryError) return error.retryable;
  return isSreError(error, ErrorCode.TIMEOUT);
}

// Runs one attempt with its own AbortController, aborted by the time limit or the caller's signal.
// The timer is ref'd: whoever sends a notification is waiting for it (shutdown awaits in-flight ones).
function withTimeout<T>(
  clock: Clock,
  timeoutMs: number,
  outer: AbortSignal | undefined,
  fn: (context: { signal: AbortSignal }) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const finish = (): void => {
      cancel();
      outer?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown): void => {
      finish();
      controller.abort(error);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- forwards the cause as is
      reject(error);
    };
    const onAbort = (): void => fail(outer?.reason);
    const cancel = clock.schedule(timeoutMs, () => fail(new TimeoutError(timeoutMs)), { ref: true });
    outer?.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(() => fn({ signal: controller.signal }))
      .then(
        (value) => {
          finish();
          resolve(value);
        },
        (error: unknown) => fail(error),
      );
  });
}

// Webhook URLs carry secrets in their path (Slack) or query; error messages show the origin only.
function redact(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid url)';
  }
}

function messageOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const base = error instanceof Error ? error.message : String(error);
  return cause instanceof Error ? `${base} (${cause.message})` : base;
}
