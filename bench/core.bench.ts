// Core plumbing on the hot path: emitting an event nobody listens to must cost next to nothing,
// because every primitive emits on every call.
import { EventEmitter as NodeEmitter } from 'node:events';
import { EventEmitter } from 'eventemitter3';
import { SafeEmitter } from '../src/core/index.js';
import { compare } from './harness.js';

type Events = { success: { durationMs: number } };
const safe = new SafeEmitter<Events>('bench', () => {});
const raw = new EventEmitter();
const node = new NodeEmitter();

await compare('emit with no listeners', {
  baseline: { name: 'eventemitter3 emit', fn: () => raw.emit('success', { durationMs: 1 }) },
  cases: [
    {
      name: 'SafeEmitter has() guard',
      fn: () => safe.has('success') && safe.emit('success', { durationMs: 1 }),
    },
    { name: 'node:events emit', fn: () => node.emit('success', { durationMs: 1 }) },
  ],
  floor: true,
});

let sink = 0;
const listener = (e: { durationMs: number }): void => {
  sink += e.durationMs;
};
safe.on('success', listener);
raw.on('success', listener);
node.on('success', listener);

await compare('emit to one listener', {
  baseline: { name: 'eventemitter3 emit', fn: () => raw.emit('success', { durationMs: 1 }) },
  cases: [
    { name: 'SafeEmitter emit (isolated listener)', fn: () => safe.emit('success', { durationMs: 1 }) },
    { name: 'node:events emit', fn: () => node.emit('success', { durationMs: 1 }) },
  ],
});
if (sink === 0) throw new Error('listeners never ran');
