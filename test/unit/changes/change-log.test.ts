import { describe, expect, it } from 'vitest';
import { ConfigError, createChangeLog, isSreError, ErrorCode } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

function log(options: Partial<Parameters<typeof createChangeLog>[0]> = {}) {
  const clock = createFakeClock({ start: T0 });
  return { clock, changes: createChangeLog({ service: 'checkout', ...options }, { clock }) };
}

describe('createChangeLog: record', () => {
  it('records by id: a retry is a duplicate, news update the one change', () => {
    const { changes } = log();
    const started = { id: 'deploy-812', kind: 'deploy' as const, version: 'v2.3.1', startedAt: T0 };
    expect(changes.record(started).action).toBe('recorded');
    expect(changes.get('deploy-812')?.status).toBe('in_progress');
    expect(changes.record(started).action).toBe('duplicate');
    const finished = changes.record({ ...started, finishedAt: new Date(T0 + 4 * MIN) });
    expect(finished.action).toBe('updated');
    expect(finished.change).toMatchObject({
      status: 'succeeded',
      finishedAt: T0 + 4 * MIN,
      service: 'checkout',
    });
    expect(changes.record({ ...started, finishedAt: T0 + 4 * MIN }).action).toBe('duplicate');
    expect(changes.size).toBe(1);
  });

  it('takes times as epoch ms, Date or ISO strings', () => {
    const { changes } = log();
    const { change } = changes.record({
      id: 'c1',
      kind: 'config',
      startedAt: '2026-03-02T10:00:00Z',
      finishedAt: new Date(T0 + 1000),
      commits: [{ sha: 'abc', committedAt: T0 - 1000 }],
    });
    expect(change).toMatchObject({
      startedAt: T0,
      finishedAt: T0 + 1000,
      commits: [{ sha: 'abc', committedAt: T0 - 1000 }],
    });
  });

  it('rejects bad input naming the field, and a known id turned into another kind', () => {
    const { changes } = log();
    const bad = (input: unknown): unknown => {
      try {
        changes.record(input as never);
      } catch (error) {
        return isSreError(error, ErrorCode.INVALID_INPUT) ? error.message : error;
      }
      return 'accepted';
    };
    expect(bad({ id: 'x', kind: 'release', startedAt: T0 })).toMatch(/kind/);
    expect(bad({ id: '', kind: 'deploy', startedAt: T0 })).toMatch(/id/);
    expect(bad({ id: 'x', kind: 'deploy', startedAt: 'yesterday' })).toMatch(/startedAt/);
    expect(bad({ id: 'x', kind: 'deploy', startedAt: T0, finishedAt: T0 - 1 })).toMatch(/before startedAt/);
    expect(bad({ id: 'x', kind: 'deploy', startedAt: T0, rollbackOf: 'y' })).toMatch(/rollbackOf/);
    expect(bad({ id: 'x', kind: 'deploy', startedAt: T0, extra: 1 })).toMatch(/extra|Unrecognized/);
    changes.record({ id: 'x', kind: 'deploy', startedAt: T0 });
    expect(bad({ id: 'x', kind: 'flag', startedAt: T0 })).toMatch(/recorded as a deploy of checkout/);
    expect(changes.size).toBe(1);
  });

  it('keeps at most `retain` changes, forgetting the oldest by start', () => {
    const { changes } = log({ retain: 3 });
    for (const k of [5, 1, 4, 2, 3]) changes.record({ id: `d${k}`, kind: 'deploy', startedAt: T0 + k * MIN });
    expect(changes.list().map((c) => c.id)).toEqual(['d3', 'd4', 'd5']);
    expect(changes.get('d1')).toBeUndefined();
  });

  it('lists by start, service and kind', () => {
    const { changes } = log();
    changes.record({ id: 'a', kind: 'deploy', startedAt: T0 });
    changes.record({ id: 'b', kind: 'flag', service: 'search', startedAt: T0 + MIN });
    changes.record({ id: 'c', kind: 'deploy', service: 'search', startedAt: T0 + 2 * MIN });
    expect(changes.list({ service: 'search' }).map((c) => c.id)).toEqual(['b', 'c']);
    expect(changes.list({ kind: ['deploy'] }).map((c) => c.id)).toEqual(['a', 'c']);
    expect(changes.list({ since: T0 + MIN, until: T0 + 2 * MIN }).map((c) => c.id)).toEqual(['b']);
  });

  it('rejects bad options with a ConfigError naming the field', () => {
    expect(() => createChangeLog({ service: '' })).toThrow(ConfigError);
    expect(() => createChangeLog({ service: 'a', retain: 0 })).toThrow(/retain/);
    expect(() => createChangeLog({ service: 'a', minLinkScore: 2 })).toThrow(/minLinkScore/);
  });

  it('rejects a DORA period that is not two times in order', () => {
    const { changes } = log();
    expect(() => changes.dora({ since: T0, until: T0 })).toThrow(/since before until/);
    expect(() => changes.dora({ since: 'soon', until: T0 })).toThrow(/since before until/);
  });
});

