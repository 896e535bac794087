// The A2A agent on a real Express 5 server on 127.0.0.1, driven by the official A2A client
// (@a2a-js/sdk's ClientFactory over JSON-RPC): the agent card and its skills, the seed's YAML requests
// as text, every read action as a data part, the act guard, bearer tokens, no task kept, error text
// kept on the server.
import { randomUUID } from 'node:crypto';
import { Role, TaskState, type Message, type Part } from '@a2a-js/sdk';
import { ClientFactory, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AGENT_ACTIONS,
  agentActionEffect,
  agentResponseSchema,
  ConfigError,
  isSreError,
  type AgentResponse,
} from 'sre-kit';
import { a2aRouter, AGENT_CARD_PATH, type A2aMonitor, type A2aOptions } from 'sre-kit/a2a';
import { startServer } from '../../helpers/http-server.js';
import { createCheckoutMonitor, type CheckoutFixture } from '../../helpers/mcp-checkout.js';
import { sampleArguments } from '../mcp/exercise.js';

const TOKEN = 'test-token-0123456789abcdef';
const cleanup: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

interface Served {
  readonly base: string;
  readonly fixture: CheckoutFixture;
  readonly errors: unknown[];
}

async function serve(
  options: Partial<A2aOptions> = {},
  monitorOf: (fixture: CheckoutFixture) => A2aMonitor = (fixture) => fixture.monitor,
): Promise<Served> {
  const fixture = await createCheckoutMonitor();
  const errors: unknown[] = [];
  const app = express();
  const http = await startServer(app);
  // The card names the endpoint's public URL, known once the port is: the router is mounted after.
  app.use(
    a2aRouter(
      monitorOf(fixture),
      { url: `${http.url}/a2a`, token: TOKEN, ...options },
      { onInternalError: (error) => errors.push(error) },
    ),
  );
  cleanup.push(
    () => fixture.close(),
    () => http.close(),
  );
  return { base: http.url, fixture, errors };
}

/** The official client, resolving the card from the well-known path and sending `token`. */
async function connect(base: string, token: string = TOKEN): Promise<Client> {
  const fetchImpl: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const factory = new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl })] });
  return factory.createFromUrl(base);
}

function part(content: Part['content'], mediaType: string): Part {
  return { content, mediaType, filename: '', metadata: undefined };
}

