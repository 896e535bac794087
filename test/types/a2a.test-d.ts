import { describe, expectTypeOf, it } from 'vitest';
import type { A2aMonitor, A2aOptions } from 'sre-kit/a2a';
import type { Monitor } from 'sre-kit';
import type { a2aOptionsSchema } from '../../src/a2a/options.js';
import type { Bound } from './bound.js';

describe('A2A types', () => {
  it('binds A2aOptions to its schema', () => {
    expectTypeOf<Bound<A2aOptions, typeof a2aOptionsSchema>>().toEqualTypeOf<true>();
  });

  it('takes a monitor as createMonitor returns it', () => {
    expectTypeOf<Monitor>().toExtend<A2aMonitor>();
  });
});
