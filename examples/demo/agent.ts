// The demo's reliability agent, shared by `npm run demo` and the MCP launcher (mcp.ts).
import { createMonitor, type Monitor } from 'sre-kit';
import type { IncidentResponse } from './response.js';
import { demoAlertWindows, type Service } from './service.js';

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
  return createMonitor(
    {
      service: 'shop',
      health: parts.health,
      latency: parts.latency,
      slos: [parts.availability, parts.fastResponses],
      breakers: [parts.payments],
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
      latencyBudgetMs: 200,
    },
    { onInternalError: (error) => log(`monitor error: ${String(error)}`) },
  );
}
