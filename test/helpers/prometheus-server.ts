import { join } from 'node:path';
import { startDaemon } from './daemon.js';

/** A real Prometheus server (Debian's `prometheus` package) scraping targets on loopback. */
export interface PrometheusServer {
  readonly url: string;
  /** The process id, to prove it is gone after `close()`. */
  readonly pid: number;
  /** Runs an instant PromQL query and returns the result vector. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  /** Queries stored exemplars for a series selector over the last minute. */
  exemplars(selector: string): Promise<
    Array<{
      seriesLabels: Record<string, string>;
      exemplars: Array<{ labels: Record<string, string>; value: string }>;
    }>
  >;
  close(): Promise<void>;
}

export { freePort } from './daemon.js';

/** What else a test Prometheus evaluates and where it sends alerts. */
export interface PrometheusExtras {
  /** The scrape job's name (its `job` label). Default `sre-kit-test`. */
  readonly jobName?: string;
  /** Rule files (absolute paths) to load. */
  readonly ruleFiles?: readonly string[];
  /** Alertmanagers (host:port) to send alerts to. */
  readonly alertmanagers?: readonly string[];
}

/** The prometheus.yml a test Prometheus runs with: every interval 1 s. */
export function prometheusConfig(
  targets: readonly string[],
  metricsPath: string,
  extras: PrometheusExtras = {},
) {
  return {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: [
      {
        job_name: extras.jobName ?? 'sre-kit-test',
        metrics_path: metricsPath,
        static_configs: [{ targets }],
      },
    ],
    ...(extras.ruleFiles === undefined ? {} : { rule_files: extras.ruleFiles }),
    ...(extras.alertmanagers === undefined
      ? {}
      : { alerting: { alertmanagers: [{ static_configs: [{ targets: extras.alertmanagers }] }] } }),
  };
}

/** Starts Prometheus on 127.0.0.1 scraping `targets` (host:port) every second at `metricsPath`. */
export async function startPrometheus(
  targets: string[],
  metricsPath = '/metrics',
  extras: PrometheusExtras = {},
): Promise<PrometheusServer> {
  return startPrometheusWith(prometheusConfig(targets, metricsPath, extras));
}

/** Starts Prometheus on 127.0.0.1 with `config`, a prometheus.yml as an object. */
export async function startPrometheusWith(config: object): Promise<PrometheusServer> {
  const daemon = await startDaemon('prometheus', 'prometheus.yml', config, (dir, port) => [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--enable-feature=exemplar-storage',
  ]);
  const url = daemon.url;

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus API ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  return {
    url,
    pid: daemon.pid,
    query: async (promql) =>
      (await api<{ result: [] }>(`/api/v1/query?query=${encodeURIComponent(promql)}`)).result,
    exemplars: async (selector) => {
      const now = Date.now() / 1000;
      return api(
        `/api/v1/query_exemplars?query=${encodeURIComponent(selector)}&start=${now - 60}&end=${now + 1}`,
      );
    },
    close: () => daemon.close(),
  };
}
