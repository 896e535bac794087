// sre-kit/mcp: the SRE agent as a Model Context Protocol server (`@modelcontextprotocol/sdk` is an
// optional peer dependency, needed only by this entry).
export { createMcpServer } from './server.js';
export { mcpRoute } from './http-route.js';
export type { McpMonitor, McpSession, SreMcpServer } from './server.js';
export type { McpServerOptions } from './options.js';
export type { McpToolDefinition, JsonSchemaObject } from './tools.js';
export type { McpResourceSource } from './resources.js';
