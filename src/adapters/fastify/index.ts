// `sre-kit/fastify`: the Fastify 5 plugin. It translates requests into core calls; the core decides.
// This entry never loads express.

export { sreFastify, type SreFastifyOptions, type SreFastifyDecoration } from './plugin.js';
export type { HealthRoutesOptions, HealthPaths } from '../shared/health-endpoints.js';
export type { RateLimitOptions } from '../shared/rate-limit.js';
export { THROTTLED_BODY } from '../shared/rate-limit.js';
