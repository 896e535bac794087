// Issue 13, item 8: in the demo one fault opened an incident that reopened 3 times in 15 s, each reopen
// paging on-call again. Automatic resolution now waits for the signal to stay clear for
// `resolveAfterMs` (default 3 evaluation intervals), and a reopening never escalates again an incident
// that was already escalated or acknowledged.
import { describe, expect, it } from 'vitest';
import {
  createCircuitBreaker,
  createIncidentRecorder,
  createMonitor,
  createResponder,
  type Alert,
  type CircuitBreaker,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const START = '2026-03-10T12:00:00.000Z';
const fail = (breaker: CircuitBreaker) =>
  breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
const pass = (breaker: CircuitBreaker) => breaker.execute(() => Promise.resolve('ok'));

describe('issue 13: automatic incidents do not flap', () => {
  it('a breaker that closes and reopens within resolveAfterMs keeps one incident open', async () => {
    const clock = createFakeClock({ start: START });
    const breaker = createCircuitBreaker(
      { name: 'payments', failureThreshold: { kind: 'consecutive', count: 1 }, openMs: 2_000 },
      { clock },
    );
    const monitor = createMonitor(
      { service: 'shop', breakers: [breaker], evaluateIntervalMs: 1_000 },
      { clock },
    );
    const resolvedAt: number[] = [];
    monitor.incidents.on('resolved', () => void resolvedAt.push(clock.wallNow()));

    await fail(breaker); // open
    await clock.advanceAsync(2_000);
    await pass(breaker); // half-open probe: closed
    await clock.advanceAsync(1_000); // clear for 1 s of the 3 s it needs
    await fail(breaker); // opens again: the same incident, still open
    await clock.advanceAsync(2_000);
    await pass(breaker);
    const closedAt = clock.wallNow();
    await clock.advanceAsync(2_000);
    expect(monitor.incidents.list({ status: 'open' })).toHaveLength(1);
    await clock.advanceAsync(2_000);

    const [incident, ...more] = monitor.incidents.list();
    expect(more).toEqual([]);
    expect(incident).toMatchObject({ status: 'resolved', reopenCount: 0 });
    expect(resolvedAt).toHaveLength(1);
    expect(resolvedAt[0]! - closedAt).toBeGreaterThanOrEqual(3_000);
    expect(incident?.resolution).toMatch(/Circuit breaker payments closed and stayed clear for 3 s/);
    await monitor.close();
    breaker.close();
  });

  it('resolveAfterMs is an option, validated; 0 resolves on the first clear reading', async () => {
    expect(() => createMonitor({ service: 'shop', resolveAfterMs: -1 })).toThrow('resolveAfterMs');
    const clock = createFakeClock({ start: START });
    const breaker = createCircuitBreaker(
      { name: 'payments', failureThreshold: { kind: 'consecutive', count: 1 }, openMs: 1_000 },
      { clock },
    );
    const monitor = createMonitor({ service: 'shop', breakers: [breaker], resolveAfterMs: 0 }, { clock });
    await fail(breaker);
    await clock.advanceAsync(1_000);
    await pass(breaker);
    await monitor.evaluate();
    expect(monitor.incidents.list()[0]).toMatchObject({ status: 'resolved' });
    await monitor.close();
    breaker.close();
  });

  it.each(['escalated', 'acknowledged'] as const)(
    'a reopening within the reopen window does not escalate an incident already %s',
    async (state) => {
      const clock = createFakeClock({ start: START });
      const recorder = createIncidentRecorder({ service: 'shop' }, { clock });
      const paged: string[] = [];
      const responder = createResponder(
        { recorder, runbooks: [], escalate: (incident) => void paged.push(incident.id) },
        { clock },
      );
      const alert: Alert = {
        name: 'Down',
        severity: 'critical',
        service: 'shop',
        summary: 'down',
        dedupKey: 'down',
      };
      // Escalated by the responder (no runbook), or opened and taken on by a person.
      const first =
        state === 'escalated'
          ? (await responder.handle(alert)).incident!
          : await recorder.open({ title: 'down', severity: 'P2', dedupKey: 'down' });
      if (state === 'acknowledged') await recorder.acknowledge(first.id, { by: 'alice' });
      await responder.handle({ ...alert, status: 'resolved' });
      clock.advance(60_000);
      const again = await responder.handle(alert);
      expect(again.outcome).toBe('suppressed');
      expect(again.incident).toMatchObject({ id: first.id, reopenCount: 1 });
      expect(paged).toHaveLength(state === 'escalated' ? 1 : 0);
      expect(again.incident?.timeline.at(-1)?.text).toMatch(
        state === 'escalated'
          ? /^Reopened; not escalated again: already escalated/
          : /^Reopened; not escalated again: acknowledged by alice/,
      );
      await responder.close();
      await recorder.close();
    },
  );
});
