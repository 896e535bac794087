import { describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  type ConfigError,
  TimeoutError,
  createHealthRegistry,
  createRateLimiter,
  createRetryBudget,
  serviceHealthSchema,
  trackDependency,
} from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (v) => v,
    (e: unknown) => e,
  );

describe('trackDependency', () => {
  it('records each attempt’s latency, outcome and SLO events; a spent budget degrades it', async () => {
    const clock = createFakeClock();
    const payments = trackDependency(
      { name: 'payments-api', slo: { availability: 0.99, latencyMs: 300 }, retry: false },
      { clock },
    );
    for (let i = 0; i < 10; i++) {
      const call = payments.call(async () => {
        await new Promise<void>((resolve) => clock.schedule(i < 9 ? 100 : 400, resolve));
        return i;
      });
      await clock.advanceAsync(400);
      expect(await call).toBe(i);
    }
    const status = payments.status();
    expect(status).toMatchObject({
      name: 'payments-api',
      // 9 of 10 under 300 ms burns the 95 % target's budget at 2x: the ticket alert fires.
      state: 'degraded',
      reason: 'payments-api:latency burn-rate alert firing (ticket)',
      calls: 10,
      errors: 0,
      errorRate: 0,
      breaker: 'closed',
      totals: { calls: 10, succeeded: 10, failed: 0, refused: 0, retries: 0 },
    });
    expect(status.latencyP95Ms).toBeGreaterThanOrEqual(100);
    expect(status.slo.availability).toMatchObject({ name: 'payments-api:availability', good: 10, total: 10 });
    // 9 of 10 under 300 ms.
    expect(status.slo.latency).toMatchObject({ name: 'payments-api:latency', good: 9, total: 10, sli: 0.9 });
    expect(payments.slos.map((s) => s.name)).toEqual(['payments-api:availability', 'payments-api:latency']);
    const health = payments.serviceHealth();
    expect(serviceHealthSchema.parse(health)).toMatchObject({
      status: 'degraded',
      error_rate: 0,
      breaker: 'closed',
      availability: 1,
      calls: 10,
      reason: status.reason,
    });
    expect(health.latency_ms).toBe(status.latencyP95Ms);
    await payments.close();
  });

  it('failures open the breaker: later calls are refused without reaching the dependency and it is down', async () => {
    const clock = createFakeClock();
    const dependency = trackDependency(
      { name: 'flaky', retry: false, breaker: { openMs: 10_000 } },
      { clock },
    );
    let reached = 0;
    const failing = () => {
      reached++;
      throw new Error('503');
    };
    for (let i = 0; i < 5; i++) await settle(dependency.call(failing));
    const refused = await settle(dependency.call(failing));
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(reached).toBe(5);
    expect(dependency.status()).toMatchObject({
      state: 'down',
      reason: 'breaker open',
      calls: 5,
      errors: 5,
      errorRate: 1,
      breaker: 'open',
      totals: { calls: 6, succeeded: 0, failed: 6, refused: 1 },
    });
    await dependency.close();
  });

  it('judges the error rate only past minCalls, and says why', async () => {
    const clock = createFakeClock();
    const dependency = trackDependency(
      { name: 'search', retry: false, breaker: false, minCalls: 10, slo: false },
      { clock },
    );
    await settle(dependency.call(() => Promise.reject(new Error('x'))));
    expect(dependency.status()).toMatchObject({
      state: 'up',
      reason: '1 calls in 60 s: fewer than 10, error rate not judged',
      errorRate: 1,
    });
    for (let i = 0; i < 9; i++) await dependency.call(() => 'ok');
    expect(dependency.status()).toMatchObject({ state: 'degraded', reason: '1 of 10 calls failed in 60 s' });
    for (let i = 0; i < 10; i++) await settle(dependency.call(() => Promise.reject(new Error('x'))));
    expect(dependency.status()).toMatchObject({ state: 'down', reason: '11 of 20 calls failed in 60 s' });
    // The window moves on: a minute later nothing is left to judge.
    clock.advance(60_000);
    expect(dependency.status()).toMatchObject({ state: 'up', calls: 0, errorRate: null, latencyP95Ms: null });
    await dependency.close();
  });

  it('retries failed attempts through the breaker, within the retry budget', async () => {
    const clock = createFakeClock();
    // A budget of 1 retry per 10 s however many requests: the second call gets no retry.
    const budget = createRetryBudget({ ratio: 0, minPerSecond: 0.1, windowMs: 10_000 }, { clock });
    const dependency = trackDependency(
      {
        name: 'partner',
        retry: { retries: 3, minDelayMs: 10, maxDelayMs: 10, jitter: 'none' },
        retryBudget: budget,
        breaker: false,
      },
      { clock },
    );
    let attempts = 0;
    const alwaysFails = () => {
      attempts++;
      throw new Error('flaky');
    };
    const first = settle(dependency.call(alwaysFails));
    await clock.advanceAsync(100);
    expect(await first).toMatchObject({ code: 'ERR_SRE_RETRY_BUDGET_EXHAUSTED', attempts: 2 });
    const second = settle(dependency.call(alwaysFails));
    await clock.advanceAsync(100);
    expect(await second).toMatchObject({ code: 'ERR_SRE_RETRY_BUDGET_EXHAUSTED', attempts: 1 });
    expect(attempts).toBe(3);
    expect(dependency.status()).toMatchObject({
      calls: 3,
      errors: 3,
      totals: { calls: 2, failed: 2, retries: 1 },
      retryBudget: { retries: 1, refused: 2 },
    });
    await dependency.close();
  });

  it('an attempt past timeoutMs counts as a failure when the timeout fires', async () => {
    const clock = createFakeClock();
    const dependency = trackDependency({ name: 'slow', retry: false, timeoutMs: 2_000 }, { clock });
    let aborted = false;
    const call = settle(
      dependency.call(
        ({ signal }) =>
          new Promise((_, reject) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(signal.reason as Error);
            });
          }),
      ),
    );
    await clock.advanceAsync(2_000);
    expect(await call).toBeInstanceOf(TimeoutError);
    expect(aborted).toBe(true);
    expect(dependency.status()).toMatchObject({ calls: 1, errors: 1, latencyP95Ms: 2_000 });
    await dependency.close();
  });

  it('errors isFailure rejects and the caller’s aborts do not count against the dependency', async () => {
    const clock = createFakeClock();
    const notFound = Object.assign(new Error('404'), { status: 404 });
    const dependency = trackDependency(
      { name: 'catalog', isFailure: (error) => (error as { status?: number }).status !== 404 },
      { clock },
    );
    let attempts = 0;
    await settle(
      dependency.call(() => {
        attempts++;
        throw notFound;
      }),
    );
    // Not retried either.
    expect(attempts).toBe(1);
    const controller = new AbortController();
    const call = settle(
      dependency.call(
        ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
        { signal: controller.signal },
      ),
    );
    controller.abort(new Error('client went away'));
    expect(await call).toMatchObject({ message: 'client went away' });
    expect(dependency.status()).toMatchObject({ calls: 1, errors: 0, totals: { refused: 1 } });
    expect(dependency.slos[0]!.status()).toMatchObject({ good: 1, total: 1 });
    await dependency.close();
  });

  it('waits for a partner’s rate limit through the throttle', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ rate: 2, perMs: 1_000 }, { clock });
    const dependency = trackDependency(
      { name: 'partner', throttle: { limiter }, timeoutMs: false },
      { clock },
    );
    const started: number[] = [];
    const calls = [0, 1, 2].map(() => dependency.call(() => started.push(clock.now())));
    await clock.advanceAsync(1_000);
    await Promise.all(calls);
    expect(started).toEqual([0, 500, 1_000]);
    await dependency.close();
  });

  it('its health check passes, warns or fails with the reason and the latency', async () => {
    const clock = createFakeClock();
    const health = createHealthRegistry({ exposeDetails: true }, { clock });
    const dependency = trackDependency({ name: 'payments-api', retry: false }, { clock });
    health.register('payments-api', dependency.healthCheck());
    expect((await health.check()).checks[0]).toMatchObject({ status: 'pass', componentType: 'component' });
    for (let i = 0; i < 5; i++) await settle(dependency.call(() => Promise.reject(new Error('down'))));
    expect((await health.check()).checks[0]).toMatchObject({
      status: 'fail',
      output: 'breaker open',
      observedValue: 0,
      observedUnit: 'ms',
      measurement: 'latency',
    });
    health.close();
    await dependency.close();
  });

  it('rejects bad options, naming nested fields under trackDependency', () => {
    const error = (options: unknown): ConfigError => {
      try {
        trackDependency(options as never);
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('accepted');
    };
    expect(error({ name: 'has space' }).issues[0]?.field).toBe('name');
    expect(error({ name: 'x', breaker: { openMs: -1 } })).toMatchObject({ where: 'trackDependency' });
    expect(error({ name: 'x', breaker: { openMs: -1 } }).issues[0]?.field).toBe('breaker.openMs');
    expect(error({ name: 'x', retry: { retries: -1 } }).issues[0]?.field).toBe('retry.retries');
    expect(error({ name: 'x', degradedErrorRate: 0.6, downErrorRate: 0.5 }).issues[0]?.field).toBe(
      'degradedErrorRate',
    );
    expect(error({ name: 'x', slo: { availability: 1 } }).issues[0]?.field).toBe('slo.availability');
    expect(error({ name: 'x', throttle: { limiter: {} } }).issues[0]?.field).toBe('throttle.limiter');
  });

  it('does not freeze the caller’s nested options', async () => {
    const breaker = { openMs: 1_000 };
    const dependency = trackDependency({ name: 'x', breaker });
    expect(Object.isFrozen(breaker)).toBe(false);
    await dependency.close();
  });
});
