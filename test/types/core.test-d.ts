import { describe, expectTypeOf, it } from 'vitest';
import { isSreError, type Clock, type EventSource, type SreError } from 'sre-kit';
import { createFakeClock, type FakeClock } from 'sre-kit/testing';
import { SafeEmitter } from '../../src/core/index.js';

describe('core types', () => {
  it('a fake clock is a Clock', () => {
    expectTypeOf(createFakeClock()).toEqualTypeOf<FakeClock>();
    expectTypeOf<FakeClock>().toExtend<Clock>();
  });

  it('isSreError narrows', () => {
    const value: unknown = null;
    if (isSreError(value)) expectTypeOf(value).toEqualTypeOf<SreError>();
  });

  it('events are typed by name and payload', () => {
    type Events = { open: { reason: string } };
    const emitter = new SafeEmitter<Events>('x', () => {});
    expectTypeOf(emitter).toExtend<EventSource<Events>>();
    emitter.on('open', (payload) => {
      expectTypeOf(payload).toEqualTypeOf<{ reason: string }>();
    });
    // @ts-expect-error unknown event name
    emitter.on('opened', () => {});
    // @ts-expect-error wrong payload
    emitter.emit('open', { reason: 1 });
  });
});
