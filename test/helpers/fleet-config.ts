// The configuration of the fleet loop (test/integration/fleet.test.ts): the OpenSLO file `sre-kit rules`
// reads, and the prometheus.yml and alertmanager.yml the real engines run with. README.md's "Running a
// fleet" and docs/operations/fleet.md print the same files; test/docs/fleet-config.test.ts holds them
// to these, so the docs show what the test runs.
import { prometheusConfig } from './prometheus-server.js';

/**
 * The SLO: page when both the last 20 s and the last 5 s burn faster than 14.4× a 1 % budget, the
 * Google SRE Workbook's fast-burn pair with windows shrunk from 1 h / 5 m so the test runs in seconds.
 */
export const FLEET_OPENSLO = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: orders-availability
  annotations:
    sre-kit/alerts: '[{"severity":"page","longWindowMs":20000,"shortWindowMs":5000,"burnRate":14.4}]'
spec:
  service: orders
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 1h, isRolling: true }]
  objectives: [{ target: 0.99 }]
  indicator:
    metadata: { name: orders-availability }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: Prometheus, spec: { query: 'sre_slo_events_total{slo="orders-availability",outcome="good"}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'sre_slo_events_total{slo="orders-availability"}' } } }
`;

/** Where the fleet's parts listen: free ports in the test, the docs' fixed ones in print. */
export interface FleetAddresses {
  /** host:port of the cluster primary's admin server (/metrics and /alertmanager). */
  readonly admin: string;
  /** host:port of Alertmanager. */
  readonly alertmanager: string;
  /** The rule file `sre-kit rules` wrote. */
  readonly rulesFile: string;
}

/** prometheus.yml: the primary is the one target for the whole group; every interval 1 s. */
export function fleetPrometheusConfig(at: FleetAddresses): object {
  return prometheusConfig([at.admin], '/metrics', {
    jobName: 'orders',
    ruleFiles: [at.rulesFile],
    alertmanagers: [at.alertmanager],
  });
}

/** alertmanager.yml: the page goes to the service's webhook, everything else to a chat receiver. */
export function fleetAlertmanagerConfig(at: Pick<FleetAddresses, 'admin'>, token: string): object {
  return {
    route: {
      receiver: 'chat',
      group_by: ['alertname', 'slo', 'severity'],
      group_wait: '1s',
      group_interval: '1s',
      repeat_interval: '1h',
      routes: [{ matchers: ['alertname="SloErrorBudgetBurn"', 'severity="page"'], receiver: 'sre-kit' }],
    },
    receivers: [
      { name: 'chat' },
      {
        name: 'sre-kit',
        webhook_configs: [
          {
            url: `http://${at.admin}/alertmanager`,
            send_resolved: true,
            http_config: { authorization: { credentials: token } },
          },
        ],
      },
    ],
  };
}
