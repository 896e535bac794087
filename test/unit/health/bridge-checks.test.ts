import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  checks,
  createCircuitBreaker,
  createHealthRegistry,
  createSloTracker,
  type HealthCheckDefinition,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const signal = new AbortController().signal;
const run = (check: HealthCheckDefinition) => Promise.resolve(check.run({ signal }));
const fail = () => Promise.reject(new Error('down'));

describe('checks.circuitBreaker', () => {
  it('passes closed, fails open, warns half-open, with the state observed', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker(
      { name: 'payments', failureThreshold: { kind: 'consecutive', count: 2 }, openMs: 1_000 },
      { clock },
    );
    const check = checks.circuitBreaker(breaker);
    expect(await run(check)).toEqual({ status: 'pass', observedValue: 'closed' });
    for (let i = 0; i < 2; i++) await expect(breaker.execute(fail)).rejects.toThrow('down');
    expect(await run(check)).toEqual({
      status: 'fail',
      observedValue: 'open',
      output: 'circuit payments is open (failure rate 1)',
    });
    clock.advance(1_000);
    expect(await run(check)).toMatchObject({ status: 'warn', observedValue: 'halfOpen' });
    await breaker.execute(() => Promise.resolve('ok'));
    expect(await run(check)).toMatchObject({ status: 'pass', observedValue: 'closed' });
  });

  it('fails while isolated and reports through a registry', async () => {
    const breaker = createCircuitBreaker({ name: 'db' });
    const health = createHealthRegistry();
    health.register('db-breaker', checks.circuitBreaker(breaker));
    const handle = breaker.isolate();
    expect((await health.check()).status).toBe('fail');
    handle.release();
    expect((await health.check()).status).toBe('pass');
    health.close();
    breaker.close();
  });

  it('rejects something that is not a breaker', () => {
    expect(() => checks.circuitBreaker({} as never)).toThrow(ConfigError);
  });
});

describe('checks.sloBudget', () => {
  const make = () =>
    createSloTracker(
      { name: 'availability', objective: { kind: 'availability', target: 0.9 } },
      { clock: createFakeClock() },
    );

  it('passes with budget left, warns low, fails spent, observing the fraction left', async () => {
    const slo = make();
    const check = checks.sloBudget(slo, { warnRemaining: 0.5, failRemaining: 0 });
    slo.record(true, 100);
    expect(await run(check)).toEqual({ status: 'pass', observedValue: 1, observedUnit: 'ratio' });
    slo.record(false, 6); // 6 bad of 106, budget 10.6: 43 % left
    const warned = await run(check);
    expect(warned).toMatchObject({ status: 'warn', observedUnit: 'ratio' });
    expect((warned as { observedValue: number }).observedValue).toBeCloseTo(1 - 6 / 10.6, 3);
    slo.record(false, 20);
    expect(await run(check)).toMatchObject({ status: 'fail' });
    expect(((await run(check)) as { output: string }).output).toMatch(/^SLO availability: -?\d/);
  });

  it('validates its options', () => {
    expect(() => checks.sloBudget(make(), { warnRemaining: 0.1, failRemaining: 0.2 })).toThrow(
      'warnRemaining: expected a number > failRemaining',
    );
    expect(() => checks.sloBudget({} as never)).toThrow(ConfigError);
  });
});
