// Incident response: where incidents are recorded, the runbook that fixes a payments outage by itself,
// and what happens to everything no runbook fixes (a page to on-call, printed here).
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createAlertRouter,
  createIncidentRecorder,
  logNotifier,
  createResponder,
  type Alert,
  type AlertRouter,
  type CircuitBreaker,
  type IncidentRecorder,
  type Responder,
} from 'sre-kit';
import type { Payments } from './payments.js';

/** The incident recorder, responder and alert router the monitor hands its alerts to. */
export interface IncidentResponse {
  readonly incidents: IncidentRecorder;
  readonly responder: Responder;
  readonly alerts: AlertRouter;
  close(): Promise<void>;
}

/** Whether an alert is the monitor's "payments circuit breaker opened". */
function isPaymentsBreakerAlert(alert: Alert): boolean {
  return alert.name === 'CircuitBreakerOpen' && alert.labels?.breaker === 'payments';
}

/** Creates the recorder and a responder whose runbook fails payments over to the standby region. */
export function createIncidentResponse(
  service: string,
  breaker: CircuitBreaker,
  payments: Payments,
  log: (line: string) => void,
): IncidentResponse {
  const incidents = createIncidentRecorder({ service, idPrefix: 'INC' });
  const responder = createResponder({
    recorder: incidents,
    runbooks: [
      {
        name: 'payments-failover',
        match: isPaymentsBreakerAlert,
        diagnose: () => ({
          summary: `payments ${payments.active} region failing, circuit ${breaker.state}`,
          rootCause: `Payments ${payments.active} region unavailable`,
          details: { stats: breaker.stats() },
        }),
        remediate: async ({ incident }) => {
          const { failures, rejections } = breaker.stats();
          await incidents.update(incident.id, {
            impact: `Checkout failing: ${failures} payment calls failed, ${rejections} refused by the open circuit`,
            lessonsLearned: [
              'Fail payments over automatically when the circuit opens (runbook payments-failover)',
            ],
          });
          payments.failover();
          log('runbook payments-failover: switched payments to the standby region');
        },
        // Fixed once live traffic has probed the standby through the half-open circuit and closed it.
        verify: async ({ signal }) => {
          while (breaker.state !== 'closed') await sleep(100, undefined, { signal });
          return true;
        },
        resolution: 'Failed payments over to the standby region; the circuit closed again',
        timeoutMs: 15_000,
      },
    ],
    escalate: (incident, diagnosis) => {
      log(`page on-call: ${incident.id} [${incident.severity}] ${incident.title} (${diagnosis.summary})`);
    },
    notify: ({ incident, outcome, runbook }) => {
      if (outcome === 'auto_resolved' && runbook !== undefined)
        log(`runbook ${runbook} fixed ${incident.id} and verified it`);
    },
    maxAttempts: 2,
    cooldownMs: 500,
    timeoutMs: 5_000,
  });
  // Every alert goes to the log (the live view's event lines); a real service adds PagerDuty or Slack
  // routes here. Groups are flushed fast because the whole run lasts a minute.
  const print = (_fields: object, message: string) => log(`alert ${message}`);
  const alerts = createAlertRouter({
    routes: [{ name: 'log', notifiers: [logNotifier({ info: print, warn: print, error: print })] }],
    groupWaitMs: 100,
    groupIntervalMs: 1_000,
  });
  return {
    incidents,
    responder,
    alerts,
    async close() {
      await alerts.close();
      await responder.close();
      await incidents.close();
    },
  };
}
