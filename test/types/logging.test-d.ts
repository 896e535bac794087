import type { FastifyBaseLogger } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import type { Bound } from './bound.js';
import type { EventLoggerOptions, StructuredLogger } from 'sre-kit';
import type { eventLoggerOptionsSchema } from '../../src/logging/event-logger.js';

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
