import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createLatencyTracker,
  createMonitor,
  createSloTracker,
  historySnapshotSchema,
  isSreError,
  slaReportSchema,
} from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';
import { History, HOUR_MS, LATENCY_BOUNDARIES_MS } from '../../../src/monitor/history.js';
import { LatencySampler } from '../../../src/monitor/history-sampling.js';
import { toBucketCounts } from '../../../src/monitor/latency-buckets.js';

const START = '2026-03-10T08:00:00.000Z';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sre-monitor-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const availability = (clock: FakeClock) =>
  createSloTracker({ name: 'availability', objective: { kind: 'availability', target: 0.99 } }, { clock });

describe('monitor history: file snapshots', () => {
  it('snapshots on close and on its interval, and a new monitor restores the hours', async () => {
    const file = join(dir, 'history.json');
    const clock = createFakeClock({ start: START });
    const slo = availability(clock);
    const latency = createLatencyTracker({}, { clock });
    const monitor = createMonitor(
      { service: 'api', slos: [slo], latency, history: { file, snapshotIntervalMs: 60_000 } },
      { clock },
    );
    slo.record(true, 990);
    slo.record(false, 10);
    for (let i = 0; i < 100; i++) latency.record(i + 1);
    await clock.advanceAsync(60_000); // evaluation at 10 s steps, then the snapshot at 60 s
    // The snapshot's file I/O is real: wait for it to land (no clock time passes).
    const written = await vi.waitFor(async () =>
      historySnapshotSchema.parse(JSON.parse(await readFile(file, 'utf8'))),
    );
    expect(written.hours).toHaveLength(1);
    expect(written.hours[0]?.slos).toEqual({ availability: [990, 1000] });
    await monitor.close();
    await latency.close();

    // A restart: fresh trackers, the history file brings the hour back.
    const clock2 = createFakeClock({ start: Date.parse(START) + 2 * HOUR_MS });
    const errors: unknown[] = [];
    const again = createMonitor(
      { service: 'api', slos: [availability(clock2)], history: { file } },
      { clock: clock2, onInternalError: (e) => errors.push(e) },
    );
    const day = slaReportSchema.parse(again.slaReport({ period: 'day' }));
    expect(day.slos[0]).toMatchObject({ good: 990, total: 1000, achieved: 99, met: true });
    expect(day.traffic).toEqual({ requests: 1000, errors: 10 });
    const perf = again.performanceAnalysis({ timeframe: 'last_24_hours' });
    expect(perf.metrics.p50Ms).toBeGreaterThan(40);
    expect(perf.metrics.p50Ms).toBeLessThan(60);
    await again.close();
    expect(errors).toEqual([]);
  });

  it.each([
    ['truncated', '{"version":1,"boundariesMs":[0.25,'],
    ['not a history', '{"version":2}'],
    ['empty', ''],
  ])('reports a %s file to onInternalError and starts empty, never throws', async (_name, text) => {
    const file = join(dir, 'history.json');
    await writeFile(file, text);
    const clock = createFakeClock({ start: START });
    const errors: unknown[] = [];
    const monitor = createMonitor(
      { service: 'api', slos: [availability(clock)], history: { file } },
      { clock, onInternalError: (e) => errors.push(e) },
    );
    expect(errors).toHaveLength(1);
    expect(isSreError(errors[0], 'ERR_SRE_STORE_FAILED')).toBe(true);
    expect(monitor.slaReport({ period: 'day' }).slos[0]).toMatchObject({ total: 0 });
    await monitor.close();
    // Closing replaced it with a valid snapshot.
    historySnapshotSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  });
});

describe('History', () => {
  it('drops hours past retention and keeps a bounded sample ring', () => {
    const history = new History(1);
    for (let h = 0; h < 30; h++) history.recordSlo('a', 300_000, [[h * 12, 1, 1]], 0);
    expect(history.size).toBe(24);
    for (let i = 0; i < 2_000; i++)
      history.recordSaturation({
        at: 29 * HOUR_MS + i * 1000,
        values: { eventLoopUtilization: 0, eventLoopDelayP99Ms: 0, heapRatio: 0, rssBytes: 0, cpuRatio: 0 },
      });
    expect(history.samples()).toHaveLength(1_024);
    expect(history.samples()[0]?.at).toBe(29 * HOUR_MS + 976_000);
  });

  it('files latency deltas per route, leaves the service own routes out, and survives a reset', async () => {
    const clock = createFakeClock();
    const history = new History(35);
    const latency = createLatencyTracker({}, { clock });
    const sampler = new LatencySampler((key) => key === 'GET /metrics');
    const errors = { onError: (e: unknown) => expect.fail(String(e)), source: 'test' };
    for (let i = 0; i < 3; i++) latency.record(10, 'GET /a');
    latency.record(500, 'GET /metrics');
    sampler.sample(history, latency, 0, errors);
    latency.record(1000, 'GET /a');
    sampler.sample(history, latency, 1000, errors);
    latency.reset('GET /a');
    latency.record(5, 'GET /a'); // reset: everything it holds is new
    sampler.sample(history, latency, 2000, errors);
    const span = history.aggregate(0, HOUR_MS);
    expect(span.latencyCount).toBe(5);
    expect(span.requests).toBe(5);
    expect(span.p50Ms).toBeGreaterThan(8);
    expect(span.p50Ms).toBeLessThanOrEqual(10.1);
    expect(span.routes.map((r) => [r.route, r.count])).toEqual([['GET /a', 5]]);
    expect(span.routes[0]?.meanMs).toBeCloseTo((30 + 1000 + 5) / 5, 0);
    await latency.close();
  });

  it('costs about 1 KB of JSON per hour with two SLOs, busy latency buckets and every signal', () => {
    const history = new History(35);
    const hours = 24 * 7;
    const values = Array.from({ length: 36_000 }, (_, i) => 1 + ((i * 7919) % 2_000));
    const hourly = LATENCY_BOUNDARIES_MS.map((b) => values.filter((v) => v <= b).length);
    for (let h = 0; h < hours; h++) {
      const at = h * HOUR_MS;
      history.recordSlo('availability', 300_000, [[h * 12, 35_900, 36_000]], 0);
      history.recordSlo('latency-p95', 300_000, [[h * 12, 34_200, 36_000]], 0);
      history.recordLatency(at, toBucketCounts(hourly, 36_000));
      for (let s = 0; s < 360; s++)
        history.recordSaturation({
          at: at + s * 10_000,
          values: {
            eventLoopUtilization: 0.3 + s / 1e4,
            eventLoopDelayP99Ms: 12.5 + s / 100,
            heapRatio: 0.41 + s / 1e5,
            rssBytes: 123_456_789 + s,
            cpuRatio: 0.27 + s / 1e4,
          },
        });
    }
    const json = history.toJSON();
    const samplesBytes = JSON.stringify(json.samples).length;
    const perHour = (JSON.stringify(json).length - samplesBytes) / hours;
    console.log(`history: ${Math.round(perHour)} bytes per hour, ${samplesBytes} bytes of raw samples`);
    expect(perHour).toBeLessThan(1_500);
    expect(samplesBytes).toBeLessThan(150_000);
  });
});
