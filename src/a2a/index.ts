// sre-kit/a2a: the SRE agent as an Agent2Agent (A2A) agent, card and JSON-RPC endpoint, on Express
// (`@a2a-js/sdk` and `express` are optional peer dependencies, needed only by this entry).
export { a2aRouter, AGENT_CARD_PATH } from './router.js';
export type { A2aOptions } from './options.js';
export type { A2aMonitor } from './executor.js';
