import type { SaturationMonitor } from '../saturation/index.js';
import type { MetricFamily, MetricsSource } from './metric-family.js';

const gauge = (name: string, help: string, unit: string, value: number): MetricFamily => ({
  name,
  help,
  type: 'gauge',
  unit,
  samples: [{ value }],
});

/** Exposes a saturation monitor's latest sample as gauges (the saturation golden signal). */
export function saturationMetrics(monitor: SaturationMonitor): MetricsSource {
  return {
    *collect() {
      const s = monitor.snapshot();
      const overload = monitor.overloaded();
      yield gauge(
        'sre_event_loop_delay_p99_seconds',
        'p99 event-loop delay over the last sample interval.',
        'seconds',
        s.eventLoopDelayP99Ms / 1000,
      );
      yield gauge(
        'sre_event_loop_utilization_ratio',
        'Share of the last sample interval the event loop was busy.',
        'ratio',
        s.eventLoopUtilization,
      );
      yield gauge('sre_heap_used_bytes', 'V8 heap in use.', 'bytes', s.heapUsedBytes);
      yield gauge('sre_heap_used_ratio', "V8 heap in use over V8's heap size limit.", 'ratio', s.heapRatio);
      yield gauge('sre_resident_memory_bytes', 'Resident set size.', 'bytes', s.rssBytes);
      yield gauge(
        'sre_cpu_usage_ratio',
        'Process CPU time over wall time for the last sample interval.',
        'ratio',
        s.cpuRatio,
      );
      yield {
        name: 'sre_overloaded',
        help: 'Whether the process is overloaded and shedding load (1) or not (0), by the signal that tripped.',
        type: 'gauge',
        samples: [
          {
            labels: { reason: overload === false ? 'none' : overload.reason },
            value: overload === false ? 0 : 1,
          },
        ],
      };
    },
  };
}
