import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, TimeoutError, createTimeout } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (v) => v,
    (e: unknown) => e,
  );

// Counts AbortControllers created while a test runs.
function countControllers(): { readonly count: number } {
  const Original = globalThis.AbortController;
  const counter = { count: 0 };
  class Counting extends Original {
    constructor() {
      super();
      counter.count++;
    }
  }
  vi.stubGlobal('AbortController', Counting);
  return counter;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createTimeout', () => {
  it('resolves with the result when the work finishes in time, and never aborts it', async () => {
    const clock = createFakeClock();
    const timeout = createTimeout(1_000, { clock });
    let signal!: AbortSignal;
    await expect(
      timeout.execute((context) => {
        signal = context.signal;
        return 'done';
      }),
    ).resolves.toBe('done');
    clock.advance(10_000);
    expect(signal.aborted).toBe(false);
  });

  it('rejects at the deadline even when the work ignores its signal, and aborts the signal', async () => {
    const clock = createFakeClock();
    const timeout = createTimeout({ timeoutMs: 500 }, { clock });
    let signal!: AbortSignal;
    const call = settle(
      timeout.execute((context) => {
        signal = context.signal;
        return new Promise(() => {});
      }),
    );
    clock.advance(499);
    expect(signal.aborted).toBe(false);
    clock.advance(1);
    const error = await call;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'ERR_SRE_TIMEOUT', timeoutMs: 500 });
    expect(signal.reason).toBe(error);
  });

  it('creates an AbortController only for work that reads its signal, one per call', async () => {
    const clock = createFakeClock();
    const timeout = createTimeout(1_000, { clock });
    const created = countControllers();
    await timeout.execute(() => 1);
    await timeout.execute(() => Promise.resolve(2));
    expect(created.count).toBe(0);
    const signals: AbortSignal[] = [];
    await timeout.execute(({ signal }) => signals.push(signal));
    await timeout.execute(({ signal }) => signals.push(signal));
    expect(created.count).toBe(2);
    expect(signals[0]).not.toBe(signals[1]);
  });

  it('a timed-out call aborts only its own signal', async () => {
    const clock = createFakeClock();
    const timeout = createTimeout(1_000, { clock });
    const signals: AbortSignal[] = [];
    const hang = (context: { signal: AbortSignal }) => {
      signals.push(context.signal);
      return new Promise(() => {});
    };
    const first = settle(timeout.execute(hang));
    clock.advance(500);
    void settle(timeout.execute(hang));
    clock.advance(500);
    expect(await first).toBeInstanceOf(TimeoutError);
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
  });

  it("rejects at once with the reason when the caller's signal aborts", async () => {
    const clock = createFakeClock();
    const timeout = createTimeout(1_000, { clock });
    const controller = new AbortController();
    let signal!: AbortSignal;
    const call = settle(
      timeout.execute(
        (context) => {
          signal = context.signal;
          return new Promise(() => {});
        },
        { signal: controller.signal },
      ),
    );
    controller.abort('stop');
    expect(await call).toBe('stop');
    expect(signal.reason).toBe('stop');
    await expect(timeout.execute(() => 1, { signal: controller.signal })).rejects.toBe('stop');
  });

  it('runs one re-armed, unref’d timer for many calls', async () => {
    const clock = createFakeClock();
    const timeout = createTimeout(1_000, { clock });
    for (let i = 0; i < 100; i++) await timeout.execute(() => i);
    expect(clock.timers()).toEqual([{ dueAt: 1_000, ref: false }]);
    clock.advance(1_000);
    expect(clock.pendingCount).toBe(0);
  });

  it('rejects a synchronous throw as it is', async () => {
    const timeout = createTimeout(1_000, { clock: createFakeClock() });
    await expect(
      timeout.execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
  });

  it.each([0, -1, Number.NaN, '5'])('rejects timeoutMs %j', (value) => {
    expect(() => createTimeout(value as number)).toThrow(ConfigError);
    expect(() => createTimeout(value as number)).toThrow(/timeoutMs: expected/);
  });
});
