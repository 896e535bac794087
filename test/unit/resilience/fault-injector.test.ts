import { describe, expect, it, vi } from 'vitest';
import { ConfigError, InjectedFaultError, createFaultInjector } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

describe('createFaultInjector', () => {
  it('fails errorRate of calls instead of running them', async () => {
    const values = [0.05, 0.5];
    const chaos = createFaultInjector({ errorRate: 0.1, random: () => values.shift() ?? 0.9 });
    const work = vi.fn(() => 'ran');
    const error = await chaos.execute(work).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InjectedFaultError);
    expect(error).toMatchObject({ code: 'ERR_SRE_INJECTED_FAULT' });
    expect(work).not.toHaveBeenCalled();
    await expect(chaos.execute(work)).resolves.toBe('ran');
    expect(chaos.stats()).toEqual({ enabled: true, calls: 2, injectedErrors: 1, injectedDelays: 0 });
  });

  it('adds latency in the range on the injected clock, abortably', async () => {
    const clock = createFakeClock();
    const chaos = createFaultInjector({ latencyMs: { min: 100, max: 300 }, random: () => 0.5 }, { clock });
    const call = chaos.execute(() => clock.now());
    await clock.advanceAsync(200);
    await expect(call).resolves.toBe(200);
    const controller = new AbortController();
    const aborted = chaos.execute(() => 'never', { signal: controller.signal });
    controller.abort('stop');
    await expect(aborted).rejects.toBe('stop');
  });

  it('can be switched off and on, and uses a custom error', async () => {
    const chaos = createFaultInjector({
      errorRate: 1,
      enabled: false,
      createError: () => new Error('custom'),
    });
    await expect(chaos.execute(() => 1)).resolves.toBe(1);
    chaos.enable();
    await expect(chaos.execute(() => 1)).rejects.toThrow('custom');
    chaos.disable();
    expect(chaos.enabled).toBe(false);
    await expect(chaos.execute(() => 1)).resolves.toBe(1);
  });

  it.each([
    [{ errorRate: 2 }, 'errorRate: expected a number <= 1, received 2'],
    [{ latencyMs: { min: 5, max: 1 } }, 'latencyMs'],
    [{ random: 4 }, 'random: expected a function, received 4'],
  ])('rejects bad options %j', (options, message) => {
    expect(() => createFaultInjector(options as never)).toThrow(ConfigError);
    expect(() => createFaultInjector(options as never)).toThrow(message);
  });
});

describe('configure()', () => {
  it('changes what is injected from the next call on and hands back what it replaced', async () => {
    const injector = createFaultInjector({ enabled: false, errorRate: 0.25 });
    const previous = injector.configure({ enabled: true, errorRate: 1 });
    expect(previous).toEqual({ enabled: false, errorRate: 0.25, latencyMs: 0, latencyRate: 1 });
    await expect(injector.execute(() => 'ran')).rejects.toBeInstanceOf(InjectedFaultError);
    injector.configure(previous);
    expect(injector.settings()).toEqual(previous);
    await expect(injector.execute(() => 'ran')).resolves.toBe('ran');
  });

  it('names a bad field', () => {
    const injector = createFaultInjector();
    expect(() => injector.configure({ errorRate: 2 })).toThrow(/errorRate/);
    expect(injector.settings().errorRate).toBe(0);
  });
});
