import { describe, expect, it, vi } from 'vitest';
import { SafeEmitter, type InternalErrorContext } from '../../../src/core/index.js';

type Events = { open: { reason: string }; close: { afterMs: number } };

function setup() {
  const errors: Array<[unknown, InternalErrorContext]> = [];
  const emitter = new SafeEmitter<Events>('breaker:test', (error, context) => errors.push([error, context]));
  return { emitter, errors };
}

describe('SafeEmitter', () => {
  it('reports whether anyone listens, so callers can skip building payloads', () => {
    const { emitter } = setup();
    expect(emitter.has('open')).toBe(false);
    const off = emitter.on('open', () => {});
    expect(emitter.has('open')).toBe(true);
    expect(emitter.has('close')).toBe(false);
    off();
    expect(emitter.has('open')).toBe(false);
  });

  it('delivers one payload object to each listener, and once() only once', () => {
    const { emitter } = setup();
    const seen: string[] = [];
    emitter.on('open', (e) => void seen.push(`on:${e.reason}`));
    emitter.once('open', (e) => void seen.push(`once:${e.reason}`));
    emitter.emit('open', { reason: 'a' });
    emitter.emit('open', { reason: 'b' });
    expect(seen).toEqual(['on:a', 'once:a', 'on:b']);
  });

  it('routes a throwing listener to onInternalError and still calls the others', () => {
    const { emitter, errors } = setup();
    const after = vi.fn();
    emitter.on('open', () => {
      throw new Error('listener bug');
    });
    emitter.on('open', after);
    expect(() => emitter.emit('open', { reason: 'x' })).not.toThrow();
    expect(after).toHaveBeenCalledOnce();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[1]).toEqual({ source: 'breaker:test', event: 'open' });
  });

  it('routes a rejecting async listener to onInternalError', async () => {
    const { emitter, errors } = setup();
    emitter.on('close', () => Promise.reject(new Error('async bug')));
    emitter.emit('close', { afterMs: 1 });
    await Promise.resolve();
    await Promise.resolve();
    expect(errors.map(([e]) => (e as Error).message)).toEqual(['async bug']);
  });

  it('off() removes a listener and clear() removes all', () => {
    const { emitter } = setup();
    const listener = vi.fn();
    emitter.on('open', listener);
    emitter.off('open', listener);
    emitter.emit('open', { reason: 'x' });
    expect(listener).not.toHaveBeenCalled();
    emitter.on('open', listener);
    emitter.on('close', listener);
    emitter.clear();
    expect(emitter.has('open') || emitter.has('close')).toBe(false);
  });
});

describe('SafeEmitter with one listener on two events', () => {
  it('names the event that threw and removes per event', () => {
    const { emitter, errors } = setup();
    const listener = (): void => {
      throw new Error('x');
    };
    emitter.on('open', listener);
    emitter.on('close', listener);
    emitter.emit('close', { afterMs: 1 });
    expect(errors[0]?.[1].event).toBe('close');
    emitter.off('close', listener);
    expect(emitter.has('close')).toBe(false);
    expect(emitter.has('open')).toBe(true);
  });
});
