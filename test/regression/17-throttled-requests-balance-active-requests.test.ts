// Issue 17 × issue 16: a request the rate limiter refuses started as a measured request (the observer
// counted it in http.server.active_requests), so its end must reach the observer too, or every 429 would
// leave active_requests one higher for good.
import { describe, expect, it } from 'vitest';
import { createGoldenSignals, type GoldenSignals } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

describe('a throttled request and the OpenTelemetry observer', () => {
  it('every started() gets its finished(): the 429 is recorded, without a route', () => {
    const clock = createFakeClock();
    const signals = createGoldenSignals({}, { clock });
    let active = 0;
    const finished: unknown[][] = [];
    const observer: Parameters<GoldenSignals['observe']>[0] = {
      started: () => void active++,
      finished: (...args) => {
        active--;
        finished.push(args);
      },
      activeTraceId: () => undefined,
    };
    signals.observe(observer);
    const t = signals.start('GET', 'http');
    clock.advance(2);
    signals.finish('GET', '/orders/:id', 429, t, 'throttled', undefined, 'http');
    expect(active).toBe(0);
    expect(finished).toEqual([['GET', undefined, 429, 2, false, 'http']]);
    expect(signals.routes()).toEqual([]);
  });
});
