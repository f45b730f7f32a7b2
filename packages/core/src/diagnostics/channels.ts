/**
 * Names of the `node:diagnostics_channel` channels core publishes on. Tracing channels
 * (`tracingChannel(name)`) carry start/end/asyncStart/asyncEnd/error events; plain
 * channels carry one message per event. Core publishes only when a channel has
 * subscribers, so uninstrumented code pays nothing.
 */

/** Tracing channel: one agent created by the factory. Context: {@link AgentCreateContext}. */
export const AGENT_CREATE_CHANNEL = "nextgen:agent.create" as const;
/** Tracing channel: one `agent.run` call. Context: {@link AgentRunContext}. */
export const AGENT_RUN_CHANNEL = "nextgen:agent.run" as const;
/** Tracing channel: one template resolved (source, cache, extends). Context: {@link TemplateResolveContext}. */
export const TEMPLATE_RESOLVE_CHANNEL = "nextgen:template.resolve" as const;
/** Tracing channel: one signature verification. Context: {@link TrustVerifyContext}. */
export const TRUST_VERIFY_CHANNEL = "nextgen:trust.verify" as const;
/** Tracing channel: one codec decode. Context: {@link CodecDecodeContext}. */
export const CODEC_DECODE_CHANNEL = "nextgen:codec.decode" as const;
/** Tracing channel: one worker pool task. Context: {@link PoolTaskContext}. */
export const POOL_TASK_CHANNEL = "nextgen:pool.task" as const;
/** Plain channel: one cache tier lookup. Message: {@link CacheLookupMessage}. */
export const CACHE_LOOKUP_CHANNEL = "nextgen:cache.lookup" as const;
/** Plain channel: one cache entry evicted. Message: {@link CacheEvictMessage}. */
export const CACHE_EVICT_CHANNEL = "nextgen:cache.evict" as const;
/** Plain channel: the worker pool grew or shrank. Message: {@link PoolScaleMessage}. */
export const POOL_SCALE_CHANNEL = "nextgen:pool.scale" as const;
/** Plain channel: a hot reload applied or refused. Message: {@link TemplateReloadMessage}. */
export const TEMPLATE_RELOAD_CHANNEL = "nextgen:template.reload" as const;
/** Plain channel: security-relevant events for an audit log. Message: {@link AuditEvent}. */
export const AUDIT_CHANNEL = "nextgen:audit" as const;
