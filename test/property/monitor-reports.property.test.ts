// Issue 13, "Proof": no report produced from random history — empty, NaN readings, far-future trends,
// a single sample — fails its own zod schema, and no forecast is an action without passing its gates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CAPACITY_SIGNALS,
  capacityForecastSchema,
  createLatencyTracker,
  createMonitor,
  createSaturationMonitor,
  createSloTracker,
  deploymentReadinessSchema,
  monitorHealthReportSchema,
  performanceAnalysisSchema,
  slaReportSchema,
  type ForecastEvidenceReport,
  type SaturationReading,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const SECOND = 1_000;

/** A reading value: ordinary, NaN, huge, or a far-future trend (a tiny step on a base). */
const value = fc.oneof(
  { arbitrary: fc.double({ min: 0, max: 2, noNaN: true }), weight: 6 },
  { arbitrary: fc.constant(Number.NaN), weight: 1 },
  { arbitrary: fc.double({ min: 1e6, max: 1e15, noNaN: true }), weight: 1 },
);
const trend = fc.record({
  base: fc.double({ min: 0, max: 1, noNaN: true }),
  // 0, a far-future crawl (1e-15 per step), or a real climb.
  step: fc.oneof(fc.constant(0), fc.constant(1e-15), fc.double({ min: -0.05, max: 0.05, noNaN: true })),
});
const step = fc.record({
  /** Seconds to advance: a step of seconds to a step of an hour. */
  seconds: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 600, max: 3_600 })),
  good: fc.nat({ max: 1_000 }),
  bad: fc.nat({ max: 200 }),
  latencies: fc.array(fc.oneof(fc.double({ min: 0, max: 5_000 }), fc.constant(Number.NaN)), {
    maxLength: 20,
  }),
  noise: fc.record({ cpu: value, delay: value }),
});
const gates = fc.record({
  minSpanMs: fc.oneof(fc.constant(3_600_000), fc.integer({ min: 0, max: 2 * 3_600_000 })),
  minSamples: fc.integer({ min: 2, max: 30 }),
  minR2: fc.double({ min: 0, max: 1, noNaN: true }),
});

function passes(
  evidence: ForecastEvidenceReport,
  g: { minSpanMs: number; minSamples: number; minR2: number },
) {
  return (
    evidence.spanMs >= g.minSpanMs &&
    evidence.samples >= g.minSamples &&
    (evidence.fitR2 === null || evidence.fitR2 >= g.minR2)
  );
}

function checkForecast(
  prediction: { status: string; missing: string[]; evidence: ForecastEvidenceReport },
  times: readonly (number | string | null)[],
  g: { minSpanMs: number; minSamples: number; minR2: number },
): void {
  if (prediction.status === 'ok') {
    expect(passes(prediction.evidence, g)).toBe(true);
    expect(prediction.missing).toEqual([]);
  } else {
    expect(passes(prediction.evidence, g)).toBe(false);
    expect(prediction.missing.length).toBeGreaterThan(0);
    for (const time of times) expect(time).toBeNull();
  }
}

describe('monitor reports (property)', () => {
  it('every report matches its schema and no forecast below its gates is stated or acted on', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 25 }),
        fc.record({ heap: trend, utilization: trend }),
        gates,
        fc.boolean(),
        async (steps, trends, g, withSaturation) => {
          const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
          let i = 0;
          let noise = { cpu: 0.3, delay: 5 };
          const read = (): SaturationReading => ({
            eventLoopDelayP99Ms: noise.delay,
            eventLoopUtilization: trends.utilization.base + i * trends.utilization.step,
            heapUsedBytes: (trends.heap.base + i * trends.heap.step) * 1_000,
            heapLimitBytes: 1_000,
            rssBytes: 50_000_000,
            cpuRatio: noise.cpu,
          });
          const saturation = withSaturation
            ? createSaturationMonitor(
                { sampleIntervalMs: 10 * SECOND },
                { clock, probe: { read: () => (i++, read()), close: () => undefined } },
              )
            : undefined;
          const slo = createSloTracker(
            { name: 'availability', objective: { kind: 'availability', target: 0.999 } },
            { clock },
          );
          const latency = createLatencyTracker({}, { clock });
          const monitor = createMonitor(
            {
              service: 'api',
              slos: [slo],
              latency,
              latencyBudgetMs: 200,
              evaluateIntervalMs: 60_000,
              forecast: g,
              ...(saturation === undefined ? {} : { saturation }),
            },
            { clock },
          );
          try {
            for (const s of steps) {
              noise = s.noise;
              slo.record(true, s.good);
              slo.record(false, s.bad);
              for (const ms of s.latencies) latency.record(ms, ms > 1_000 ? 'GET /slow' : 'GET /fast');
              await clock.advanceAsync(s.seconds * SECOND);
              await monitor.evaluate();
            }

            const health = monitorHealthReportSchema.parse(
              await monitor.healthReport({ includePredictions: true }),
            );
            const forecast = capacityForecastSchema.parse(monitor.capacityForecast());
            const stated = new Set<string>();
            for (const c of forecast.signals) {
              checkForecast(c, [c.reachesLimitInMs, c.reachesLimitAt], g);
              if (c.status === 'ok') stated.add(c.signal);
            }
            for (const b of health.predictions?.budgetExhaustion ?? [])
              checkForecast(b, [b.exhaustsInMs, b.exhaustsAt], g);
            for (const c of health.predictions?.capacity ?? [])
              checkForecast(c, [c.reachesLimitInMs, c.reachesLimitAt], g);
            // Only forecasts that passed their gates are at risk, or actions.
            for (const signal of forecast.atRisk) expect(stated.has(signal)).toBe(true);
            for (const timeframe of ['last_hour', 'last_24_hours', 'last_7_days'] as const) {
              const analysis = performanceAnalysisSchema.parse(monitor.performanceAnalysis({ timeframe }));
              for (const sentence of [...analysis.immediate, ...analysis.planned])
                for (const signal of CAPACITY_SIGNALS)
                  if (sentence.startsWith(`${signal} `)) expect(stated.has(signal)).toBe(true);
              if (analysis.metrics.requestsPerSecond > 0)
                expect(analysis.metrics.observedMs).toBeGreaterThan(0);
            }
            slaReportSchema.parse(monitor.slaReport({ period: 'day' }));
            deploymentReadinessSchema.parse(await monitor.deploymentReadiness());
          } finally {
            await monitor.close();
            await saturation?.close();
            await latency.close();
            slo.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
