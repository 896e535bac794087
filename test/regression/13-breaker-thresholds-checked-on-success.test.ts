// Issue 13, item 16: the breaker checked its rate and slow-call thresholds only when a call failed (or
// was slow), so a success that carried the window over `minimumCalls` left it closed at 95 % failures.
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => value,
    (error: unknown) => error,
  );

describe('regression #13 (16): thresholds are evaluated whenever the window reaches minimumCalls', () => {
  it('19 failures then 1 success at ratio 0.5 / minimumCalls 20 opens on the failure rate', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker(
      { name: 'db', failureThreshold: { kind: 'rate', ratio: 0.5, minimumCalls: 20 } },
      { clock },
    );
    const reasons: string[] = [];
    breaker.on('open', ({ reason }) => void reasons.push(reason));
    for (let i = 0; i < 19; i++) await settle(breaker.execute(() => Promise.reject(new Error('down'))));
    expect(breaker.state).toBe('closed');
    await breaker.execute(() => 'ok');
    expect(breaker.state).toBe('open');
    expect(reasons).toEqual(['failureRate']);
  });

  it('3 slow then 1 fast at ratio 0.5 / minimumCalls 4 opens on slow calls', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker(
      { name: 'db', slowCall: { thresholdMs: 100, ratio: 0.5, minimumCalls: 4 } },
      { clock },
    );
    const reasons: string[] = [];
    breaker.on('open', ({ reason }) => void reasons.push(reason));
    const call = (ms: number): Promise<string> =>
      breaker.execute(() => {
        clock.advance(ms);
        return 'ok';
      });
    for (let i = 0; i < 3; i++) await call(150);
    expect(breaker.state).toBe('closed');
    await call(5);
    expect(breaker.state).toBe('open');
    expect(reasons).toEqual(['slowCalls']);
  });

  it('a fast failure also completes the slow-call window', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker(
      {
        name: 'db',
        failureThreshold: { kind: 'consecutive', count: 100 },
        slowCall: { thresholdMs: 100, ratio: 0.5, minimumCalls: 4 },
      },
      { clock },
    );
    for (let i = 0; i < 3; i++)
      await breaker.execute(() => {
        clock.advance(150);
        return 'ok';
      });
    await settle(breaker.execute(() => Promise.reject(new Error('fast failure'))));
    expect(breaker.state).toBe('open');
  });

  it('stays closed while the ratio is under the threshold', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker(
      { name: 'db', failureThreshold: { kind: 'rate', ratio: 0.5, minimumCalls: 20 } },
      { clock },
    );
    for (let i = 0; i < 9; i++) await settle(breaker.execute(() => Promise.reject(new Error('down'))));
    for (let i = 0; i < 11; i++) await breaker.execute(() => 'ok');
    expect(breaker.stats().failureWindow).toEqual({ calls: 20, failures: 9, ratio: 0.45 });
    expect(breaker.state).toBe('closed');
  });
});
