// The monitor wiring an SLO, a latency tracker, a circuit breaker, a health registry and a saturation
// monitor into one reliability agent, then replaying a bad hour: a 10-minute outage and a dependency
// that trips its breaker. The hour runs on a fake clock, so the program finishes in about a second and
// prints what the monitor saw: incidents opened and auto-resolved, the reports, the agent protocol.
//
//   npx tsx examples/monitor.ts
import {
  checks,
  createCircuitBreaker,
  createHealthRegistry,
  createLatencyTracker,
  createMonitor,
  createSaturationMonitor,
  createSloTracker,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const MINUTE = 60_000;
const clock = createFakeClock({ start: '2026-03-10T09:00:00Z' });

const availability = createSloTracker(
  {
    name: 'checkout-availability',
    objective: { kind: 'availability', target: 0.99 },
    // Page when the last 5 minutes and the last minute both burn the budget 10× too fast.
    alerts: [{ severity: 'page', longWindowMs: 5 * MINUTE, shortWindowMs: MINUTE, burnRate: 10 }],
  },
  { clock },
);
const latency = createLatencyTracker({ window: { durationMs: 60 * MINUTE, slices: 6 } }, { clock });
const payments = createCircuitBreaker(
  { name: 'payments', failureThreshold: { kind: 'consecutive', count: 3 }, openMs: 2 * MINUTE },
  { clock },
);
const health = createHealthRegistry({ exposeDetails: true }, { clock });
health.register('payments', checks.circuitBreaker(payments), { critical: false });
health.register('error-budget', checks.sloBudget(availability, { warnRemaining: 0.5 }), { critical: false });

// A pretend process whose heap grows a little every sample, so the capacity forecast has a trend.
let heapUsed = 300e6;
const saturation = createSaturationMonitor(
  { sampleIntervalMs: 10_000, heapUsed: { maxRatio: 0.9 } },
  {
    clock,
    probe: {
      read: () => ({
        eventLoopDelayP99Ms: 12,
        eventLoopUtilization: 0.35,
        heapUsedBytes: (heapUsed += 20_000),
        heapLimitBytes: 2e9,
        rssBytes: 400e6,
        cpuRatio: 0.4,
      }),
      close: () => undefined,
    },
  },
);

const monitor = createMonitor(
  {
    service: 'checkout',
    health,
    latency,
    slos: [availability],
    breakers: [payments],
    saturation,
    latencyBudgetMs: 250,
  },
  { clock },
);
monitor.incidents.on('opened', ({ incident }) =>
  console.log(`${time()} opened   ${incident.id} ${incident.severity} ${incident.title}`),
);
monitor.incidents.on('resolved', ({ incident }) =>
  console.log(`${time()} resolved ${incident.id} (${incident.resolution ?? ''})`),
);

function time(): string {
  return new Date(clock.wallNow()).toISOString().slice(11, 19);
}

// Five simulated seconds: 100 requests over three routes, half failing while `outage` is on.
async function step(outage: boolean): Promise<void> {
  await clock.advanceAsync(5_000);
  for (let i = 0; i < 100; i++) {
    const route = i % 10 === 0 ? '/search' : i % 2 === 0 ? '/cart' : '/checkout';
    latency.record(route === '/search' ? 280 + (i % 7) * 20 : 30 + (i % 5) * 8, route);
    availability.record(!(outage && i % 2 === 0));
  }
}

// The night before: 3 M good requests, the budget a month of traffic builds up.
availability.record(true, 3_000_000);
const steps = (minutes: number) => (minutes * 60) / 5;
for (let s = 0; s < steps(20); s++) await step(false);
console.log(`${time()} outage starts: half the requests fail`);
for (let s = 0; s < steps(10); s++) await step(true);
console.log(`${time()} outage ends; the payments API starts failing`);
for (let i = 0; i < 3; i++)
  await payments.execute(() => Promise.reject(new Error('503'))).catch(() => undefined);
const readiness = await monitor.deploymentReadiness();
console.log(`${time()} ready to deploy? ${readiness.ready}\n  - ${readiness.reasons.join('\n  - ')}`);
for (let s = 0; s < steps(3); s++) await step(false);
await payments.execute(() => Promise.resolve('ok'));
for (let s = 0; s < steps(27); s++) await step(false);
await monitor.evaluate();
console.log(`${time()} ready to deploy? ${(await monitor.deploymentReadiness()).ready}\n`);

const report = await monitor.healthReport({ includePredictions: true });
console.log('health report:', JSON.stringify({ ...report, predictions: undefined }, null, 2));
console.log(
  'capacity:',
  JSON.stringify(monitor.capacityForecast({ horizonMs: 30 * 24 * 60 * MINUTE }).atRisk),
);
const sla = monitor.slaReport({ period: 'day' });
console.log('SLA (day):', JSON.stringify(sla.slos[0]), JSON.stringify(sla.incidents));
const perf = monitor.performanceAnalysis({ timeframe: 'last_hour' });
console.log(
  'performance:',
  JSON.stringify(perf.bottlenecks),
  '\n ',
  perf.immediate.concat(perf.planned).join('\n  '),
);
for (const incident of monitor.incidents.list())
  console.log('incident report:', JSON.stringify(monitor.incidentReport(incident.id)));
console.log(
  'agent protocol:',
  JSON.stringify(await monitor.handle({ agent: 'sre-reliability', action: 'deployment_readiness' })),
);

await monitor.close();
await saturation.close();
await latency.close();
health.close();
payments.close();
availability.close();
