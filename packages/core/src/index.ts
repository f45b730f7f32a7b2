// Public API of @nextgen/core, listed by name (no `export *`), grouped by area like
// opentelemetry-js's api: the names of docs/ARCHITECTURE's contract, plus the option,
// contract, result and error types a caller needs to use them. Helpers that sibling
// packages share live in `@nextgen/core/internal` (no semver promise); the rest is private.

// Factory: turns template ids into typed, running agents.
export { createAgentFactory } from "./factory/create-agent-factory.js";
export type {
  AgentFactory,
  AgentFactoryOptions,
  AgentKind,
  ComponentHealth,
  CreateOptions,
  CreateRequest,
  HealthProbe,
  HealthReport,
  KindMap,
  KindsOf,
  ModelNames,
  TemplateKindMap,
} from "./factory/factory-types.js";

// Agents: the base class every kind extends, and what its run receives.

export { Agent } from "./agent/agent.js";
export type {
  AgentDelegates,
  AgentHandle,
  AgentHealth,
  AgentInit,
  AgentState,
  RunContext,
  RunOptions,
} from "./agent/agent-types.js";

// Templates: parse (bounded, strict), validate, resolve `extends`, and their types.

export type { ParseTemplateOptions } from "./template/parse-template.js";
export { parseTemplate } from "./template/parse-template.js";
export type { LoadParentTemplate } from "./template/resolve-template.js";
export { resolveTemplate } from "./template/resolve-template.js";
export type {
  AgentConfig,
  AgentConfigPatch,
  AgentRole,
  AgentTemplate,
  BuiltinAgentRole,
  JsonValue,
  ResolvedTemplate,
  TemplateDigest,
  TemplateMetadata,
  TemplateMetadataPatch,
  TemplateOverrides,
  TemplateRef,
  TemplateSignature,
  TemplateTier,
} from "./template/types.js";
export type { ValidationResult } from "./template/validate-template.js";
export { validateTemplate } from "./template/validate-template.js";

// Canonical form and digest (RFC 8785 bytes, `sha256:<hex>`).

export { canonicalize } from "./canonical/canonicalize.js";
export { templateDigest } from "./canonical/template-digest.js";

// Template sources: where signed template bytes come from.

export type { DirectorySourceOptions, DirectoryTemplateSource } from "./source/directory-source.js";
export { directorySource } from "./source/directory-source.js";
export type { DirectoryWatchOptions } from "./source/directory-watch.js";
export { memorySource } from "./source/memory-source.js";
export { compareSemver } from "./source/semver-compare.js";
export type {
  LatestVersion,
  SourceChange,
  SourceEntry,
  SourceReadOptions,
  TemplateSource,
} from "./source/template-source.js";

// Trust: signing, verification against a trust policy, rollback state.

export type { CommandSignerOptions } from "./trust/command-signer.js";
export { commandSigner } from "./trust/command-signer.js";
export { fileStateStore } from "./trust/file-state-store.js";
export { loadTrustPolicy } from "./trust/load-trust-policy.js";
export type { LocalKeySignerOptions } from "./trust/local-key-signer.js";
export { localKeySigner } from "./trust/local-key-signer.js";
export { memoryStateStore } from "./trust/memory-state-store.js";
export type { SignTemplateOptions } from "./trust/sign-template.js";
export { signTemplate } from "./trust/sign-template.js";
export type { SignatureAlgorithm, Signer, SignOptions } from "./trust/signer.js";
export type { HighWaterMark, StateStore } from "./trust/state-store.js";
export type { TemplateVerifier, TrustHealth, VerifiedTemplate, VerifyOptions } from "./trust/template-verifier.js";
// The class is private: a policy comes from `trustPolicy()` or `loadTrustPolicy()`.
export type { TrustPolicy, TrustPolicyOptions } from "./trust/trust-policy.js";
export { trustPolicy } from "./trust/trust-policy.js";
export type { TrustDelegation, TrustedKey, TrustPolicyDocument } from "./trust/trust-policy-document.js";
export type { VerifyTemplateOptions } from "./trust/verify-template.js";
export { verifyTemplate } from "./trust/verify-template.js";

// Tools: what a template's `tools` names resolve to.

export type {
  JsonSchema,
  StandardSchemaV1,
  StandardSchemaV1Result,
  ToolCallAgent,
  ToolCallContext,
  ToolDefinition,
} from "./tools/tool-definition.js";
export { defineTool } from "./tools/tool-definition.js";
export type { AgentTools, Tool, ToolCallOptions, ToolRegistry, ToolSource } from "./tools/tool-registry.js";
export { toolRegistry } from "./tools/tool-registry.js";

