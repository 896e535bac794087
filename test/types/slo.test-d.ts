import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  createSloTracker,
  fromOpenSlo,
  toPrometheusRules,
  type EventSource,
  type PrometheusRulesOptions,
  type SloEvents,
  type SloSnapshot,
  type SloStatus,
  type SloTracker,
  type SloTrackerOptions,
} from 'sre-kit/slo';
import type * as root from 'sre-kit';
import type { sloOptionsSchema } from '../../src/slo/options.js';
import type { sloSnapshotSchema } from '../../src/slo/snapshot.js';

// zod types an optional field as `?: T | undefined`; under exactOptionalPropertyTypes the interfaces
// say `?: T`. This strips the `| undefined` so the comparison is about fields and their types.
type Defined<T> = T extends readonly (infer U)[]
  ? ReadonlyArray<Defined<U>>
  : T extends object
    ? { [K in keyof T]: Defined<Exclude<T[K], undefined>> }
    : T;

describe('SLO types', () => {
  it('binds SloTrackerOptions to its zod schema, both ways', () => {
    // Everything the interface allows, the schema accepts; everything the schema produces (defaults
    // filled in), the interface describes; and both list the same fields.
    const options = {} as SloTrackerOptions;
    const input: z.input<typeof sloOptionsSchema> = options;
    const output = {} as Defined<z.output<typeof sloOptionsSchema>>;
    const described: SloTrackerOptions = output;
    expectTypeOf(input.name).toEqualTypeOf(described.name);
    expectTypeOf<keyof z.input<typeof sloOptionsSchema>>().toEqualTypeOf<keyof SloTrackerOptions>();
    type Kinds = z.input<typeof sloOptionsSchema>['objective'];
    expectTypeOf<keyof Extract<Kinds, { kind: 'freshness' }>>().toEqualTypeOf<
      keyof Extract<SloTrackerOptions['objective'], { kind: 'freshness' }>
    >();
    expectTypeOf<keyof Extract<Kinds, { kind: 'latency' }>>().toEqualTypeOf<
      keyof Extract<SloTrackerOptions['objective'], { kind: 'latency' }>
    >();
  });

  it('binds SloSnapshot to its exported schema', () => {
    type Output = z.output<typeof sloSnapshotSchema>;
    const parsed = {} as Output;
    const snapshot: SloSnapshot = parsed;
    const back: Readonly<Omit<Output, 'tiers' | 'periodsAhead'>> & {
      readonly tiers: ReadonlyArray<
        Readonly<Omit<Output['tiers'][number], 'buckets'>> & {
          readonly buckets: ReadonlyArray<readonly [number, number, number]>;
        }
      >;
      readonly periodsAhead?:
        ReadonlyArray<Readonly<NonNullable<Output['periodsAhead']>[number]>> | undefined;
    } = snapshot;
    expectTypeOf(back.version).toEqualTypeOf<1>();
  });

  it('types record(), status() and the events', () => {
    const slo = createSloTracker({ name: 'api', objective: { kind: 'availability', target: 0.999 } });
    expectTypeOf(slo).toEqualTypeOf<SloTracker>();
    expectTypeOf(slo).toExtend<EventSource<SloEvents>>();
    slo.record(true);
    slo.record(false, 3);
    slo.record({ ok: true, latencyMs: 12 });
    // @ts-expect-error a string is not an outcome
    slo.record('ok');
    expectTypeOf(slo.status()).toEqualTypeOf<SloStatus>();
    expectTypeOf(slo.status().burnRates['5m']).toEqualTypeOf<number>();
    expectTypeOf(slo.status().sli).toEqualTypeOf<number | null>();
    expectTypeOf(slo.evaluate()).toEqualTypeOf<SloStatus>();
    expectTypeOf(slo.target).toEqualTypeOf<number>();
    expectTypeOf(slo.objective.kind).toEqualTypeOf<'availability' | 'latency' | 'freshness'>();
    // @ts-expect-error the target is read-only
    slo.target = 0.9;
    slo.on('alert', (e) => {
      expectTypeOf(e.firing).toEqualTypeOf<boolean>();
      expectTypeOf(e.severity).toEqualTypeOf<'page' | 'ticket'>();
    });
    // @ts-expect-error no such event
    slo.on('alerted', () => {});
  });

  it('rejects objectives missing their fields at compile time', () => {
    // @ts-expect-error latency needs thresholdMs
    createSloTracker({ name: 'x', objective: { kind: 'latency', target: 0.9 } });
    expectTypeOf(fromOpenSlo).returns.toEqualTypeOf<SloTrackerOptions[]>();
    expectTypeOf(toPrometheusRules).parameter(1).toEqualTypeOf<PrometheusRulesOptions | undefined>();
  });

  it('exports the same SLO names from sre-kit and sre-kit/slo', () => {
    expectTypeOf<typeof root.createSloTracker>().toEqualTypeOf<typeof createSloTracker>();
    expectTypeOf<root.SloStatus>().toEqualTypeOf<SloStatus>();
  });
});
