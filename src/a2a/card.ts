import { A2A_PROTOCOL_VERSION, type AgentCard, type AgentSkill } from '@a2a-js/sdk';
import { agentActionCatalog } from '../monitor/protocol/index.js';
import type { ParsedA2aOptions } from './options.js';

// The agent card: what other agents read at /.well-known/agent-card.json to learn who this agent is,
// where it answers (one JSON-RPC interface), how to authenticate (a bearer token) and what it can do:
// one skill per protocol action it is allowed to run, read off the protocol's own catalog, so an action
// added there is announced here with no change.

/** Media types of a request: the protocol request as a data part, or its YAML or JSON text. */
export const INPUT_MODES = Object.freeze(['application/json', 'application/yaml', 'text/plain']);
/** Media types of an answer: the protocol's JSON as a data part, and a short text summary. */
export const OUTPUT_MODES = Object.freeze(['application/json', 'text/plain']);
const SECURITY_SCHEME = 'bearer';

function skillOf(action: string, description: string, effect: string): AgentSkill {
  return {
    id: action,
    name: action,
    description,
    tags: ['sre', effect],
    examples: [`request: { agent: sre-reliability, action: ${action} }`],
    inputModes: [...INPUT_MODES],
    outputModes: [...OUTPUT_MODES],
    securityRequirements: [],
  };
}

/** The agent card of an SRE agent for `service`, with the skills `options.allow` permits. */
export function buildAgentCard(service: string, options: ParsedA2aOptions): AgentCard {
  const skills = agentActionCatalog()
    .filter(({ effect }) => options.allow.includes(effect))
    .map(({ action, description, effect }) => skillOf(action, description, effect));
  return {
    name: options.name ?? `${service}-sre`,
    description:
      options.description ??
      `The reliability agent of the ${service} service: health, SLOs and error budgets, performance, ` +
        `capacity forecasts, incidents and deployment readiness, each verdict with its evidence. Send ` +
        `an agent protocol request (sre-reliability) as a data part, or as YAML or JSON text.`,
    supportedInterfaces: [
      { url: options.url, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: A2A_PROTOCOL_VERSION },
    ],
    provider: undefined,
    version: options.version,
    capabilities: { streaming: false, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: {
      [SECURITY_SCHEME]: {
        scheme: {
          $case: 'httpAuthSecurityScheme',
          value: { scheme: 'Bearer', bearerFormat: '', description: 'A token the service issued to you' },
        },
      },
    },
    securityRequirements: [{ schemes: { [SECURITY_SCHEME]: { list: [] } } }],
    defaultInputModes: [...INPUT_MODES],
    defaultOutputModes: [...OUTPUT_MODES],
    skills,
    signatures: [],
  };
}
