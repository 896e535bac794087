import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { expressRouteTemplate } from 'sre-kit/express';
import { startServer, type TestServer } from '../../helpers/http-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// The template cache is keyed by route and concrete mount prefix, capped per route: these pin that
// the cache never changes an answer, whatever the number of prefixes or mounts.
describe('expressRouteTemplate cache', () => {
  it('gives the template for many more distinct mount prefixes than it caches, and again on repeats', async () => {
    const templates: (string | undefined)[] = [];
    const repos = express.Router({ mergeParams: true });
    repos.get('/repos/:repo', (req, res) => {
      templates.push(expressRouteTemplate(req));
      res.send('ok');
    });
    const app = express();
    app.use('/orgs/:org', repos);
    server = await startServer(app);
    for (let i = 0; i < 300; i++) {
      const res = await fetch(`${server.url}/orgs/${i % 150}/repos/r${i}`);
      expect(res.status).toBe(200);
    }
    expect(templates).toHaveLength(300);
    expect(new Set(templates)).toEqual(new Set(['/orgs/:org/repos/:repo']));
  });

  it('tells apart one router mounted under two prefixes, whichever was cached first', async () => {
    const templates: (string | undefined)[] = [];
    const items = express.Router();
    items.get('/items/:id', (req, res) => {
      templates.push(expressRouteTemplate(req));
      res.send('ok');
    });
    const app = express();
    app.use('/v1', items);
    app.use('/tenants/:tenant', items);
    server = await startServer(app);
    const paths = [
      '/v1/items/1',
      '/tenants/a/items/2',
      '/v1/items/3',
      '/tenants/b/items/4',
      '/tenants/a/items/5',
    ];
    for (const path of paths) expect((await fetch(`${server.url}${path}`)).status).toBe(200);
    expect(templates).toEqual([
      '/v1/items/:id',
      '/tenants/:tenant/items/:id',
      '/v1/items/:id',
      '/tenants/:tenant/items/:id',
      '/tenants/:tenant/items/:id',
    ]);
  });
});
