// Space-Saving's guarantee, checked through the public API: with k = maxGroups counters over N
// captures, every reported count overestimates its group's true count by at most its countError,
// every countError is at most N / k, any group with more than N / k errors is reported, and the i-th
// largest reported count lies between the i-th largest true count and that plus N / k.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createErrorGroups } from 'sre-kit';

describe('error groups: Space-Saving top-k', () => {
  it('reports the true top-k within the stated bound', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        // Skewed streams: a few heavy keys among many light ones, in any order.
        fc.array(
          fc.oneof(
            { weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }) },
            { weight: 2, arbitrary: fc.integer({ min: 0, max: 60 }) },
          ),
          {
            minLength: 1,
            maxLength: 400,
          },
        ),
        (k, stream) => {
          const groups = createErrorGroups({ maxGroups: k, fingerprintCacheSize: 0 });
          const truth = new Map<string, number>();
          for (const key of stream) {
            const name = `k${key}`;
            truth.set(name, (truth.get(name) ?? 0) + 1);
            groups.capture({ name: 'KeyError', message: name, fingerprint: name });
          }
          const n = stream.length;
          const bound = n / k;
          const reported = groups.top({ limit: k });
          expect(reported.length).toBe(Math.min(k, truth.size));
          expect(groups.stats().maxCountError).toBeLessThanOrEqual(bound);
          for (const g of reported) {
            const actual = truth.get(g.message) ?? 0;
            expect(g.count - g.countError).toBeLessThanOrEqual(actual);
            expect(g.count).toBeGreaterThanOrEqual(actual);
            expect(g.countError).toBeLessThanOrEqual(bound);
          }
          const reportedNames = new Set(reported.map((g) => g.message));
          for (const [name, count] of truth) if (count > bound) expect(reportedNames.has(name)).toBe(true);
          const trueSorted = [...truth.values()].sort((a, b) => b - a);
          const reportedSorted = reported.map((g) => g.count).sort((a, b) => b - a);
          reportedSorted.forEach((r, i) => {
            const c = trueSorted[i] as number;
            expect(r).toBeGreaterThanOrEqual(c);
            expect(r).toBeLessThanOrEqual(c + bound);
          });
          expect(reported.reduce((sum, g) => sum + g.count, 0)).toBe(n);
        },
      ),
      { numRuns: 300 },
    );
  });
});
