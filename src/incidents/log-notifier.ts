import type { Notifier } from './notifier.js';

/** The logger {@link logNotifier} writes to: pino, bunyan and `console` all fit (object first, then message). */
export interface NotifierLogger {
  info(fields: object, message: string): void;
  warn?(fields: object, message: string): void;
  error?(fields: object, message: string): void;
}

/**
 * Creates a notifier that writes each alert of a notification as one log line: critical at `error`,
 * warning at `warn`, info and resolved at `info` (the seed's "info goes to the log").
 *
 * @example
 * ```ts
 * const router = createAlertRouter({ routes: [{ matchers: ['severity="info"'], notifiers: [logNotifier(pino())] }] });
 * ```
 */
export function logNotifier(logger: NotifierLogger, options: { readonly name?: string } = {}): Notifier {
  const name = options.name ?? 'log';
  return {
    name,
    notify(notification) {
      // Inside a promise executor, so a throwing logger rejects the delivery instead of throwing.
      return new Promise<void>((resolve) => {
        for (const alert of notification.alerts) {
          const fields = {
            alert: alert.name,
            status: alert.status,
            severity: alert.severity,
            service: alert.service,
            dedupKey: alert.dedupKey,
            receiver: notification.receiver,
            labels: alert.labels ?? {},
          };
          const message = `[${alert.status.toUpperCase()}] ${alert.name}: ${alert.summary}`;
          const level =
            alert.status === 'resolved' || alert.severity === 'info'
              ? 'info'
              : alert.severity === 'critical'
                ? 'error'
                : 'warn';
          if (level === 'error' && logger.error !== undefined) logger.error(fields, message);
          else if (level === 'warn' && logger.warn !== undefined) logger.warn(fields, message);
          else logger.info(fields, message);
        }
        resolve();
      });
    },
  };
}
