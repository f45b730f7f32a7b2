// Public API of @nextgen/a2a, listed by name (no `export *`).

// Agent cards built from templates.

export type { AgentCardOptions, AgentCardTemplate } from "./agent-card.js";
export { agentCard } from "./agent-card.js";
export type {
  AgentCardJson,
  AgentCardSignatureJson,
  AgentInterfaceJson,
  AgentSkillJson,
} from "./agent-card-types.js";

// Card signing and verification (core's detached JWS and trust policy).

export type { SignAgentCardOptions, VerifyAgentCardOptions } from "./card-signing.js";
export { agentCardSigningBytes, signAgentCard, verifyAgentCard } from "./card-signing.js";

// The A2A request handler, running agents from a factory.

export type { A2AHandler, A2AHandlerOptions } from "./a2a-handler.js";
export { a2aHandler } from "./a2a-handler.js";
export type { A2AAgentFactory, A2AIncomingMessage, A2ARunnableAgent } from "./template-executor.js";

// Errors: the codes this package raises (on core's NextGenError).

export type { A2aErrorCode } from "./errors/a2a-error-codes.js";
