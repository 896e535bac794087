// The shop's storage: a connection pool to its database and a cache of product reads in front of it.
// Both are real objects (generic-pool and lru-cache); the "connections" stand in for a driver's
// sockets, each query taking 1 to 6 ms. sre-kit reads the pool's and the cache's own counters.
import { setTimeout as sleep } from 'node:timers/promises';
import { createPool, type Pool } from 'generic-pool';
import { LRUCache } from 'lru-cache';
import { observeCache, observePool, type ObservedCache, type ObservedPool } from 'sre-kit';

/** A database connection stand-in: it runs one query at a time. */
interface Connection {
  readonly id: number;
}

/** The storage the handlers use, and what the monitor observes of it. */
export interface Storage {
  /** Runs one query on a pooled connection. */
  query(signal: AbortSignal): Promise<void>;
  /** A product, from the cache or the database. */
  product(id: string, signal: AbortSignal): Promise<{ readonly id: string; readonly price: number }>;
  readonly database: ObservedPool;
  readonly productCache: ObservedCache;
  close(): Promise<void>;
}

/** Creates the pool (`maxConnections`) and the product cache (`cacheSize` entries). */
export function createStorage(maxConnections: number, cacheSize: number): Storage {
  let opened = 0;
  const pool: Pool<Connection> = createPool<Connection>(
    { create: () => Promise.resolve({ id: ++opened }), destroy: () => Promise.resolve() },
    { max: maxConnections, min: 1 },
  );
  const cache = new LRUCache<string, { id: string; price: number }>({ max: cacheSize });
  const counts = { hits: 0, misses: 0 };
  const query = async (signal: AbortSignal): Promise<void> => {
    const connection = await pool.acquire();
    try {
      await sleep(1 + Math.random() * 5, undefined, { signal });
    } finally {
      await pool.release(connection);
    }
  };
  return {
    query,
    async product(id, signal) {
      const status: LRUCache.Status<string, { id: string; price: number }> = {};
      const cached = cache.get(id, { status });
      if (status.get === 'hit') counts.hits++;
      else counts.misses++;
      if (cached !== undefined) return cached;
      await query(signal);
      const product = { id, price: 1999 };
      cache.set(id, product);
      return product;
    },
    database: observePool('database', {
      total: () => pool.size,
      idle: () => pool.available,
      waiting: () => pool.pending,
      max: () => pool.max,
    }),
    productCache: observeCache('product-cache', {
      hits: () => counts.hits,
      misses: () => counts.misses,
      size: () => cache.size,
      max: () => cache.max,
      windowMs: 10_000,
    }),
    async close() {
      this.productCache.close();
      await pool.drain();
      await pool.clear();
    },
  };
}
