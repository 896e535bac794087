// The protocol's state-changing actions and its text form: incident actions recorded with the
// transport's caller, the `allow` guard, and YAML or JSON request text held to its limits.
import { afterEach, describe, expect, it } from 'vitest';
import {
  AGENT_ACTION_EFFECTS,
  AGENT_ACTIONS,
  agentActionEffect,
  agentResponseSchema,
  handleAgentRequest,
  parseAgentRequestText,
  type AgentResponse,
} from 'sre-kit';
import { createMonitorDouble } from '../../helpers/protocol-monitor-double.js';

const agent = 'sre-reliability';
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

async function setup() {
  const double = await createMonitorDouble();
  cleanup.push(double.close);
  // The double's second incident is open (INC-2026-002).
  return { ...double, id: double.incidents.list({ status: 'open' })[0]!.id };
}

function wire(response: AgentResponse): AgentResponse {
  return agentResponseSchema.parse(JSON.parse(JSON.stringify(response)));
}

describe('incident actions', () => {
  it('acknowledge, note and resolve an incident, each recorded with the caller the transport names', async () => {
    const { monitor, incidents, id } = await setup();
    const as = { caller: 'mcp:ops-bot via claude' };
    const ack = wire(await handleAgentRequest(monitor, { agent, action: 'acknowledge_incident', id }, as));
    expect(ack).toMatchObject({
      ok: true,
      result: {
        incident_id: id,
        status: 'acknowledged',
        changed: true,
        entry: { kind: 'acknowledged', by: as.caller },
      },
    });
    const note = { agent, action: 'add_incident_note', id, text: 'pool at 100%' };
    expect(wire(await handleAgentRequest(monitor, note, as))).toMatchObject({
      ok: true,
      result: { changed: true, entry: { kind: 'noted', text: 'pool at 100%', by: as.caller } },
    });
    const resolve = {
      agent,
      action: 'resolve_incident',
      id,
      resolution: 'pool raised',
      root_cause: 'pool exhausted',
    };
    expect(wire(await handleAgentRequest(monitor, resolve, as))).toMatchObject({
      ok: true,
      result: { status: 'resolved', changed: true, entry: { kind: 'resolved', by: as.caller } },
    });
    const incident = incidents.get(id)!;
    expect(incident).toMatchObject({ status: 'resolved', acknowledgedBy: as.caller, resolvedBy: as.caller });
    expect(incident).toMatchObject({ resolution: 'pool raised', rootCause: 'pool exhausted' });
    // A second acknowledge changes nothing and says so.
    const again = await handleAgentRequest(monitor, { agent, action: 'acknowledge_incident', id }, as);
    expect(again).toMatchObject({ ok: true, result: { changed: false, entry: null } });
  });

  it('the caller comes from the context, never from the request', async () => {
    const { monitor, id } = await setup();
    const spoof = await handleAgentRequest(monitor, {
      agent,
      action: 'acknowledge_incident',
      id,
      by: 'alice',
    });
    expect(spoof).toMatchObject({
      ok: false,
      error: { code: 'ERR_SRE_BAD_REQUEST', issues: [{ path: ['by'] }] },
    });
    const plain = await handleAgentRequest(monitor, { agent, action: 'acknowledge_incident', id });
    expect(plain).toMatchObject({ ok: true, result: { entry: { by: 'agent' } } });
  });

  it('an unknown incident is ERR_SRE_NOT_FOUND naming the id field', async () => {
    const { monitor } = await setup();
    const response = await handleAgentRequest(monitor, {
      agent,
      action: 'add_incident_note',
      id: 'INC-2026-404',
      text: 'x',
    });
    expect(response).toMatchObject({
      ok: false,
      error: { code: 'ERR_SRE_NOT_FOUND', issues: [{ path: ['id'] }] },
    });
  });

  it("without 'act' a state-changing action is ERR_SRE_FORBIDDEN and changes nothing; reads still answer", async () => {
    const { monitor, incidents, id } = await setup();
    const response = wire(
      await handleAgentRequest(
        monitor,
        { agent, action: 'resolve_incident', id, request_id: 7 },
        { allow: ['read'] },
      ),
    );
    expect(response).toMatchObject({
      ok: false,
      action: 'resolve_incident',
      requestId: 7,
      error: { code: 'ERR_SRE_FORBIDDEN' },
    });
    expect(incidents.get(id)?.status).toBe('open');
    const read = await handleAgentRequest(monitor, { agent, action: 'slo_status' }, { allow: ['read'] });
    expect(read.ok).toBe(true);
  });

  it('every action has an effect; one the table does not name counts as act', () => {
    for (const action of AGENT_ACTIONS) expect(['read', 'act']).toContain(agentActionEffect(action));
    expect(Object.keys(AGENT_ACTION_EFFECTS).sort()).toEqual([...AGENT_ACTIONS].sort());
    expect(agentActionEffect('record_change_someday')).toBe('act');
    expect(agentActionEffect('__proto__')).toBe('act');
    expect(agentActionEffect('toString')).toBe('act');
  });
});

