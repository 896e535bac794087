// The "full sre-kit" a service would wire into its HTTP adapter, built the same way for Express and
// Fastify: the real latency tracker, two SLO trackers (availability and latency @ 200 ms) and a
// saturation monitor with load shedding on. The bench servers in this folder use it.
import { createLatencyTracker } from '../../src/latency/index.js';
import { saturationMetrics, type MetricsSource } from '../../src/metrics/index.js';
import { createSaturationMonitor } from '../../src/saturation/index.js';
import type { GoldenSignalsOptions } from '../../src/signals/index.js';
import { createSloTracker } from '../../src/slo/index.js';

/** What the adapters are given, plus what the bench server exposes on /metrics and closes at exit. */
export interface SreStack {
  readonly options: GoldenSignalsOptions;
  readonly sources: readonly MetricsSource[];
  close(): Promise<void>;
}

const THIRTY_DAYS_MS = 30 * 86_400_000;

/** Builds the full stack: latency tracker, availability + latency SLOs, saturation with shedding. */
export function createSreStack(): SreStack {
  const latency = createLatencyTracker({ thresholdsMs: [200] });
  // Default burn-rate alerts on: the tracker evaluates them as its seconds roll over.
  const availability = createSloTracker({
    name: 'availability',
    objective: { kind: 'availability', target: 0.999 },
    window: { kind: 'rolling', durationMs: THIRTY_DAYS_MS },
  });
  const latency200 = createSloTracker({
    name: 'latency-200ms',
    objective: { kind: 'latency', target: 0.95, thresholdMs: 200 },
    window: { kind: 'rolling', durationMs: THIRTY_DAYS_MS },
  });
  // No eventLoopUtilization limit: a closed-loop load generator keeps the loop ~100 % busy by design,
  // so issue 8's `max: 0.98` sheds nearly every request here (measured: 100 % 503s at 10 connections)
  // and, the cheap 503s keeping the loop just as busy, never recovers. The shedding check still runs on
  // every request, which is the cost this bench is after.
  const saturation = createSaturationMonitor({
    sampleIntervalMs: 1_000,
    eventLoopDelay: { maxP99Ms: 200 },
    heapUsed: { maxRatio: 0.9 },
  });
  return {
    options: {
      latency,
      slos: [availability, latency200],
      saturation,
      shedding: { retryAfterSeconds: 5 },
      maxRoutes: 200,
    },
    sources: [saturationMetrics(saturation)],
    close: async () => {
      await saturation.close();
      await latency.close();
      availability.close();
      latency200.close();
    },
  };
}
