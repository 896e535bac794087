import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, ErrorCode, createHealthRegistry, gracefulShutdown, isSreError } from 'sre-kit';
import type { ShutdownProcess, ShutdownServer } from 'sre-kit';
import { createFakeClock } from 'sre-kit/testing';

class FakeProcess extends EventEmitter implements ShutdownProcess {
  readonly pid = 4242;
  readonly kill = vi.fn((_pid: number, _signal: NodeJS.Signals) => true);
}

class FakeServer implements ShutdownServer {
  readonly log: string[] = [];
  #onClosed: ((error?: Error) => void) | undefined;
  close(callback?: (error?: Error) => void): this {
    this.log.push('close');
    this.#onClosed = callback;
    return this;
  }
  /** The last in-flight request finished: the close callback fires. */
  drained(error?: Error): void {
    this.#onClosed?.(error);
  }
  readonly closeIdleConnections = vi.fn(() => void this.log.push('idle'));
  readonly closeAllConnections = vi.fn(() => void this.log.push('all'));
}

function setup(options: Parameters<typeof gracefulShutdown>[1] = {}) {
  const clock = createFakeClock();
  const proc = new FakeProcess();
  const server = new FakeServer();
  const exit = vi.fn();
  const errors: [unknown, string | undefined][] = [];
  const health = createHealthRegistry({}, { clock });
  const handle = gracefulShutdown(
    server,
    { health, drainDelayMs: 1_000, timeoutMs: 10_000, ...options },
    { clock, process: proc, exit, onInternalError: (error, context) => errors.push([error, context.task]) },
  );
  return { clock, proc, server, exit, errors, health, handle };
}

