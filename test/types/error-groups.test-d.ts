import { describe, expectTypeOf, it } from 'vitest';
import type { Bound } from './bound.js';
import {
  createErrorGroups,
  type ErrorGroupSummary,
  type ErrorGroupsOptions,
  type MetricsSource,
} from 'sre-kit';
import type { errorGroupsOptionsSchema } from '../../src/errors/options.js';

describe('error groups types', () => {
  it('binds the options interface to its schema', () => {
    expectTypeOf<Bound<ErrorGroupsOptions, typeof errorGroupsOptionsSchema>>().toEqualTypeOf<true>();
  });

  it('captures anything, reports summaries, and is a metrics source', () => {
    const errors = createErrorGroups();
    expectTypeOf(errors.capture('anything')).toBeString();
    expectTypeOf(errors.top()).toEqualTypeOf<ErrorGroupSummary[]>();
    expectTypeOf(errors).toExtend<MetricsSource>();
    // @ts-expect-error status is a number
    errors.capture(new Error('x'), { status: '500' });
    errors.on('newGroup', (e) => {
      expectTypeOf(e.traceId).toEqualTypeOf<string | undefined>();
    });
  });
});
