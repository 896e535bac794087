import { describe, expect, it } from 'vitest';
import { clientKey, createRateLimiter } from 'sre-kit';

// Heap plus ArrayBuffers: the limiter keeps its per-key numbers in typed arrays, outside the JS heap.
const retained = (): number => {
  global.gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

describe('rate limiter memory', () => {
  it('1,000,000 distinct client addresses keep keys <= maxKeys and growth <= 20 MB', () => {
    expect(global.gc, 'run with --expose-gc').toBeTypeOf('function');
    const limiter = createRateLimiter({ rate: 10, perMs: 60_000, burst: 5, maxKeys: 100_000 });
    const request = { socket: { remoteAddress: '' } };
    const before = retained();
    let refused = 0;
    for (let i = 0; i < 1_000_000; i++) {
      // Half IPv4, half IPv6 in distinct /56s: every address is its own key.
      request.socket.remoteAddress =
        i % 2 === 0
          ? `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`
          : `2001:db8:${(i >>> 8).toString(16)}:${(i & 255).toString(16)}00::1`;
      if (!limiter.consume(clientKey(request)).allowed) refused++;
    }
    const growth = retained() - before;
    const stats = limiter.stats();
    expect(refused).toBe(0);
    expect(stats.keys).toBeLessThanOrEqual(100_000);
    expect(stats.keys).toBe(100_000);
    // Every key was still limited when forgotten: the LRU, not expiry, made room.
    expect(stats.evicted).toBe(900_000);
    expect(growth).toBeLessThanOrEqual(20 * 1024 * 1024);
    console.log(`1e6 keys: ${(growth / 1024 / 1024).toFixed(1)} MB retained, ${stats.keys} keys held`);
  });
});