describe('gracefulShutdown', () => {
  it('drains, waits, closes, sweeps idle sockets, runs hooks, then re-raises the signal', async () => {
    const order: string[] = [];
    const { clock, proc, server, exit, health, handle } = setup({
      onShutdown: [
        (signal) => Promise.resolve(void order.push(`hook1:${signal}`)),
        () => void order.push('hook2'),
      ],
    });
    expect(proc.listenerCount('SIGTERM')).toBe(1);
    expect(proc.listenerCount('SIGINT')).toBe(1);
    proc.emit('SIGTERM', 'SIGTERM');
    expect(handle.shuttingDown).toBe(true);
    expect(health.draining).toBe(true);
    expect((await health.check({ probe: 'readiness' })).status).toBe('fail');
    await clock.advanceAsync(999);
    expect(server.log).toEqual([]); // still serving while the load balancer notices
    await clock.advanceAsync(1);
    expect(server.log).toEqual(['close', 'idle']);
    await clock.advanceAsync(250);
    expect(server.closeIdleConnections).toHaveBeenCalledTimes(3); // keep-alive sockets turn idle one by one
    expect(order).toEqual([]);
    server.drained();
    await clock.advanceAsync(0);
    expect(order).toEqual(['hook1:SIGTERM', 'hook2']);
    expect(proc.listenerCount('SIGTERM')).toBe(0); // so the re-raised signal takes its default action
    expect(proc.kill).toHaveBeenCalledWith(4242, 'SIGTERM');
    expect(exit).not.toHaveBeenCalled();
    await expect(handle.shutdown()).resolves.toEqual({ signal: 'SIGTERM', graceful: true, exit: 'SIGTERM' });
    // Had the signal not ended the process, the conventional status follows.
    await clock.advanceAsync(1_000);
    expect(exit).toHaveBeenCalledWith(143);
    expect(clock.pendingCount).toBe(0);
    expect(server.closeAllConnections).not.toHaveBeenCalled();
  });

  it('exits with exitCode instead of re-raising when told to', async () => {
    const { clock, proc, server, exit } = setup({ exitCode: 0, drainDelayMs: 0 });
    proc.emit('SIGINT', 'SIGINT');
    await clock.advanceAsync(0);
    server.drained();
    await clock.advanceAsync(0);
    expect(proc.kill).not.toHaveBeenCalled();
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('exits 128 + signal number directly when another listener would swallow the re-raised signal', async () => {
    const { clock, proc, server, exit } = setup({ drainDelayMs: 0 });
    proc.on('SIGTERM', () => {});
    proc.emit('SIGTERM', 'SIGTERM');
    await clock.advanceAsync(0);
    server.drained();
    await clock.advanceAsync(0);
    expect(proc.kill).not.toHaveBeenCalled();
    expect(exit).toHaveBeenCalledWith(143);
  });

  it('forces connections closed and exits 1 at the timeout', async () => {
    const { clock, proc, server, exit, errors, handle } = setup({ timeoutMs: 5_000 });
    proc.emit('SIGTERM', 'SIGTERM');
    await clock.advanceAsync(4_999);
    expect(exit).not.toHaveBeenCalled();
    await clock.advanceAsync(1);
    expect(server.closeAllConnections).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(isSreError(errors[0]?.[0], ErrorCode.TIMEOUT)).toBe(true);
    await expect(handle.shutdown()).resolves.toEqual({ signal: 'SIGTERM', graceful: false, exit: 1 });
    server.drained(); // late: nothing more happens
    await clock.advanceAsync(10_000);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(proc.kill).not.toHaveBeenCalled();
  });

  it('reports a throwing hook and still runs the rest', async () => {
    const later = vi.fn();
    const { clock, proc, server, errors } = setup({
      drainDelayMs: 0,
      onShutdown: [
        () => {
          throw new Error('pool stuck');
        },
        later,
      ],
    });
    proc.emit('SIGTERM', 'SIGTERM');
    await clock.advanceAsync(0);
    server.drained();
    await clock.advanceAsync(0);
    expect(later).toHaveBeenCalledWith('SIGTERM');
    expect(errors.map(([e, task]) => [(e as Error).message, task])).toEqual([['pool stuck', 'onShutdown']]);
  });

  it('treats a server that was not running as closed', async () => {
    const { clock, server, exit, errors, handle } = setup({ drainDelayMs: 0 });
    const done = handle.shutdown();
    await clock.advanceAsync(0);
    server.drained(Object.assign(new Error('Server is not running.'), { code: 'ERR_SERVER_NOT_RUNNING' }));
    await expect(done).resolves.toEqual({ graceful: true, exit: 0 });
    expect(exit).toHaveBeenCalledWith(0);
    expect(errors).toEqual([]);
  });

  it('ignores repeated signals and close() removes the listeners', async () => {
    const { clock, proc, server, handle } = setup();
    proc.emit('SIGTERM', 'SIGTERM');
    proc.emit('SIGTERM', 'SIGTERM');
    await clock.advanceAsync(1_000);
    expect(server.log.filter((l) => l === 'close')).toHaveLength(1);
    handle.close();
    handle.close();
    expect(proc.listenerCount('SIGTERM')).toBe(0);

    const other = setup();
    other.handle[Symbol.dispose]();
    expect(other.proc.listenerCount('SIGTERM')).toBe(0);
    expect(other.proc.listenerCount('SIGINT')).toBe(0);
  });

  it('listens to the signals it is given', () => {
    const { proc } = setup({ signals: ['SIGUSR2'] });
    expect(proc.listenerCount('SIGUSR2')).toBe(1);
    expect(proc.listenerCount('SIGTERM')).toBe(0);
  });

  it.each([
    [{ drainDelayMs: 30_000, timeoutMs: 25_000 }, 'drainDelayMs: expected a number < timeoutMs'],
    [{ timeoutMs: 0 }, 'timeoutMs: expected a number > 0'],
    [{ signals: ['TERM'] }, 'signals[0]: expected a signal name'],
    [{ onShutdown: 'bye' }, 'onShutdown: expected a function or'],
    [{ health: {} }, 'health: expected an object with a drain() method'],
    [{ exitCode: 256 }, 'exitCode: expected a number <= 255'],
  ])('rejects %j', (options, message) => {
    const server = new FakeServer();
    expect(() => gracefulShutdown(server, options as never, { process: new FakeProcess() })).toThrow(message);
  });

  it('rejects something that is not a server', () => {
    expect(() => gracefulShutdown({} as never, {}, { process: new FakeProcess() })).toThrow(ConfigError);
  });
});
