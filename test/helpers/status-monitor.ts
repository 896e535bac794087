import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createCircuitBreaker,
  createHealthRegistry,
  createLatencyTracker,
  createMonitor,
  createSloTracker,
  DAY_MS,
  type HistorySnapshot,
  type ScheduledMaintenance,
  type Monitor,
  type StatusPageOptions,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';
import { LATENCY_BOUNDARIES_MS } from '../../src/monitor/history.js';

// A monitor in a known state for the status page's tests: a database whose critical check fails with
// internal error text (one open P1 incident), a search cache whose check warns (degraded), a checkout
// API made of two SLOs (operational) and a payments breaker under a maintenance window in progress (a
// second window, on the checkout API, is scheduled in three days), with 89 days of uptime history
// restored from its file (a few bad days among them) and today observed live.

/** The error text the failing check throws: it must never reach the public page. */
export const INTERNAL_ERROR = 'ECONNREFUSED 10.0.0.12:5432 on db-primary.internal';
/** Strings that may only appear with `exposeDetails`. */
export const INTERNAL_MARKERS = [
  'ECONNREFUSED',
  '10.0.0.12',
  'db-primary.internal',
  'search-7',
  'Error:',
  '    at ',
];

/** The page options the tests serve. */
export const PAGE_OPTIONS: StatusPageOptions = {
  title: 'Checkout',
  components: {
    names: {
      db: 'Database',
      cache: 'Search',
      availability: 'Checkout API',
      'latency-300ms': 'Checkout API',
      payments: 'Payments',
    },
    grouping: { Backend: ['Database', 'Search'] },
    order: ['Checkout API'],
    descriptions: { 'Checkout API': 'Cart, checkout and order pages' },
  },
};

/** Writes a history file with 89 past days of uptime: days 10, 40 and 75 ago had trouble. */
function seedHistory(file: string, now: number): void {
  const today = Math.floor(now / DAY_MS);
  const uptime: NonNullable<HistorySnapshot['uptime']> = [];
  for (let ago = 89; ago >= 1; ago--) {
    const ok = [DAY_MS, 0, 0, 0, 0] as [number, number, number, number, number];
    const db: typeof ok =
      ago === 10 ? [DAY_MS, 0, 0, 45 * 60_000, 0] : ago === 40 ? [DAY_MS, 0, 3 * 3_600_000, 0, 0] : ok;
    const cache: typeof ok = ago === 75 ? [DAY_MS, 2 * 3_600_000, 0, 0, 0] : ok;
    uptime.push({
      day: today - ago,
      sources: {
        'check:db': db,
        'check:cache': cache,
        'slo:availability': ok,
        'slo:latency-300ms': ago === 10 ? [DAY_MS, 40 * 60_000, 0, 0, 0] : ok,
        'breaker:payments': ok,
      },
    });
  }
  const snapshot: HistorySnapshot = {
    version: 1,
    boundariesMs: [...LATENCY_BOUNDARIES_MS],
    hours: [],
    samples: [],
    uptime,
  };
  writeFileSync(file, JSON.stringify(snapshot));
}

/** The known state, on a fake clock (`live: false`) or the system clock. */
export interface StatusFixture {
  readonly monitor: Monitor;
  readonly clock: FakeClock | undefined;
  readonly state: { db: boolean; cache: boolean };
  /** The maintenance windows the monitor reads (a test may change the list). */
  readonly maintenance: ScheduledMaintenance[];
  close(): Promise<void>;
}

/**
 * Builds the monitor in its known state in `dir` and evaluates it twice (ten minutes apart on the fake
 * clock), so today has observed time and the database incident is open.
 */
export async function statusFixture(dir: string, options: { fake?: boolean } = {}): Promise<StatusFixture> {
  const clock = options.fake === false ? undefined : createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
  const deps = clock === undefined ? {} : { clock };
  const now = clock?.wallNow() ?? Date.now();
  const file = join(dir, 'history.json');
  seedHistory(file, now);
  const state = { db: false, cache: false };
  const maintenance: ScheduledMaintenance[] = [
    {
      id: 'payments-upgrade',
      title: 'Payment provider upgrade',
      summary: 'Card payments may take a few seconds longer.',
      components: ['payments'],
      startsAt: now,
      endsAt: now + 2 * 3_600_000,
    },
    {
      id: 'checkout-release',
      title: 'Checkout release',
      components: ['slo:availability'],
      startsAt: now + 3 * DAY_MS,
      endsAt: now + 3 * DAY_MS + 1_800_000,
    },
  ];
  const health = createHealthRegistry({ service: 'checkout' }, deps);
  health.register(
    'db',
    () => {
      if (!state.db) throw new Error(INTERNAL_ERROR);
      return { status: 'pass' };
    },
    { critical: true },
  );
  health.register(
    'cache',
    () => (state.cache ? { status: 'pass' } : { status: 'warn', output: 'p99 900 ms on search-7.internal' }),
    { critical: false },
  );
  const latency = createLatencyTracker({}, deps);
  const slos = [
    createSloTracker({ name: 'availability', objective: { kind: 'availability', target: 0.999 } }, deps),
    createSloTracker(
      { name: 'latency-300ms', objective: { kind: 'latency', target: 0.99, thresholdMs: 300 } },
      deps,
    ),
  ];
  for (const slo of slos) slo.record({ ok: true, latencyMs: 40 }, 500);
  for (let i = 0; i < 500; i++) latency.record(20 + (i % 50), 'GET /orders/:id');
  const payments = createCircuitBreaker({ name: 'payments' }, deps);
  const monitor = createMonitor(
    {
      service: 'checkout',
      health,
      latency,
      slos,
      breakers: [payments],
      history: { file },
      scheduledMaintenance: { windows: () => maintenance },
      // The tests evaluate by hand; the timer must not run the fake clock's days through evaluations.
      evaluateIntervalMs: 2_147_483_647,
    },
    deps,
  );
  await monitor.evaluate();
  if (clock !== undefined) clock.advance(600_000);
  await monitor.evaluate();
  return {
    monitor,
    clock,
    state,
    maintenance,
    close: async () => {
      await monitor.close();
      for (const slo of slos) slo.close();
    },
  };
}
