/** What a rate limiter decided for one request. */
export interface RateLimitDecision {
  /** Whether the request is admitted (and its cost taken). */
  readonly allowed: boolean;
  /** Requests of cost 1 the key could still make right now, after this decision. */
  readonly remaining: number;
  /** How long until the key is back to its full allowance, in ms (0 for an idle key). */
  readonly resetMs: number;
  /**
   * How long until this request would be admitted, in ms: 0 when admitted, `Infinity` when its cost
   * exceeds what the key can ever hold.
   */
  readonly retryAfterMs: number;
}

/** @internal The one mutable decision a limiter fills and hands out on every consume. */
export class MutableDecision implements RateLimitDecision {
  allowed = false;
  remaining = 0;
  resetMs = 0;
  retryAfterMs = 0;
}
