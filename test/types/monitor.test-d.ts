import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  createMonitor,
  type CapacityForecast,
  type DeploymentReadiness,
  type Monitor,
  type MonitorHealthReport,
  type MonitorOptions,
  type SlaReport,
} from 'sre-kit';
import type { monitorOptionsSchema } from '../../src/monitor/options.js';

type Writable<T> = T extends readonly (infer U)[] ? U[] : T;
type WritableFields<T> = { [K in keyof T]: Writable<T[K]> };
type Bound<I, S extends z.ZodType> = [keyof I] extends [keyof z.input<S>]
  ? [keyof z.input<S>] extends [keyof I]
    ? WritableFields<I> extends z.input<S>
      ? true
      : 'interface allows a value the schema rejects'
    : 'schema has a key the interface lacks'
  : 'interface has a key the schema lacks';

describe('monitor types', () => {
  it('binds MonitorOptions to its schema', () => {
    expectTypeOf<Bound<MonitorOptions, typeof monitorOptionsSchema>>().toEqualTypeOf<true>();
  });

  it('createMonitor returns the Monitor interface and typed reports', () => {
    const monitor = createMonitor({ service: 'api' });
    expectTypeOf(monitor).toEqualTypeOf<Monitor>();
    expectTypeOf(monitor.healthReport()).toEqualTypeOf<Promise<MonitorHealthReport>>();
    expectTypeOf(monitor.slaReport({ period: 'month' })).toEqualTypeOf<SlaReport>();
    expectTypeOf(monitor.capacityForecast()).toEqualTypeOf<CapacityForecast>();
    expectTypeOf(monitor.deploymentReadiness()).toEqualTypeOf<Promise<DeploymentReadiness>>();
    // @ts-expect-error -- the period is a calendar unit
    monitor.slaReport({ period: 'year' });
  });
});