function message(parts: Part[]): Message {
  return {
    messageId: randomUUID(),
    contextId: '',
    taskId: '',
    role: Role.ROLE_USER,
    parts,
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

/** Sends one message and returns the protocol response and the summary the agent answered with. */
async function ask(client: Client, content: Part['content'], mediaType = 'application/json') {
  const result = await client.sendMessage({
    tenant: '',
    message: message([part(content, mediaType)]),
    configuration: undefined,
    metadata: undefined,
  });
  expect('messageId' in result, 'the agent answers with a message, never a task').toBe(true);
  const answer = result as Message;
  expect(answer.role).toBe(Role.ROLE_AGENT);
  const [summary, data] = answer.parts;
  expect(summary?.content?.$case).toBe('text');
  expect(data?.content?.$case).toBe('data');
  const response: AgentResponse = agentResponseSchema.parse(
    data?.content?.$case === 'data' ? data.content.value : undefined,
  );
  return { response, summary: summary?.content?.$case === 'text' ? summary.content.value : '' };
}

const readActions = AGENT_ACTIONS.filter((action) => agentActionEffect(action) === 'read');

describe('a2aRouter with the official A2A client', () => {
  it('serves an agent card whose skills are the protocol actions allowed, at the JSON-RPC URL', async () => {
    const { base } = await serve();
    const raw = (await (await fetch(`${base}${AGENT_CARD_PATH}`)).json()) as {
      name: string;
      supportedInterfaces: Array<{ url: string; protocolBinding: string }>;
      skills: Array<{ id: string }>;
      securitySchemes: Record<string, { httpAuthSecurityScheme?: { scheme: string } }>;
    };
    expect(raw.name).toBe('checkout-sre');
    expect(raw.supportedInterfaces).toEqual([
      expect.objectContaining({ url: `${base}/a2a`, protocolBinding: 'JSONRPC' }),
    ]);
    expect(raw.skills.map((skill) => skill.id)).toEqual(readActions);
    expect(raw.securitySchemes['bearer']?.httpAuthSecurityScheme?.scheme).toBe('Bearer');

    const acting = await serve({ allow: ['read', 'act'] });
    const card = await (await connect(acting.base)).getAgentCard();
    expect(card.skills.map((skill) => skill.id)).toEqual([...AGENT_ACTIONS]);
  });

  it("answers the seed's two YAML requests sent as text", async () => {
    const { base } = await serve();
    const client = await connect(base);
    const health = await ask(
      client,
      {
        $case: 'text',
        value:
          'request: { agent: sre-reliability, action: health_check, scope: full_system, include_predictions: true }',
      },
      'application/yaml',
    );
    expect(health.response).toMatchObject({ ok: true, action: 'health_check' });
    expect(health.summary.length).toBeGreaterThan(0);
    const performance = await ask(
      client,
      {
        $case: 'text',
        value:
          'request: { agent: sre-reliability, action: analyze_performance, timeframe: last_24_hours,\n' +
          '           focus_areas: [api_latency, database_queries] }',
      },
      'application/yaml',
    );
    expect(performance.response).toMatchObject({ ok: true, action: 'analyze_performance' });
  });

  it('runs every read action sent as a data part, and says why a deploy is not ready', async () => {
    const { base, fixture } = await serve();
    const client = await connect(base);
    const args = sampleArguments(fixture.incidentId);
    for (const action of readActions) {
      const { response } = await ask(client, {
        $case: 'data',
        value: { agent: 'sre-reliability', action, ...args[action] },
      });
      expect(response, action).toMatchObject({ ok: true, action });
    }
    fixture.database.fail();
    const { response, summary } = await ask(client, {
      $case: 'data',
      value: { request: { agent: 'sre-reliability', action: 'deployment_readiness' } },
    });
    expect(response).toMatchObject({ ok: true, result: { ready: false } });
    expect(summary).toMatch(/^Not ready to deploy: .*database/);
  });

  it('refuses malformed requests and YAML alias bombs with the structured errors of the protocol', async () => {
    const { base } = await serve();
    const client = await connect(base);
    const bad = await ask(client, {
      $case: 'data',
      value: { agent: 'sre-reliability', action: 'capacity_plan', horizon_days: -3 },
    });
    expect(bad.response).toMatchObject({ ok: false, error: { code: 'ERR_SRE_BAD_REQUEST' } });
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10)
          .fill(`*${i === 0 ? 'a' : 'bcdefghi'[i - 1]}`)
          .join(', ')}]`,
      );
    const refused = await ask(client, { $case: 'text', value: bomb.join('\n') }, 'application/yaml');
    expect(refused.response).toMatchObject({ ok: false, error: { code: 'ERR_SRE_BAD_REQUEST' } });
    const empty = await ask(client, { $case: 'url', value: 'https://example.invalid/request.yaml' });
    expect(empty.response).toMatchObject({ ok: false, error: { code: 'ERR_SRE_BAD_REQUEST' } });
  });

  it('refuses a state-changing action without act, and records the caller with it', async () => {
    const reading = await serve();
    const refused = await ask(await connect(reading.base), {
      $case: 'data',
      value: { agent: 'sre-reliability', action: 'resolve_incident', id: reading.fixture.incidentId },
    });
    expect(refused.response).toMatchObject({ ok: false, error: { code: 'ERR_SRE_FORBIDDEN' } });
    expect(reading.fixture.monitor.incidents.get(reading.fixture.incidentId)?.status).toBe('open');

    const acting = await serve({ allow: ['read', 'act'], token: { orchestrator: TOKEN } });
    const resolved = await ask(await connect(acting.base), {
      $case: 'data',
      value: {
        agent: 'sre-reliability',
        action: 'resolve_incident',
        id: acting.fixture.incidentId,
        resolution: 'pool resized',
      },
    });
    expect(resolved.response).toMatchObject({ ok: true, action: 'resolve_incident' });
    const incident = acting.fixture.monitor.incidents.get(acting.fixture.incidentId);
    expect(incident?.status).toBe('resolved');
    expect(incident?.timeline.at(-1)?.by).toBe('a2a:orchestrator');
  });

  it('answers 401 without the right bearer token and runs nothing', async () => {
    const { base } = await serve({ allow: ['read', 'act'] });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendMessage', params: {} });
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${TOKEN}`]) {
      const response = await fetch(`${base}/a2a`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body,
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const client = await connect(base, 'wrong-token-0123456789abcdef');
    await expect(
      client.sendMessage({
        tenant: '',
        message: message([
          part(
            { $case: 'text', value: 'request: { agent: sre-reliability, action: health_check }' },
            'text/plain',
          ),
        ]),
        configuration: undefined,
        metadata: undefined,
      }),
    ).rejects.toThrow();
  });

  it('keeps no task: answers are messages, so the task store stays empty', async () => {
    const { base } = await serve();
    const client = await connect(base);
    for (let i = 0; i < 20; i++)
      await ask(client, { $case: 'data', value: { agent: 'sre-reliability', action: 'slo_status' } });
    const { tasks } = await client.listTasks({
      tenant: '',
      contextId: '',
      status: TaskState.TASK_STATE_UNSPECIFIED,
      pageSize: 100,
      pageToken: '',
      historyLength: 0,
      statusTimestampAfter: undefined,
      includeArtifacts: false,
    });
    expect(tasks).toEqual([]);
  });

  it("keeps an internal failure's text on the server unless exposeDetails", async () => {
    const failing = (fixture: CheckoutFixture): A2aMonitor => ({
      service: fixture.monitor.service,
      handle: () => Promise.reject(new Error('ECONNREFUSED 10.0.0.7:5432')),
    });
    const hidden = await serve({}, failing);
    const answer = await ask(await connect(hidden.base), {
      $case: 'data',
      value: { action: 'health_check' },
    });
    expect(answer.response).toMatchObject({ ok: false, error: { code: 'ERR_SRE_INTERNAL' } });
    expect(JSON.stringify(answer.response)).not.toContain('10.0.0.7');
    expect(hidden.errors).toHaveLength(1);
    const shown = await serve({ exposeDetails: true }, failing);
    const exposed = await ask(await connect(shown.base), {
      $case: 'data',
      value: { action: 'health_check' },
    });
    expect(JSON.stringify(exposed.response)).toContain('10.0.0.7');
  });

  it('refuses bad options with a ConfigError naming the field', async () => {
    const { monitor } = await createCheckoutMonitor();
    cleanup.push(() => monitor.close());
    for (const [options, field] of [
      [{ url: 'not a url', token: TOKEN }, 'url'],
      [{ url: 'ftp://checkout.example/a2a', token: TOKEN }, 'url'],
      [{ url: 'https://checkout.example/a2a', token: 'short' }, 'token'],
      [{ url: 'https://checkout.example/a2a', token: TOKEN, allow: ['write'] }, 'allow'],
    ] as const) {
      let thrown: unknown;
      try {
        a2aRouter(monitor, options as unknown as A2aOptions);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect(isSreError(thrown) && thrown.message).toContain(field);
    }
  });
});
