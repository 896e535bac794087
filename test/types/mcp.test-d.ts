import { describe, expectTypeOf, it } from 'vitest';
import type { McpServerOptions, McpMonitor, SreMcpServer } from 'sre-kit/mcp';
import type { Monitor } from 'sre-kit';
import type { SreFastifyMcpOptions } from 'sre-kit/fastify';
import type { mcpServerOptionsSchema } from '../../src/mcp/options.js';
import type { Bound } from './bound.js';

describe('MCP types', () => {
  it('binds McpServerOptions to its schema', () => {
    expectTypeOf<Bound<McpServerOptions, typeof mcpServerOptionsSchema>>().toEqualTypeOf<true>();
  });

  it('takes a monitor as createMonitor returns it, and the Fastify plugin takes the server', () => {
    expectTypeOf<Monitor>().toExtend<McpMonitor>();
    expectTypeOf<SreMcpServer>().toExtend<SreFastifyMcpOptions['server']>();
  });
});
