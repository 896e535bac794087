// An Express 5 server for the HTTP bench: `node --import tsx bench/support/express-server.ts <variant>`
// prints its port on stdout. Variants: bare; sre (sreMiddleware with the full sre-kit stack and
// /metrics); prom-bundle (express-prom-bundle with includePath/includeMethod, its own /metrics);
// ratelimit (sre-kit's rateLimit middleware, draft-11 headers); express-rate-limit (its memory
// store, draft-7 headers). The limits are far above the load: every request is admitted.
import type { Server } from 'node:http';
import express from 'express';
import promBundle from 'express-prom-bundle';
import { rateLimit as expressRateLimit } from 'express-rate-limit';
import { metricsHandler, rateLimit, sreMiddleware } from '../../src/adapters/express/index.js';
import { createRateLimiter } from '../../src/index.js';
import { announce, repoBody, userBody, variantArg } from './serve.js';
import { createSreStack } from './sre-stack.js';

const variant = variantArg(['bare', 'sre', 'prom-bundle', 'ratelimit', 'express-rate-limit'] as const);
const app = express();
let close = (): Promise<void> => Promise.resolve();

if (variant === 'sre') {
  const stack = createSreStack();
  const sre = sreMiddleware(stack.options);
  app.use(sre);
  app.get('/metrics', metricsHandler({ http: sre, sources: stack.sources }));
  close = () => stack.close();
} else if (variant === 'prom-bundle') {
  app.use(promBundle({ includeMethod: true, includePath: true }));
} else if (variant === 'ratelimit') {
  const limiter = createRateLimiter({ rate: 1_000, perMs: 1, burst: 1e9 });
  app.use(rateLimit({ limiter, headers: 'draft-11' }));
} else if (variant === 'express-rate-limit') {
  app.use(
    expressRateLimit({ windowMs: 60_000, limit: 1e9, standardHeaders: 'draft-7', legacyHeaders: false }),
  );
}

app.get('/users/:id', (req, res) => void res.json(userBody(req.params.id)));
// A router mounted under a parameterised prefix: the route template spans both patterns.
const repos = express.Router({ mergeParams: true });
repos.get('/repos/:repo', (req, res) => {
  const { org, repo } = req.params as { org: string; repo: string };
  res.json(repoBody(org, repo));
});
app.use('/orgs/:org', repos);

const server: Server = app.listen(0, '127.0.0.1', () => announce(server, close));
