import { z } from 'zod';
import { parseOptions } from '../../core/index.js';
import type { HealthCheckDefinition } from '../types.js';
import { statusAbove } from './shared.js';

/** Options for {@link rss}. */
export interface RssCheckOptions {
  /**
   * Warn when the resident set size reaches this many bytes.
   * @default undefined (never warns)
   */
  readonly warnBytes?: number;
  /**
   * Fail when the resident set size reaches this many bytes: set it under the container's memory limit.
   * @example 512 * 1024 * 1024
   */
  readonly failBytes: number;
}

/** The schema behind the options interface (bound to it by a type test). */
export const rssOptionsSchema = z
  .strictObject({
    warnBytes: z.number().int().gt(0).optional(),
    failBytes: z.number().int().gt(0),
  })
  .refine((o) => o.warnBytes === undefined || o.warnBytes < o.failBytes, {
    path: ['warnBytes'],
    message: 'a number < failBytes',
  });

/**
 * A check of the process's resident set size (`process.memoryUsage.rss()`), reported in `bytes`.
 *
 * @example
 * ```ts
 * health.register('memory', checks.rss({ warnBytes: 400e6, failBytes: 480e6 }), { probes: ['liveness'] });
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function rss(options: RssCheckOptions): HealthCheckDefinition {
  const { warnBytes, failBytes } = parseOptions(rssOptionsSchema, options, 'checks.rss');
  return {
    componentType: 'system',
    measurement: 'rss',
    run() {
      const bytes = process.memoryUsage.rss();
      const status = statusAbove(bytes, warnBytes, failBytes);
      return status === 'pass'
        ? { status, observedValue: bytes, observedUnit: 'bytes' }
        : {
            status,
            observedValue: bytes,
            observedUnit: 'bytes',
            output: `resident set ${bytes} bytes (${status} at ${status === 'fail' ? failBytes : warnBytes} bytes)`,
          };
    },
  };
}
