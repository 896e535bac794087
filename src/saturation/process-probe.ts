import { createHistogram, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

/** One reading of the process, covering the interval since the previous reading. */
export interface SaturationReading {
  /** p99 event-loop delay over the interval, in ms. */
  readonly eventLoopDelayP99Ms: number;
  /** Share of the interval the event loop was busy, 0..1. */
  readonly eventLoopUtilization: number;
  /** V8 heap in use, in bytes. */
  readonly heapUsedBytes: number;
  /** V8's heap size limit, in bytes (what `heapRatio` divides by). */
  readonly heapLimitBytes: number;
  /** Resident set size, in bytes. */
  readonly rssBytes: number;
  /** Process CPU time over wall time for the interval; above 1 when worker threads use several cores. */
  readonly cpuRatio: number;
}

/** Where readings come from; the default reads this process, tests pass their own. */
export interface SaturationProbe {
  /** Takes one reading and starts the next interval. */
  read(): SaturationReading;
  /** Releases instrumentation (the event-loop delay histogram). */
  close(): void;
}

const DELAY_RESOLUTION_MS = 10;

/**
 * Reads this process: event-loop delay per interval, `eventLoopUtilization` deltas, V8 heap statistics,
 * RSS and `cpuUsage` deltas.
 *
 * Event-loop delay is measured by an unref'd 10 ms interval timer recording its own lateness, not by
 * `monitorEventLoopDelay`: resetting that histogram each interval (needed for a per-interval p99) also
 * forgets its previous tick, so the first delay after a reset — often the very block to detect — is
 * never recorded. Our own timer keeps its last tick across resets, and `read()` also records the delay
 * still accruing, so a block that just ended is seen in the reading right after it.
 */
export function createProcessProbe(): SaturationProbe {
  const delays = createHistogram();
  let lastTick = performance.now();
  const recordLateness = (now: number): void => {
    const lateMs = now - lastTick - DELAY_RESOLUTION_MS;
    lastTick = now;
    if (lateMs > 0) delays.record(Math.max(1, Math.round(lateMs * 1e6)));
  };
  const ticker = setInterval(() => recordLateness(performance.now()), DELAY_RESOLUTION_MS);
  ticker.unref();
  let lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  return {
    read(): SaturationReading {
      const now = performance.now();
      if (now - lastTick > DELAY_RESOLUTION_MS) recordLateness(now);
      const elu = performance.eventLoopUtilization(lastElu);
      lastElu = performance.eventLoopUtilization();
      const cpu = process.cpuUsage(lastCpu);
      lastCpu = process.cpuUsage();
      const elapsedMicros = Math.max(1, (now - lastAt) * 1000);
      lastAt = now;
      const p99 = delays.count > 0 ? delays.percentile(99) / 1e6 : 0;
      delays.reset();
      const heap = getHeapStatistics();
      return {
        eventLoopDelayP99Ms: p99,
        eventLoopUtilization: elu.utilization,
        heapUsedBytes: heap.used_heap_size,
        heapLimitBytes: heap.heap_size_limit,
        rssBytes: process.memoryUsage.rss(),
        cpuRatio: (cpu.user + cpu.system) / elapsedMicros,
      };
    },
    close(): void {
      clearInterval(ticker);
    },
  };
}
