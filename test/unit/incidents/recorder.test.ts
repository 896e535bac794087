import { describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  ErrorCode,
  createIncidentRecorder,
  createMemoryIncidentStore,
  incidentReportSchema,
  isSreError,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const start = '2026-03-01T00:00:00Z';

function setup(
  options: { reopenWindowMs?: number; maxIncidents?: number; maxTimelineEntries?: number } = {},
) {
  const clock = createFakeClock({ start });
  const store = createMemoryIncidentStore();
  const recorder = createIncidentRecorder({ service: 'checkout', store, ...options }, { clock });
  return { clock, store, recorder };
}

describe('createIncidentRecorder', () => {
  it('opens incidents with <prefix>-<year>-<seq> ids, zero-padded to 3+', async () => {
    const { recorder } = setup();
    const a = await recorder.open({ title: 'first', severity: 'P2' });
    const b = await recorder.open({ title: 'second', severity: 'P3' });
    expect(a.id).toBe('INC-2026-001');
    expect(b.id).toBe('INC-2026-002');
    expect(a).toMatchObject({ status: 'open', service: 'checkout', occurrences: 1, impact: '' });
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('pads past 999 and restarts the sequence each UTC year', async () => {
    const clock = createFakeClock({ start: '2026-12-31T23:59:59Z' });
    const store = createMemoryIncidentStore({ records: [{ type: 'sequence', key: 'OPS-2026', seq: 999 }] });
    const recorder = createIncidentRecorder({ service: 's', idPrefix: 'OPS', store }, { clock });
    expect((await recorder.open({ title: 'x', severity: 'P5' })).id).toBe('OPS-2026-1000');
    clock.advance(2_000);
    expect((await recorder.open({ title: 'y', severity: 'P5' })).id).toBe('OPS-2027-001');
  });

  it('dedups by dedupKey while open: same incident, occurrences + 1, timeline entry, severity raised', async () => {
    const { recorder, clock } = setup();
    const updated = vi.fn();
    recorder.on('updated', updated);
    const first = await recorder.open({ title: 'pool', severity: 'P3', dedupKey: 'db-pool' });
    clock.advance(1_000);
    const second = await recorder.trigger({ title: 'pool', severity: 'P2', dedupKey: 'db-pool' });
    expect(second.action).toBe('deduplicated');
    expect(second.incident.id).toBe(first.id);
    expect(second.incident.occurrences).toBe(2);
    expect(second.incident.severity).toBe('P2');
    expect(second.incident.timeline.map((e) => e.kind)).toEqual(['opened', 'occurred']);
    expect(recorder.list()).toHaveLength(1);
    expect(updated).toHaveBeenCalledWith({ incident: second.incident, change: 'occurred' });
  });

  it('concurrent opens with one key never make two incidents', async () => {
    const { recorder } = setup();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => recorder.trigger({ title: 't', severity: 'P3', dedupKey: 'k' })),
    );
    expect(new Set(results.map((r) => r.incident.id)).size).toBe(1);
    expect(results.filter((r) => r.action === 'opened')).toHaveLength(1);
    expect(recorder.get(results[0]!.incident.id)?.occurrences).toBe(10);
  });

  it('reopens within reopenWindowMs after resolve, opens anew after it', async () => {
    const { recorder, clock } = setup({ reopenWindowMs: 60_000 });
    const reopened = vi.fn();
    recorder.on('reopened', reopened);
    const inc = await recorder.open({ title: 't', severity: 'P3', dedupKey: 'k' });
    await recorder.acknowledge(inc.id, { by: 'ann' });
    await recorder.resolve(inc.id, { resolution: 'restarted' });
    clock.advance(30_000);
    const again = await recorder.trigger({ title: 't', severity: 'P3', dedupKey: 'k' });
    expect(again.action).toBe('reopened');
    expect(again.incident).toMatchObject({ id: inc.id, status: 'open', reopenCount: 1, occurrences: 2 });
    expect(again.incident.resolvedAt).toBeUndefined();
    expect(again.incident.acknowledgedBy).toBe('ann');
    expect(reopened).toHaveBeenCalledOnce();
    await recorder.resolve(inc.id);
    clock.advance(60_001);
    const fresh = await recorder.trigger({ title: 't', severity: 'P3', dedupKey: 'k' });
    expect(fresh.action).toBe('opened');
    expect(fresh.incident.id).not.toBe(inc.id);
  });

  it('acknowledges, notes, resolves and updates, emitting events', async () => {
    const { recorder, clock } = setup();
    const events: string[] = [];
    for (const name of ['opened', 'acknowledged', 'updated', 'resolved'] as const) {
      recorder.on(name, () => void events.push(name));
    }
    const inc = await recorder.open({ title: 'db', severity: 'P2', impact: '10% of requests failing' });
    clock.advance(120_000);
    const acked = await recorder.acknowledge(inc.id, { by: 'oncall' });
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'oncall' });
    expect(await recorder.acknowledge(inc.id)).toBe(acked); // no-op
    await recorder.note(inc.id, 'pool at 100 %');
    clock.advance(780_000);
    const resolved = await recorder.resolve(inc.id, {
      resolution: 'Increased connection pool size',
      rootCause: 'Database connection pool exhausted',
    });
    expect(resolved).toMatchObject({ status: 'resolved', automated: false });
    await recorder.update(inc.id, {
      lessonsLearned: ['Monitor connection pool metrics'],
      actionItems: ['alert'],
    });
    expect(events).toEqual(['opened', 'acknowledged', 'updated', 'resolved', 'updated']);
    const report = recorder.report(inc.id);
    expect(report).toEqual({
      incident_id: 'INC-2026-001',
      severity: 'P2',
      service: 'checkout',
      impact: '10% of requests failing',
      root_cause: 'Database connection pool exhausted',
      resolution: 'Increased connection pool size',
      duration_minutes: 15,
      lessons_learned: ['Monitor connection pool metrics'],
    });
    expect(incidentReportSchema.parse(report)).toEqual(report);
  });

  it('computes metrics over a window', async () => {
    const { recorder, clock } = setup();
    const a = await recorder.open({ title: 'a', severity: 'P1' });
    clock.advance(60_000);
    await recorder.acknowledge(a.id);
    clock.advance(60_000);
    await recorder.resolve(a.id, { automated: true });
    const b = await recorder.open({ title: 'b', severity: 'P3' });
    clock.advance(300_000);
    await recorder.resolve(b.id);
    await recorder.open({ title: 'c', severity: 'P3' });
    const m = recorder.metrics();
    expect(m).toEqual({
      count: 3,
      bySeverity: { P1: 1, P2: 0, P3: 2, P4: 0, P5: 0 },
      mttaMs: 60_000,
      mttrMs: (120_000 + 300_000) / 2,
      mtbfMs: (420_000 - 0) / 2,
      autoResolvedRatio: 0.5,
      open: 1,
    });
    expect(recorder.metrics({ since: Date.parse(start) + 1 }).count).toBe(2);
  });

  it('lists by status, severity, service and time', async () => {
    const { recorder } = setup();
    const a = await recorder.open({ title: 'a', severity: 'P1' });
    await recorder.open({ title: 'b', severity: 'P3', service: 'search' });
    await recorder.resolve(a.id);
    expect(recorder.list({ status: 'resolved' }).map((i) => i.title)).toEqual(['a']);
    expect(recorder.list({ status: ['open', 'acknowledged'] }).map((i) => i.title)).toEqual(['b']);
    expect(recorder.list({ severity: 'P3', service: 'search' })).toHaveLength(1);
    expect(recorder.list({ until: Date.parse(start) })).toHaveLength(0);
  });

  it('survives a restart on the same store: state and sequence continue', async () => {
    const { recorder, store, clock } = setup();
    const a = await recorder.open({ title: 'a', severity: 'P2', dedupKey: 'k' });
    await recorder.close();
    const again = createIncidentRecorder({ service: 'checkout', store }, { clock });
    expect(again.get(a.id)).toEqual(a);
    const dedup = await again.trigger({ title: 'a', severity: 'P2', dedupKey: 'k' });
    expect(dedup.action).toBe('deduplicated');
    expect((await again.open({ title: 'b', severity: 'P2' })).id).toBe('INC-2026-002');
  });

  it('forgets the oldest resolved incident at maxIncidents, never reusing its id', async () => {
    const { recorder, store, clock } = setup({ maxIncidents: 2 });
    const a = await recorder.open({ title: 'a', severity: 'P2' });
    await recorder.resolve(a.id);
    await recorder.open({ title: 'b', severity: 'P2' });
    const c = await recorder.open({ title: 'c', severity: 'P2' });
    expect(c.id).toBe('INC-2026-003');
    expect(recorder.get(a.id)).toBeUndefined();
    const err = await recorder.open({ title: 'd', severity: 'P2' }).catch((e: unknown) => e);
    expect(isSreError(err, ErrorCode.INCIDENT_LIMIT)).toBe(true);
    const again = createIncidentRecorder({ service: 'checkout', store, maxIncidents: 5 }, { clock });
    expect(again.list()).toHaveLength(2);
    expect((await again.open({ title: 'e', severity: 'P2' })).id).toBe('INC-2026-004');
  });

  it('caps the timeline, keeping the first entry', async () => {
    const { recorder } = setup({ maxTimelineEntries: 3 });
    const inc = await recorder.open({ title: 'a', severity: 'P2', dedupKey: 'k' });
    for (let i = 0; i < 5; i++) await recorder.open({ title: 'a', severity: 'P2', dedupKey: 'k' });
    const got = recorder.get(inc.id)!;
    expect(got.timeline).toHaveLength(3);
    expect(got.timeline[0]!.kind).toBe('opened');
    expect(got.timelineDropped).toBe(3);
    expect(got.occurrences).toBe(6);
  });

  it('compacts the store when it says so, keeping state and sequences', async () => {
    const clock = createFakeClock({ start });
    const store = createMemoryIncidentStore({ compactAfterRecords: 20 });
    const recorder = createIncidentRecorder({ service: 's', store }, { clock });
    const inc = await recorder.open({ title: 'a', severity: 'P2', dedupKey: 'k' });
    for (let i = 0; i < 30; i++) await recorder.note(inc.id, `n${i}`);
    await recorder.close();
    expect(store.records().length).toBeLessThan(20);
    const again = createIncidentRecorder({ service: 's', store }, { clock });
    expect(again.get(inc.id)).toEqual(recorder.get(inc.id));
  });

  it('rejects bad input and unknown ids with coded errors', async () => {
    const { recorder } = setup();
    await expect(recorder.open({ title: '', severity: 'P2' })).rejects.toMatchObject({
      code: ErrorCode.INVALID_INPUT,
    });
    await expect(recorder.open({ title: 'x', severity: 'P9' as never })).rejects.toMatchObject({
      code: ErrorCode.INVALID_INPUT,
    });
    await expect(recorder.acknowledge('INC-2026-404')).rejects.toMatchObject({
      code: ErrorCode.INCIDENT_NOT_FOUND,
    });
    expect(() => recorder.report('nope')).toThrow(/No incident nope/);
  });

  it('validates options with a ConfigError naming the field', () => {
    expect(() => createIncidentRecorder({ service: 's', idPrefix: 'IN-C' })).toThrow(ConfigError);
    expect(() => createIncidentRecorder({ service: 's', reopenWindowMs: -1 })).toThrow(/reopenWindowMs/);
    expect(() => createIncidentRecorder({ service: 's', store: {} as never })).toThrow(/store/);
  });

  it('a throwing listener never breaks the call', async () => {
    const onInternalError = vi.fn();
    const recorder = createIncidentRecorder({ service: 's' }, { onInternalError });
    recorder.on('opened', () => {
      throw new Error('boom');
    });
    await expect(recorder.open({ title: 'a', severity: 'P2' })).resolves.toBeDefined();
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('close is idempotent and refuses later writes', async () => {
    const { recorder } = setup();
    await recorder.close();
    await recorder.close();
    await expect(recorder.open({ title: 'a', severity: 'P2' })).rejects.toMatchObject({
      code: ErrorCode.CLOSED,
    });
  });
});
