// What both transports' tests ask of a connected MCP client: the tools (one per protocol action, each
// input schema from the protocol's zod schema), a call to every tool, the resources, and a
// resource-changed notification when an incident opens.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { z } from 'zod';
import {
  AGENT_ACTIONS,
  agentActionEffect,
  agentRequestSchema,
  agentResponseSchema,
  createLatencyTracker,
} from 'sre-kit';

// Two arms' latency histograms as an orchestrator sends them to judge_canary: the same distribution.
const arms = createLatencyTracker({ window: false });
for (let i = 0; i < 500; i++) {
  arms.record(20 + (i % 30), 'stable');
  arms.record(20 + (i % 30), 'canary');
}
const encoded = { stable: arms.encode('stable'), canary: arms.encode('canary') };
await arms.close();

/** Arguments that make each action answer; an action not listed here is called with none. */
export function sampleArguments(incidentId: string): Record<string, Record<string, unknown>> {
  return {
    health_check: { scope: 'full_system', include_predictions: true },
    analyze_performance: { timeframe: 'last_hour', focus_areas: ['api_latency'] },
    incident_report: { id: incidentId },
    capacity_plan: { horizon_days: 7 },
    change_correlation: { incident_id: incidentId },
    dora_report: { period: 'month' },
    judge_canary: {
      baseline: { requests: 10_000, errors: 10, latency: encoded.stable },
      canary: { requests: 500, errors: 0, latency: encoded.canary },
    },
    acknowledge_incident: { id: incidentId },
    add_incident_note: { id: incidentId, text: 'pool size raised to 40' },
    resolve_incident: { id: incidentId, resolution: 'pool size raised', root_cause: 'pool exhausted' },
  };
}

/** Lists the tools and checks each against the protocol: names, effects and input schemas. */
export async function checkTools(client: Client, allow: 'read' | 'act') {
  const { tools } = await client.listTools();
  const expected = AGENT_ACTIONS.filter((action) => allow === 'act' || agentActionEffect(action) === 'read');
  expect(tools.map((tool) => tool.name)).toEqual(expected);
  for (const tool of tools) {
    const member = agentRequestSchema.options.find((m) => m.shape.action.value === tool.name)!;
    const fromZod = z.toJSONSchema(member, { io: 'input' }) as { properties: object; required?: string[] };
    expect(tool.inputSchema.type).toBe('object');
    // The same properties as the zod schema the protocol validates with; agent and action optional.
    expect(tool.inputSchema.properties).toEqual(fromZod.properties);
    expect(tool.inputSchema.required ?? []).toEqual(
      (fromZod.required ?? []).filter((key) => key !== 'agent' && key !== 'action'),
    );
    expect(tool.inputSchema['additionalProperties']).toBe(false);
    expect(tool.outputSchema?.type).toBe('object');
    expect(tool.description?.length).toBeGreaterThan(20);
    expect(tool.annotations?.readOnlyHint).toBe(agentActionEffect(tool.name) === 'read');
  }
  return tools;
}

/** Calls one tool; the client has already checked its structured content against the output schema. */
export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  const response = agentResponseSchema.parse(result.structuredContent);
  const content = result.content as Array<{ type: string; text: string }>;
  expect(content[0]?.type).toBe('text');
  expect(JSON.parse(content[1]!.text)).toEqual(result.structuredContent);
  expect(result.isError ?? false).toBe(!response.ok);
  return { response, summary: content[0]!.text };
}

/** Reads every listed resource and checks the three standing ones are there. */
export async function checkResources(client: Client, service: string, incidentId: string) {
  const { resources } = await client.listResources();
  const uris = resources.map((r) => r.uri);
  const base = `sre://${service}`;
  expect(uris.slice(0, 3)).toEqual([`${base}/health`, `${base}/sla/day`, `${base}/incidents/open`]);
  expect(uris).toContain(`${base}/incidents/${incidentId}`);
  const read = async (uri: string): Promise<unknown> => {
    const { contents } = await client.readResource({ uri });
    expect(contents[0]?.mimeType).toBe('application/json');
    return JSON.parse((contents[0] as { text: string }).text);
  };
  const health = (await read(`${base}/health`)) as { service: string; status: string };
  expect(health.service).toBe(service);
  const sla = (await read(`${base}/sla/day`)) as { period: string };
  expect(sla.period).toBe('day');
  const open = (await read(`${base}/incidents/open`)) as { incidents: Array<{ id: string }> };
  expect(open.incidents.map((i) => i.id)).toContain(incidentId);
  const incident = (await read(`${base}/incidents/${incidentId}`)) as {
    report: { incident_id: string };
    timeline: unknown[];
  };
  expect(incident.report.incident_id).toBe(incidentId);
  expect(incident.timeline.length).toBeGreaterThan(0);
  for (const uri of uris.slice(3)) await read(uri);
  await expect(client.readResource({ uri: `${base}/incidents/INC-1999-999` })).rejects.toThrow(/not found/i);
  const { resourceTemplates } = await client.listResourceTemplates();
  expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual([`${base}/incidents/{id}`]);
}

/**
 * Subscribes to the open incidents and waits, while `openOne` opens an incident, for the
 * resource-updated notification and the list-changed one. Bounded by vitest's test timeout.
 */
export async function awaitIncidentNotifications(
  client: Client,
  service: string,
  openOne: () => void | Promise<unknown>,
) {
  const uri = `sre://${service}/incidents/open`;
  const updated = new Promise<string>((resolve) => {
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => resolve(n.params.uri));
  });
  const listChanged = new Promise<true>((resolve) => {
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => resolve(true));
  });
  await client.subscribeResource({ uri });
  await openOne();
  expect(await updated).toBe(uri);
  expect(await listChanged).toBe(true);
}
