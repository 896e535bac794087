// The rate limiter's public surface: the limiter, client keys and the IETF RateLimit header fields.
export { createRateLimiter } from './rate-limiter.js';
export type {
  RateLimiter,
  RateLimitLimits,
  RateLimiterStats,
  RateLimitWaitOptions,
  RateLimitThrottleOptions,
} from './rate-limiter.js';
export type { RateLimitDecision } from './decision.js';
export type { RateLimiterOptions, RateLimitAlgorithm } from './options.js';
export { clientKey, createClientKey, addressKey, UNKNOWN_CLIENT } from './client-key.js';
export type { ClientKeyOptions, ClientKeyRequest } from './client-key.js';
export { formatRateLimitHeaders, writeRateLimitHeaders, retryAfterSeconds } from './headers.js';
export type { RateLimitHeaderDraft } from './headers.js';
export { RateLimitedError } from '../core/errors.js';
