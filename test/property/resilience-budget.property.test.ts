import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRetryBudget } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

// The budget's documented window: 10 slices of windowMs / 10 aligned to the clock's zero; at time t it
// holds the slice of t and the nine before. The check is against the raw event log, not the ring buffer.
describe('retry budget (property)', () => {
  it('never grants more retries than ratio × requests + floor in its window', () => {
    fc.assert(
      fc.property(
        fc.record({
          ratio: fc.constantFrom(0, 0.05, 0.1, 0.5, 1, 2),
          minPerSecond: fc.constantFrom(0, 0.1, 1, 10),
          windowMs: fc.constantFrom(1_000, 5_000, 10_000),
        }),
        fc.array(
          fc.oneof(
            fc.constant({ op: 'request' as const }),
            fc.constant({ op: 'retry' as const }),
            fc.nat({ max: 3_000 }).map((ms) => ({ op: 'advance' as const, ms })),
          ),
          { maxLength: 300 },
        ),
        (options, ops) => {
          const clock = createFakeClock();
          const budget = createRetryBudget(options, { clock });
          const floor = (options.minPerSecond * options.windowMs) / 1000;
          const slice = options.windowMs / 10;
          const log: Array<{ t: number; kind: 'request' | 'retry' }> = [];
          const inView = (now: number) => {
            const oldest = Math.floor(now / slice) - 9;
            return log.filter((e) => Math.floor(e.t / slice) >= oldest);
          };
          let totalRequests = 0;
          let totalRetries = 0;
          for (const op of ops) {
            if (op.op === 'advance') {
              clock.advance(op.ms);
            } else if (op.op === 'request') {
              budget.recordRequest();
              log.push({ t: clock.now(), kind: 'request' });
              totalRequests++;
            } else if (budget.tryAcquire()) {
              log.push({ t: clock.now(), kind: 'retry' });
              totalRetries++;
              const view = inView(clock.now());
              const requests = view.filter((e) => e.kind === 'request').length;
              const retries = view.filter((e) => e.kind === 'retry').length;
              expect(retries).toBeLessThanOrEqual(options.ratio * requests + floor + 1e-9);
            }
          }
          // And over a run that never leaves one window, the plain statement holds for the whole run.
          if (clock.now() < slice)
            expect(totalRetries).toBeLessThanOrEqual(options.ratio * totalRequests + floor);
          const stats = budget.stats();
          const view = inView(clock.now());
          expect(stats.requests).toBe(view.filter((e) => e.kind === 'request').length);
          expect(stats.retries).toBe(view.filter((e) => e.kind === 'retry').length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
