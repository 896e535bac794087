// Issue 13, item 1: a fresh monitor sampling every second, heap growing 1.6 MB/s for 10 s, listed
// "heapRatio … reaches its limit 0.9 in 41 min (r² 1); add capacity" as immediate, and cpuRatio (r² 0)
// too: every restart raised false alarms. A forecast now needs a minimum span, a minimum number of
// samples and a fit quality; below them it says insufficient_data and what is missing.
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  capacityForecastSchema,
  createMonitor,
  createSaturationMonitor,
  monitorHealthReportSchema,
  performanceAnalysisSchema,
  type SaturationReading,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

const START = '2026-03-10T12:00:00.000Z';
const MB = 1_048_576;

function rig(clock: FakeClock, evaluateIntervalMs: number) {
  const reading: { -readonly [K in keyof SaturationReading]: SaturationReading[K] } = {
    eventLoopDelayP99Ms: 5,
    eventLoopUtilization: 0.2,
    heapUsedBytes: 200 * MB,
    heapLimitBytes: 4_096 * MB,
    rssBytes: 300 * MB,
    cpuRatio: 0.3,
  };
  const saturation = createSaturationMonitor(
    { sampleIntervalMs: 1_000 },
    { clock, probe: { read: () => ({ ...reading }), close: () => undefined } },
  );
  const monitor = createMonitor({ service: 'api', saturation, evaluateIntervalMs }, { clock });
  const close = async () => {
    await monitor.close();
    await saturation.close();
  };
  return { monitor, reading, close };
}

describe('issue 13: a forecast is stated only past its gates', () => {
  it('ten seconds after a restart: insufficient_data with what is missing, never an action', async () => {
    const clock = createFakeClock({ start: START });
    const r = rig(clock, 1_000);
    for (let s = 0; s < 10; s++) {
      r.reading.heapUsedBytes += 1.6 * MB * 16; // steep enough to "reach" 0.9 within the hour
      r.reading.cpuRatio = s % 2 === 0 ? 0.2 : 0.4;
      await clock.advanceAsync(1_000);
    }
    const forecast = capacityForecastSchema.parse(r.monitor.capacityForecast());
    expect(forecast.atRisk).toEqual([]);
    const heap = forecast.signals.find((s) => s.signal === 'heapRatio')!;
    expect(heap).toMatchObject({ status: 'insufficient_data', reachesLimitInMs: null, reachesLimitAt: null });
    // The ring keeps samples at least 7 s apart (2 × minSpanMs / 1024), so ten seconds leave two of them.
    expect(heap.missing).toEqual(['span 8 s of 1 h', '2 of 12 samples']);
    // The evidence is stated even when the forecast is not.
    expect(heap.evidence).toMatchObject({ spanMs: 8_000, samples: 2, fitR2: 1 });
    expect(heap.evidence.slopePerHour).toBeGreaterThan(0);

    const analysis = performanceAnalysisSchema.parse(
      r.monitor.performanceAnalysis({ timeframe: 'last_hour' }),
    );
    const sentences = [...analysis.immediate, ...analysis.planned].join('\n');
    expect(sentences).not.toMatch(/heapRatio|cpuRatio|capacity/);

    const report = monitorHealthReportSchema.parse(
      await r.monitor.healthReport({ includePredictions: true }),
    );
    expect(report.predictions?.capacity.every((c) => c.status === 'insufficient_data')).toBe(true);
    await r.close();
  });

  it('two hours of a steady rise pass the gates; a noisy flat signal fails the fit gate', async () => {
    const clock = createFakeClock({ start: START });
    const r = rig(clock, 10_000);
    for (let t = 0; t < 2 * 3_600_000; t += 10_000) {
      r.reading.heapUsedBytes += 0.02 * MB; // ~7 MB an hour
      r.reading.cpuRatio = t % 20_000 === 0 ? 0.1 : 0.5; // no trend, r² about 0
      await clock.advanceAsync(10_000);
    }
    const forecast = capacityForecastSchema.parse(
      r.monitor.capacityForecast({ horizonMs: 365 * 86_400_000 }),
    );
    const heap = forecast.signals.find((s) => s.signal === 'heapRatio')!;
    expect(heap.status).toBe('ok');
    expect(heap.missing).toEqual([]);
    expect(heap.evidence.spanMs).toBeGreaterThanOrEqual(3_600_000);
    expect(heap.evidence.samples).toBeGreaterThanOrEqual(12);
    expect(heap.evidence.fitR2).toBeGreaterThan(0.99);
    expect(heap.reachesLimitInMs).not.toBeNull();
    const cpu = forecast.signals.find((s) => s.signal === 'cpuRatio')!;
    expect(cpu.status).toBe('insufficient_data');
    expect(cpu.missing).toEqual([expect.stringMatching(/^fit r² 0(\.\d+)? below 0\.5$/)]);
    expect(forecast.atRisk).not.toContain('cpuRatio');
    await r.close();
  });

  it('takes its gates from the forecast option, validated', async () => {
    const clock = createFakeClock({ start: START });
    expect(() => createMonitor({ service: 'api', forecast: { minR2: 2 } })).toThrow(ConfigError);
    expect(() => createMonitor({ service: 'api', forecast: { minR2: 2 } })).toThrow('forecast.minR2');
    expect(() => createMonitor({ service: 'api', forecast: { minSamples: 1 } })).toThrow(
      'forecast.minSamples',
    );
    const reading = {
      eventLoopDelayP99Ms: 5,
      eventLoopUtilization: 0.2,
      heapUsedBytes: 100,
      heapLimitBytes: 1_000,
      rssBytes: 1,
      cpuRatio: 0.3,
    };
    const saturation = createSaturationMonitor(
      { sampleIntervalMs: 1_000 },
      {
        clock,
        probe: {
          read: () => ({ ...reading, heapUsedBytes: (reading.heapUsedBytes += 1) }),
          close: () => undefined,
        },
      },
    );
    const monitor = createMonitor(
      {
        service: 'api',
        saturation,
        evaluateIntervalMs: 1_000,
        forecast: { minSpanMs: 5_000, minSamples: 5 },
      },
      { clock },
    );
    await clock.advanceAsync(10_000);
    const heap = monitor.capacityForecast().signals.find((s) => s.signal === 'heapRatio')!;
    expect(heap.status).toBe('ok');
    await monitor.close();
    await saturation.close();
  });
});
