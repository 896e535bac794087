import { afterEach, describe, expect, it } from 'vitest';
import { createProcessProbe, createSaturationMonitor, type SaturationMonitor } from 'sre-kit';

let monitor: SaturationMonitor | undefined;
afterEach(async () => monitor?.close());

function blockEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: this is the overload being detected
  }
}
const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('saturation on the real process', () => {
  it('the process probe reads plausible values', () => {
    const probe = createProcessProbe();
    const reading = probe.read();
    probe.close();
    expect(reading.heapUsedBytes).toBeGreaterThan(0);
    expect(reading.heapLimitBytes).toBeGreaterThan(reading.heapUsedBytes);
    expect(reading.rssBytes).toBeGreaterThan(reading.heapUsedBytes);
    expect(reading.eventLoopUtilization).toBeGreaterThanOrEqual(0);
    expect(reading.eventLoopUtilization).toBeLessThanOrEqual(1);
  });

  it('a blocked event loop trips eventLoopDelay and recovers once the loop is free', async () => {
    const m = createSaturationMonitor({ sampleIntervalMs: 50, eventLoopDelay: { maxP99Ms: 100 } });
    monitor = m;
    const next = (event: 'overloaded' | 'recovered'): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} event within 2 s`)), 2_000);
        m.once(event, (payload) => {
          clearTimeout(timer);
          resolve(payload);
        });
      });
    await tick(120);
    expect(m.overloaded()).toBe(false);
    const overloaded = next('overloaded');
    // One stall does not trip the default (two samples in a row over the limit); a second one does.
    blockEventLoop(300);
    await tick(0); // the overdue sample runs
    expect(m.overloaded()).toBe(false);
    blockEventLoop(300);
    expect(await overloaded).toMatchObject({ reason: 'eventLoopDelay', limit: 100 });
    expect(m.snapshot().eventLoopDelayP99Ms).toBeGreaterThan(100);
    // Readings are per interval, so once the loop is free the monitor recovers by itself.
    await next('recovered');
    expect(m.overloaded()).toBe(false);
  });
});
