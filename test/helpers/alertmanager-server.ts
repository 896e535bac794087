import { join } from 'node:path';
import { startDaemon } from './daemon.js';

/** A real Alertmanager (Debian's `prometheus-alertmanager` package) on 127.0.0.1. */
export interface AlertmanagerServer {
  /** `host:port`, for Prometheus's `alerting.alertmanagers`. */
  readonly target: string;
  readonly url: string;
  readonly pid: number;
  /** Everything it logged so far. */
  log(): string;
  close(): Promise<void>;
}

/** Starts Alertmanager with `config` (an alertmanager.yml as an object), clustering off. */
export async function startAlertmanager(config: object): Promise<AlertmanagerServer> {
  const daemon = await startDaemon('prometheus-alertmanager', 'alertmanager.yml', config, (dir, port) => [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    // No gossip: one Alertmanager, and no port of its own beyond the web one.
    '--cluster.listen-address=',
  ]);
  return { ...daemon, target: `127.0.0.1:${daemon.port}` };
}
