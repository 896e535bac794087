import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  compose,
  createRateLimiter,
  createRetryPolicy,
  type ClientKeyOptions,
  type RateLimitDecision,
  type RateLimiterOptions,
  type RetryContext,
} from 'sre-kit';
import type { RateLimitOptions } from 'sre-kit/express';
import type { rateLimitOptionsSchema } from '../../src/adapters/shared/rate-limit.js';
import type { clientKeyOptionsSchema } from '../../src/ratelimit/client-key.js';
import type { rateLimiterOptionsSchema } from '../../src/ratelimit/options.js';

describe('rate limit options are bound to their schemas', () => {
  it('same keys, and every documented value is accepted by the schema', () => {
    expectTypeOf<keyof RateLimiterOptions>().toEqualTypeOf<keyof z.input<typeof rateLimiterOptionsSchema>>();
    expectTypeOf<RateLimiterOptions>().toExtend<z.input<typeof rateLimiterOptionsSchema>>();
    expectTypeOf<keyof ClientKeyOptions>().toEqualTypeOf<keyof z.input<typeof clientKeyOptionsSchema>>();
    expectTypeOf<ClientKeyOptions>().toExtend<z.input<typeof clientKeyOptionsSchema>>();
    expectTypeOf<keyof RateLimitOptions<unknown>>().toEqualTypeOf<
      keyof z.input<typeof rateLimitOptionsSchema>
    >();
  });
});

describe('rate limiter types', () => {
  it('consume returns a read-only decision', () => {
    const limiter = createRateLimiter({ rate: 1 });
    expectTypeOf(limiter.consume('k')).toEqualTypeOf<RateLimitDecision>();
    // @ts-expect-error the decision is read-only
    limiter.consume('k').allowed = true;
  });

  it('a throttle in a composition keeps the other layers’ context', () => {
    const limiter = createRateLimiter({ rate: 1 });
    void compose(createRetryPolicy(), limiter.throttle('partner')).execute((context) => {
      expectTypeOf(context).toExtend<RetryContext>();
    });
  });
});
