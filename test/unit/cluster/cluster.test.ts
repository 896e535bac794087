// The cluster helpers with in-process channels and a fake clock: workers report deltas, the primary
// adds them up. What one tracker fed every value would report is the reference throughout.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  createLatencyTracker,
  createSloTracker,
  renderMetrics,
  sloSnapshotDelta,
  type LatencyTracker,
  type SloTracker,
  type SloTrackerOptions,
} from 'sre-kit';
import {
  createClusterPrimary,
  createClusterWorker,
  type ClusterPrimary,
  type ClusterReport,
} from 'sre-kit/cluster';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';

const INTERVAL = 1_000;
const availability: SloTrackerOptions = {
  name: 'availability',
  objective: { kind: 'availability', target: 0.99 },
  window: { kind: 'rolling', durationMs: 3_600_000 },
};

interface Node {
  readonly latency: LatencyTracker;
  readonly slo: SloTracker;
}

function node(clock: FakeClock): Node {
  return {
    latency: createLatencyTracker({ window: false }, { clock }),
    slo: createSloTracker(availability, { clock }),
  };
}

/** A primary and `n` workers wired by direct calls, as IPC would deliver their reports. */
function group(n: number, clock: FakeClock) {
  const primaryNode = node(clock);
  const primary = createClusterPrimary({ latency: primaryNode.latency, slos: [primaryNode.slo] }, { clock });
  const workers = Array.from({ length: n }, (_, i) => {
    const own = node(clock);
    const inbox: ClusterReport[] = [];
    let killed = false;
    const reporter = createClusterWorker(
      {
        latency: own.latency,
        slos: [own.slo],
        intervalMs: INTERVAL,
        send: (report) => {
          if (killed) return; // a killed process sends nothing more
          // Through a structured clone, as IPC and postMessage deliver it.
          const copy = structuredClone(report);
          inbox.push(copy);
          primary.receive(copy, `worker:${i}`);
        },
      },
      { clock },
    );
    const kill = (): void => {
      killed = true;
      void reporter.close();
    };
    return { ...own, reporter, inbox, kill };
  });
  return { primary, primaryNode, workers };
}

const fleetCounter = (primary: ClusterPrimary): string[] =>
  renderMetrics([primary.metrics])
    .split('\n')
    .filter((line) => line.startsWith('sre_slo_events_total'));

