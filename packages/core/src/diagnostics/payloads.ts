import type { TemplateDigest } from "../template/types.js";

/**
 * Payload types of core's diagnostics channels. Tracing-channel contexts are objects
 * that core fills in as the operation proceeds (fields marked "set on completion" are
 * present in `asyncEnd`/`error` events); Node adds `result` or `error` itself.
 */

/** A carrier of W3C trace context (`traceparent`, `tracestate`) across threads. */
export type TraceCarrier = Record<string, string>;

/**
 * What every tracing-channel context shares: the hook through which an instrumentation
 * makes its own context (such as the span it started) active inside the operation.
 */
export interface TracedContext {
  /**
   * Set by an instrumentation's `start` handler (which runs synchronously before the
   * operation); core then runs the operation through it, so everything inside sees the
   * instrumentation's context (e.g. OpenTelemetry's `context.with(ctx, fn)`). It must
   * call `fn` once and return its result. Core guards it: if it throws or does not call
   * `fn`, the operation runs directly and is unaffected.
   *
   * @example
   * ```ts
   * tracingChannel("nextgen:agent.create").subscribe({
   *   start(ctx) { ctx.runInContext = (fn) => storage.run(mySpan, fn); },
   * });
   * ```
   */
  runInContext?: <T>(fn: () => T) => T;
}

/** Context of `nextgen:agent.create`. */
export interface AgentCreateContext extends TracedContext {
  /** Template id requested. */
  templateId: string;
  /** Version requested, if any. */
  requestedVersion?: string | undefined;
  /** Kind name the agent was created as. Set on completion. */
  kind?: string;
  /** Instance id of the new agent. Set on completion. */
  instanceId?: string;
  /** Template `name`. Set on completion. */
  agentName?: string;
  /** Resolved template version. Set on completion. */
  version?: string;
  /** Digest of the resolved template. Set on completion. */
  digest?: TemplateDigest;
  /** Whether the template came from the in-process cache. Set on completion. */
  cached?: boolean;
}

/** Context of `nextgen:agent.run`. */
export interface AgentRunContext extends TracedContext {
  /** Instance id of the agent. */
  instanceId: string;
  /** Template id the agent was created from. */
  templateId: string;
  /** Template `name`. */
  agentName: string;
  /** Template version. */
  version: string;
  /** Kind name. */
  kind: string;
  /** Digest of the template. */
  digest: TemplateDigest;
  /** Attempt count (1 for the first try). Updated as retries happen. */
  attempts: number;
  /** The template's `config.model`, for kinds that run a model (`gen_ai.request.model`). */
  model?: string;
  /** Prompt tokens of the whole run, set by a model-driven kind on completion. */
  inputTokens?: number;
  /** Completion tokens of the whole run, set by a model-driven kind on completion. */
  outputTokens?: number;
  /**
   * Trace context to hand to work that leaves the thread. An instrumentation fills it
   * in its `start` handler; worker-backed agents pass it to the pool.
   */
  traceCarrier?: TraceCarrier;
}

/** Context of `nextgen:template.resolve`. */
export interface TemplateResolveContext extends TracedContext {
  /** Template id requested. */
  templateId: string;
  /** Version requested, if any. */
  requestedVersion?: string | undefined;
  /** Resolved version. Set on completion. */
  version?: string;
  /** Digest of the resolved template. Set on completion. */
  digest?: TemplateDigest;
  /** Where the template came from: a cache tier name or `"source"`. Set on completion. */
  origin?: string;
  /** Ids of the `extends` chain, child first. Set on completion. */
  chain?: string[];
}

/** Context of `nextgen:trust.verify`. */
export interface TrustVerifyContext extends TracedContext {
  /** Template id. */
  templateId: string;
  /** Template version. */
  version: string;
  /** Digest of the canonical bytes. */
  digest: TemplateDigest;
  /** Key ids of the signatures present. */
  keyIds: string[];
  /** Whether the verdict came from the memo (no cryptography). Set on completion. */
  memoized?: boolean;
  /** `"accepted"` or `"refused"`. Set on completion. */
  verdict?: "accepted" | "refused";
  /** Reason of a refusal. Set on completion. */
  reason?: string;
  /**
   * Expiry (`notAfter`, milliseconds since the epoch) of each key that produced a valid
   * signature, by key id; keys without `notAfter` are left out. Set on completion. Feeds
   * the "trust key expiring" alert.
   */
  keyExpiries?: Record<string, number>;
}

