// The MCP server over streamable HTTP on real Express 5 and Fastify 5 servers on 127.0.0.1, driven by
// the official SDK client: bearer tokens, sessions bound to their token, the act guard, error text
// kept on the server, and the body limit.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_ACTIONS, ConfigError, handleAgentRequest, isSreError, type MonitorQueries } from 'sre-kit';
import { sreFastify } from 'sre-kit/fastify';
import {
  createMcpServer,
  mcpRoute,
  type McpMonitor,
  type McpServerOptions,
  type SreMcpServer,
} from 'sre-kit/mcp';
import { startServer } from '../../helpers/http-server.js';
import { createCheckoutMonitor, type CheckoutFixture } from '../../helpers/mcp-checkout.js';
import {
  awaitIncidentNotifications,
  callTool,
  checkResources,
  checkTools,
  sampleArguments,
} from './exercise.js';

const TOKEN = 'test-token-0123456789abcdef';
const OTHER = 'other-token-0123456789abcdef';
const cleanup: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

interface Served {
  readonly url: string;
  readonly fixture: CheckoutFixture;
  readonly server: SreMcpServer;
  readonly errors: unknown[];
}

async function serveExpress(
  options: McpServerOptions = {},
  monitorOf: (fixture: CheckoutFixture) => McpMonitor = (fixture) => fixture.monitor,
): Promise<Served> {
  const fixture = await createCheckoutMonitor();
  const errors: unknown[] = [];
  const server = createMcpServer(
    monitorOf(fixture),
    { name: 'checkout-sre', token: TOKEN, ...options },
    { onInternalError: (error) => errors.push(error) },
  );
  const app = express();
  app.use('/mcp', mcpRoute(server));
  const http = await startServer(app);
  cleanup.push(
    () => fixture.close(),
    () => server.close(),
    () => http.close(),
  );
  return { url: `${http.url}/mcp`, fixture, server, errors };
}

