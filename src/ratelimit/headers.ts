import type { RateLimitDecision } from './decision.js';
import type { RateLimitLimits } from './rate-limiter.js';

/**
 * Which IETF draft's header fields to send: `'draft-11'` (draft-ietf-httpapi-ratelimit-headers-11,
 * structured-field lists `RateLimit-Policy: "default";q=100;w=60` and `RateLimit: "default";r=42;t=17`)
 * or `'draft-6'` (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and
 * `RateLimit-Policy: 100;w=60`, what most clients of express-rate-limit read).
 */
export type RateLimitHeaderDraft = 'draft-11' | 'draft-6';

/**
 * The response header fields for one decision, by the given draft, plus `Retry-After` (whole seconds,
 * at least 1) on a refusal that can succeed later. Times are rounded up to whole seconds and the
 * advertised quota down to a whole number, as the drafts require integers. No field names the key.
 *
 * @example
 * ```ts
 * const decision = limiter.consume(clientKey(req));
 * for (const [name, value] of Object.entries(formatRateLimitHeaders(limiter.limits, decision))) {
 *   res.setHeader(name, value);
 * }
 * ```
 */
export function formatRateLimitHeaders(
  limits: RateLimitLimits,
  decision: RateLimitDecision,
  draft: RateLimitHeaderDraft = 'draft-11',
): Record<string, string> {
  const headers: Record<string, string> = {};
  writeRateLimitHeaders(limits, decision, draft, (name, value) => (headers[name] = value));
  return headers;
}

/**
 * Hands each header field of {@link formatRateLimitHeaders} to `set` (`res.setHeader`,
 * `reply.header`) without building an object: what the HTTP adapters call per request. `limits` is
 * read as immutable (a limiter's `limits` is frozen): its policy text is built once and reused.
 */
export function writeRateLimitHeaders(
  limits: RateLimitLimits,
  decision: RateLimitDecision,
  draft: RateLimitHeaderDraft,
  set: (name: string, value: string) => unknown,
): void {
  const reset = Math.ceil(decision.resetMs / 1000);
  const policy = policyFields(limits);
  if (draft === 'draft-11') {
    set('RateLimit-Policy', policy.draft11);
    set('RateLimit', `${policy.quotedName};r=${decision.remaining};t=${reset}`);
  } else {
    set('RateLimit-Policy', policy.draft6);
    set('RateLimit-Limit', policy.quota);
    set('RateLimit-Remaining', String(decision.remaining));
    set('RateLimit-Reset', String(reset));
  }
  const retryAfter = retryAfterSeconds(decision);
  if (retryAfter !== undefined) set('Retry-After', String(retryAfter));
}

interface PolicyFields {
  readonly limits: RateLimitLimits;
  readonly quotedName: string;
  readonly quota: string;
  readonly draft11: string;
  readonly draft6: string;
}

// The fields that depend only on the limits, kept for the last limits seen: an adapter writes the same
// limiter's policy on every response, and rebuilding its text each time was most of this function.
let lastPolicy: PolicyFields | undefined;

function policyFields(limits: RateLimitLimits): PolicyFields {
  if (lastPolicy?.limits === limits) return lastPolicy;
  const quota = String(Math.floor(limits.quota));
  const windowSeconds = Math.ceil(limits.perMs / 1000);
  const quotedName = `"${limits.policyName}"`;
  lastPolicy = {
    limits,
    quotedName,
    quota,
    draft11: `${quotedName};q=${quota};w=${windowSeconds}`,
    draft6: `${quota};w=${windowSeconds}`,
  };
  return lastPolicy;
}

/**
 * The `Retry-After` value for a refusal, in whole seconds (at least 1); `undefined` when the request
 * was admitted or can never be (its cost exceeds the key's capacity).
 */
export function retryAfterSeconds(decision: RateLimitDecision): number | undefined {
  if (decision.allowed || decision.retryAfterMs === Number.POSITIVE_INFINITY) return undefined;
  return Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
}