/** Context of `nextgen:codec.decode`. */
export interface CodecDecodeContext extends TracedContext {
  /** Codec backend (`node-zlib`, `zstd-wasm`, `fzstd`, …). */
  backend: string;
  /** Encoded size in bytes. */
  bytesIn: number;
  /** Decoded size in bytes. Set on completion. */
  bytesOut?: number;
  /** Zstd dictionary id used, 0 for none. */
  dictionaryId?: number;
}

/** Context of `nextgen:pool.task`. */
export interface PoolTaskContext extends TracedContext {
  /** Pool name (defaults to the worker file's base name). */
  pool: string;
  /** Sequence number of the task within the pool. */
  taskId: number;
  /** Trace context carried into the worker; filled by an instrumentation's `start` handler. */
  traceCarrier?: TraceCarrier;
  /**
   * Tasks waiting in the pool's queue, sampled when this task was submitted and updated
   * when it completed. Feeds the queue-depth gauge.
   */
  queueDepth?: number;
  /** The pool's queue capacity (`maxQueue`); absent when unbounded. */
  maxQueue?: number;
  /** Threads in the pool when this task was submitted. */
  threads?: number;
  /** Milliseconds the task waited in the queue. Set on completion. */
  waitMs?: number;
  /** Milliseconds the task ran in the worker. Set on completion. */
  runMs?: number;
  /** `threadId` of the worker that ran it. Set on completion. */
  threadId?: number;
  /**
   * When the task started and ended in the worker, as `performance.timeOrigin +
   * performance.now()` in milliseconds since the epoch. Set on completion.
   */
  workerStartTime?: number;
  /** See `workerStartTime`. */
  workerEndTime?: number;
}

/** Message of `nextgen:cache.lookup`. */
export interface CacheLookupMessage {
  /** Tier name (`memory`, `file`, `redis`, …). */
  tier: string;
  /** Tier position, 0 for L1. */
  level: number;
  /** Outcome. */
  result: "hit" | "miss" | "stale" | "error" | "refused";
  /** Cache key (contains the template id). */
  key: string;
  /** Template id, when the key is for one. */
  templateId?: string;
  /** Age of the entry in milliseconds, on hits. */
  ageMs?: number;
  /** Lookup duration in milliseconds. */
  durationMs: number;
}

/** Message of `nextgen:cache.evict`. */
export interface CacheEvictMessage {
  /** Tier name. */
  tier: string;
  /** Cache key. */
  key: string;
  /** Why the entry left the tier. */
  reason: "expired" | "capacity" | "invalidated" | "corrupt" | "refused" | "manual" | "orphan";
}

/** Message of `nextgen:pool.scale`. */
export interface PoolScaleMessage {
  /** Pool name. */
  pool: string;
  /** Thread count before. */
  from: number;
  /** Thread count after. */
  to: number;
  /** Why the policy decided so. */
  reason: string;
}

/** Message of `nextgen:template.reload`. */
export interface TemplateReloadMessage {
  /** Template id. */
  templateId: string;
  /** `applied` when the new version is live, `refused` when the last good one is kept. */
  outcome: "applied" | "refused" | "removed";
  /** Version now live. */
  version?: string;
  /** Digest now live. */
  digest?: TemplateDigest;
  /** The error code of a refusal. */
  code?: string;
  /** A human-readable reason for a refusal. */
  reason?: string;
}

/** Message of `nextgen:audit`: security-relevant decisions. */
export interface AuditEvent {
  /** What happened, noun then verb (`trust.verify`, `template.reload`, `agent.create`). */
  type: string;
  /** When, in milliseconds since the epoch (from the injected clock). */
  time: number;
  /** Template id concerned. */
  templateId?: string;
  /** Template version concerned. */
  version?: string;
  /** Digest concerned. */
  digest?: TemplateDigest;
  /** Key ids involved. */
  keyIds?: string[];
  /** `accepted`, `refused`, `applied`, … */
  verdict?: string;
  /** Reason or error code of a refusal. */
  reason?: string;
  /** Anything else worth logging, JSON-serialisable. */
  detail?: Record<string, unknown>;
}
