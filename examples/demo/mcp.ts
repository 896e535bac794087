// The demo shop's reliability agent for a local MCP client (Claude Desktop, an IDE, the MCP
// Inspector): the same service, traffic and faults as `npm run demo`, with the monitor served over MCP
// on stdio instead of a live view. stdout carries MCP only; progress goes to stderr. Traffic and faults
// run for --duration seconds; the agent keeps answering until the client closes stdin.
//
//   node --import tsx examples/demo/mcp.ts --duration 60      (see docs/mcp.md for a client config)
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from 'sre-kit/mcp';
import { startShop } from './agent.js';
import { USAGE, UsageError, parseDemoArgs } from './args.js';
import { startSchedule } from './faults.js';
import { startTraffic } from './traffic.js';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

let args;
try {
  args = parseDemoArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  log(`demo mcp: ${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (args === undefined) {
  log(USAGE);
  process.exit(0);
}

const { durationMs, random, faults, service, response, monitor } = await startShop(args, log);

// Acting (acknowledge, note, resolve) is on: this is the operator's own local agent.
const mcp = createMcpServer(monitor, { name: 'shop-sre', allow: ['read', 'act'] });
await mcp.connect(new StdioServerTransport());
log(`demo mcp: shop on ${service.url}, agent "shop-sre" on stdio; traffic and faults for ${args.durationS}s`);

const traffic = startTraffic({ baseUrl: service.url, rate: args.rate, random });
const schedule = startSchedule(faults, durationMs, log);
const quiet = setTimeout(() => {
  schedule.stop();
  void traffic.stop().then(() => log('demo mcp: traffic stopped; the agent keeps answering'));
}, durationMs);

// The client closing stdin is the end: stop everything so the process exits by itself.
process.stdin.once('close', () => {
  clearTimeout(quiet);
  schedule.stop();
  void (async () => {
    await traffic.stop();
    await mcp.close();
    await monitor.close();
    await response.close();
    await service.close();
  })();
});