describe('request text (YAML or JSON)', () => {
  it("answers the seed's YAML requests, the `request:` wrapper included, and JSON text", async () => {
    const { monitor } = await setup();
    const health = await handleAgentRequest(
      monitor,
      'request: { agent: sre-reliability, action: health_check, scope: full_system, include_predictions: true }',
    );
    expect(health).toMatchObject({ ok: true, action: 'health_check', result: { predictions: {} } });
    const perf = await handleAgentRequest(
      monitor,
      'request:\n  agent: sre-reliability\n  action: analyze_performance\n  timeframe: last_24_hours\n  focus_areas: [api_latency, database_queries]\n',
    );
    expect(perf).toMatchObject({ ok: true, action: 'analyze_performance' });
    const json = await handleAgentRequest(
      monitor,
      '{"agent":"sre-reliability","action":"slo_status","request_id":"r1"}',
    );
    expect(json).toMatchObject({ ok: true, action: 'slo_status', requestId: 'r1' });
  });

  it('gives the same structured errors for a bad request in YAML as in JSON', async () => {
    const { monitor } = await setup();
    const yaml = await handleAgentRequest(
      monitor,
      'request: { agent: sre-reliability, action: health_check, include_prediction: true }',
    );
    const data = await handleAgentRequest(monitor, {
      request: { agent, action: 'health_check', include_prediction: true },
    });
    expect(yaml).toEqual(data);
    expect(yaml).toMatchObject({ ok: false, error: { code: 'ERR_SRE_BAD_REQUEST' } });
  });

  it.each([
    ['a syntax error', 'request: { agent: [', /not valid YAML or JSON/],
    [
      'a custom tag',
      'request: !exec { agent: sre-reliability, action: health_check }',
      /tags are not accepted/,
    ],
    ['a standard tag', 'request: { agent: !!binary c3Jl, action: health_check }', /tags are not accepted/],
    ['two documents', '---\nagent: sre-reliability\n---\naction: slo_status\n', /multiple documents/],
    ['a duplicate key', 'agent: sre-reliability\naction: slo_status\naction: health_check\n', /unique/],
  ])('refuses %s with ERR_SRE_BAD_REQUEST', async (_name, text, message) => {
    const { monitor } = await setup();
    const response = wire(await handleAgentRequest(monitor, text));
    expect(response).toMatchObject({ ok: false, error: { code: 'ERR_SRE_BAD_REQUEST' } });
    expect(!response.ok && response.error.message).toMatch(message);
  });

  it('refuses an alias bomb without expanding it, and text over the length limit without parsing it', () => {
    // Nine levels of nine aliases: 9^9 (387 million) strings if expanded.
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 10; i++)
      bomb += `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    expect(bomb.length).toBeLessThan(1_000);
    const parsed = parseAgentRequestText(bomb);
    expect(parsed).toMatchObject({ ok: false, message: expect.stringMatching(/alias/i) as unknown });
    const huge = parseAgentRequestText(`agent: ${'x'.repeat(10 * 1024 * 1024)}`);
    expect(huge).toEqual({ ok: false, message: 'The request text is longer than 65536 characters' });
    // A few aliases are fine.
    expect(parseAgentRequestText('a: &n api_latency\nb: [*n, *n]')).toEqual({
      ok: true,
      value: { a: 'api_latency', b: ['api_latency', 'api_latency'] },
    });
  });
});
