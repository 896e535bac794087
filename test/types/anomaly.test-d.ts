import { describe, expectTypeOf, it } from 'vitest';
import type { Bound } from './bound.js';
import {
  createAnomalyDetector,
  type AnomalyDetector,
  type AnomalyDetectorOptions,
  type AnomalyStatus,
} from 'sre-kit';
import type { anomalyDetectorOptionsSchema } from '../../src/anomaly/options.js';

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