describe('createChangeLog: correlate', () => {
  it('ranks the changes before an incident, top 3, with a reason per factor', () => {
    const { changes } = log({ dependencies: { checkout: ['payments'] } });
    changes.record({
      id: 'deploy-812',
      kind: 'deploy',
      version: 'v2.3.1',
      startedAt: T0,
      finishedAt: T0 + 2 * MIN,
    });
    changes.record({ id: 'flag-7', kind: 'flag', startedAt: T0 - 60 * MIN, finishedAt: T0 - 60 * MIN });
    changes.record({ id: 'pay-9', kind: 'deploy', service: 'payments', startedAt: T0, finishedAt: T0 + MIN });
    changes.record({
      id: 'search-3',
      kind: 'deploy',
      service: 'search',
      startedAt: T0,
      finishedAt: T0 + MIN,
    });
    changes.record({
      id: 'old',
      kind: 'deploy',
      startedAt: T0 - 25 * 60 * MIN,
      finishedAt: T0 - 25 * 60 * MIN,
    });
    changes.record({ id: 'later', kind: 'deploy', startedAt: T0 + 10 * MIN });
    const result = changes.correlate({ openedAt: T0 + 6 * MIN, service: 'checkout' });
    expect(result.map((r) => r.change.id)).toEqual(['deploy-812', 'pay-9', 'flag-7']);
    const [top] = result;
    expect(top?.reasons).toEqual([
      'opened 4 min after deploy-812 finished',
      'same service (checkout)',
      'a deploy of v2.3.1',
    ]);
    // score = time × service × kind × signal: 0.5^(4/60) × 1 × 1 × 0.75.
    expect(top?.score).toBe(Math.round(Math.pow(0.5, 4 / 60) * 0.75 * 1000) / 1000);
    expect(top?.factors).toEqual({ time: Math.pow(0.5, 4 / 60), service: 1, kind: 1, signal: 0.75 });
    expect(result[1]?.reasons[1]).toBe('checkout depends on payments');
    expect(changes.correlate({ openedAt: T0 + 6 * MIN }, { limit: 10 }).map((r) => r.change.id)).toEqual([
      'deploy-812',
      'pay-9',
      'flag-7',
      'search-3',
    ]);
  });

  it('weighs the golden-signal evidence the caller reads', () => {
    const { changes } = log();
    changes.record({ id: 'a', kind: 'deploy', startedAt: T0, finishedAt: T0 });
    changes.record({ id: 'b', kind: 'deploy', startedAt: T0 + 20 * MIN, finishedAt: T0 + 20 * MIN });
    const result = changes.correlate(
      { openedAt: T0 + 30 * MIN },
      {
        signalStep: (change) =>
          change.id === 'a'
            ? { stepped: true, strength: 40, evidence: 'errors 0.1 % before, 4 % after' }
            : { stepped: false, strength: 0, evidence: 'errors 4 % before, 4 % after' },
      },
    );
    expect(result.map((r) => r.change.id)).toEqual(['a', 'b']);
    expect(result[0]?.reasons).toContain(
      'a golden signal stepped up after it (errors 0.1 % before, 4 % after)',
    );
    expect(result[1]?.factors.signal).toBe(0.5);
  });

  it('treats a change still in progress as just done', () => {
    const { changes } = log();
    changes.record({ id: 'rolling', kind: 'infra', startedAt: T0 });
    const [top] = changes.correlate({ openedAt: T0 + 30 * MIN });
    expect(top?.factors.time).toBe(1);
    expect(top?.reasons[0]).toBe('rolling was still in progress when the incident opened');
  });
});
