// Issue 13, item 24: the README's hand-wired `/agent` (express.json() + monitor.handle) answered a
// non-JSON body with Express's HTML stack page and every protocol error with HTTP 200. The shipped
// route — `agentRoute(monitor)` on Express, `agent: { monitor }` in the Fastify plugin — answers every
// outcome as JSON in the protocol's envelope with the status it deserves, identically on both servers.
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  agentResponseSchema,
  createMonitor,
  createSloTracker,
  type AgentResponse,
  type InternalErrorHandler,
} from 'sre-kit';
import { agentRoute, sreMiddleware, type AgentMonitor } from 'sre-kit/express';
import { sreFastify } from 'sre-kit/fastify';
import { startServer, waitFor } from '../helpers/http-server.js';

const MAX = 1_024;
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function monitor(): AgentMonitor {
  const slo = createSloTracker({ name: 'availability', objective: { kind: 'availability', target: 0.999 } });
  const m = createMonitor({ service: 'checkout', slos: [slo] });
  closers.push(async () => {
    await m.close();
    slo.close();
  });
  return m;
}

interface Served {
  readonly url: string;
  /** Requests the golden signals counted. */
  requests(): number;
}

// Both servers count traffic and carry one app route, so the agent route is seen to stay out of it.
const servers: Record<string, (m: AgentMonitor, onInternalError?: InternalErrorHandler) => Promise<Served>> =
  {
    express: async (m, onInternalError) => {
      const app = express();
      const sre = sreMiddleware({ ignore: ['/agent'] });
      app.use(sre);
      app.post('/agent', agentRoute(m, { maxBodyBytes: MAX }, onInternalError ? { onInternalError } : {}));
      app.get('/users/:id', (req, res) => void res.json({ id: req.params.id }));
      const server = await startServer(app);
      closers.push(() => server.close());
      return { url: server.url, requests: () => sre.signals.stats().requests };
    },
    fastify: async (m, onInternalError) => {
      const app: FastifyInstance = Fastify();
      await app.register(sreFastify, {
        agent: { monitor: m, maxBodyBytes: MAX },
        ...(onInternalError ? { deps: { onInternalError } } : {}),
      });
      app.get('/users/:id', async (request) => ({ id: (request.params as { id: string }).id }));
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      closers.push(() => app.close());
      return { url, requests: () => app.sre.signals.stats().requests };
    },
  };

type Body = string | Uint8Array | ReadableStream<Uint8Array>;

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: AgentResponse;
}

async function post(url: string, body: Body | undefined, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    ...(body === undefined ? {} : { body }),
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  });
  const text = await res.text();
  expect(text).not.toMatch(/<html|<pre|\n\s+at /i); // never an HTML page, never a stack
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    body: JSON.parse(text) as AgentResponse,
  };
}

const JSON_TYPE = { 'content-type': 'application/json' };
const ask = (request: unknown, url: string) => post(url, JSON.stringify(request), JSON_TYPE);
const code = (answer: Answer) => (answer.body.ok ? 'ok' : answer.body.error.code);

function chunks(count: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ < count) controller.enqueue(new Uint8Array(size).fill(32));
      else controller.close();
    },
  });
}

