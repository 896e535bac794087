import { ConfigError } from '../core/index.js';
import type { SloTracker } from '../slo/index.js';

/**
 * Refuses freshness SLOs on either end of a cluster: a slice is fresh only when every sample in it is,
 * and slices judged in different processes cannot be summed into that verdict.
 */
export function refuseFreshness(slos: readonly SloTracker[], where: string): void {
  slos.forEach((slo, i) => {
    if (slo.objective.kind === 'freshness')
      throw new ConfigError(where, [
        {
          field: `slos[${i}]`,
          received: `the freshness SLO ${JSON.stringify(slo.name)}`,
          expected: 'an availability or latency SLO (freshness slices cannot be summed across processes)',
        },
      ]);
  });
}
