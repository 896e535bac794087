import { z } from 'zod';
import { parseOptions } from '../../core/index.js';
import { checks } from '../../health/index.js';
import type { JobContext, MaintenanceJob } from '../scheduler.js';
import { hookSchema, outcomeOf } from './shared.js';

/** What the rotation hook of {@link logRotation} receives. */
export interface LogRotationContext extends JobContext {
  readonly path: string;
  /** The share of the file system free to the process, 0 to 1, as `checks.diskSpace` measured it. */
  readonly freeRatio: number;
}

/** Options for {@link logRotation}. */
export interface LogRotationOptions {
  /**
   * A path on the file system holding the logs.
   * @default '.' (the working directory)
   */
  readonly path?: string;
  /**
   * Rotate when the free share of the file system is at or below this.
   * @default 0.2
   */
  readonly rotateBelowFreeRatio?: number;
  /** Rotates and prunes the logs (compress, delete the oldest); may be async. */
  readonly rotate: (context: LogRotationContext) => unknown;
}

const optionsSchema = z.strictObject({
  path: z.string().min(1).default('.'),
  rotateBelowFreeRatio: z.number().gt(0).lt(1).default(0.2),
  rotate: hookSchema,
});

/**
 * A maintenance job that measures the free disk space at `path` (with `checks.diskSpace`) and calls
 * `rotate` when it is at or below `rotateBelowFreeRatio`. The run's note says what it saw and did.
 *
 * @example
 * ```ts
 * jobs.schedule('log-rotation', '0,15,30,45 * * * *', maintenanceJobs.logRotation({
 *   path: '/var/log/app', rotateBelowFreeRatio: 0.15, rotate: () => rotateLogs('/var/log/app'),
 * }));
 * ```
 * @throws {ConfigError} when options are invalid.
 */
export function logRotation(options: LogRotationOptions): MaintenanceJob {
  const { path, rotateBelowFreeRatio } = parseOptions(optionsSchema, options, 'maintenanceJobs.logRotation');
  const check = checks.diskSpace({ path, warnFreeRatio: rotateBelowFreeRatio, failFreeRatio: 0 });
  const { rotate } = options;
  return async (context) => {
    const outcome = await outcomeOf(check, context.signal);
    const freeRatio = outcome.observedValue;
    if (typeof freeRatio !== 'number') throw new Error(outcome.output ?? `free space at ${path} unknown`);
    const free = `${(freeRatio * 100).toFixed(1)} % free at ${path}`;
    const threshold = `rotation at or below ${Number((rotateBelowFreeRatio * 100).toPrecision(6))} %`;
    if (freeRatio > rotateBelowFreeRatio) return `${free} (${threshold}): nothing to do`;
    await rotate({ ...context, path, freeRatio });
    return `${free} (${threshold}): rotated`;
  };
}
