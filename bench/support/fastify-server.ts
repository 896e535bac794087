// A Fastify 5 server for the HTTP bench: `node --import tsx bench/support/fastify-server.ts <variant>`
// prints its port on stdout. Variants: bare; sre (the sreFastify plugin with the full sre-kit stack
// and /metrics); fastify-metrics (its defaults: route histogram + summary, default process metrics,
// /metrics); hooks (one no-op `onRequest` and one no-op `onResponse` hook: the floor any plugin that
// times requests with Fastify's hooks starts from); ratelimit (the plugin with only its rateLimit
// option: golden-signal counting plus the limiter); ratelimit-hook (the limiter in a plain onRequest
// hook, draft-11 headers: the limiter's own cost); fastify-rate-limit (@fastify/rate-limit, its
// memory store). The limits are far above the load: every request is admitted.
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import fastifyMetrics from 'fastify-metrics';
import { sreFastify } from '../../src/adapters/fastify/index.js';
import { clientKey, createRateLimiter, writeRateLimitHeaders } from '../../src/index.js';
import { announce, repoBody, userBody, variantArg } from './serve.js';
import { createSreStack } from './sre-stack.js';

const variant = variantArg([
  'bare',
  'sre',
  'fastify-metrics',
  'hooks',
  'ratelimit',
  'ratelimit-hook',
  'fastify-rate-limit',
] as const);
const limiter = createRateLimiter({ rate: 1_000, perMs: 1, burst: 1e9 });
const app = Fastify({ logger: false });
let closeStack = (): Promise<void> => Promise.resolve();

if (variant === 'sre') {
  const stack = createSreStack();
  await app.register(sreFastify, { ...stack.options, metrics: true, sources: stack.sources });
  closeStack = () => stack.close();
} else if (variant === 'fastify-metrics') {
  // A CommonJS module with `exports.default`: Node's ESM import hands us module.exports.
  await app.register(fastifyMetrics.default, { endpoint: '/metrics' });
} else if (variant === 'ratelimit') {
  await app.register(sreFastify, { rateLimit: { limiter } });
} else if (variant === 'ratelimit-hook') {
  app.addHook('onRequest', (request, reply, done) => {
    const decision = limiter.consume(clientKey(request.raw));
    writeRateLimitHeaders(limiter.limits, decision, 'draft-11', (name, value) => reply.header(name, value));
    if (decision.allowed) return done();
    void reply.code(429).send();
  });
} else if (variant === 'fastify-rate-limit') {
  await app.register(fastifyRateLimit, { max: 1e9, timeWindow: 60_000 });
} else if (variant === 'hooks') {
  app.addHook('onRequest', (_request, _reply, done) => done());
  app.addHook('onResponse', (_request, _reply, done) => done());
}

app.get<{ Params: { id: string } }>('/users/:id', async (request) => userBody(request.params.id));
app.get<{ Params: { org: string; repo: string } }>('/orgs/:org/repos/:repo', async (request) =>
  repoBody(request.params.org, request.params.repo),
);

await app.listen({ port: 0, host: '127.0.0.1' });
announce(app.server, async () => {
  await app.close();
  await closeStack();
});
