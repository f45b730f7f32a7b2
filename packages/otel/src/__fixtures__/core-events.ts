// Publishes on core's channels exactly as the payload types describe, for the parts of core
// whose publishers are not in this tree yet (or to drive a precise scenario). Every shape
// here is checked against core's exported payload types.
import diagnosticsChannel from "node:diagnostics_channel";
import {
  AGENT_CREATE_CHANNEL,
  AGENT_RUN_CHANNEL,
  type AgentCreateContext,
  type AgentRunContext,
  CACHE_EVICT_CHANNEL,
  CACHE_LOOKUP_CHANNEL,
  type CacheEvictMessage,
  type CacheLookupMessage,
  CODEC_DECODE_CHANNEL,
  type CodecDecodeContext,
  POOL_SCALE_CHANNEL,
  POOL_TASK_CHANNEL,
  type PoolScaleMessage,
  type PoolTaskContext,
  TEMPLATE_RELOAD_CHANNEL,
  TEMPLATE_RESOLVE_CHANNEL,
  type TemplateReloadMessage,
  type TemplateDigest,
  type TemplateResolveContext,
  type TracedContext,
  TRUST_VERIFY_CHANNEL,
  type TrustVerifyContext,
} from "@nextgen/core";

type Tracing<C extends object> = diagnosticsChannel.TracingChannel<unknown, C>;

export const channels: {
  agentCreate: Tracing<AgentCreateContext>;
  agentRun: Tracing<AgentRunContext>;
  templateResolve: Tracing<TemplateResolveContext>;
  trustVerify: Tracing<TrustVerifyContext>;
  codecDecode: Tracing<CodecDecodeContext>;
  poolTask: Tracing<PoolTaskContext>;
  cacheLookup: diagnosticsChannel.Channel;
  cacheEvict: diagnosticsChannel.Channel;
  poolScale: diagnosticsChannel.Channel;
  templateReload: diagnosticsChannel.Channel;
} = {
  agentCreate: diagnosticsChannel.tracingChannel<unknown, AgentCreateContext>(AGENT_CREATE_CHANNEL),
  agentRun: diagnosticsChannel.tracingChannel<unknown, AgentRunContext>(AGENT_RUN_CHANNEL),
  templateResolve: diagnosticsChannel.tracingChannel<unknown, TemplateResolveContext>(TEMPLATE_RESOLVE_CHANNEL),
  trustVerify: diagnosticsChannel.tracingChannel<unknown, TrustVerifyContext>(TRUST_VERIFY_CHANNEL),
  codecDecode: diagnosticsChannel.tracingChannel<unknown, CodecDecodeContext>(CODEC_DECODE_CHANNEL),
  poolTask: diagnosticsChannel.tracingChannel<unknown, PoolTaskContext>(POOL_TASK_CHANNEL),
  cacheLookup: diagnosticsChannel.channel(CACHE_LOOKUP_CHANNEL),
  cacheEvict: diagnosticsChannel.channel(CACHE_EVICT_CHANNEL),
  poolScale: diagnosticsChannel.channel(POOL_SCALE_CHANNEL),
  templateReload: diagnosticsChannel.channel(TEMPLATE_RELOAD_CHANNEL),
};

/** Runs `fn` traced on `channel` the way core's publishers do: through `runInContext`. */
export function tracePromise<T, C extends TracedContext & object>(
  channel: Tracing<C>,
  fn: () => Promise<T>,
  context: C,
): Promise<T> {
  return channel.tracePromise(() => (context.runInContext ? context.runInContext(fn) : fn()), context);
}

/** The synchronous twin of {@link tracePromise}. */
export function traceSync<T, C extends TracedContext & object>(channel: Tracing<C>, fn: () => T, context: C): T {
  return channel.traceSync(() => (context.runInContext ? context.runInContext(fn) : fn()), context);
}

export const DIGEST: TemplateDigest = "sha256:7f0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
export const KEY_EXPIRY_MS: number = Date.UTC(2027, 11, 31, 23, 59, 59);

