// The demo's MCP launcher (docs/mcp.md's local configuration) as a client starts it: the official
// client over stdio asks the shop whether it is ready to deploy.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { agentDeploymentReadinessResponseSchema } from 'sre-kit';

const root = join(import.meta.dirname, '..', '..', '..');

describe('examples/demo/mcp.ts', () => {
  it('serves the shop over stdio: every tool listed, deployment_readiness answered with its reasons', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', join(root, 'examples', 'demo', 'mcp.ts'), '--duration', '8', '--rate', '50'],
      cwd: root,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'demo-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()?.name).toBe('shop-sre');
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('deployment_readiness');
      expect(tools.map((t) => t.name)).toContain('acknowledge_incident');
      const result = await client.callTool({ name: 'deployment_readiness', arguments: {} });
      const response = agentDeploymentReadinessResponseSchema.parse(result.structuredContent);
      const summary = (result.content as Array<{ text: string }>)[0]!.text;
      expect(summary).toMatch(response.result.ready ? /^Ready to deploy/ : /^Not ready to deploy: /);
      const { resources } = await client.listResources();
      expect(resources.map((r) => r.uri)).toContain('sre://shop/health');
    } finally {
      await client.close();
    }
  });
});
