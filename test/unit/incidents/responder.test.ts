import { describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  ErrorCode,
  createIncidentRecorder,
  createResponder,
  type Alert,
  type Runbook,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const alert = (over: Partial<Alert> = {}): Alert => ({
  name: 'PoolExhausted',
  severity: 'critical',
  service: 'api',
  summary: 'DB pool at 100%',
  labels: { instance: 'db-1' },
  ...over,
});

function setup(
  runbooks: Runbook[],
  options: { maxAttempts?: number; cooldownMs?: number; timeoutMs?: number } = {},
) {
  const clock = createFakeClock({ start: '2026-02-01T00:00:00Z' });
  const recorder = createIncidentRecorder({ service: 'api' }, { clock });
  const escalate = vi.fn();
  const notify = vi.fn();
  const responder = createResponder({ recorder, runbooks, escalate, notify, ...options }, { clock });
  return { clock, recorder, escalate, notify, responder };
}

const fixingRunbook = (over: Partial<Runbook> = {}): Runbook => ({
  name: 'grow-pool',
  match: (a) => a.name === 'PoolExhausted',
  diagnose: () => ({ summary: 'pool at 100 %', rootCause: 'Database connection pool exhausted' }),
  remediate: vi.fn(),
  verify: () => true,
  ...over,
});

describe('createResponder', () => {
  it('auto-resolves with the first matching runbook: diagnose, remediate, verify, resolve as automated', async () => {
    const runbook = fixingRunbook();
    const { responder, recorder, escalate, notify } = setup([runbook]);
    const result = await responder.handle(alert());
    expect(result.outcome).toBe('auto_resolved');
    expect(result.attempts).toBe(1);
    expect(result.incident).toMatchObject({
      status: 'resolved',
      automated: true,
      severity: 'P2',
      rootCause: 'Database connection pool exhausted',
      resolution: 'Runbook grow-pool remediated and verified',
    });
    expect(escalate).not.toHaveBeenCalled();
    expect(notify).toHaveBeenCalledWith(
      expect.objectContaining({ outcome: 'auto_resolved', runbook: 'grow-pool' }),
    );
    expect(recorder.metrics().autoResolvedRatio).toBe(1);
    expect(result.incident!.timeline.map((e) => e.kind)).toEqual(['opened', 'noted', 'resolved']);
  });

  it('escalates with the diagnosis when no runbook matches', async () => {
    const { responder, escalate } = setup([fixingRunbook({ match: () => false })]);
    const result = await responder.handle(alert({ name: 'DiskFull' }));
    expect(result.outcome).toBe('escalated');
    expect(escalate).toHaveBeenCalledOnce();
    const [incident, diagnosis, context] = escalate.mock.calls[0]!;
    expect(incident.status).toBe('open');
    expect(diagnosis.summary).toMatch(/No runbook matches alert DiskFull/);
    expect(context).toMatchObject({ reason: 'no_runbook', attempts: 0 });
  });

  it('retries remediation up to maxAttempts with a cooldown, then escalates', async () => {
    const remediate = vi.fn(() => {
      throw new Error('restart failed');
    });
    const { responder, escalate, clock } = setup([fixingRunbook({ remediate })], {
      maxAttempts: 3,
      cooldownMs: 5_000,
    });
    const pending = responder.handle(alert());
    await clock.advanceAsync(0);
    expect(remediate).toHaveBeenCalledTimes(1);
    await clock.advanceAsync(4_999);
    expect(remediate).toHaveBeenCalledTimes(1);
    await clock.advanceAsync(1);
    expect(remediate).toHaveBeenCalledTimes(2);
    await clock.advanceAsync(5_000);
    const result = await pending;
    expect(remediate).toHaveBeenCalledTimes(3);
    expect(result).toMatchObject({ outcome: 'escalated', attempts: 3 });
    expect(escalate.mock.calls[0]![2]).toMatchObject({ reason: 'remediation_failed', runbook: 'grow-pool' });
  });

  it('succeeds on a later attempt when verification starts passing', async () => {
    let calls = 0;
    const { responder, clock } = setup([fixingRunbook({ verify: () => ++calls >= 2 })], {
      cooldownMs: 1_000,
    });
    const pending = responder.handle(alert());
    await clock.advanceAsync(1_000);
    await expect(pending).resolves.toMatchObject({ outcome: 'auto_resolved', attempts: 2 });
  });

  it('times out a hung step on the injected clock, aborting its signal', async () => {
    let seen: AbortSignal | undefined;
    const remediate = vi.fn(({ signal }: { signal: AbortSignal }) => {
      seen = signal;
      return new Promise(() => {});
    });
    const { responder, escalate, clock } = setup([fixingRunbook({ remediate, timeoutMs: 2_000 })], {
      maxAttempts: 1,
    });
    const pending = responder.handle(alert());
    await clock.advanceAsync(2_000);
    const result = await pending;
    expect(result.outcome).toBe('escalated');
    expect(seen?.aborted).toBe(true);
    expect(escalate.mock.calls[0]![2].error).toMatchObject({ code: ErrorCode.TIMEOUT });
    expect(clock.pendingCount).toBe(0);
  });

  it('escalates when diagnosis throws', async () => {
    const { responder, escalate } = setup([
      fixingRunbook({
        diagnose: () => {
          throw new Error('no access');
        },
      }),
    ]);
    expect((await responder.handle(alert())).outcome).toBe('escalated');
    expect(escalate.mock.calls[0]![2]).toMatchObject({ reason: 'diagnosis_failed' });
    expect(escalate.mock.calls[0]![1].summary).toMatch(/no access/);
  });

  it('suppresses a repeat of an alert whose incident is already open', async () => {
    const { responder, escalate } = setup([]);
    const first = await responder.handle(alert());
    const second = await responder.handle(alert());
    expect(first.outcome).toBe('escalated');
    expect(second).toMatchObject({ outcome: 'suppressed', attempts: 0 });
    expect(second.incident?.id).toBe(first.incident?.id);
    expect(second.incident?.occurrences).toBe(2);
    expect(escalate).toHaveBeenCalledOnce();
  });

  it('a resolved alert resolves its open incident; with none it is suppressed', async () => {
    const { responder } = setup([]);
    const fired = await responder.handle(alert());
    const cleared = await responder.handle(alert({ status: 'resolved' }));
    expect(cleared).toMatchObject({ outcome: 'auto_resolved', attempts: 0 });
    expect(cleared.incident?.id).toBe(fired.incident?.id);
    expect(cleared.incident?.status).toBe('resolved');
    expect(await responder.handle(alert({ status: 'resolved', name: 'Other' }))).toEqual({
      outcome: 'suppressed',
      incident: undefined,
      attempts: 0,
    });
  });

  it('uses the priority label for severity, and a throwing match counts as no match', async () => {
    const onInternalError = vi.fn();
    const clock = createFakeClock();
    const recorder = createIncidentRecorder({ service: 'api' }, { clock });
    const responder = createResponder(
      {
        recorder,
        escalate: () => {},
        runbooks: [
          fixingRunbook({
            match: () => {
              throw new Error('bad');
            },
          }),
        ],
      },
      { clock, onInternalError },
    );
    const result = await responder.handle(alert({ labels: { priority: 'P1' } }));
    expect(result).toMatchObject({ outcome: 'escalated', incident: { severity: 'P1' } });
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('rejects when escalate throws, and keeps notify failures away from the outcome', async () => {
    const clock = createFakeClock();
    const recorder = createIncidentRecorder({ service: 'api' }, { clock });
    const onInternalError = vi.fn();
    const responder = createResponder(
      {
        recorder,
        runbooks: [fixingRunbook()],
        escalate: () => Promise.reject(new Error('pager down')),
        notify: () => {
          throw new Error('chat down');
        },
      },
      { clock, onInternalError },
    );
    await expect(responder.handle(alert())).resolves.toMatchObject({ outcome: 'auto_resolved' });
    expect(onInternalError).toHaveBeenCalledOnce();
    await expect(responder.handle(alert({ name: 'Unknown' }))).rejects.toThrow('pager down');
  });

  it('validates options and alerts', async () => {
    const recorder = createIncidentRecorder({ service: 'api' });
    expect(() => createResponder({ recorder, runbooks: [], escalate: 'no' as never })).toThrow(ConfigError);
    expect(() =>
      createResponder({ recorder, runbooks: [{ name: '', match: () => true } as never], escalate: () => {} }),
    ).toThrow(/runbooks\[0\]/);
    const responder = createResponder({ recorder, runbooks: [], escalate: () => {} });
    await expect(responder.handle({ ...alert(), severity: 'page' as never })).rejects.toMatchObject({
      code: ErrorCode.INVALID_INPUT,
    });
  });

  it('tells onRecorded once the change is durable, before any runbook step, for opening, dedup and resolving', async () => {
    const steps: string[] = [];
    const runbook = fixingRunbook({
      diagnose: () => {
        steps.push('diagnose');
        return { summary: 'pool at 100 %' };
      },
      verify: () => false,
    });
    const { responder, recorder } = setup([runbook], { maxAttempts: 1 });
    const onRecorded = vi.fn(({ incident, action }: { incident: { id: string }; action: string }) => {
      // Durable: the recorder (and so its store) already holds what onRecorded is told.
      expect(recorder.get(incident.id)).toBeDefined();
      steps.push(action);
    });
    await responder.handle(alert(), { onRecorded });
    await responder.handle(alert(), { onRecorded });
    await responder.handle(alert({ status: 'resolved' }), { onRecorded });
    expect(steps).toEqual(['opened', 'diagnose', 'deduplicated', 'resolved']);
    // Nothing open: a resolved alert changes nothing, so nothing is reported as recorded.
    await responder.handle(alert({ status: 'resolved' }), { onRecorded });
    expect(onRecorded).toHaveBeenCalledTimes(3);
  });

  it('reports a throwing onRecorded to onInternalError and carries on', async () => {
    const clock = createFakeClock();
    const onInternalError = vi.fn();
    const recorder = createIncidentRecorder({ service: 'api' }, { clock });
    const responder = createResponder(
      { recorder, runbooks: [fixingRunbook()], escalate: () => undefined },
      { clock, onInternalError },
    );
    const result = await responder.handle(alert(), {
      onRecorded: () => {
        throw new Error('listener bug');
      },
    });
    expect(result.outcome).toBe('auto_resolved');
    expect(onInternalError).toHaveBeenCalledWith(expect.any(Error), {
      source: 'responder',
      task: 'onRecorded',
    });
  });
});
