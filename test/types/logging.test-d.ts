import type { FastifyBaseLogger } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { EventLoggerOptions, StructuredLogger, eventLoggerOptionsSchema } from 'sre-kit';

type Bound<I, S extends z.ZodType> = [keyof I] extends [keyof z.input<S>]
  ? [keyof z.input<S>] extends [keyof I]
    ? true
    : 'schema has a key the interface lacks'
  : 'interface has a key the schema lacks';

describe('event logger types', () => {
  it('binds the options interface to its schema (keys; live objects are checked at runtime)', () => {
    expectTypeOf<Bound<EventLoggerOptions, typeof eventLoggerOptionsSchema>>().toEqualTypeOf<true>();
  });

  it("takes pino's logger (as Fastify's) and console-like loggers", () => {
    expectTypeOf<FastifyBaseLogger>().toExtend<StructuredLogger>();
    expectTypeOf<{
      info(o: object, m: string): void;
      warn(o: object, m: string): void;
      error(o: object, m: string): void;
    }>().toExtend<StructuredLogger>();
    expectTypeOf<{ info(o: object, m: string): void }>().not.toExtend<StructuredLogger>();
  });
});
