import diagnosticsChannel from "node:diagnostics_channel";
import {
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
} from "./channels.js";
import type {
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
  TracedContext,
  TrustVerifyContext,
} from "./payloads.js";

// Internal: the channel objects core publishes on. Created once at module load; the
// publishing sites check `hasSubscribers` so the uninstrumented cost is one property read.

/** @internal */
export const tracing: {
  agentCreate: diagnosticsChannel.TracingChannel<unknown, AgentCreateContext & object>;
  agentRun: diagnosticsChannel.TracingChannel<unknown, AgentRunContext & object>;
  templateResolve: diagnosticsChannel.TracingChannel<unknown, TemplateResolveContext & object>;
  trustVerify: diagnosticsChannel.TracingChannel<unknown, TrustVerifyContext & object>;
  codecDecode: diagnosticsChannel.TracingChannel<unknown, CodecDecodeContext & object>;
  poolTask: diagnosticsChannel.TracingChannel<unknown, PoolTaskContext & object>;
} = {
  agentCreate: diagnosticsChannel.tracingChannel(AGENT_CREATE_CHANNEL),
  agentRun: diagnosticsChannel.tracingChannel(AGENT_RUN_CHANNEL),
  templateResolve: diagnosticsChannel.tracingChannel(TEMPLATE_RESOLVE_CHANNEL),
  trustVerify: diagnosticsChannel.tracingChannel(TRUST_VERIFY_CHANNEL),
  codecDecode: diagnosticsChannel.tracingChannel(CODEC_DECODE_CHANNEL),
  poolTask: diagnosticsChannel.tracingChannel(POOL_TASK_CHANNEL),
};

/** @internal */
export const plain: {
  cacheLookup: diagnosticsChannel.Channel<CacheLookupMessage>;
  cacheEvict: diagnosticsChannel.Channel<CacheEvictMessage>;
  poolScale: diagnosticsChannel.Channel<PoolScaleMessage>;
  templateReload: diagnosticsChannel.Channel<TemplateReloadMessage>;
  audit: diagnosticsChannel.Channel<AuditEvent>;
} = {
  cacheLookup: diagnosticsChannel.channel(CACHE_LOOKUP_CHANNEL) as diagnosticsChannel.Channel<CacheLookupMessage>,
  cacheEvict: diagnosticsChannel.channel(CACHE_EVICT_CHANNEL) as diagnosticsChannel.Channel<CacheEvictMessage>,
  poolScale: diagnosticsChannel.channel(POOL_SCALE_CHANNEL) as diagnosticsChannel.Channel<PoolScaleMessage>,
  templateReload: diagnosticsChannel.channel(
    TEMPLATE_RELOAD_CHANNEL,
  ) as diagnosticsChannel.Channel<TemplateReloadMessage>,
  audit: diagnosticsChannel.channel(AUDIT_CHANNEL) as diagnosticsChannel.Channel<AuditEvent>,
};

/**
 * Runs `fn` inside `channel.tracePromise` when someone subscribes, or calls it bare
 * otherwise. Subscriber errors never reach the caller (Node isolates them).
 * @internal
 */
export function traced<T, C extends object>(
  channel: diagnosticsChannel.TracingChannel<unknown, C>,
  context: () => C,
  fn: (context: C | undefined) => Promise<T>,
): Promise<T> {
  if (!channel.hasSubscribers) return fn(undefined);
  const ctx = context();
  // `start` fires inside tracePromise before this callback, so a subscriber's hook is set.
  return channel.tracePromise(() => runInContextOf(ctx, () => fn(ctx)), ctx);
}

/**
 * Calls `fn` through the `runInContext` hook an instrumentation's `start` handler set on
 * `context` (see {@link TracedContext}), or directly when there is none. The result is
 * always `fn`'s own: if the hook throws or returns without calling `fn`, `fn` is called
 * directly; if `fn` throws, its error propagates, never the hook's. An instrumentation
 * therefore cannot break or alter the operation.
 * @internal
 */
export function runInContextOf<T>(context: object, fn: () => T): T {
  const hook = (context as TracedContext).runInContext;
  if (typeof hook !== "function") return fn();
  let outcome: { value: T } | { error: unknown } | undefined;
  try {
    hook(() => {
      try {
        const value = fn();
        outcome = { value };
        return value;
      } catch (error) {
        outcome = { error };
        throw error;
      }
    });
  } catch {
    // The operation's own error is rethrown below; a failing hook is ignored.
  }
  if (outcome === undefined) return fn();
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}

/**
 * Publishes on a plain channel only when it has subscribers; `message` is built lazily.
 * @internal
 */
export function publish<M>(channel: diagnosticsChannel.Channel<M>, message: () => M): void {
  if (channel.hasSubscribers) channel.publish(message());
}
