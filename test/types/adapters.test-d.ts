import { describe, expectTypeOf, it } from 'vitest';
import type { GoldenSignalsOptions } from '../../src/signals/index.js';
import type { goldenSignalsOptionsSchema } from '../../src/signals/options.js';
import type {
  AgentRouteOptions,
  AlertmanagerRouteOptions,
  HealthRoutesOptions,
  MetricsHandlerOptions,
} from 'sre-kit/express';
import type { SreFastifyOptions } from 'sre-kit/fastify';
import type { agentRouteOptionsSchema } from '../../src/adapters/express/agent-route.js';
import type { alertmanagerRouteOptionsSchema } from '../../src/adapters/express/alertmanager-route.js';
import type { metricsHandlerOptionsSchema } from '../../src/adapters/express/metrics-handler.js';
import type { healthRoutesOptionsSchema } from '../../src/adapters/shared/health-endpoints.js';
import type { sreFastifyOptionsSchema } from '../../src/adapters/fastify/options.js';
import type { Bound } from './bound.js';

describe('adapter types', () => {
  it('binds every adapter options interface to its schema', () => {
    expectTypeOf<Bound<GoldenSignalsOptions, typeof goldenSignalsOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<MetricsHandlerOptions, typeof metricsHandlerOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<HealthRoutesOptions, typeof healthRoutesOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<AgentRouteOptions, typeof agentRouteOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<
      Bound<AlertmanagerRouteOptions, typeof alertmanagerRouteOptionsSchema>
    >().toEqualTypeOf<true>();
    expectTypeOf<Bound<SreFastifyOptions, typeof sreFastifyOptionsSchema>>().toEqualTypeOf<true>();
  });
});
