import { describe, expect, it } from 'vitest';
import { BulkheadFullError, ConfigError, createBulkhead } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (v) => v,
    (e: unknown) => e,
  );

function gate() {
  let open!: (value: string) => void;
  const promise = new Promise<string>((resolve) => (open = resolve));
  return { promise, open };
}

describe('createBulkhead', () => {
  it('runs maxConcurrent at once, queues maxQueued in order, rejects the rest', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 2, maxQueued: 1 }, { clock: createFakeClock() });
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const calls = gates.map((g, i) =>
      bulkhead.execute(() => {
        started.push(i);
        return g.promise;
      }),
    );
    const full = await settle(bulkhead.execute(() => 'x'));
    expect(full).toBeInstanceOf(BulkheadFullError);
    expect(full).toMatchObject({ code: 'ERR_SRE_BULKHEAD_FULL', maxConcurrent: 2, maxQueued: 1 });
    expect(started).toEqual([0, 1]);
    expect(bulkhead.stats()).toEqual({ maxConcurrent: 2, maxQueued: 1, active: 2, queued: 1, rejected: 1 });
    gates[0]!.open('a');
    await calls[0];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[1]!.open('b');
    gates[2]!.open('c');
    expect(await Promise.all(calls)).toEqual(['a', 'b', 'c']);
    expect(bulkhead.stats()).toMatchObject({ active: 0, queued: 0 });
  });

  it('releases the slot when the work fails or throws', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1 });
    await expect(bulkhead.execute(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(
      bulkhead.execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(bulkhead.execute(() => 'ok')).resolves.toBe('ok');
  });

  it('a queued call leaves after queueTimeoutMs or when its signal aborts', async () => {
    const clock = createFakeClock();
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueued: 5, queueTimeoutMs: 1_000 }, { clock });
    const busy = gate();
    void bulkhead.execute(() => busy.promise);
    const waited = settle(bulkhead.execute(() => 'never'));
    const controller = new AbortController();
    const aborted = settle(bulkhead.execute(() => 'never', { signal: controller.signal }));
    controller.abort('gone');
    expect(await aborted).toBe('gone');
    clock.advance(1_000);
    const error = await waited;
    expect(error).toBeInstanceOf(BulkheadFullError);
    expect((error as Error).message).toBe('Waited 1000 ms for a bulkhead slot');
    expect(bulkhead.stats()).toMatchObject({ queued: 0, rejected: 1 });
    busy.open('done');
    await expect(bulkhead.execute(() => 'next')).resolves.toBe('next');
    expect(clock.pendingCount).toBe(0);
  });

  it.each([
    [{}, 'maxConcurrent: expected a number, received undefined'],
    [{ maxConcurrent: 0 }, 'maxConcurrent: expected a number >= 1, received 0'],
    [{ maxConcurrent: 1, maxQueued: -1 }, 'maxQueued: expected a number >= 0, received -1'],
  ])('rejects bad options %j', (options, message) => {
    expect(() => createBulkhead(options as never)).toThrow(ConfigError);
    expect(() => createBulkhead(options as never)).toThrow(message);
  });
});
