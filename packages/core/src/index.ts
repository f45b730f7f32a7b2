// Public API of @nextgen/core, listed by name (no `export *`): the surface is visible here.
// Sorted by module path (biome organizeImports), so each area's exports sit under its folder.

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
export type { GenAiAgentFields, GenAiModelCallContext, GenAiToolCallContext } from "./agent/genai-diagnostics.js";
export {
  GENAI_MODEL_CALL_CHANNEL,
  GENAI_TOOL_CALL_CHANNEL,
  traceModelCall,
  traceToolCall,
} from "./agent/genai-diagnostics.js";
export { AUDIT_GENESIS_HASH } from "./audit/audit-hash.js";
export type { AuditRecord, AuditRecordInput, AuditSink } from "./audit/audit-sink.js";
export type { FileAuditLogOptions } from "./audit/file-audit-log.js";
export { fileAuditLog } from "./audit/file-audit-log.js";
export type { AuditLogBreak, AuditVerifyResult } from "./audit/verify-audit-log.js";
export { verifyAuditLog } from "./audit/verify-audit-log.js";
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
export {
  isInvalidationMessage,
  MAX_INVALIDATION_KEY_LENGTH,
  MAX_INVALIDATION_KEYS,
  memoryInvalidationBus,
} from "./cache/invalidation-bus.js";
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
export { canonicalize } from "./canonical/canonicalize.js";
export { canonicalTemplateBytes, templateDigest } from "./canonical/template-digest.js";
export type { Clock } from "./clock/clock.js";
export { monotonicClock, wallClock } from "./clock/clock.js";
export type { Codec } from "./codec/codec.js";
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
export type { ErrorCode } from "./errors/codes.js";
export { ERROR_CODES } from "./errors/codes.js";
export type { NextGenErrorOptions } from "./errors/next-gen-error.js";
export { NEXTGEN_ERROR_BRAND, NextGenError } from "./errors/next-gen-error.js";
export { OptionsError } from "./errors/options-error.js";
export type { TemplateParseErrorCode, TemplateParseErrorDetails } from "./errors/template-parse-error.js";
export { TemplateParseError } from "./errors/template-parse-error.js";
export type { TemplateResolveErrorCode } from "./errors/template-resolve-error.js";
export { TemplateResolveError } from "./errors/template-resolve-error.js";
export type { ValidationIssue } from "./errors/template-validation-error.js";
export { TemplateValidationError } from "./errors/template-validation-error.js";
export { createAgentFactory } from "./factory/create-agent-factory.js";
export { MAX_DELEGATION_DEPTH } from "./factory/delegates.js";
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
export type { DirectorySourceOptions, DirectoryTemplateSource } from "./source/directory-source.js";
export { directorySource } from "./source/directory-source.js";
export type { DirectoryWatchOptions } from "./source/directory-watch.js";
export { memorySource } from "./source/memory-source.js";
export { compareSemver, isSemver } from "./source/semver-compare.js";
export type { TemplateFileName } from "./source/template-file-name.js";
export { parseTemplateFileName } from "./source/template-file-name.js";
export { isTemplateId } from "./source/template-id.js";
export type {
  LatestVersion,
  SourceChange,
  SourceEntry,
  SourceReadOptions,
  TemplateSource,
} from "./source/template-source.js";
export { applyOverrides } from "./template/apply-overrides.js";
export type { ParseTemplateOptions } from "./template/parse-template.js";
export { DEFAULT_TEMPLATE_MAX_BYTES, DEFAULT_TEMPLATE_MAX_DEPTH, parseTemplate } from "./template/parse-template.js";
export type { LoadParentTemplate } from "./template/resolve-template.js";
export { MAX_EXTENDS_CHAIN, resolveTemplate } from "./template/resolve-template.js";
export { DEFAULT_MAX_STEPS } from "./template/schema-rules.js";
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
export { JSON_SCHEMA_MAX_DEPTH, jsonSchemaIssues, jsonSchemaProblems } from "./tools/json-schema-subset.js";
export type {
  JsonSchema,
  StandardSchemaV1,
  StandardSchemaV1Result,
  ToolCallAgent,
  ToolCallContext,
  ToolDefinition,
} from "./tools/tool-definition.js";
export { defineTool, isStandardSchema } from "./tools/tool-definition.js";
export type { AgentTools, Tool, ToolCallOptions, ToolRegistry, ToolSource } from "./tools/tool-registry.js";
export { TOOL_NAME_PATTERN, toolRegistry } from "./tools/tool-registry.js";
export { validateToolInput } from "./tools/validate-tool-input.js";
export type { CommandSignerOptions } from "./trust/command-signer.js";
export { commandSigner } from "./trust/command-signer.js";
export { DEFAULT_OVERRIDABLE } from "./trust/compile-trust-policy.js";
export type { SignDetachedOptions, VerifyDetachedOptions } from "./trust/detached-signatures.js";
export { signDetachedPayload, verifyDetachedPayload } from "./trust/detached-signatures.js";
export { fileStateStore } from "./trust/file-state-store.js";
export type { TemplateSignatureHeader } from "./trust/jws-envelope.js";
export { TEMPLATE_JWS_TYPE } from "./trust/jws-envelope.js";
export { SIGNATURE_ALGORITHMS } from "./trust/key-compatibility.js";
export { loadTrustPolicy } from "./trust/load-trust-policy.js";
export type { LocalKeySignerOptions } from "./trust/local-key-signer.js";
export { localKeySigner } from "./trust/local-key-signer.js";
export { memoryStateStore } from "./trust/memory-state-store.js";
export { checkOverrides } from "./trust/override-policy.js";
export { parseTrustJson } from "./trust/read-policy-file.js";
export type { SignTemplateOptions } from "./trust/sign-template.js";
export { signTemplate } from "./trust/sign-template.js";
export type { SignatureEntryFailure, SignatureErrorDetails, SignatureFailureReason } from "./trust/signature-error.js";
export { SIGNATURE_REASON_CODES, SignatureError } from "./trust/signature-error.js";
export type { SignatureAlgorithm, Signer, SignOptions } from "./trust/signer.js";
export type { HighWaterMark, StateStore } from "./trust/state-store.js";
export type { TemplateVerifier, TrustHealth, VerifiedTemplate, VerifyOptions } from "./trust/template-verifier.js";
export type { TrustPolicyOptions } from "./trust/trust-policy.js";
export { TrustPolicy, trustPolicy } from "./trust/trust-policy.js";
export type { TrustDelegation, TrustedKey, TrustPolicyDocument } from "./trust/trust-policy-document.js";
export type { VerifyTemplateOptions } from "./trust/verify-template.js";
export { verifyTemplate } from "./trust/verify-template.js";
export {
  ROLLBACK_STATE_IN_MEMORY_WARNING,
  SIGNATURES_NOT_REQUIRED_WARNING,
} from "./trust/warn-signatures-not-required.js";
