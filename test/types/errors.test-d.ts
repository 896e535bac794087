import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  createErrorGroups,
  type ErrorGroupSummary,
  type ErrorGroupsOptions,
  type MetricsSource,
  type errorGroupsOptionsSchema,
} from 'sre-kit';

type Bound<I, S extends z.ZodType> = [keyof I] extends [keyof z.input<S>]
  ? [keyof z.input<S>] extends [keyof I]
    ? I extends z.input<S>
      ? true
      : 'interface allows a value the schema rejects'
    : 'schema has a key the interface lacks'
  : 'interface has a key the schema lacks';

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
