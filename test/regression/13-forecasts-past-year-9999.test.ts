// Issue 13, item 2: one bad event in 200 M at 99.9 %, or a signal rising 1e-9 per sample, gave
// `+018453-…`: the report then failed its own schema, and health_check with predictions and
// capacity_plan answered ERR_SRE_INTERNAL. Anything past 9999-12-31 is "never" (null), and a horizon
// that is not a duration is a ConfigError, which the protocol answers as a bad request.
import { describe, expect, it } from 'vitest';
import {
  AgentErrorCode,
  ConfigError,
  agentResponseSchema,
  createMonitor,
  createSaturationMonitor,
  createSloTracker,
  handleAgentRequest,
  monitorHealthReportSchema,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const START = '2026-03-10T12:00:00.000Z';
const agent = 'sre-reliability';

describe('issue 13: no forecast past 9999-12-31', () => {
  it('an SLO budget that would run out in year 10000+ never runs out', async () => {
    const clock = createFakeClock({ start: START });
    const slo = createSloTracker(
      { name: 'availability', objective: { kind: 'availability', target: 0.999 } },
      { clock },
    );
    const monitor = createMonitor({ service: 'api', slos: [slo] }, { clock });
    slo.record(true, 100_000_000);
    await clock.advanceAsync(61 * 60_000);
    slo.record(true, 100_000_000);
    slo.record(false, 1);
    await clock.advanceAsync(10_000);
    const report = monitorHealthReportSchema.parse(await monitor.healthReport({ includePredictions: true }));
    // The gates pass (over an hour of data, plenty of events): this is a stated "never".
    expect(report.predictions?.budgetExhaustion[0]).toMatchObject({
      status: 'ok',
      exhaustsInMs: null,
      exhaustsAt: null,
    });
    const response = await monitor.handle({ agent, action: 'health_check', include_predictions: true });
    expect(agentResponseSchema.parse(response)).toMatchObject({ ok: true });
    await monitor.close();
    slo.close();
  });

  it('a signal rising 1e-12 per sample never reaches its limit, and capacity_plan answers', async () => {
    const clock = createFakeClock({ start: START });
    let i = 0;
    const saturation = createSaturationMonitor(
      { sampleIntervalMs: 10_000 },
      {
        clock,
        probe: {
          read: () => ({
            eventLoopDelayP99Ms: 5,
            eventLoopUtilization: 0.2 + i++ * 1e-12, // 0.7 to go: year ~224,000
            heapUsedBytes: 1,
            heapLimitBytes: 10,
            rssBytes: 1,
            cpuRatio: 0.3,
          }),
          close: () => undefined,
        },
      },
    );
    const monitor = createMonitor({ service: 'api', saturation }, { clock });
    await clock.advanceAsync(2 * 3_600_000);
    const forecast = monitor.capacityForecast();
    const utilization = forecast.signals.find((s) => s.signal === 'eventLoopUtilization')!;
    expect(utilization).toMatchObject({ status: 'ok', reachesLimitInMs: null, reachesLimitAt: null });
    const response = await monitor.handle({ agent, action: 'capacity_plan', horizon_days: 365 });
    expect(agentResponseSchema.parse(response)).toMatchObject({ ok: true });
    await monitor.close();
    await saturation.close();
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, -1])(
    'capacityForecast({ horizonMs: %s }) is a ConfigError naming horizonMs; the protocol says bad request',
    async (horizonMs) => {
      const monitor = createMonitor({ service: 'api' }, { clock: createFakeClock({ start: START }) });
      expect(() => monitor.capacityForecast({ horizonMs })).toThrow(ConfigError);
      expect(() => monitor.capacityForecast({ horizonMs })).toThrow('horizonMs');
      // A caller that forwards its own horizon gets a structured error, not ERR_SRE_INTERNAL.
      const response = await handleAgentRequest(
        {
          service: monitor.service,
          incidents: monitor.incidents,
          sloStatus: () => monitor.sloStatus(),
          healthReport: (o) => monitor.healthReport(o),
          slaReport: (o) => monitor.slaReport(o),
          performanceAnalysis: (o) => monitor.performanceAnalysis(o),
          capacityForecast: () => monitor.capacityForecast({ horizonMs }),
          deploymentReadiness: () => monitor.deploymentReadiness(),
          incidentReport: (id) => monitor.incidentReport(id),
        },
        { agent, action: 'capacity_plan' },
      );
      expect(agentResponseSchema.parse(response)).toMatchObject({
        ok: false,
        error: { code: AgentErrorCode.BAD_REQUEST, issues: [{ path: ['horizon_ms'] }] },
      });
      await monitor.close();
    },
  );
});
