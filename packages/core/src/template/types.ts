/**
 * Types of the agent template format, schemaVersion 1. The JSON Schema
 * (`@nextgen/core/schema/agent-template.v1.json`) describes the same shape for editors.
 */

import type { JsonSchema } from "../tools/tool-definition.js";

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
  /**
   * Model name resolved through the host's model registry: an alias (`"fast"`) or a provider
   * id (`"openai/gpt-4o"`). A kind that declares its models refuses unregistered names at load.
   */
  model?: string;
  /** Most model steps in one run's tool loop (default `DEFAULT_MAX_STEPS`, 10). */
  maxSteps?: number;
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

/**
 * `AgentConfig` as written in a template file or in overrides: `null` removes a value
 * inherited through `extends`.
 */
export type AgentConfigPatch = { [K in keyof AgentConfig]?: AgentConfig[K] | null };

/**
 * `TemplateMetadata` as written in a template file or in overrides: `null` removes a
 * value inherited through `extends`.
 */
export type TemplateMetadataPatch = { [K in keyof TemplateMetadata]?: TemplateMetadata[K] | null };

/**
 * A template as written in a file. Fields may be inherited through `extends`; in a
 * child, `null` removes an inherited field (see `docs/templates.md`).
 */
export interface AgentTemplate {
  /** URI of the JSON Schema, for editors (ignored by the SDK, but part of the signed bytes). */
  $schema?: string;
  /** Format version: always 1. */
  schemaVersion: 1;
  /** `namespace/name`, lowercase `[a-z0-9-]`; also the file's path below a directory source. */
  id: string;
  /** Semantic version. */
  version: string;
  /** Id of the parent template whose fields this one inherits. */
  extends?: string;
  /** Human-readable name (required once `extends` is resolved). */
  name?: string | null;
  /** Role, which selects the agent kind unless `create` names one (required once resolved). */
  role?: AgentRole | null;
  /** Domain of expertise (`security`, `performance`, …). */
  domain?: string | null;
  /** What the agent does (required once resolved). */
  description?: string | null;
  /** What the agent can do. */
  capabilities?: string[] | null;
  /** Names of tools, resolved against the host's tool registry (never code). */
  tools?: string[] | null;
  /** The system prompt; arrays merge along `extends` as an ordered union and are joined with blank lines. */
  instructions?: string | string[] | null;
  /** JSON Schema (2020-12 subset) the final answer must satisfy; replaced, not merged, along `extends`. */
  output?: JsonSchema | null;
  /** Ids of templates this agent may delegate to. */
  agents?: string[] | null;
  /** Tool name → pinned digest (`sha256:<hex>`); every key must be a granted tool. */
  toolPins?: Record<string, string> | null;
  /** Model and run settings. */
  config?: AgentConfigPatch | null;
  /** Descriptive metadata. */
  metadata?: TemplateMetadataPatch | null;
  /** Detached JWS signatures (not part of the canonical bytes, never inherited). */
  signatures?: TemplateSignature[];
}

/**
 * What `factory.create(id, { overrides })` may change in a resolved template. Merged
 * with the same rules as `extends` (objects deeply, arrays as an ordered union, `null`
 * removes); name and description can be replaced, not removed.
 */
export interface TemplateOverrides {
  /** Replaces the name. */
  name?: string;
  /** Replaces the description. */
  description?: string;
  /** Replaces (or with `null` removes) the domain. */
  domain?: string | null;
  /** Added after the template's capabilities (or with `null` clears them). */
  capabilities?: readonly string[] | null;
  /** Added after the template's tools (or with `null` clears them). */
  tools?: readonly string[] | null;
  /** Merged into the config. */
  config?: AgentConfigPatch | null;
  /** Merged into the metadata. */
  metadata?: TemplateMetadataPatch | null;
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
  /** The system prompt, parts joined with blank lines (absent when no template sets one). */
  readonly instructions?: string;
  /** JSON Schema the final answer must satisfy (absent when none). */
  readonly output?: JsonSchema;
  /** Template ids this agent may delegate to (ordered union along the chain; absent when none). */
  readonly agents?: readonly string[];
  /** Tool name → pinned digest (absent when none). */
  readonly toolPins?: Readonly<Record<string, string>>;
  /** Digest of this template's own canonical bytes (the leaf of the chain). */
  readonly digest: TemplateDigest;
  /** The `extends` chain, this template first, each with its own digest. */
  readonly chain: readonly { readonly id: string; readonly version: string; readonly digest: TemplateDigest }[];
  /** `true` when `create` overrides were applied (`digest` and `chain` still name the files). */
  readonly overridden?: boolean;
}

/** A reference to one template version. */
export interface TemplateRef {
  /** Template id. */
  id: string;
  /** Template version. */
  version: string;
}
