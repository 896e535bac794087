import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, UNKNOWN_CLIENT, addressKey, clientKey, createClientKey } from 'sre-kit';

const request = (remoteAddress: string | undefined, xff?: string | string[]) => ({
  socket: { remoteAddress },
  headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
});

describe('clientKey', () => {
  it('keeps IPv4 as it is and unwraps IPv4-mapped IPv6 in both spellings', () => {
    expect(clientKey(request('203.0.113.7'))).toBe('203.0.113.7');
    expect(clientKey(request('::ffff:203.0.113.7'))).toBe('203.0.113.7');
    expect(clientKey(request('::ffff:cb00:7107'))).toBe('203.0.113.7');
    expect(clientKey(request('::FFFF:203.0.113.7'))).toBe('203.0.113.7');
  });

  it('masks IPv6 to /56 by default, so one customer’s subnet is one key', () => {
    expect(clientKey(request('2001:db8:abcd:12ff:1:2:3:4'))).toBe('2001:db8:abcd:1200::/56');
    expect(clientKey(request('2001:db8:abcd:1234::9'))).toBe('2001:db8:abcd:1200::/56');
    expect(clientKey(request('2001:0DB8:ABCD:12AB::'))).toBe('2001:db8:abcd:1200::/56');
    expect(clientKey(request('fe80::1%eth0'))).toBe('fe80::/56');
    expect(clientKey(request('::1'))).toBe('::/56');
  });

  it('a request with no readable address shares the unknown key', () => {
    expect(clientKey(request(undefined))).toBe(UNKNOWN_CLIENT);
    expect(clientKey({})).toBe(UNKNOWN_CLIENT);
    expect(clientKey(request('not an address'))).toBe(UNKNOWN_CLIENT);
  });

  it('ignores X-Forwarded-For unless told how many proxies to trust', () => {
    expect(clientKey(request('10.0.0.2', '198.51.100.9'))).toBe('10.0.0.2');
    const behindOne = createClientKey({ trustProxy: 1 });
    expect(behindOne(request('10.0.0.2', '6.6.6.6, 198.51.100.9'))).toBe('198.51.100.9');
    const behindTwo = createClientKey({ trustProxy: 2 });
    expect(behindTwo(request('10.0.0.2', '6.6.6.6, 198.51.100.9, 10.0.0.1'))).toBe('198.51.100.9');
    // Fewer entries than hops: the farthest address is the client.
    expect(behindTwo(request('10.0.0.2', '198.51.100.9'))).toBe('198.51.100.9');
    // Repeated headers, ports, brackets.
    expect(behindOne(request('10.0.0.2', ['6.6.6.6', '198.51.100.9:4711']))).toBe('198.51.100.9');
    expect(behindOne(request('10.0.0.2', '[2001:db8::1]:443'))).toBe('2001:db8::/56');
    // No header or an unreadable entry: the peer.
    expect(behindOne(request('10.0.0.2'))).toBe('10.0.0.2');
    expect(behindOne(request('10.0.0.2', 'garbage'))).toBe(UNKNOWN_CLIENT);
  });

  it('masks to the configured prefixes', () => {
    const wide = createClientKey({ ipv6Prefix: 48, ipv4Prefix: 24 });
    expect(wide(request('2001:db8:abcd:12ff::1'))).toBe('2001:db8:abcd::/48');
    expect(wide(request('203.0.113.200'))).toBe('203.0.113.0/24');
    expect(wide(request('::ffff:203.0.113.200'))).toBe('203.0.113.0/24');
    expect(createClientKey({ ipv6Prefix: 128 })(request('2001:db8::7'))).toBe('2001:db8::7');
    expect(createClientKey({ ipv6Prefix: 60 })(request('2001:db8:0:ffff::'))).toBe('2001:db8:0:fff0::/60');
  });

  it('rejects bad options naming the field', () => {
    expect(() => createClientKey({ ipv6Prefix: 0 })).toThrow(ConfigError);
    expect(() => createClientKey({ trustProxy: true as never })).toThrow(/trustProxy/);
  });

  it('agrees with node:net on which strings are addresses, and is stable under re-keying (property)', () => {
    const v6 = fc.ipV6();
    const v4 = fc.ipV4();
    const junk = fc.string({ maxLength: 45 });
    fc.assert(
      fc.property(fc.oneof(v6, v4, junk, fc.ipV4Extended()), (text) => {
        const key = addressKey(text, 32, 128);
        const strict = isIP(text) !== 0;
        if (strict) expect(key, text).toBeDefined();
        if (key === undefined) return;
        // A key is itself an address (or a masked prefix), and normalising it again changes nothing.
        const bare = key.split('/')[0]!;
        expect(isIP(bare), `${text} -> ${key}`).not.toBe(0);
        expect(addressKey(bare, 32, 128)).toBe(key);
      }),
      { numRuns: 2_000 },
    );
  });

  it('every IPv6 address in a /56 maps to the same key (property)', () => {
    fc.assert(
      fc.property(
        fc.ipV6(),
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 5, maxLength: 5 }),
        (text, low) => {
          const key = addressKey(text);
          if (key === undefined || !key.includes('/')) return;
          const base = key.split('/')[0]!;
          // Rebuild an address sharing the first 56 bits with random low bits.
          const full = expandIPv6(base);
          const sibling = [...full.slice(0, 3), (full[3]! & 0xff00) | (low[0]! & 0xff), ...low.slice(1)];
          expect(addressKey(sibling.map((g) => g.toString(16)).join(':'))).toBe(key);
        },
      ),
    );
  });
});

function expandIPv6(text: string): number[] {
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':').map((g) => parseInt(g, 16));
  const right = tail === undefined || tail === '' ? [] : tail.split(':').map((g) => parseInt(g, 16));
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
