/**
 * Span attribute names. `gen_ai.*` and `error.type` follow the OpenTelemetry GenAI agent
 * span conventions; `nextgen.*` extend them for what the conventions do not cover.
 * @internal
 */
export const ATTR = {
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  agentId: "gen_ai.agent.id",
  agentName: "gen_ai.agent.name",
  agentVersion: "gen_ai.agent.version",
  errorType: "error.type",
  threadId: "thread.id",
  templateId: "nextgen.template.id",
  templateVersion: "nextgen.template.version",
  templateDigest: "nextgen.template.digest",
  templateCached: "nextgen.template.cached",
  templateOrigin: "nextgen.template.origin",
  templateChain: "nextgen.template.chain",
  agentKind: "nextgen.agent.kind",
  agentAttempts: "nextgen.agent.attempts",
  trustKeyIds: "nextgen.trust.key_ids",
  trustVerdict: "nextgen.trust.verdict",
  trustReason: "nextgen.trust.reason",
  trustMemoized: "nextgen.trust.memoized",
  codecBackend: "nextgen.codec.backend",
  codecBytesIn: "nextgen.codec.bytes_in",
  codecBytesOut: "nextgen.codec.bytes_out",
  codecDictionaryId: "nextgen.codec.dictionary_id",
  cacheTier: "nextgen.cache.tier",
  cacheLevel: "nextgen.cache.level",
  cacheResult: "nextgen.cache.result",
  cacheEntryAgeMs: "nextgen.cache.entry_age_ms",
  cacheEvictReason: "nextgen.cache.evict_reason",
  poolName: "nextgen.pool.name",
  poolTaskId: "nextgen.pool.task_id",
  poolWaitMs: "nextgen.pool.wait_ms",
  poolRunMs: "nextgen.pool.run_ms",
} as const;
