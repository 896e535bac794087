// The health primitive's public surface: the registry, built-in checks, renderers and graceful shutdown.
export { createHealthRegistry } from './registry.js';
export { checks } from './checks/index.js';
export {
  toHealthJson,
  httpStatusOf,
  HEALTH_JSON_CONTENT_TYPE,
  healthJsonBodySchema,
  healthJsonCheckSchema,
} from './health-json.js';
export { toProbeText } from './probe-text.js';
export {
  toServiceHealthReport,
  serviceHealthReportSchema,
  serviceHealthSchema,
  slaComplianceSchema,
} from './service-report.js';
export { checkResultSchema, healthCheckResultSchema } from './result-schema.js';
export { gracefulShutdown } from './graceful-shutdown.js';

export type {
  HealthRegistry,
  HealthCheckRequest,
  HealthRegistryEvents,
  HealthStatusChangedEvent,
  HealthCheckUnregisteredEvent,
} from './registry.js';
export type { HealthRegistryOptions, HealthCheckOptions } from './options.js';
export type {
  HealthStatus,
  HealthProbe,
  ObservedValue,
  HealthCheckOutcome,
  HealthCheckContext,
  HealthCheckFn,
  HealthCheckDefinition,
  CheckResult,
  HealthServiceInfo,
  HealthCheckResult,
} from './types.js';
export type {
  EventLoopDelayCheckOptions,
  HeapUsageCheckOptions,
  RssCheckOptions,
  DiskSpaceCheckOptions,
  HttpCheckOptions,
  TcpCheckOptions,
  TlsCertificateCheckOptions,
  FreshnessCheckOptions,
  LastUpdatedAt,
  BreakerLike,
  SloBudgetCheckOptions,
  SloBudgetSource,
} from './checks/index.js';
export type { HealthJsonBody, HealthJsonCheck, HealthJsonOptions, RenderedHealth } from './health-json.js';
export type { ProbeTextOptions } from './probe-text.js';
export type {
  ServiceHealthReport,
  ServiceHealth,
  ServiceHealthReportOptions,
  SlaComplianceInput,
} from './service-report.js';
export type {
  GracefulShutdown,
  GracefulShutdownOptions,
  GracefulShutdownDeps,
  ShutdownServer,
  ShutdownProcess,
  ShutdownHook,
  SignalName,
  ShutdownOutcome,
  Drainable,
} from './graceful-shutdown.js';
