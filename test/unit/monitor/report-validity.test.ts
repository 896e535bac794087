import { describe, expect, it } from 'vitest';
import {
  capacityForecastSchema,
  createMonitor,
  createSaturationMonitor,
  createSloTracker,
  monitorHealthReportSchema,
  type SaturationReading,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

// Edge cases that used to make a report throw or fail its own schema.

const START = '2026-03-10T12:00:00.000Z';
const IDLE = { eventLoopDelayP99Ms: 5, eventLoopUtilization: 0.2, heapUsedBytes: 1, heapLimitBytes: 10 };

/** A monitor over a saturation monitor reading `read()`, evaluated `samples` times 10 s apart. */
async function sampled(clock: FakeClock, read: (i: number) => SaturationReading, samples: number) {
  let i = 0;
  const saturation = createSaturationMonitor(
    { sampleIntervalMs: 10_000 },
    { clock, probe: { read: () => read(i), close: () => undefined } },
  );
  const monitor = createMonitor({ service: 'api', saturation }, { clock });
  for (; i < samples; i++) {
    await clock.advanceAsync(10_000);
    await monitor.evaluate();
  }
  const close = async () => {
    await monitor.close();
    await saturation.close();
  };
  return { monitor, close };
}

describe('monitor: forecasts beyond the representable date range', () => {
  it('reports a signal creeping up at a negligible rate as never reaching its limit', async () => {
    // 1e-13 per 10 s: about 1e-17 per ms, so the 0.7 left takes ~7e16 ms, past Date's 8.64e15.
    const { monitor, close } = await sampled(
      createFakeClock({ start: START }),
      (i) => ({ ...IDLE, eventLoopUtilization: 0.2 + i * 1e-13, rssBytes: 5e7, cpuRatio: 0.3 }),
      10,
    );
    const forecast = capacityForecastSchema.parse(monitor.capacityForecast());
    const utilization = forecast.signals.find((s) => s.signal === 'eventLoopUtilization');
    expect(utilization).toMatchObject({ reachesLimitInMs: null, reachesLimitAt: null });
    expect(forecast.atRisk).not.toContain('eventLoopUtilization');
    monitorHealthReportSchema.parse(await monitor.healthReport({ includePredictions: true }));
    await close();
  });

  it('reports an SLO budget burning at a negligible rate as never exhausted', async () => {
    const clock = createFakeClock({ start: START });
    const slo = createSloTracker(
      { name: 'availability', objective: { kind: 'availability', target: 0.999 } },
      { clock },
    );
    const monitor = createMonitor({ service: 'api', slos: [slo] }, { clock });
    // One bad event in 1e12: burn rate 1e-9, about 2.6e18 ms to exhaust a 30-day budget.
    slo.record(true, 1e12);
    slo.record(false, 1);
    await clock.advanceAsync(60_000);
    const report = monitorHealthReportSchema.parse(await monitor.healthReport({ includePredictions: true }));
    expect(report.predictions?.budgetExhaustion[0]).toMatchObject({ exhaustsInMs: null, exhaustsAt: null });
    await monitor.close();
    slo.close();
  });
});

// The history drops a non-finite reading from its hourly figures, but the reports used to pass it on
// (NaN `current`, NaN in `saturation`), which no report schema accepts.
describe('monitor: a probe reading NaN', () => {
  it('keeps the reports valid, judging the signal on its last finite value', async () => {
    const { monitor, close } = await sampled(
      createFakeClock({ start: START }),
      (i) => ({ ...IDLE, rssBytes: 5e7, cpuRatio: i === 3 ? Number.NaN : 0.3 }),
      4,
    );
    const forecast = capacityForecastSchema.parse(monitor.capacityForecast());
    expect(forecast.signals.find((s) => s.signal === 'cpuRatio')).toMatchObject({ current: 0.3, samples: 3 });
    const report = monitorHealthReportSchema.parse(await monitor.healthReport({ includePredictions: true }));
    expect(report.saturation).not.toHaveProperty('cpuRatio');
    expect(report.saturation).toMatchObject({ eventLoopUtilization: 0.2 });
    await close();
  });
});
