// Public API of @nextgen/core, listed by name (no `export *`): the surface is visible here.

export type {
  CacheEntry,
  CacheOperationOptions,
  CacheSetOptions,
  CacheTier,
} from "./cache/cache-tier.js";
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
  TrustVerifyContext,
} from "./diagnostics/payloads.js";
export type { ErrorCode } from "./errors/codes.js";
export { ERROR_CODES } from "./errors/codes.js";
export type { NextGenErrorOptions } from "./errors/next-gen-error.js";
export { NEXTGEN_ERROR_BRAND, NextGenError } from "./errors/next-gen-error.js";
export { OptionsError } from "./errors/options-error.js";
export type { SourceChange, SourceEntry, SourceReadOptions, TemplateSource } from "./source/template-source.js";
export type {
  AgentConfig,
  AgentRole,
  AgentTemplate,
  BuiltinAgentRole,
  JsonValue,
  ResolvedTemplate,
  TemplateDigest,
  TemplateMetadata,
  TemplateRef,
  TemplateSignature,
  TemplateTier,
} from "./template/types.js";
export type { SignatureAlgorithm, Signer, SignOptions } from "./trust/signer.js";
export type { TemplateVerifier, VerifiedTemplate, VerifyOptions } from "./trust/template-verifier.js";
