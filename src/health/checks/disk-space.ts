import { statfs } from 'node:fs/promises';
import { z } from 'zod';
import { parseOptions } from '../../core/index.js';
import type { HealthCheckDefinition } from '../types.js';
import { round, statusBelow } from './shared.js';

/** Options for {@link diskSpace}. */
export interface DiskSpaceCheckOptions {
  /**
   * A path on the file system to check.
   * @default '.' (the working directory)
   */
  readonly path?: string;
  /**
   * Warn when the space available to the process falls to this fraction of the file system.
   * @default 0.1
   */
  readonly warnFreeRatio?: number;
  /**
   * Fail when the space available to the process falls to this fraction of the file system.
   * @default 0.05
   */
  readonly failFreeRatio?: number;
}

/** The schema behind the options interface (bound to it by a type test). */
export const diskSpaceOptionsSchema = z
  .strictObject({
    path: z.string().min(1).default('.'),
    warnFreeRatio: z.number().min(0).lt(1).default(0.1),
    failFreeRatio: z.number().min(0).lt(1).default(0.05),
  })
  .refine((o) => o.warnFreeRatio > o.failFreeRatio, {
    path: ['warnFreeRatio'],
    message: 'a number > failFreeRatio',
  });

/**
 * A check of the free space on the file system holding `path` (`fs.statfs`), reported as the `ratio`
 * of blocks available to unprivileged users.
 *
 * @example
 * ```ts
 * health.register('disk', checks.diskSpace({ path: '/var/lib/app', warnFreeRatio: 0.2, failFreeRatio: 0.05 }));
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function diskSpace(options: DiskSpaceCheckOptions = {}): HealthCheckDefinition {
  const { path, warnFreeRatio, failFreeRatio } = parseOptions(
    diskSpaceOptionsSchema,
    options,
    'checks.diskSpace',
  );
  return {
    componentType: 'system',
    measurement: 'freeSpace',
    async run() {
      const stats = await statfs(path);
      const ratio = stats.blocks === 0 ? 0 : round(stats.bavail / stats.blocks, 4);
      const status = statusBelow(ratio, warnFreeRatio, failFreeRatio);
      return status === 'pass'
        ? { status, observedValue: ratio, observedUnit: 'ratio' }
        : {
            status,
            observedValue: ratio,
            observedUnit: 'ratio',
            output: `${stats.bavail * stats.bsize} of ${stats.blocks * stats.bsize} bytes free at ${path}`,
          };
    },
  };
}
