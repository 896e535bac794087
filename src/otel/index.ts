// `sre-kit/otel`: the OpenTelemetry bridge. `@opentelemetry/api` is an optional peer dependency that only
// this entry loads; it never loads express or fastify.
export {
  bridgeToOpenTelemetry,
  type BridgeToOpenTelemetryOptions,
  type OpenTelemetryBridge,
  type OtelMonitor,
} from './bridge.js';
export { HTTP_SERVER_DURATION_BUCKETS, KNOWN_HTTP_METHODS, ABORTED_ERROR_TYPE } from './http-metrics.js';
export { BRIDGE_INSTRUMENTS, type BridgeInstrument } from './state-instruments.js';
