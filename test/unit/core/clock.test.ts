import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from 'sre-kit';

describe('systemClock', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives monotonic and wall time', () => {
    const a = systemClock.now();
    const b = systemClock.now();
    expect(b).toBeGreaterThanOrEqual(a);
    expect(Math.abs(systemClock.wallNow() - Date.now())).toBeLessThan(1000);
  });

  it('schedules unref timers by default, ref timers on request, and cancels them', () => {
    const created: NodeJS.Timeout[] = [];
    const real = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
      const timer = real(fn, ms);
      created.push(timer);
      return timer;
    }) as typeof setTimeout);
    const callback = vi.fn();
    const cancelUnref = systemClock.schedule(60_000, callback);
    const cancelRef = systemClock.schedule(60_000, callback, { ref: true });
    expect(created.map((t) => t.hasRef())).toEqual([false, true]);
    cancelUnref();
    cancelRef();
    cancelRef();
    expect(callback).not.toHaveBeenCalled();
  });

  it('clamps delays Node would otherwise fire at once', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    systemClock.schedule(Number.MAX_SAFE_INTEGER, () => {})();
    systemClock.schedule(-5, () => {})();
    systemClock.schedule(Number.NaN, () => {})();
    expect(spy.mock.calls.map((call) => call[1])).toEqual([2_147_483_647, 0, 0]);
  });
});