export interface ColdCreateOptions {
  /** Make verification refuse (it then throws, as the factory would). */
  refuse?: boolean;
  /** Run inside this function (e.g. to observe the active span). */
  onVerify?: () => void;
}

/**
 * A cold create as core performs it: L1 and L2 miss, the source's bytes are decoded,
 * verified, then the agent is made.
 */
export async function coldCreate(options: ColdCreateOptions = {}): Promise<AgentCreateContext> {
  const create: AgentCreateContext = { templateId: "security/auditor", requestedVersion: undefined };
  await tracePromise(channels.agentCreate, async () => {
    const resolve: TemplateResolveContext = { templateId: "security/auditor" };
    await tracePromise(channels.templateResolve, async () => {
      lookup({ tier: "memory", level: 0, result: "miss", durationMs: 0.01 });
      lookup({ tier: "file", level: 1, result: "miss", durationMs: 0.2 });
      const decode: CodecDecodeContext = { backend: "fzstd", bytesIn: 512, dictionaryId: 0 };
      traceSync(channels.codecDecode, () => {
        decode.bytesOut = 2048;
      }, decode);
      const verify: TrustVerifyContext = {
        templateId: "security/auditor",
        version: "1.2.0",
        digest: DIGEST,
        keyIds: ["release-2026"],
      };
      await tracePromise(channels.trustVerify, async () => {
        options.onVerify?.();
        verify.memoized = false;
        if (options.refuse) {
          verify.verdict = "refused";
          verify.reason = "unknown-key";
          throw Object.assign(new Error("no trusted key verifies security/auditor"), {
            code: "NG_ERR_SIGNATURE_KEY_UNKNOWN",
          });
        }
        verify.verdict = "accepted";
        verify.keyExpiries = { "release-2026": KEY_EXPIRY_MS };
      }, verify);
      Object.assign(resolve, { version: "1.2.0", digest: DIGEST, origin: "source", chain: ["security/auditor"] });
    }, resolve);
    Object.assign(create, {
      kind: "specialist",
      instanceId: "agt_1",
      agentName: "Security Auditor",
      version: "1.2.0",
      digest: DIGEST,
      cached: false,
    });
  }, create);
  return create;
}

/** A warm create: an L1 hit. */
export async function warmCreate(): Promise<void> {
  const create: AgentCreateContext = { templateId: "security/auditor" };
  await tracePromise(channels.agentCreate, async () => {
    lookup({ tier: "memory", level: 0, result: "hit", durationMs: 0.002, ageMs: 42_000 });
    Object.assign(create, { kind: "specialist", cached: true, instanceId: "agt_2", agentName: "Security Auditor", version: "1.2.0" });
  }, create);
}

export function lookup(message: Omit<CacheLookupMessage, "key">): void {
  channels.cacheLookup.publish({ key: "security/auditor@1.2.0", templateId: "security/auditor", ...message });
}

export function evict(message: CacheEvictMessage): void {
  channels.cacheEvict.publish(message);
}

export function scale(message: PoolScaleMessage): void {
  channels.poolScale.publish(message);
}

export function reload(message: TemplateReloadMessage): void {
  channels.templateReload.publish(message);
}

export function runContext(): AgentRunContext {
  return {
    instanceId: "agt_1",
    templateId: "security/auditor",
    agentName: "Security Auditor",
    version: "1.2.0",
    kind: "specialist",
    digest: DIGEST,
    attempts: 1,
  };
}

/**
 * The span tree of a cold create under a host `request` span (parent > child, sorted): what
 * `coldCreate()` publishes and what the real factory produces (real-factory.test.ts).
 */
export const COLD_CREATE_TREE: readonly string[] = [
  "(root) > request",
  "create_agent Security Auditor > template.resolve",
  "request > create_agent Security Auditor",
  "template.resolve > cache.lookup",
  "template.resolve > cache.lookup",
  "template.resolve > codec.decode",
  "template.resolve > trust.verify",
];
