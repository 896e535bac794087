// The agent route on real Express 5 and Fastify 5 servers: the seed's YAML requests (with their
// `request:` wrapper) answered like JSON ones, hostile YAML refused with a 4xx before it costs
// anything, and state-changing actions refused unless the route allows `act`.
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { agentResponseSchema, type AgentPermission, type AgentResponse } from 'sre-kit';
import { agentRoute } from 'sre-kit/express';
import { sreFastify } from 'sre-kit/fastify';
import { startServer } from '../helpers/http-server.js';
import { createCheckoutMonitor, type CheckoutFixture } from '../helpers/mcp-checkout.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

type Serve = (fixture: CheckoutFixture, allow?: AgentPermission[]) => Promise<string>;

const servers: Record<string, Serve> = {
  express: async ({ monitor }, allow) => {
    const app = express();
    app.post('/agent', agentRoute(monitor, allow === undefined ? {} : { allow }));
    const server = await startServer(app);
    closers.push(() => server.close());
    return `${server.url}/agent`;
  },
  fastify: async ({ monitor }, allow) => {
    const app: FastifyInstance = Fastify();
    await app.register(sreFastify, { agent: { monitor, ...(allow === undefined ? {} : { allow }) } });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    return `${url}/agent`;
  },
};

async function fixture(): Promise<CheckoutFixture> {
  const f = await createCheckoutMonitor();
  closers.push(() => f.close());
  return f;
}

async function postYaml(url: string, body: string, type = 'application/yaml') {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
  const text = await res.text();
  return { status: res.status, body: agentResponseSchema.parse(JSON.parse(text)) };
}

const message = (response: AgentResponse) => (response.ok ? '' : response.error.message);

describe.each(Object.keys(servers))('YAML agent requests on %s', (framework) => {
  const serve = servers[framework]!;

  it("answers the seed's YAML requests, wrapper included, as it answers JSON", async () => {
    const url = await serve(await fixture());
    const health = await postYaml(
      url,
      'request: { agent: sre-reliability, action: health_check, scope: full_system, include_predictions: true }\n',
    );
    expect(health).toMatchObject({ status: 200, body: { ok: true, action: 'health_check' } });
    const perf = await postYaml(
      url,
      'request:\n  agent: sre-reliability\n  action: analyze_performance\n  timeframe: last_24_hours\n  focus_areas: [api_latency, database_queries]\n',
      'text/yaml; charset=utf-8',
    );
    expect(perf).toMatchObject({ status: 200, body: { ok: true, action: 'analyze_performance' } });
    // The same structured error as for JSON: a misspelt field is named.
    const typo = await postYaml(url, 'request: { agent: sre-reliability, action: slo_status, slo_name: x }');
    expect(typo).toMatchObject({
      status: 422,
      body: {
        ok: false,
        error: { code: 'ERR_SRE_BAD_REQUEST', issues: [{ path: ['request', 'slo_name'] }] },
      },
    });
  });

  it('refuses an alias bomb 400 and a 10 MB document 413, without expanding or reading them', async () => {
    const url = await serve(await fixture());
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 10; i++)
      bomb += `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const exploded = await postYaml(url, `${bomb}request: { agent: sre-reliability, action: slo_status }\n`);
    expect(exploded).toMatchObject({ status: 400, body: { error: { code: 'ERR_SRE_BAD_REQUEST' } } });
    expect(message(exploded.body)).toMatch(/alias/i);

    const huge = await postYaml(
      url,
      `request:\n  agent: sre-reliability\n  pad: ${'x'.repeat(10 * 1024 * 1024)}\n`,
    );
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'ERR_SRE_BAD_REQUEST' } } });

    const tagged = await postYaml(url, 'request: !!js/function "function () {}"');
    expect(tagged.status).toBe(400);
    expect(message(tagged.body)).toMatch(/tags are not accepted/);
  });

  it("refuses a state-changing action 403 unless the route allows 'act'", async () => {
    const f = await fixture();
    const ack = `request: { agent: sre-reliability, action: acknowledge_incident, id: ${f.incidentId} }`;
    const refused = await postYaml(await serve(f), ack);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'ERR_SRE_FORBIDDEN' } } });
    expect(f.monitor.incidents.get(f.incidentId)?.status).toBe('open');
    const allowed = await postYaml(await serve(f, ['read', 'act']), ack);
    expect(allowed).toMatchObject({
      status: 200,
      body: { ok: true, result: { entry: { by: 'agent-route' } } },
    });
  });
});
