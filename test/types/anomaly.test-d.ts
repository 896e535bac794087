import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  createAnomalyDetector,
  type anomalyDetectorOptionsSchema,
  type AnomalyDetector,
  type AnomalyDetectorOptions,
  type AnomalyStatus,
} from 'sre-kit';

// An options interface is bound to its schema: the same keys, and every value the interface allows
// is one the schema's input type accepts.
type Bound<I, S extends z.ZodType> = [keyof I] extends [keyof z.input<S>]
  ? [keyof z.input<S>] extends [keyof I]
    ? I extends z.input<S>
      ? true
      : 'interface allows a value the schema rejects'
    : 'schema has a key the interface lacks'
  : 'interface has a key the schema lacks';

describe('anomaly types', () => {
  it('binds the options interface to its schema', () => {
    expectTypeOf<Bound<AnomalyDetectorOptions, typeof anomalyDetectorOptionsSchema>>().toEqualTypeOf<true>();
  });

  it('status is a union narrowed by state', () => {
    const detector: AnomalyDetector = createAnomalyDetector();
    const [status] = detector.status();
    expectTypeOf(status).toEqualTypeOf<AnomalyStatus | undefined>();
    if (status !== undefined && status.state !== 'insufficient_data') {
      expectTypeOf(status.band).toEqualTypeOf<readonly [number, number]>();
      expectTypeOf(status.since).toEqualTypeOf<number | undefined>();
    }
    // @ts-expect-error an unjudged signal has no band
    void status?.band;
  });

  it('events are typed', () => {
    const detector = createAnomalyDetector();
    detector.on('anomalous', (e) => {
      expectTypeOf(e.band).toEqualTypeOf<readonly [number, number]>();
    });
    detector.on('recovered', (e) => {
      expectTypeOf(e.anomalousForMs).toBeNumber();
    });
    // @ts-expect-error unknown event
    detector.on('cleared', () => {});
  });
});