// Cache: the tiered cache, its tiers (byte contracts) and the invalidation bus.

export type {
  CacheEntry,
  CacheOperationOptions,
  CacheSetOptions,
  CacheTier,
} from "./cache/cache-tier.js";
export type { FactoryCacheOptions, PrewarmReport } from "./cache/factory-cache.js";
export type { FileTierOptions } from "./cache/file-tier.js";
export { fileTier } from "./cache/file-tier.js";
export type { InvalidationBus, InvalidationMessage } from "./cache/invalidation-bus.js";
export { memoryInvalidationBus } from "./cache/invalidation-bus.js";
export type { MemoryTier, MemoryTierOptions } from "./cache/memory-tier.js";
export { memoryTier } from "./cache/memory-tier.js";
export type { PrewarmOptions } from "./cache/prewarm-options.js";
export type { TemplateCacheOptions } from "./cache/template-cache.js";
export { createTieredCache } from "./cache/tiered-cache.js";
export type {
  AdmitContext,
  InvalidateOptions,
  LoadedValue,
  TieredCache,
  TieredCacheOptions,
  TieredCacheStats,
  TierHealth,
  TierStats,
} from "./cache/tiered-cache-options.js";

// Codecs and clocks: contracts other packages satisfy structurally.

export type { Clock } from "./clock/clock.js";
export { monotonicClock, wallClock } from "./clock/clock.js";
export type { Codec } from "./codec/codec.js";

// Audit trail: the sink contract, the hash-chained file log and its verifier.

export type { AuditRecord, AuditRecordInput, AuditSink } from "./audit/audit-sink.js";
export type { FileAuditLogOptions } from "./audit/file-audit-log.js";
export { fileAuditLog } from "./audit/file-audit-log.js";
export type { AuditLogBreak, AuditVerifyResult } from "./audit/verify-audit-log.js";
export { verifyAuditLog } from "./audit/verify-audit-log.js";

// Diagnostics: `node:diagnostics_channel` names and payload types (what @nextgen/otel reads).

export type { GenAiAgentFields, GenAiModelCallContext, GenAiToolCallContext } from "./agent/genai-diagnostics.js";
export { GENAI_MODEL_CALL_CHANNEL, GENAI_TOOL_CALL_CHANNEL } from "./agent/genai-diagnostics.js";
export {
  AGENT_CREATE_CHANNEL,
  AGENT_RUN_CHANNEL,
  AUDIT_CHANNEL,
  CACHE_EVICT_CHANNEL,
  CACHE_LOOKUP_CHANNEL,
  CODEC_DECODE_CHANNEL,
  POOL_SCALE_CHANNEL,
  POOL_TASK_CHANNEL,
  TEMPLATE_RELOAD_CHANNEL,
  TEMPLATE_RESOLVE_CHANNEL,
  TRUST_VERIFY_CHANNEL,
} from "./diagnostics/channels.js";
export type { DiagnosticsLogger } from "./diagnostics/diagnostics-logger.js";
export { logDiagnostics } from "./diagnostics/log-diagnostics.js";
export type {
  AgentCreateContext,
  AgentRunContext,
  AuditEvent,
  CacheEvictMessage,
  CacheLookupMessage,
  CodecDecodeContext,
  PoolScaleMessage,
  PoolTaskContext,
  TemplateReloadMessage,
  TemplateResolveContext,
  TraceCarrier,
  TracedContext,
  TrustVerifyContext,
} from "./diagnostics/payloads.js";

// Errors: one base class, a documented code on each, typed subclasses.

export type { ErrorCode } from "./errors/codes.js";
export type { NextGenErrorOptions } from "./errors/next-gen-error.js";
export { NextGenError } from "./errors/next-gen-error.js";
export { OptionsError } from "./errors/options-error.js";
export type { TemplateParseErrorCode, TemplateParseErrorDetails } from "./errors/template-parse-error.js";
export { TemplateParseError } from "./errors/template-parse-error.js";
export type { TemplateResolveErrorCode } from "./errors/template-resolve-error.js";
export { TemplateResolveError } from "./errors/template-resolve-error.js";
export type { ValidationIssue } from "./errors/template-validation-error.js";
export { TemplateValidationError } from "./errors/template-validation-error.js";
export { errorCode, toNextGenError, UNCODED_ERROR_CODE } from "./errors/uncoded-error.js";
export type { SignatureEntryFailure, SignatureErrorDetails, SignatureFailureReason } from "./trust/signature-error.js";
export { SignatureError } from "./trust/signature-error.js";
