import { describe, expect, it } from 'vitest';
import { createFakeClock } from 'sre-kit/testing';
import { startPoller } from '../../../src/core/index.js';

describe('startPoller', () => {
  it('runs every interval on unref timers and stops cleanly', () => {
    const clock = createFakeClock();
    const runs: number[] = [];
    const poller = startPoller({
      clock,
      intervalMs: 100,
      task: () => runs.push(clock.now()),
      onError: () => {},
      source: 't',
    });
    expect(clock.timers()).toEqual([{ dueAt: 100, ref: false }]);
    clock.advance(350);
    expect(runs).toEqual([100, 200, 300]);
    poller.stop();
    poller.stop();
    expect(poller.running).toBe(false);
    expect(clock.pendingCount).toBe(0);
  });

  it('re-arms only after a slow async run settles, so runs never overlap', async () => {
    const clock = createFakeClock();
    let inFlight = 0;
    let maxInFlight = 0;
    let starts = 0;
    const poller = startPoller({
      clock,
      intervalMs: 100,
      immediate: true,
      onError: () => {},
      source: 't',
      task: () => {
        starts++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return new Promise<void>((resolve) => clock.schedule(250, () => (inFlight--, resolve())));
      },
    });
    await clock.advanceAsync(1_000);
    poller.stop();
    expect(maxInFlight).toBe(1);
    // Each cycle is 250 ms of work plus a 100 ms pause: runs start at 0, 350 and 700.
    expect(starts).toBe(3);
  });

  it('reports a throwing or rejecting task and keeps polling', async () => {
    const clock = createFakeClock();
    const errors: unknown[] = [];
    let n = 0;
    const poller = startPoller({
      clock,
      intervalMs: 10,
      source: 'health:db',
      onError: (error, context) => errors.push([(error as Error).message, context.task]),
      task: () => {
        n++;
        if (n === 1) throw new Error('sync');
        if (n === 2) return Promise.reject(new Error('async'));
        return undefined;
      },
    });
    await clock.advanceAsync(35);
    poller.stop();
    expect(n).toBe(3);
    expect(errors).toEqual([
      ['sync', 'poll'],
      ['async', 'poll'],
    ]);
  });
});
