import { z } from 'zod';
import { parseOptions } from '../../core/index.js';
import {
  retryAfterSeconds,
  writeRateLimitHeaders,
  type RateLimitHeaderDraft,
  type RateLimiter,
  type RateLimitLimits,
} from '../../ratelimit/index.js';

/** Rate limiting in an HTTP adapter: the limiter, how to key a request, which headers to send. */
export interface RateLimitOptions<R> {
  /** The limiter deciding (one per policy; share it between routes to share the budget). */
  readonly limiter: RateLimiter;
  /**
   * The key of a request: whose budget it spends.
   * @default `clientKey`: the peer address, IPv4-mapped IPv6 unwrapped, IPv6 masked to /56
   */
  readonly key?: (request: R) => string;
  /**
   * Which IETF draft's `RateLimit` header fields to send on every limited response, or `false` for
   * none. A 429 always carries `Retry-After`.
   * @default 'draft-11'
   */
  readonly headers?: RateLimitHeaderDraft | false;
}

/** The JSON body of a throttled request's 429: it never says which key or why beyond the limit. */
export const THROTTLED_BODY = Object.freeze({
  status: 429,
  code: 'ERR_SRE_RATE_LIMITED',
  message: 'Too many requests; retry after the Retry-After delay.',
});

/** @internal The schema bound to {@link RateLimitOptions} by a type test. */
export const rateLimitOptionsSchema = z.strictObject({
  limiter: z.custom<RateLimiter>(
    (v) => typeof v === 'object' && v !== null && typeof (v as RateLimiter).consume === 'function',
    { message: 'a rate limiter from createRateLimiter' },
  ),
  key: z
    .custom<(request: never) => string>((v) => typeof v === 'function', { message: 'a function' })
    .optional(),
  headers: z.union([z.enum(['draft-11', 'draft-6']), z.literal(false)]).default('draft-11'),
});

/** A parsed rate-limit gate: decides for one key and writes the header fields through `set`. */
export interface RateLimitGate<R> {
  /** Whether the request may go on; writes the header fields (and `Retry-After` when not). */
  admit(request: R, set: (name: string, value: string) => unknown): boolean;
}

/** Parses rate-limit options once and returns the per-request gate the adapters call. */
export function createRateLimitGate<R>(
  options: RateLimitOptions<R>,
  defaultKey: (request: R) => string,
  where: string,
): RateLimitGate<R> {
  const parsed = parseOptions(rateLimitOptionsSchema, options, where);
  const limiter = parsed.limiter;
  const limits: RateLimitLimits = limiter.limits;
  const keyOf = (parsed.key as ((request: R) => string) | undefined) ?? defaultKey;
  const draft = parsed.headers;
  return {
    admit(request, set) {
      const decision = limiter.consume(keyOf(request));
      if (draft !== false) {
        writeRateLimitHeaders(limits, decision, draft, set);
      } else if (!decision.allowed) {
        const retryAfter = retryAfterSeconds(decision);
        if (retryAfter !== undefined) set('Retry-After', String(retryAfter));
      }
      return decision.allowed;
    },
  };
}
