// The MCP server in a child process over stdio, driven by the official SDK client, as a local agent
// would run it.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_ACTIONS } from 'sre-kit';
import {
  awaitIncidentNotifications,
  callTool,
  checkResources,
  checkTools,
  sampleArguments,
} from './exercise.js';

const child = join(import.meta.dirname, 'stdio-server.child.ts');
const open: Client[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});

async function connect(allow: 'read' | 'act') {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', child],
    env: { ...(process.env as Record<string, string>), MCP_ALLOW: allow },
    stderr: 'inherit',
  });
  const client = new Client({ name: 'sre-kit-test', version: '1.0.0' });
  await client.connect(transport);
  open.push(client);
  return { client, pid: transport.pid! };
}

/** The incident the child opens at start: INC-<year>-001. */
const firstIncident = (year = new Date().getUTCFullYear()) => `INC-${year}-001`;

describe('MCP over stdio (a child process, the official client)', () => {
  it('lists a tool per protocol action, calls each, reads the resources, and is notified of a new incident', async () => {
    const { client, pid } = await connect('act');
    expect(client.getServerVersion()?.name).toBe('checkout-sre');
    const tools = await checkTools(client, 'act');
    expect(tools).toHaveLength(AGENT_ACTIONS.length);

    const id = firstIncident();
    await checkResources(client, 'checkout', id);
    const samples = sampleArguments(id);
    // Reads first, then the acts in an order that leaves each a change to make.
    const order = [
      ...tools.filter((t) => t.annotations?.readOnlyHint === true),
      ...['acknowledge_incident', 'add_incident_note', 'resolve_incident'].map((name) =>
        tools.find((t) => t.name === name)!,
      ),
    ];
    for (const tool of order) {
      const { response, summary } = await callTool(client, tool.name, samples[tool.name]);
      expect(response, `${tool.name}: ${summary}`).toMatchObject({ ok: true, action: tool.name });
      expect(summary.length).toBeGreaterThan(10);
    }

    // Each act is in the timeline with the caller: the token-less local identity and the client's name.
    const { contents } = await client.readResource({ uri: `sre://checkout/incidents/${id}` });
    const incident = JSON.parse((contents[0] as { text: string }).text) as {
      status: string;
      timeline: Array<{ kind: string; by: string | null; text: string }>;
    };
    expect(incident.status).toBe('resolved');
    // The monitor's own note (the deploy before the incident, from the change log) aside.
    const acts = incident.timeline.filter(
      (e) => ['acknowledged', 'noted', 'resolved'].includes(e.kind) && e.by !== 'monitor',
    );
    expect(acts.map((e) => e.kind)).toEqual(['acknowledged', 'noted', 'resolved']);
    for (const entry of acts) expect(entry.by).toBe('mcp:local via sre-kit-test');

    await awaitIncidentNotifications(client, 'checkout', () => {
      process.kill(pid, 'SIGUSR2');
    });
  });

  it('without act, lists only the reading tools and refuses a state-changing call', async () => {
    const { client } = await connect('read');
    const tools = await checkTools(client, 'read');
    expect(tools.map((t) => t.name)).not.toContain('acknowledge_incident');
    const { response } = await callTool(client, 'acknowledge_incident', { id: firstIncident() });
    expect(response).toMatchObject({ ok: false, error: { code: 'ERR_SRE_FORBIDDEN' } });
    // Nothing was recorded.
    const { contents } = await client.readResource({ uri: `sre://checkout/incidents/${firstIncident()}` });
    expect(JSON.parse((contents[0] as { text: string }).text)).toMatchObject({ status: 'open' });
  });
});
