import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
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

/**
 * Reads this process: `monitorEventLoopDelay` (reset every reading, so p99 is per interval),
 * `eventLoopUtilization` deltas, V8 heap statistics, RSS and `cpuUsage` deltas.
 */
export function createProcessProbe(): SaturationProbe {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  return {
    read(): SaturationReading {
      const now = performance.now();
      const elu = performance.eventLoopUtilization(lastElu);
      lastElu = performance.eventLoopUtilization();
      const cpu = process.cpuUsage(lastCpu);
      lastCpu = process.cpuUsage();
      const elapsedMicros = Math.max(1, (now - lastAt) * 1000);
      lastAt = now;
      const p99 = delay.count > 0 ? delay.percentile(99) / 1e6 : 0;
      delay.reset();
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
      delay.disable();
    },
  };
}
