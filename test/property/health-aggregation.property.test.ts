import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHealthRegistry, toHealthJson, toProbeText, type HealthStatus } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

type Outcome = 'pass' | 'warn' | 'fail' | 'nothing' | 'throw' | 'reject' | 'timeout' | 'late-pass';

const spec = fc.record({
  outcome: fc.constantFrom<Outcome>(
    'pass',
    'warn',
    'fail',
    'nothing',
    'throw',
    'reject',
    'timeout',
    'late-pass',
  ),
  critical: fc.boolean(),
  async: fc.boolean(),
  timeoutMs: fc.integer({ min: 1, max: 1_000 }),
});

// The rules from the issue, written independently of the registry.
function effective(outcome: Outcome): HealthStatus {
  if (outcome === 'pass' || outcome === 'nothing') return 'pass';
  if (outcome === 'warn') return 'warn';
  return 'fail'; // fail, a throw, a rejection, a timeout, and a pass that arrives after its timeout
}
function expected(specs: readonly { outcome: Outcome; critical: boolean }[]): HealthStatus {
  const statuses = specs.map((s) => ({ status: effective(s.outcome), critical: s.critical }));
  if (statuses.some((s) => s.status === 'fail' && s.critical)) return 'fail';
  if (statuses.some((s) => s.status !== 'pass')) return 'warn';
  return 'pass';
}

describe('health aggregation (property)', () => {
  it('any mix of outcomes, critical flags and timeouts aggregates per the rules', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { maxLength: 12 }), fc.boolean(), async (specs, drained) => {
        const clock = createFakeClock();
        const health = createHealthRegistry({ defaultTimeoutMs: 500 }, { clock });
        specs.forEach((s, i) => {
          const settle = (value: () => unknown): unknown =>
            s.async ? new Promise((resolve) => clock.schedule(0, () => resolve(value()))) : value();
          health.register(
            `c${i}`,
            () => {
              switch (s.outcome) {
                case 'pass':
                  return settle(() => ({ status: 'pass' })) as never;
                case 'warn':
                  return settle(() => ({ status: 'warn' })) as never;
                case 'fail':
                  return settle(() => ({ status: 'fail' })) as never;
                case 'nothing':
                  return settle(() => undefined) as never;
                case 'throw':
                  throw new Error('boom');
                case 'reject':
                  return Promise.reject(new Error('boom'));
                case 'timeout':
                  return new Promise<never>(() => {});
                case 'late-pass':
                  return new Promise<void>((resolve) => clock.schedule(s.timeoutMs + 1, resolve));
              }
            },
            { critical: s.critical, timeoutMs: s.timeoutMs },
          );
        });
        if (drained) health.drain();
        const pending = health.check({ probe: 'readiness' });
        await clock.advanceAsync(2_000);
        const result = await pending;
        const want = drained ? 'fail' : expected(specs);
        expect(result.status).toBe(want);
        expect(result.checks).toHaveLength(drained ? 0 : specs.length);
        for (const [i, check] of result.checks.entries())
          expect(check.status).toBe(effective((specs[i] as { outcome: Outcome }).outcome));
        expect(toHealthJson(result).httpStatus).toBe(want === 'fail' ? 503 : 200);
        expect(toProbeText(result).httpStatus).toBe(want === 'fail' ? 503 : 200);
        // Liveness holds none of these checks and never drains.
        expect((await health.check({ probe: 'liveness' })).status).toBe('pass');
        health.close();
        expect(clock.pendingCount).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
