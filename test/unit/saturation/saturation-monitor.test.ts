import { describe, expect, it } from 'vitest';
import { ConfigError, createSaturationMonitor, type SaturationProbe, type SaturationReading } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

function scriptedProbe(initial: Partial<SaturationReading> = {}) {
  const base: SaturationReading = {
    eventLoopDelayP99Ms: 5,
    eventLoopUtilization: 0.1,
    heapUsedBytes: 100,
    heapLimitBytes: 1_000,
    rssBytes: 1_000_000,
    cpuRatio: 0.2,
  };
  let next: SaturationReading = { ...base, ...initial };
  let closed = 0;
  const probe: SaturationProbe = { read: () => next, close: () => void closed++ };
  return {
    probe,
    set: (reading: Partial<SaturationReading>) => (next = { ...base, ...reading }),
    closed: () => closed,
  };
}

describe('createSaturationMonitor', () => {
  it('samples at creation and every interval on an unref timer', () => {
    const clock = createFakeClock({ start: 1_000 });
    const p = scriptedProbe();
    const monitor = createSaturationMonitor({ sampleIntervalMs: 500 }, { clock, probe: p.probe });
    expect(monitor.snapshot()).toEqual({
      eventLoopDelayP99Ms: 5,
      eventLoopUtilization: 0.1,
      heapUsedBytes: 100,
      heapRatio: 0.1,
      rssBytes: 1_000_000,
      cpuRatio: 0.2,
      sampledAt: 1_000,
    });
    expect(clock.timers()).toEqual([{ dueAt: 500, ref: false }]);
    p.set({ heapUsedBytes: 500 });
    clock.advance(500);
    expect(monitor.snapshot().heapRatio).toBe(0.5);
    expect(monitor.snapshot().sampledAt).toBe(1_500);
  });

  it('reports the first signal over its limit and recovers only below the hysteresis threshold', () => {
    const clock = createFakeClock();
    const p = scriptedProbe();
    const monitor = createSaturationMonitor(
      {
        sampleIntervalMs: 100,
        eventLoopDelay: { maxP99Ms: 200 },
        heapUsed: { maxRatio: 0.9 },
        hysteresis: { recoverBelow: 0.5, tripAfter: 1 },
      },
      { clock, probe: p.probe },
    );
    const seen: string[] = [];
    monitor.on('overloaded', (e) => void seen.push(`overloaded:${e.reason}`));
    monitor.on('recovered', (e) => void seen.push(`recovered after ${e.overloadedForMs}`));
    expect(monitor.overloaded()).toBe(false);

    p.set({ eventLoopDelayP99Ms: 250 });
    clock.advance(100);
    expect(monitor.overloaded()).toEqual({ reason: 'eventLoopDelay', value: 250, limit: 200 });

    // Below the limit but above 0.5 × limit: still overloaded, no flapping.
    p.set({ eventLoopDelayP99Ms: 150 });
    clock.advance(100);
    expect(monitor.overloaded()).toEqual({ reason: 'eventLoopDelay', value: 150, limit: 200 });

    p.set({ eventLoopDelayP99Ms: 50 });
    clock.advance(100);
    expect(monitor.overloaded()).toBe(false);
    expect(seen).toEqual(['overloaded:eventLoopDelay', 'recovered after 200']);
  });

  it('by default trips only when limits are exceeded two samples in a row: one stall never sheds', () => {
    const clock = createFakeClock();
    const p = scriptedProbe({ eventLoopDelayP99Ms: 900 }); // a start-up stall, measured at creation
    const monitor = createSaturationMonitor(
      { sampleIntervalMs: 100, eventLoopDelay: { maxP99Ms: 200 }, heapUsed: { maxRatio: 0.9 } },
      { clock, probe: p.probe },
    );
    expect(monitor.overloaded()).toBe(false);
    p.set({ eventLoopDelayP99Ms: 5 });
    clock.advance(100);
    p.set({ eventLoopDelayP99Ms: 300 });
    clock.advance(100);
    expect(monitor.overloaded()).toBe(false);
    // Another signal over its limit continues the run: overload is overload, whichever signal shows it.
    p.set({ heapUsedBytes: 950 });
    clock.advance(100);
    expect(monitor.overloaded()).toEqual({ reason: 'heapUsed', value: 0.95, limit: 0.9 });
  });

  it('moves to another signal that is over its limit when the first recovers', () => {
    const clock = createFakeClock();
    const p = scriptedProbe({ eventLoopDelayP99Ms: 300, heapUsedBytes: 950 });
    const monitor = createSaturationMonitor(
      {
        sampleIntervalMs: 100,
        eventLoopDelay: { maxP99Ms: 200 },
        heapUsed: { maxRatio: 0.9 },
        hysteresis: { tripAfter: 1 },
      },
      { clock, probe: p.probe },
    );
    expect(monitor.overloaded()).toMatchObject({ reason: 'eventLoopDelay' });
    p.set({ eventLoopDelayP99Ms: 1, heapUsedBytes: 950 });
    expect(monitor.sample().heapRatio).toBe(0.95);
    expect(monitor.overloaded()).toEqual({ reason: 'heapUsed', value: 0.95, limit: 0.9 });
  });

  it('checks every configured signal: utilization and rss', () => {
    const clock = createFakeClock();
    const p = scriptedProbe({ eventLoopUtilization: 0.99 });
    const monitor = createSaturationMonitor(
      { eventLoopUtilization: { max: 0.98 }, rss: { maxBytes: 2_000_000 }, hysteresis: { tripAfter: 1 } },
      { clock, probe: p.probe },
    );
    expect(monitor.overloaded()).toMatchObject({ reason: 'eventLoopUtilization' });
    expect(monitor.limits).toEqual({ eventLoopUtilization: 0.98, rssBytes: 2_000_000 });
    p.set({ rssBytes: 3_000_000 });
    monitor.sample();
    expect(monitor.overloaded()).toEqual({ reason: 'rss', value: 3_000_000, limit: 2_000_000 });
  });

  it('measures without limits and never sheds', () => {
    const p = scriptedProbe({ eventLoopDelayP99Ms: 10_000 });
    const monitor = createSaturationMonitor({}, { clock: createFakeClock(), probe: p.probe });
    expect(monitor.overloaded()).toBe(false);
  });

  it('close() stops sampling, releases the probe and is idempotent', async () => {
    const clock = createFakeClock();
    const p = scriptedProbe();
    const monitor = createSaturationMonitor({}, { clock, probe: p.probe });
    await monitor.close();
    await monitor[Symbol.asyncDispose]();
    expect(clock.pendingCount).toBe(0);
    expect(p.closed()).toBe(1);
  });

  it('a probe that throws is reported and sampling goes on', () => {
    const clock = createFakeClock();
    const p = scriptedProbe();
    const errors: unknown[] = [];
    createSaturationMonitor(
      { sampleIntervalMs: 100 },
      { clock, probe: p.probe, onInternalError: (e) => errors.push(e) },
    );
    const read = p.probe.read.bind(p.probe);
    p.probe.read = () => {
      throw new Error('probe failed');
    };
    clock.advance(100);
    p.probe.read = read;
    clock.advance(100);
    expect(errors).toHaveLength(1);
    expect(clock.pendingCount).toBe(1);
  });

  it.each([
    [{ sampleIntervalMs: 0 }, 'sampleIntervalMs'],
    [{ eventLoopDelay: { maxP99Ms: -1 } }, 'eventLoopDelay.maxP99Ms'],
    [{ eventLoopUtilization: { max: 1.5 } }, 'eventLoopUtilization.max'],
    [{ hysteresis: { recoverBelow: 0 } }, 'hysteresis.recoverBelow'],
    [{ rss: {} }, 'rss.maxBytes'],
  ])('rejects %j naming %s', (options, field) => {
    expect(() => createSaturationMonitor(options as never, { probe: scriptedProbe().probe })).toThrow(
      ConfigError,
    );
    expect(() => createSaturationMonitor(options as never, { probe: scriptedProbe().probe })).toThrow(
      `${field}:`,
    );
  });
});
