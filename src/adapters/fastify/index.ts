// `sre-kit/fastify`: the Fastify 5 plugin. It translates requests into core calls; the core decides.
// This entry never loads express.

export { sreFastify, type SreFastifyDecoration } from './plugin.js';
export type {
  SreFastifyOptions,
  SreFastifyAgentOptions,
  SreFastifyMcpOptions,
  SreFastifyAlertmanagerOptions,
} from './options.js';
export type { McpHttpServer } from '../../mcp/internals.js';
export type { ErrorSink } from '../shared/error-capture.js';
export type { HealthRoutesOptions, HealthPaths } from '../shared/health-endpoints.js';
export {
  DEFAULT_AGENT_MAX_BODY_BYTES,
  type AgentMonitor,
  type AgentRouteOptions,
} from '../shared/agent-endpoint.js';
export {
  DEFAULT_ALERTMANAGER_MAX_BODY_BYTES,
  type AlertmanagerResponder,
  type AlertmanagerRouteOptions,
} from '../shared/alertmanager-endpoint.js';
export type { RateLimitOptions } from '../shared/rate-limit.js';
export { THROTTLED_BODY } from '../shared/rate-limit.js';
