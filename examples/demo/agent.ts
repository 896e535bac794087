// The demo's shop and its reliability agent, shared by `npm run demo` and the MCP launcher (mcp.ts).
import { GOLDEN_SIGNAL_ANOMALY_SIGNALS, createAnomalyDetector, createMonitor, type Monitor } from 'sre-kit';
import type { DemoArgs } from './args.js';
import { createFaults, type Faults } from './faults.js';
import { createPayments } from './payments.js';
import { seededRandom } from './random.js';
import { createIncidentResponse, type IncidentResponse } from './response.js';
import { demoAlertWindows, startService, type Service } from './service.js';

/** The running shop: its service, faults, incident response and monitor, and the seeded random source. */
export interface Shop {
  readonly durationMs: number;
  readonly random: () => number;
  readonly faults: Faults;
  readonly service: Service;
  readonly response: IncidentResponse;
  readonly monitor: Monitor;
}

/**
 * Starts the shop for `args` (its past restored, its agent route answered by the monitor); `log` gets
 * the runbook's and the monitor's lines.
 */
export async function startShop(args: DemoArgs, log: (line: string) => void): Promise<Shop> {
  const durationMs = args.durationS * 1_000;
  const random = seededRandom(42);
  const faults = createFaults(random);
  const payments = createPayments(faults.paymentsOutage, random);
  // The restored past is sized to the run, so the faults spend a similar share of budget at any duration.
  const pastEvents = args.rate * args.durationS * 80;
  const service = await startService({ port: args.port, durationMs, faults, payments, pastEvents });
  const response = createIncidentResponse('shop', service.parts.payments, payments, log);
  const monitor = createDemoMonitor(service, response, durationMs, log);
  service.serveAgent(monitor);
  return { durationMs, random, faults, service, response, monitor };
}

/**
 * The reliability agent over the whole shop: SLO burn alerts, the breaker and critical checks become
 * alerts (to the router) and incidents (to the responder, whose runbook may fix them); it keeps the
 * history the reports and predictions are computed from.
 */
export function createDemoMonitor(
  service: Service,
  response: IncidentResponse,
  durationMs: number,
  log: (line: string) => void,
): Monitor {
  const { parts } = service;
  // Anomalies on the golden signals, in one-second buckets because the run lasts a minute (a service
  // keeps the default minute buckets and hour-of-week seasonality).
  const anomalies = createAnomalyDetector({
    bucketMs: 1_000,
    seasonality: 'none',
    warmupBuckets: 8,
    signals: GOLDEN_SIGNAL_ANOMALY_SIGNALS,
  });
  return createMonitor(
    {
      service: 'shop',
      health: parts.health,
      latency: parts.latency,
      slos: [parts.availability, parts.fastResponses],
      // The payments dependency brings its breaker and SLO; the pool and the cache their own figures.
      dependencies: [parts.paymentsApi],
      pools: [parts.storage.database],
      caches: [parts.storage.productCache],
      saturation: parts.saturation,
      incidents: response.incidents,
      responder: response.responder,
      alerts: response.alerts,
      autoIncidents: { sloPage: 'P2', sloTicket: 'P3', breakerOpen: 'P3', criticalCheckFail: 'P1' },
      // Evaluated often because the demo's alert windows are seconds long (see demoAlertWindows).
      evaluateIntervalMs: Math.max(200, Math.min(1_000, durationMs / 40)),
      // An incident resolves once its signal has stayed clear for the page alert's long window: a
      // burn rate still draining out of its window must not resolve it and reopen it a second later.
      resolveAfterMs: demoAlertWindows(durationMs)[0]!.longWindowMs,
      // Per-route errors, so each incident names the routes it affects.
      signals: parts.http.signals,
      // Which errors, where from, and which are new since the start (the whole run counts as "new").
      errors: parts.errors,
      newErrorWindowMs: durationMs,
      anomalies,
      latencyBudgetMs: 200,
    },
    { onInternalError: (error) => log(`monitor error: ${String(error)}`) },
  );
}
