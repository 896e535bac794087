// `sre-kit/express`: Express 5 middleware and routers. They translate requests into core calls; the
// core decides. This entry never loads fastify.

export { SreError, isSreError } from '../../core/index.js';
