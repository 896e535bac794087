// `sre-kit/express`: Express 5 middleware and routers. They translate requests into core calls; the
// core decides. This entry never loads fastify.

export {
  sreMiddleware,
  OVERLOADED_BODY,
  type SreMiddleware,
  type SreMiddlewareOptions,
} from './middleware.js';
export { expressRouteTemplate } from './route-template.js';
export { metricsHandler, type MetricsHandlerOptions } from './metrics-handler.js';
export { healthRoutes } from './health-routes.js';
export { rateLimit, type RateLimitMiddlewareOptions } from './rate-limit.js';
export type { RateLimitOptions } from '../shared/rate-limit.js';
export { THROTTLED_BODY } from '../shared/rate-limit.js';
export type { HealthRoutesOptions, HealthPaths } from '../shared/health-endpoints.js';
export { agentRoute } from './agent-route.js';
export type { ErrorSink } from '../shared/error-capture.js';
export {
  DEFAULT_AGENT_MAX_BODY_BYTES,
  type AgentMonitor,
  type AgentRouteOptions,
} from '../shared/agent-endpoint.js';
export { alertmanagerRoute } from './alertmanager-route.js';
export {
  DEFAULT_ALERTMANAGER_MAX_BODY_BYTES,
  type AlertmanagerResponder,
  type AlertmanagerRouteOptions,
} from '../shared/alertmanager-endpoint.js';
