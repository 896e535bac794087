import { getHeapStatistics } from 'node:v8';
import { z } from 'zod';
import { parseOptions } from '../../core/index.js';
import type { HealthCheckDefinition } from '../types.js';
import { round, statusAbove } from './shared.js';

/** Options for {@link heapUsage}. */
export interface HeapUsageCheckOptions {
  /**
   * Warn when the used V8 heap reaches this fraction of the heap size limit.
   * @default 0.85
   */
  readonly warnRatio?: number;
  /**
   * Fail when the used V8 heap reaches this fraction of the heap size limit.
   * @default 0.95
   */
  readonly failRatio?: number;
}

/** The schema behind the options interface (bound to it by a type test). */
export const heapUsageOptionsSchema = z
  .strictObject({
    warnRatio: z.number().gt(0).max(1).default(0.85),
    failRatio: z.number().gt(0).max(1).default(0.95),
  })
  .refine((o) => o.warnRatio < o.failRatio, { path: ['warnRatio'], message: 'a number < failRatio' });

/**
 * A check of V8 heap use as a fraction of the heap size limit (`--max-old-space-size`), reported as a
 * `ratio`: near 1 the process is about to die of out-of-memory.
 *
 * @example
 * ```ts
 * health.register('heap', checks.heapUsage({ warnRatio: 0.8, failRatio: 0.95 }), { probes: ['liveness'] });
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function heapUsage(options: HeapUsageCheckOptions = {}): HealthCheckDefinition {
  const { warnRatio, failRatio } = parseOptions(heapUsageOptionsSchema, options, 'checks.heapUsage');
  return {
    componentType: 'system',
    measurement: 'utilization',
    run() {
      const heap = getHeapStatistics();
      const ratio = round(heap.used_heap_size / heap.heap_size_limit, 4);
      const status = statusAbove(ratio, warnRatio, failRatio);
      return status === 'pass'
        ? { status, observedValue: ratio, observedUnit: 'ratio' }
        : {
            status,
            observedValue: ratio,
            observedUnit: 'ratio',
            output: `heap ${heap.used_heap_size} of ${heap.heap_size_limit} bytes used`,
          };
    },
  };
}
