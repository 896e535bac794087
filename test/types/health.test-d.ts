import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  checks,
  createHealthRegistry,
  toHealthJson,
  toProbeText,
  toServiceHealthReport,
  type CheckResult,
  type DiskSpaceCheckOptions,
  type EventLoopDelayCheckOptions,
  type FreshnessCheckOptions,
  type GracefulShutdownOptions,
  type HealthCheckDefinition,
  type HealthCheckOptions,
  type HealthCheckResult,
  type HealthJsonBody,
  type HealthRegistryOptions,
  type HeapUsageCheckOptions,
  type HttpCheckOptions,
  type RssCheckOptions,
  type ShutdownProcess,
  type SignalName,
  type ServiceHealthReport,
  type TcpCheckOptions,
  type TlsCertificateCheckOptions,
} from 'sre-kit';
import type { healthCheckOptionsSchema, healthRegistryOptionsSchema } from '../../src/health/options.js';
import type { diskSpaceOptionsSchema } from '../../src/health/checks/disk-space.js';
import type { eventLoopDelayOptionsSchema } from '../../src/health/checks/event-loop-delay.js';
import type { freshnessOptionsSchema } from '../../src/health/checks/freshness.js';
import type { heapUsageOptionsSchema } from '../../src/health/checks/heap-usage.js';
import type { sloBudgetOptionsSchema } from '../../src/health/checks/slo-budget.js';
import type { SloBudgetCheckOptions } from '../../src/health/index.js';
import type { httpOptionsSchema } from '../../src/health/checks/http.js';
import type { rssOptionsSchema } from '../../src/health/checks/rss.js';
import type { tcpOptionsSchema } from '../../src/health/checks/tcp.js';
import type { tlsCertificateOptionsSchema } from '../../src/health/checks/tls-certificate.js';
import type { gracefulShutdownOptionsSchema } from '../../src/health/graceful-shutdown.js';

// An options interface is bound to its schema: the same keys, and every value the interface allows
// is one the schema's input type accepts (readonly arrays aside: zod infers mutable ones).
type Writable<T> = T extends readonly (infer U)[] ? U[] : T;
type WritableFields<T> = { [K in keyof T]: Writable<T[K]> };
type Bound<I, S extends z.ZodType> = [keyof I] extends [keyof z.input<S>]
  ? [keyof z.input<S>] extends [keyof I]
    ? WritableFields<I> extends z.input<S>
      ? true
      : 'interface allows a value the schema rejects'
    : 'schema has a key the interface lacks'
  : 'interface has a key the schema lacks';

describe('health types', () => {
  it('binds every options interface to its schema', () => {
    expectTypeOf<Bound<HealthRegistryOptions, typeof healthRegistryOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<HealthCheckOptions, typeof healthCheckOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<
      Bound<EventLoopDelayCheckOptions, typeof eventLoopDelayOptionsSchema>
    >().toEqualTypeOf<true>();
    expectTypeOf<Bound<HeapUsageCheckOptions, typeof heapUsageOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<SloBudgetCheckOptions, typeof sloBudgetOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<RssCheckOptions, typeof rssOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<DiskSpaceCheckOptions, typeof diskSpaceOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<HttpCheckOptions, typeof httpOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<Bound<TcpCheckOptions, typeof tcpOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<
      Bound<TlsCertificateCheckOptions, typeof tlsCertificateOptionsSchema>
    >().toEqualTypeOf<true>();
    expectTypeOf<Bound<FreshnessCheckOptions, typeof freshnessOptionsSchema>>().toEqualTypeOf<true>();
    expectTypeOf<
      Bound<GracefulShutdownOptions, typeof gracefulShutdownOptionsSchema>
    >().toEqualTypeOf<true>();
  });

  it('types check functions, results and renderers', () => {
    const health = createHealthRegistry();
    health.register('a', () => {});
    health.register('b', async ({ signal }) => {
      expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
      await Promise.resolve();
      return { status: 'warn', observedValue: 3, observedUnit: 'ms' };
    });
    // @ts-expect-error not a status
    health.register('c', () => ({ status: 'ok' }));
    // @ts-expect-error not a probe
    health.register('d', () => {}, { probes: ['ready'] });
    expectTypeOf(checks.http({ url: 'http://x' })).toEqualTypeOf<HealthCheckDefinition>();
    expectTypeOf(health.register('e', checks.heapUsage())).toEqualTypeOf<() => void>();
    expectTypeOf(health.check({ probe: 'readiness' })).resolves.toEqualTypeOf<HealthCheckResult>();
    expectTypeOf<HealthCheckResult['checks']>().toEqualTypeOf<readonly CheckResult[]>();
    const result = {} as HealthCheckResult;
    expectTypeOf(toHealthJson(result).body).toEqualTypeOf<HealthJsonBody>();
    expectTypeOf(toHealthJson(result).httpStatus).toEqualTypeOf<200 | 503>();
    expectTypeOf(toProbeText(result).body).toEqualTypeOf<string>();
    expectTypeOf(toServiceHealthReport(result)).toEqualTypeOf<ServiceHealthReport>();
    health.on('statusChanged', (event) => {
      expectTypeOf(event.status).toEqualTypeOf<'pass' | 'warn' | 'fail'>();
    });
  });

  it("declares signal names itself, equal to Node's, so process still fits ShutdownProcess", () => {
    expectTypeOf<SignalName>().toEqualTypeOf<NodeJS.Signals>();
    expectTypeOf(process).toExtend<ShutdownProcess>();
  });

  it('takes a CA as a Buffer or any Uint8Array', () => {
    expectTypeOf<Buffer>().toExtend<NonNullable<TlsCertificateCheckOptions['ca']>>();
    expectTypeOf<Uint8Array>().toExtend<NonNullable<TlsCertificateCheckOptions['ca']>>();
  });
});
