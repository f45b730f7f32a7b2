/**
 * Types of the agent template format, schemaVersion 1. The JSON Schema
 * (`@nextgen/core/schema/agent-template.v1.json`) describes the same shape for editors.
 */

/** The identity of a template version: `sha256:` and the hex SHA-256 of its canonical bytes. */
export type TemplateDigest = `sha256:${string}`;

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Built-in agent roles; a host may register kinds for other role names. */
export type BuiltinAgentRole = "specialist" | "generalist" | "coordinator" | "analyzer" | "validator";

/** An agent role: a built-in one or a host-defined name. */
export type AgentRole = BuiltinAgentRole | (string & {});

/** Retention tier of a template, which drives backup retention. */
export type TemplateTier = "critical" | "production" | "development" | "temporary";

/** Model and run settings of an agent. */
export interface AgentConfig {
  /** Model name, such as `gpt-4o`. */
  model?: string;
  /** Sampling temperature, 0 to 2. */
  temperature?: number;
  /** Maximum tokens the model may produce per call. */
  maxTokens?: number;
  /** Time limit of one `run` attempt, in milliseconds. */
  timeoutMs?: number;
  /** Retries after a failed attempt (0 = try once). */
  maxRetries?: number;
}

/** Descriptive metadata of a template. */
export interface TemplateMetadata {
  /** Retention tier. */
  tier?: TemplateTier;
  /** Owning team or person. */
  owner?: string;
  /** Free-form tags. */
  tags?: string[];
}

/** One detached JWS signature over the template's canonical bytes. */
export interface TemplateSignature {
  /** Base64url of the JWS protected header. */
  protected: string;
  /** Base64url of the signature. */
  signature: string;
}

/** A template as written in a file (fields may be inherited through `extends`). */
export interface AgentTemplate {
  /** Format version: always 1. */
  schemaVersion: 1;
  /** `namespace/name`, lowercase `[a-z0-9-]`; also the file's path below a directory source. */
  id: string;
  /** Semantic version. */
  version: string;
  /** Id of the parent template whose fields this one inherits. */
  extends?: string;
  /** Human-readable name. */
  name?: string;
  /** Role, which selects the agent kind unless `create` names one. */
  role?: AgentRole;
  /** Domain of expertise (`security`, `performance`, …). */
  domain?: string;
  /** What the agent does. */
  description?: string;
  /** What the agent can do. */
  capabilities?: string[];
  /** Names of tools, resolved against the host's tool registry (never code). */
  tools?: string[];
  /** Model and run settings. */
  config?: AgentConfig;
  /** Descriptive metadata. */
  metadata?: TemplateMetadata;
  /** Detached JWS signatures (not part of the canonical bytes). */
  signatures?: TemplateSignature[];
}

/** A template after `extends` is resolved: every field an agent needs is present. */
export interface ResolvedTemplate {
  /** Template id. */
  readonly id: string;
  /** Template version. */
  readonly version: string;
  /** Human-readable name. */
  readonly name: string;
  /** Role. */
  readonly role: AgentRole;
  /** Domain, if any. */
  readonly domain?: string;
  /** Description. */
  readonly description: string;
  /** Capabilities (ordered union along the chain). */
  readonly capabilities: readonly string[];
  /** Tool names (ordered union along the chain). */
  readonly tools: readonly string[];
  /** Merged config. */
  readonly config: Readonly<AgentConfig>;
  /** Merged metadata. */
  readonly metadata: Readonly<TemplateMetadata>;
  /** Digest of this template's own canonical bytes (the leaf of the chain). */
  readonly digest: TemplateDigest;
  /** The `extends` chain, this template first, each with its own digest. */
  readonly chain: readonly { readonly id: string; readonly version: string; readonly digest: TemplateDigest }[];
}

/** A reference to one template version. */
export interface TemplateRef {
  /** Template id. */
  id: string;
  /** Template version. */
  version: string;
}
