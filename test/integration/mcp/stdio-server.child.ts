// The MCP server over stdio, as a local agent (Claude Desktop, an IDE) starts it: the checkout
// fixture's monitor behind createMcpServer. MCP_ALLOW=act adds the state-changing tools. SIGUSR2
// opens a new incident, so the parent can watch a resource-changed notification arrive. Only MCP
// goes to stdout; anything else would corrupt the stream.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from 'sre-kit/mcp';
import { createCheckoutMonitor } from '../../helpers/mcp-checkout.js';

const fixture = await createCheckoutMonitor({ onInternalError: (error) => console.error(error) });
const allow = process.env['MCP_ALLOW'] === 'act' ? (['read', 'act'] as const) : (['read'] as const);
const server = createMcpServer(fixture.monitor, { name: 'checkout-sre', allow: [...allow] });
let opened = 0;
process.on('SIGUSR2', () => {
  opened++;
  void fixture.monitor.incidents.open({ title: `Signal incident ${opened}`, severity: 'P3' });
});
const session = await server.connect(new StdioServerTransport());
process.stdin.on('close', () => {
  void session
    .close()
    .then(() => server.close())
    .then(() => fixture.close());
});
