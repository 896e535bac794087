import { parseDictionary, parseList, type Item } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, formatRateLimitHeaders, retryAfterSeconds } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const params = (item: unknown): Record<string, unknown> => Object.fromEntries((item as Item)[1]);

describe('formatRateLimitHeaders', () => {
  it('draft-11: RateLimit-Policy and RateLimit are structured-field lists a parser reads', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter(
      { rate: 100, perMs: 60_000, burst: 20, policyName: 'default' },
      { clock },
    );
    const headers = formatRateLimitHeaders(limiter.limits, limiter.consume('k'));
    expect(headers).toEqual({
      'RateLimit-Policy': '"default";q=100;w=60',
      RateLimit: '"default";r=20;t=1',
    });
    const [policy] = parseList(headers['RateLimit-Policy']!);
    expect(policy![0]).toBe('default');
    expect(params(policy)).toEqual({ q: 100, w: 60 });
    const [state] = parseList(headers.RateLimit!);
    expect(state![0]).toBe('default');
    expect(params(state)).toEqual({ r: 20, t: 1 });
  });

  it('two limiters written in turn each get their own policy (the policy text is cached per limiter)', () => {
    const clock = createFakeClock();
    const api = createRateLimiter({ rate: 100, perMs: 60_000, policyName: 'api' }, { clock });
    const login = createRateLimiter({ rate: 5, perMs: 1_000, policyName: 'login' }, { clock });
    for (let round = 0; round < 3; round++) {
      expect(formatRateLimitHeaders(api.limits, api.consume('k'))['RateLimit-Policy']).toBe(
        '"api";q=100;w=60',
      );
      expect(formatRateLimitHeaders(login.limits, login.consume('k'), 'draft-6')).toMatchObject({
        'RateLimit-Policy': '5;w=1',
        'RateLimit-Limit': '5',
      });
    }
  });

  it('a refusal carries Retry-After in whole seconds, at least 1', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ rate: 1, perMs: 10_000 }, { clock });
    limiter.consume('k');
    clock.advance(2_500);
    const refused = limiter.consume('k');
    expect(refused.allowed).toBe(false);
    expect(retryAfterSeconds(refused)).toBe(8);
    const headers = formatRateLimitHeaders(limiter.limits, refused, 'draft-11');
    expect(headers['Retry-After']).toBe('8');
    expect(params(parseList(headers.RateLimit!)[0])).toEqual({ r: 0, t: 8 });
    clock.advance(7_499.5);
    expect(retryAfterSeconds(limiter.consume('k'))).toBe(1);
  });

  it('draft-6: separate fields with integer values', () => {
    const limiter = createRateLimiter({ rate: 50, perMs: 1_500, burst: 4 }, { clock: createFakeClock() });
    const headers = formatRateLimitHeaders(limiter.limits, limiter.consume('k'), 'draft-6');
    expect(headers).toEqual({
      'RateLimit-Policy': '50;w=2',
      'RateLimit-Limit': '50',
      'RateLimit-Remaining': '4',
      'RateLimit-Reset': '1',
    });
    expect(parseList(headers['RateLimit-Policy']!)[0]![0]).toBe(50);
  });

  it('no Retry-After for an admitted request or one that can never pass', () => {
    const limiter = createRateLimiter({ rate: 1 }, { clock: createFakeClock() });
    expect(retryAfterSeconds(limiter.consume('k'))).toBeUndefined();
    const never = limiter.consume('k', 5);
    expect(never.allowed).toBe(false);
    expect(formatRateLimitHeaders(limiter.limits, never)).not.toHaveProperty('Retry-After');
  });

  it('never names the key', () => {
    const limiter = createRateLimiter({ rate: 1 }, { clock: createFakeClock() });
    const text = JSON.stringify(formatRateLimitHeaders(limiter.limits, limiter.consume('203.0.113.7')));
    expect(text).not.toContain('203.0.113.7');
    expect(() => parseDictionary('r=1')).not.toThrow();
  });
});