async function connect(url: string, token: string | null = TOKEN, name = 'sre-kit-test') {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token === null ? {} : { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  cleanup.push(() => client.close());
  return { client, transport };
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('MCP over streamable HTTP on Express (the official client)', () => {
  it('lists a tool per action, calls each, reads the resources, and is notified when an incident opens', async () => {
    const { url, fixture } = await serveExpress({ allow: ['read', 'act'], token: { 'ops-bot': TOKEN } });
    const { client } = await connect(url);
    const tools = await checkTools(client, 'act');
    expect(tools).toHaveLength(AGENT_ACTIONS.length);
    await checkResources(client, 'checkout', fixture.incidentId);

    const samples = sampleArguments(fixture.incidentId);
    for (const tool of tools.filter((t) => t.annotations?.readOnlyHint === true)) {
      const { response, summary } = await callTool(client, tool.name, samples[tool.name]);
      expect(response, summary).toMatchObject({ ok: true, action: tool.name });
    }
    for (const name of ['acknowledge_incident', 'add_incident_note', 'resolve_incident']) {
      const { response, summary } = await callTool(client, name, samples[name]);
      expect(response, summary).toMatchObject({ ok: true, result: { changed: true } });
      expect(summary).toContain('by mcp:ops-bot via sre-kit-test');
    }
    // The timeline names the token's holder, not whatever the client calls itself alone.
    const incident = fixture.monitor.incidents.get(fixture.incidentId)!;
    expect(incident.status).toBe('resolved');
    expect(incident.acknowledgedBy).toBe('mcp:ops-bot via sre-kit-test');
    // The monitor's own note (the deploy before the incident, from the change log) aside.
    expect(
      incident.timeline.filter((e) => e.kind === 'noted' && e.by !== 'monitor').map((e) => [e.text, e.by]),
    ).toEqual([['pool size raised to 40', 'mcp:ops-bot via sre-kit-test']]);

    await awaitIncidentNotifications(client, 'checkout', () =>
      fixture.monitor.incidents.open({ title: 'Checkout latency above SLO', severity: 'P3' }),
    );
  });

  it('answers "is checkout ready to deploy?" with the verdict and its reasons', async () => {
    const { url, fixture } = await serveExpress();
    const { client } = await connect(url);
    await client.listTools();
    fixture.database.fail();
    const { response, summary } = await callTool(client, 'deployment_readiness');
    expect(response).toMatchObject({ ok: true, result: { ready: false } });
    expect(summary).toMatch(/^Not ready to deploy: .*database/);
    expect(summary).toContain(fixture.incidentId);
  });

  it('refuses a client without the token, or with a wrong one, with 401 and records nothing', async () => {
    const { url, fixture } = await serveExpress({ allow: ['read', 'act'] });
    await expect(connect(url, null)).rejects.toThrow(/401|Unauthorized/);
    await expect(connect(url, OTHER)).rejects.toThrow(/401|Unauthorized/);
    const res = await post(url, initialize, { authorization: 'Bearer nope' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    // A call straight to tools/call without a token is refused before anything runs.
    const call = {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'acknowledge_incident', arguments: { id: fixture.incidentId } },
    };
    expect((await post(url, call)).status).toBe(401);
    expect(fixture.monitor.incidents.get(fixture.incidentId)?.status).toBe('open');
  });

  it('without act, refuses a state-changing tool even with the token', async () => {
    const { url, fixture } = await serveExpress();
    const { client } = await connect(url);
    const tools = await checkTools(client, 'read');
    expect(tools.some((t) => t.name === 'resolve_incident')).toBe(false);
    const { response } = await callTool(client, 'resolve_incident', { id: fixture.incidentId });
    expect(response).toMatchObject({ ok: false, error: { code: 'ERR_SRE_FORBIDDEN' } });
    expect(fixture.monitor.incidents.get(fixture.incidentId)?.status).toBe('open');
  });

  it("binds a session to the token that opened it: another caller's token cannot use it", async () => {
    const { url } = await serveExpress({ token: { alice: TOKEN, bob: OTHER } });
    const { transport } = await connect(url, TOKEN);
    const sessionId = transport.sessionId!;
    const list = { jsonrpc: '2.0', id: 3, method: 'tools/list' };
    const headers = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' };
    expect((await post(url, list, { ...headers, authorization: `Bearer ${OTHER}` })).status).toBe(404);
    expect((await post(url, list, { ...headers, authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('keeps internal error text on the server unless exposeDetails', async () => {
    // The real monitor, except that its health report fails with a message naming a private host.
    const broken = ({ monitor: m }: CheckoutFixture): McpMonitor => {
      const queries: MonitorQueries = {
        service: m.service,
        incidents: m.incidents,
        sloStatus: () => m.sloStatus(),
        healthReport: () => Promise.reject(new Error('pg at 10.1.2.3:5432 refused')),
        slaReport: (o) => m.slaReport(o),
        performanceAnalysis: (o) => m.performanceAnalysis(o),
        capacityForecast: (o) => m.capacityForecast(o),
        deploymentReadiness: () => m.deploymentReadiness(),
        incidentReport: (id) => m.incidentReport(id),
      };
      return { ...queries, handle: (request, context) => handleAgentRequest(queries, request, context) };
    };
    for (const exposeDetails of [false, true]) {
      const { url, errors } = await serveExpress({ exposeDetails }, broken);
      const { client } = await connect(url);
      await client.listTools();
      const { response } = await callTool(client, 'health_check');
      expect(response.ok).toBe(false);
      const text = JSON.stringify(response);
      expect(text.includes('10.1.2.3')).toBe(exposeDetails);
      await expect(client.readResource({ uri: 'sre://checkout/health' })).rejects.toThrow(
        exposeDetails ? /10\.1\.2\.3/ : /^(?!.*10\.1\.2\.3).*Internal error/,
      );
      // What failed is reported to onInternalError either way.
      expect(errors.some((e) => String(e).includes('10.1.2.3'))).toBe(true);
    }
  });

  it('answers a body over maxBodyBytes 413 without reading it', async () => {
    const { url } = await serveExpress({ maxBodyBytes: 4_096 });
    const res = await post(url, JSON.stringify({ ...initialize, pad: 'x'.repeat(10_000) }), {
      authorization: `Bearer ${TOKEN}`,
    });
    expect(res.status).toBe(413);
  });

  it('will not serve HTTP without a token', async () => {
    const fixture = await createCheckoutMonitor();
    cleanup.push(() => fixture.close());
    const server = createMcpServer(fixture.monitor);
    cleanup.push(() => server.close());
    let thrown: unknown;
    try {
      mcpRoute(server);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(isSreError(thrown) && thrown.message).toMatch(/server\.token/);
    expect(() => createMcpServer(fixture.monitor, { token: 'short' })).toThrow(/token/);
  });
});

describe('MCP over streamable HTTP in the Fastify plugin', () => {
  it('serves the same tools and resources behind the same bearer token', async () => {
    const fixture = await createCheckoutMonitor();
    const server = createMcpServer(fixture.monitor, { token: TOKEN, allow: ['read', 'act'] });
    const fastify: FastifyInstance = Fastify();
    await fastify.register(sreFastify, { mcp: { server } });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    cleanup.push(
      () => fixture.close(),
      () => server.close(),
      () => fastify.close(),
    );
    const address = fastify.server.address() as { port: number };
    const url = `http://127.0.0.1:${address.port}/mcp`;

    await expect(connect(url, OTHER)).rejects.toThrow(/401|Unauthorized/);
    const { client } = await connect(url);
    expect(client.getServerVersion()?.name).toBe('checkout-sre');
    await checkTools(client, 'act');
    await checkResources(client, 'checkout', fixture.incidentId);
    const { response } = await callTool(client, 'acknowledge_incident', { id: fixture.incidentId });
    expect(response).toMatchObject({ ok: true, result: { status: 'acknowledged' } });
    expect(fixture.monitor.incidents.get(fixture.incidentId)?.acknowledgedBy).toBe(
      'mcp:http via sre-kit-test',
    );
    await awaitIncidentNotifications(client, 'checkout', () =>
      fixture.monitor.incidents.open({ title: 'Checkout latency above SLO', severity: 'P3' }),
    );
    const big = await post(url, JSON.stringify({ ...initialize, pad: 'x'.repeat(100_000) }), {
      authorization: `Bearer ${TOKEN}`,
    });
    expect(big.status).toBe(413);
  });
});