describe('sre-kit/cluster', () => {
  it('merged percentiles and SLO status equal one tracker fed every value', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.tuple(fc.double({ min: 0.01, max: 5_000, noNaN: true }), fc.boolean()), {
            maxLength: 60,
          }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        fc.integer({ min: 1, max: 5 }),
        (perWorker, rounds) => {
          const clock = createFakeClock({ start: '2026-04-01T00:00:00Z' });
          const { primaryNode, workers } = group(perWorker.length, clock);
          const reference = node(clock);
          // Each worker's values spread over `rounds` intervals; each interval ends in a report.
          for (let round = 0; round < rounds; round++) {
            perWorker.forEach((values, w) => {
              values
                .filter((_, i) => i % rounds === round)
                .forEach(([ms, ok]) => {
                  workers[w]!.latency.record(ms);
                  workers[w]!.slo.record(ok);
                  reference.latency.record(ms);
                  reference.slo.record(ok);
                });
            });
            clock.advance(INTERVAL);
          }
          // The same histogram, bucket for bucket; so the same percentiles, except that a tracker fed
          // the values itself clamps them to its exact min and max (merged ones know only buckets).
          expect(primaryNode.latency.encode()).toBe(reference.latency.encode());
          const merged = primaryNode.latency.summary();
          const expected = reference.latency.summary();
          expect(merged.count).toBe(expected.count);
          for (const p of ['p50', 'p90', 'p95', 'p99', 'p999'] as const)
            expect(Math.abs(merged[p] - expected[p])).toBeLessThanOrEqual(expected[p] * 0.01 + 0.001);
          expect(primaryNode.slo.status()).toEqual(reference.slo.status());
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a worker that dies without a last report loses only what it recorded since its last report', () => {
    const clock = createFakeClock({ start: '2026-04-01T00:00:00Z' });
    const { primary, primaryNode, workers } = group(2, clock);
    const [survivor, doomed] = workers as [(typeof workers)[0], (typeof workers)[0]];
    let reported = 0;
    for (let tick = 0; tick < 5; tick++) {
      for (let i = 0; i < 10; i++) {
        survivor.latency.record(10);
        doomed.latency.record(20);
        doomed.slo.record(false);
      }
      clock.advance(INTERVAL);
      reported += 10;
    }
    // Half an interval of work, then the process is killed: its timer never fires again.
    for (let i = 0; i < 7; i++) doomed.latency.record(20);
    doomed.kill();
    clock.advance(3 * INTERVAL);

    expect(primaryNode.latency.countAtOrBelow(20).good - primaryNode.latency.countAtOrBelow(10).good).toBe(
      reported,
    );
    expect(primaryNode.latency.countAtOrBelow(10).good).toBe(50); // the survivor's: all of it
    // The dead worker's reported events stay in the group's counter.
    expect(fleetCounter(primary)).toContain('sre_slo_events_total{slo="availability",outcome="bad"} 50');
  });

  it('serves sre_slo_events_total summed over workers, monotonic when a worker restarts from zero', () => {
    const clock = createFakeClock({ start: '2026-04-01T00:00:00Z' });
    const { primary, workers } = group(2, clock);
    workers[0]!.slo.record(true, 30);
    workers[1]!.slo.record(true, 12);
    workers[1]!.slo.record(false, 3);
    clock.advance(INTERVAL);
    expect(fleetCounter(primary)).toEqual([
      'sre_slo_events_total{slo="availability",outcome="good"} 42',
      'sre_slo_events_total{slo="availability",outcome="bad"} 3',
    ]);
    // A replacement worker starts its counts at zero: the group's counter keeps growing.
    const fresh = node(clock);
    const replacement = createClusterWorker(
      {
        slos: [fresh.slo],
        intervalMs: INTERVAL,
        send: (r) => primary.receive(structuredClone(r), 'worker:2'),
      },
      { clock },
    );
    fresh.slo.record(true, 5);
    clock.advance(INTERVAL);
    expect(fleetCounter(primary)[0]).toBe('sre_slo_events_total{slo="availability",outcome="good"} 47');
    expect(primary.workers().map((w) => w.id)).toContain('worker:2');
    void replacement.close();
  });

  it('close() sends a last report; idle intervals send heartbeats with nothing to merge', () => {
    const clock = createFakeClock({ start: '2026-04-01T00:00:00Z' });
    const { primaryNode, workers, primary } = group(1, clock);
    const worker = workers[0]!;
    clock.advance(INTERVAL);
    expect(worker.inbox.at(-1)).toMatchObject({ seq: 1, latency: [], slos: [] });
    worker.latency.record(42);
    void worker.reporter.close();
    expect(primaryNode.latency.summary().count).toBe(1);
    expect(worker.inbox).toHaveLength(2);
    clock.advance(5 * INTERVAL);
    expect(worker.inbox).toHaveLength(2); // no timer after close
    expect(primary.workers()[0]).toMatchObject({ id: 'worker:0', reports: 2, missed: 0 });
  });

  it('counts and reports malformed reports, unknown SLOs and gaps, and leaves other messages alone', () => {
    const clock = createFakeClock();
    const onInternalError = vi.fn();
    const primary = createClusterPrimary(
      { slos: [createSloTracker(availability, { clock })] },
      { clock, onInternalError },
    );
    expect(primary.receive({ hello: 'app message' }, 'w')).toBe(false);
    expect(primary.receive({ type: 'sre-kit/cluster-report', version: 2 }, 'w')).toBe(true);
    const report = (seq: number, extra: Partial<ClusterReport> = {}): ClusterReport => ({
      type: 'sre-kit/cluster-report',
      version: 1,
      seq,
      sentAtMs: 0,
      latency: [],
      slos: [],
      ...extra,
    });
    primary.receive(report(1, { latency: [['GET /', 'not-an-encoding']] }), 'w');
    primary.receive(
      report(4, {
        slos: [
          {
            name: 'other',
            snapshot: createSloTracker({ ...availability, name: 'other' }).snapshot(),
            good: 1,
            bad: 0,
          },
        ],
      }),
      'w',
    );
    expect(primary.stats()).toEqual({ reports: 2, rejected: 3 });
    expect(primary.workers()[0]).toMatchObject({ reports: 2, missed: 2 });
    expect(onInternalError).toHaveBeenCalledTimes(3);
  });

  it('refuses freshness SLOs, nothing to report, duplicate names and a missing channel', () => {
    const freshness = createSloTracker({
      name: 'fresh',
      objective: { kind: 'freshness', target: 0.99, maxLagMs: 1_000 },
    });
    const send = (): void => undefined;
    expect(() => createClusterWorker({ slos: [freshness], send })).toThrow(/freshness/);
    expect(() => createClusterPrimary({ slos: [freshness] })).toThrow(ConfigError);
    expect(() => createClusterWorker({ send })).toThrow(/latency/);
    const a = createSloTracker(availability);
    expect(() => createClusterWorker({ slos: [a, createSloTracker(availability)], send })).toThrow(/unique/);
    expect(() => createClusterPrimary({ slos: [a, createSloTracker(availability)] })).toThrow(ConfigError);
    expect(() => createClusterWorker({ slos: [a], intervalMs: 10 }, {})).toThrow(/intervalMs/);
  });
});

describe('sloSnapshotDelta', () => {
  it('merging the first snapshot and then each delta counts every event once', () => {
    const clock = createFakeClock({ start: '2026-04-01T00:00:00Z' });
    const source = createSloTracker(availability, { clock });
    const collector = createSloTracker(availability, { clock });
    const reference = createSloTracker(availability, { clock });
    let shipped = source.snapshot();
    collector.merge(shipped);
    for (let step = 0; step < 30; step++) {
      const ok = step % 7 !== 0;
      source.record(ok, step + 1);
      reference.record(ok, step + 1);
      clock.advance(400); // several steps share a bucket: the bucket grows between shipments
      if (step % 3 === 2) {
        const now = source.snapshot();
        collector.merge(sloSnapshotDelta(now, shipped));
        shipped = now;
      }
    }
    collector.merge(sloSnapshotDelta(source.snapshot(), shipped));
    expect(collector.status()).toEqual(reference.status());
  });

  it('refuses snapshots of different SLOs or windows, naming the field', () => {
    const a = createSloTracker(availability).snapshot();
    const b = createSloTracker({ ...availability, name: 'b' }).snapshot();
    const long = createSloTracker({
      ...availability,
      window: { kind: 'rolling', durationMs: 30 * 86_400_000 },
    }).snapshot();
    expect(() => sloSnapshotDelta(a, b)).toThrow(/previous\.name/);
    expect(() => sloSnapshotDelta(a, long)).toThrow(/previous\.tiers/);
  });
});
