// A real checkout monitor for the MCP and A2A tests: a health registry with a database check, an
// availability SLO fed a few thousand events, a latency tracker, and one open P2 incident, all real
// sre-kit parts, and a change log holding the deploy before it (change_correlation and dora_report). `database.fail()` makes the critical check fail (deployment_readiness then says no).
import {
  createChangeLog,
  createHealthRegistry,
  createLatencyTracker,
  createMonitor,
  createSloTracker,
  type Monitor,
} from 'sre-kit';
import type { Deps } from '../../src/core/index.js';

export interface CheckoutFixture {
  readonly monitor: Monitor;
  /** The id of the incident open from the start. */
  readonly incidentId: string;
  readonly database: { fail(): void; recover(): void };
  close(): Promise<void>;
}

export async function createCheckoutMonitor(deps: Deps = {}): Promise<CheckoutFixture> {
  let databaseUp = true;
  const health = createHealthRegistry({ service: 'checkout' }, deps);
  health.register(
    'database',
    () => {
      if (!databaseUp) throw new Error('connection refused');
    },
    { critical: true },
  );
  const availability = createSloTracker(
    { name: 'checkout-availability', objective: { kind: 'availability', target: 0.999 } },
    deps,
  );
  availability.record(true, 4_995);
  availability.record(false, 5);
  const latency = createLatencyTracker({}, deps);
  for (let i = 0; i < 200; i++) latency.record(40 + (i % 50), 'POST /checkout/:id');
  const changes = createChangeLog({ service: 'checkout' }, deps);
  const monitor = createMonitor(
    { service: 'checkout', health, latency, slos: [availability], latencyBudgetMs: 250, changes },
    deps,
  );
  const deployedAt = (deps.clock?.wallNow() ?? Date.now()) - 120_000;
  monitor.recordChange({
    id: 'deploy-41',
    kind: 'deploy',
    version: 'v1.4.1',
    startedAt: deployedAt - 60_000,
    finishedAt: deployedAt,
  });
  const incident = await monitor.incidents.open({
    title: 'Checkout payment errors above SLO',
    severity: 'P2',
    impact: '0.1% of checkouts failing',
  });
  return {
    monitor,
    incidentId: incident.id,
    database: {
      fail: () => {
        databaseUp = false;
      },
      recover: () => {
        databaseUp = true;
      },
    },
    close: async () => {
      await monitor.close();
      health.close();
      await latency.close();
      availability.close();
    },
  };
}
