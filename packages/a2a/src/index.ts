// Public API of @nextgen/a2a, listed by name.

export type { A2AHandler, A2AHandlerOptions } from "./a2a-handler.js";
export { a2aHandler } from "./a2a-handler.js";
export type { AgentCardOptions, AgentCardTemplate } from "./agent-card.js";
export { agentCard } from "./agent-card.js";
export type {
  AgentCardJson,
  AgentCardSignatureJson,
  AgentInterfaceJson,
  AgentSkillJson,
} from "./agent-card-types.js";
export type { SignAgentCardOptions, VerifyAgentCardOptions } from "./card-signing.js";
export {
  AGENT_CARD_JWS_TYPE,
  agentCardSigningBytes,
  MAX_AGENT_CARD_BYTES,
  MAX_AGENT_CARD_SIGNATURES,
  signAgentCard,
  verifyAgentCard,
} from "./card-signing.js";
export type { A2AAgentFactory, A2AIncomingMessage, A2ARunnableAgent } from "./template-executor.js";
