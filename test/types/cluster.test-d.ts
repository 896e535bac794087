import { describe, expectTypeOf, it } from 'vitest';
import type { ClusterPrimaryOptions, ClusterWorkerOptions } from 'sre-kit/cluster';
import type { clusterPrimaryOptionsSchema } from '../../src/cluster/primary.js';
import type { clusterWorkerOptionsSchema } from '../../src/cluster/worker.js';
import type { Bound } from './bound.js';

describe('cluster types', () => {
  it('binds the cluster options to their schemas', () => {
    expectTypeOf<Bound<ClusterWorkerOptions, typeof clusterWorkerOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<ClusterPrimaryOptions, typeof clusterPrimaryOptionsSchema>>().toEqualTypeOf<true>();
  });
});
