// Leaf file: the JSON shape of an A2A v1.0 agent card as it travels (what `@a2a-js/sdk`'s
// `AgentCard.toJSON` produces). Members left at their default are omitted, because A2A
// signs the card in that form.

/** One way to reach the agent: a URL, a protocol binding and a protocol version. */
export interface AgentInterfaceJson {
  /** Absolute URL of the endpoint. */
  url: string;
  /** `JSONRPC`, `HTTP+JSON` or `GRPC`. */
  protocolBinding: string;
  /** A2A protocol version served there (`"1.0"`, `"0.3"`). */
  protocolVersion: string;
  /** Tenant to send with each request, if the endpoint is multi-tenant. */
  tenant?: string;
}

/** A focused ability of the agent (one per template capability). */
export interface AgentSkillJson {
  /** Unique id within the card. */
  id: string;
  /** Human-readable name. */
  name: string;
  /** What the skill does. */
  description: string;
  /** Keywords. */
  tags: string[];
  /** Example prompts. */
  examples?: string[];
  /** Input media types, overriding the card's defaults. */
  inputModes?: string[];
  /** Output media types, overriding the card's defaults. */
  outputModes?: string[];
}

/** One detached JWS over the card's RFC 8785 form without `signatures`. */
export interface AgentCardSignatureJson {
  /** Base64url of the protected header (`alg`, `kid`, `typ`, …). */
  protected: string;
  /** Base64url of the signature. */
  signature: string;
  /** Unprotected header: not covered by the signature, so never trusted here. */
  header?: Record<string, unknown>;
}

/** An A2A agent card (protocol v1.0), as JSON. */
export interface AgentCardJson {
  name: string;
  description: string;
  version: string;
  supportedInterfaces: AgentInterfaceJson[];
  provider?: { url: string; organization: string };
  documentationUrl?: string;
  iconUrl?: string;
  capabilities?: { streaming?: boolean; pushNotifications?: boolean; extendedAgentCard?: boolean };
  defaultInputModes: string[];
  defaultOutputModes: string[];
  skills: AgentSkillJson[];
  signatures?: AgentCardSignatureJson[];
  /** Members this package does not model (security schemes, extensions …) are kept as they are. */
  [member: string]: unknown;
}
