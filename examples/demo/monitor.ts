// INTERIM until feat/monitor is merged: createMonitor does not exist yet, so this stand-in only does the
// one piece of wiring the story needs (a payments breaker opening becomes an alert for the responder,
// whose runbook resolves it). It is replaced by createMonitor over the same parts.
import type { Alert, CircuitBreaker, Responder } from 'sre-kit';

/** The interim stand-in: breaker alerts to the responder. */
export interface InterimMonitor {
  close(): Promise<void>;
}

export function wireBreakerAlerts(
  service: string,
  breakers: readonly CircuitBreaker[],
  responder: Responder,
  onError: (error: unknown) => void,
): InterimMonitor {
  const pending = new Set<Promise<unknown>>();
  const send = (alert: Alert) => {
    const handled = responder.handle(alert).catch(onError);
    pending.add(handled);
    void handled.finally(() => pending.delete(handled));
  };
  const unsubscribe = breakers.flatMap((breaker) => {
    const base = {
      name: 'CircuitBreakerOpen',
      severity: 'warning',
      service,
      labels: { breaker: breaker.name },
      source: 'breaker',
    } as const;
    return [breaker.on('open', () => send({ ...base, summary: `circuit breaker ${breaker.name} opened` }))];
  });
  return {
    async close() {
      for (const off of unsubscribe) off();
      await Promise.all(pending);
    },
  };
}
