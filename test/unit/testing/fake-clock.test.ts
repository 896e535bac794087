import { describe, expect, it } from 'vitest';
import { createFakeClock } from 'sre-kit/testing';

describe('createFakeClock', () => {
  it('starts at the given wall time with monotonic time at 0', () => {
    const clock = createFakeClock({ start: '2026-01-01T00:00:00Z' });
    expect(clock.now()).toBe(0);
    expect(new Date(clock.wallNow()).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    clock.advance(1500);
    expect(clock.now()).toBe(1500);
    expect(clock.wallNow()).toBe(Date.parse('2026-01-01T00:00:01.500Z'));
  });

  it('fires callbacks in due order, at their due time, ties in scheduling order', () => {
    const clock = createFakeClock();
    const fired: Array<[string, number]> = [];
    clock.schedule(30, () => fired.push(['c', clock.now()]));
    clock.schedule(10, () => fired.push(['a', clock.now()]));
    clock.schedule(10, () => fired.push(['b', clock.now()]));
    clock.advance(9);
    expect(fired).toEqual([]);
    clock.advance(25);
    expect(fired).toEqual([
      ['a', 10],
      ['b', 10],
      ['c', 30],
    ]);
    expect(clock.now()).toBe(34);
  });

  it('runs callbacks scheduled during an advance when they fall within it', () => {
    const clock = createFakeClock();
    const fired: number[] = [];
    const tick = (): void => {
      fired.push(clock.now());
      if (fired.length < 5) clock.schedule(100, tick);
    };
    clock.schedule(100, tick);
    clock.advance(1_000);
    expect(fired).toEqual([100, 200, 300, 400, 500]);
  });

  it('cancels, lists pending timers and records ref', () => {
    const clock = createFakeClock();
    const cancel = clock.schedule(50, () => {
      throw new Error('cancelled timer fired');
    });
    clock.schedule(20, () => {}, { ref: true });
    expect(clock.timers()).toEqual([
      { dueAt: 20, ref: true },
      { dueAt: 50, ref: false },
    ]);
    cancel();
    cancel();
    expect(clock.pendingCount).toBe(1);
    clock.advance(100);
    expect(clock.pendingCount).toBe(0);
  });

  it('advanceTo moves to a wall time and refuses to go back', () => {
    const clock = createFakeClock({ start: new Date('2026-02-01T00:00:00Z') });
    clock.advanceTo('2026-02-01T01:00:00Z');
    expect(clock.now()).toBe(3_600_000);
    expect(() => clock.advanceTo('2026-01-01T00:00:00Z')).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => createFakeClock({ start: 'not a date' })).toThrow(RangeError);
  });

  it('setWallTime steps the wall clock alone', () => {
    const clock = createFakeClock({ start: 10_000 });
    clock.advance(500);
    clock.setWallTime(2_000);
    expect(clock.wallNow()).toBe(2_000);
    expect(clock.now()).toBe(500);
    clock.advance(100);
    expect(clock.wallNow()).toBe(2_100);
  });

  it('advanceAsync drives code that awaits between timers', async () => {
    const clock = createFakeClock();
    const sleep = (ms: number): Promise<void> => new Promise((resolve) => clock.schedule(ms, resolve));
    const log: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(100);
        log.push(clock.now());
      }
    })();
    await clock.advanceAsync(1_000);
    await loop;
    expect(log).toEqual([100, 200, 300]);
  });

  it('stops at a throwing callback and propagates the error', () => {
    const clock = createFakeClock();
    const later: number[] = [];
    clock.schedule(10, () => {
      throw new Error('callback failed');
    });
    clock.schedule(20, () => later.push(clock.now()));
    expect(() => clock.advance(100)).toThrow('callback failed');
    expect(clock.now()).toBe(10);
    clock.advance(90);
    expect(later).toEqual([20]);
  });
});