describe.each(Object.keys(servers))('issue 13 item 24: the agent route on %s', (framework) => {
  it('answers a request 200 with the monitor answer, as JSON that matches the protocol schema', async () => {
    const served = await servers[framework]!(monitor());
    const answer = await ask(
      { agent: 'sre-reliability', action: 'slo_status', request_id: 7 },
      `${served.url}/agent`,
    );
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json; charset=utf-8');
    expect(agentResponseSchema.parse(answer.body)).toMatchObject({
      ok: true,
      action: 'slo_status',
      requestId: 7,
    });
    // The DESIGN.md form, with a trailing slash and a charset, is the same request.
    const wrapped = await post(
      `${served.url}/agent/`,
      JSON.stringify({ request: { agent: 'sre-reliability', action: 'deployment_readiness' } }),
      { 'content-type': 'application/json; charset=UTF-8' },
    );
    expect([wrapped.status, code(wrapped)]).toEqual([200, 'ok']);
  });

  it('maps protocol errors to 422 (invalid request) and 404 (unknown name), in the protocol envelope', async () => {
    const url = `${(await servers[framework]!(monitor())).url}/agent`;
    const cases: [unknown, number, string][] = [
      [{ agent: 'sre-reliability', action: 'reboot' }, 422, 'ERR_SRE_UNKNOWN_ACTION'],
      [{ agent: 'someone-else', action: 'slo_status' }, 422, 'ERR_SRE_WRONG_AGENT'],
      [{ agent: 'sre-reliability', action: 'slo_status', typo: 1 }, 422, 'ERR_SRE_BAD_REQUEST'],
      [[1, 2], 422, 'ERR_SRE_BAD_REQUEST'],
      [{ agent: 'sre-reliability', action: 'slo_status', slo: 'missing' }, 404, 'ERR_SRE_NOT_FOUND'],
    ];
    for (const [request, status, errorCode] of cases) {
      const answer = await ask(request, url);
      expect([answer.status, code(answer)]).toEqual([status, errorCode]);
      expect(agentResponseSchema.safeParse(answer.body).success).toBe(true);
    }
  });

  it('answers 400 for a body that is not JSON or not UTF-8, 415 for another media type or an encoding', async () => {
    const url = `${(await servers[framework]!(monitor())).url}/agent`;
    const bad = await post(url, '{"agent": "sre-reliability", ', JSON_TYPE);
    expect([bad.status, code(bad)]).toEqual([400, 'ERR_SRE_BAD_REQUEST']);
    expect(bad.body.ok ? '' : bad.body.error.message).toContain('not valid JSON');
    expect((await post(url, '', JSON_TYPE)).status).toBe(400);
    expect((await post(url, new Uint8Array([0x7b, 0xff, 0x7d]), JSON_TYPE)).status).toBe(400);

    const text = await post(url, 'action=slo_status', { 'content-type': 'text/plain' });
    expect([text.status, code(text)]).toEqual([415, 'ERR_SRE_BAD_REQUEST']);
    expect(text.body.ok ? '' : text.body.error.message).toContain('received text/plain');
    expect((await post(url, undefined, {})).status).toBe(415);
    expect((await post(url, '{}', { 'content-type': 'application/json; charset=latin1' })).status).toBe(415);
    expect((await post(url, '{}', { ...JSON_TYPE, 'content-encoding': 'gzip' })).status).toBe(415);
    // A `+json` media type is JSON.
    const vendor = await post(url, JSON.stringify({ agent: 'sre-reliability', action: 'slo_status' }), {
      'content-type': 'application/vnd.agent+json',
    });
    expect(vendor.status).toBe(200);
  });

  it('answers 413 past maxBodyBytes, declared up front or streamed, and keeps serving', async () => {
    const url = `${(await servers[framework]!(monitor())).url}/agent`;
    const declared = await post(url, ' '.repeat(MAX + 1), JSON_TYPE);
    expect([declared.status, code(declared)]).toEqual([413, 'ERR_SRE_BAD_REQUEST']);
    expect(declared.body.ok ? '' : declared.body.error.message).toContain(`${MAX} bytes`);
    const streamed = await post(url, chunks(8, 512), JSON_TYPE);
    expect(streamed.status).toBe(413);
    // Exactly at the limit is accepted: padding around a small request.
    const request = JSON.stringify({ agent: 'sre-reliability', action: 'slo_status' });
    const atLimit = await post(url, request.padEnd(MAX, ' '), JSON_TYPE);
    expect(atLimit.status).toBe(200);
  });

  it('answers 500 with a coded error and no stack when the monitor fails, and reports the error', async () => {
    const reported: unknown[] = [];
    const failing: AgentMonitor = {
      handle: () => Promise.reject(new Error('database password is hunter2')),
    };
    const url = `${(await servers[framework]!(failing, (error) => reported.push(error))).url}/agent`;
    const answer = await ask({ agent: 'sre-reliability', action: 'slo_status' }, url);
    expect([answer.status, code(answer)]).toEqual([500, 'ERR_SRE_INTERNAL']);
    expect(JSON.stringify(answer.body)).not.toContain('hunter2');
    expect(reported).toHaveLength(1);
  });

  it('keeps agent questions out of the traffic numbers', async () => {
    const served = await servers[framework]!(monitor());
    await ask({ agent: 'sre-reliability', action: 'slo_status' }, `${served.url}/agent`);
    await fetch(`${served.url}/users/1`);
    await waitFor(() => served.requests() === 1);
    expect(served.requests()).toBe(1);
  });
});

describe('issue 13 item 24: both servers give the same answers', () => {
  it('the same requests get the same statuses and bodies', async () => {
    const requests: [Body | undefined, Record<string, string>][] = [
      [JSON.stringify({ agent: 'sre-reliability', action: 'slo_status' }), JSON_TYPE],
      [JSON.stringify({ agent: 'sre-reliability', action: 'nope' }), JSON_TYPE],
      [JSON.stringify({ agent: 'sre-reliability', action: 'slo_status', slo: 'x' }), JSON_TYPE],
      ['{', JSON_TYPE],
      ['x'.repeat(MAX + 1), JSON_TYPE],
      ['{}', { 'content-type': 'text/csv' }],
      // YAML is accepted since issue 22: an empty mapping is a request without its fields.
      ['{}', { 'content-type': 'text/yaml' }],
    ];
    const answers = await Promise.all(
      Object.values(servers).map(async (start) => {
        const { url } = await start(monitor());
        const out: [number, AgentResponse][] = [];
        for (const [body, headers] of requests) {
          const answer = await post(`${url}/agent`, body, headers);
          out.push([answer.status, answer.body]);
        }
        return out;
      }),
    );
    expect(answers[0]!.map(([status]) => status)).toEqual([200, 422, 404, 400, 413, 415, 422]);
    expect(answers[1]).toEqual(answers[0]);
  });
});

describe('issue 13 item 24: on Express', () => {
  it('uses what a JSON body parser mounted before it parsed', async () => {
    const app = express();
    app.use(express.json());
    app.post('/agent', agentRoute(monitor()));
    const server = await startServer(app);
    closers.push(() => server.close());
    const answer = await ask({ agent: 'sre-reliability', action: 'slo_status' }, `${server.url}/agent`);
    expect([answer.status, code(answer)]).toEqual([200, 'ok']);
  });

  it('rejects a monitor without handle() and bad options with a ConfigError', async () => {
    expect(() => agentRoute({} as AgentMonitor)).toThrow(ConfigError);
    expect(() => agentRoute(monitor(), { maxBodyBytes: 0 })).toThrow('maxBodyBytes');
    const app = Fastify();
    await expect(
      app.register(sreFastify, { agent: { monitor: {} as AgentMonitor } }).ready(),
    ).rejects.toThrow('agent.monitor');
    await app.close();
  });
});
