import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  trackDependency,
  type ObserveCacheOptions,
  type ObservePoolOptions,
  type ServiceHealth,
  type TrackDependencyOptions,
  type TrackPipelineOptions,
} from 'sre-kit';
import type { observeCacheOptionsSchema } from '../../src/dependencies/cache.js';
import type { trackDependencyOptionsSchema } from '../../src/dependencies/dependency-options.js';
import type { trackPipelineOptionsSchema } from '../../src/dependencies/pipeline.js';
import type { observePoolOptionsSchema } from '../../src/dependencies/pool.js';

describe('dependency options are bound to their schemas', () => {
  it('same keys, and every documented value is accepted by the schema', () => {
    expectTypeOf<keyof TrackDependencyOptions>().toEqualTypeOf<
      keyof z.input<typeof trackDependencyOptionsSchema>
    >();
    expectTypeOf<keyof ObservePoolOptions>().toEqualTypeOf<keyof z.input<typeof observePoolOptionsSchema>>();
    expectTypeOf<ObservePoolOptions>().toExtend<z.input<typeof observePoolOptionsSchema>>();
    expectTypeOf<keyof ObserveCacheOptions>().toEqualTypeOf<
      keyof z.input<typeof observeCacheOptionsSchema>
    >();
    expectTypeOf<ObserveCacheOptions>().toExtend<z.input<typeof observeCacheOptionsSchema>>();
    expectTypeOf<keyof TrackPipelineOptions>().toEqualTypeOf<
      keyof z.input<typeof trackPipelineOptionsSchema>
    >();
    expectTypeOf<TrackPipelineOptions>().toExtend<z.input<typeof trackPipelineOptionsSchema>>();
  });
});

describe('dependency types', () => {
  it('call resolves with the work’s result; the service entry fits the health report', () => {
    const dependency = trackDependency({ name: 'x' });
    expectTypeOf(dependency.call(() => 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(dependency.serviceHealth()).toEqualTypeOf<ServiceHealth>();
  });
});
