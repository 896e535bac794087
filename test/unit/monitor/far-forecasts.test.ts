import { describe, expect, it } from 'vitest';
import {
  capacityForecastSchema,
  createMonitor,
  createSaturationMonitor,
  createSloTracker,
  monitorHealthReportSchema,
  type SaturationReading,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

// A forecast so far out that `new Date()` cannot hold it (past year 275,760) used to make the report
// throw a RangeError from toISOString(); such a limit is never reached in practice: `null`.
describe('monitor: forecasts beyond the representable date range', () => {
  it('reports a signal creeping up at a negligible rate as never reaching its limit', async () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
    let elu = 0.2;
    const rest = {
      eventLoopDelayP99Ms: 5,
      heapUsedBytes: 100,
      heapLimitBytes: 1_000,
      rssBytes: 5e7,
      cpuRatio: 0.3,
    };
    const read = (): SaturationReading => ({ ...rest, eventLoopUtilization: elu });
    const saturation = createSaturationMonitor(
      { sampleIntervalMs: 10_000 },
      { clock, probe: { read, close: () => undefined } },
    );
    const monitor = createMonitor({ service: 'api', saturation }, { clock });
    for (let i = 0; i < 10; i++) {
      // 1e-13 per 10 s: about 1e-17 per ms, so 0.7 to go takes ~7e16 ms (2 million years).
      elu = 0.2 + i * 1e-13;
      await clock.advanceAsync(10_000);
      await monitor.evaluate();
    }
    const forecast = capacityForecastSchema.parse(monitor.capacityForecast());
    const utilization = forecast.signals.find((s) => s.signal === 'eventLoopUtilization');
    expect(utilization).toMatchObject({ reachesLimitInMs: null, reachesLimitAt: null });
    expect(forecast.atRisk).not.toContain('eventLoopUtilization');
    monitorHealthReportSchema.parse(await monitor.healthReport({ includePredictions: true }));
    await monitor.close();
    await saturation.close();
  });

  it('reports an SLO budget burning at a negligible rate as never exhausted', async () => {
    const clock = createFakeClock({ start: '2026-03-10T12:00:00.000Z' });
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
