import type { CacheEvictMessage, CacheLookupMessage, PoolScaleMessage, TemplateReloadMessage } from "@nextgen/core";

/** One finished `agent.create` or `agent.run`. */
export interface AgentObservation {
  /** Duration in seconds. */
  readonly seconds: number;
  /** Kind name; `unknown` when the create failed before the kind was known. */
  readonly kind: string;
  /** Template id. */
  readonly templateId: string;
  /** `error.type` (the NG_ERR code) when it failed. */
  readonly errorType: string | undefined;
  /**
   * Creates only: whether the template came from the factory's resolved-template cache
   * (a warm create, which never reaches the cache tiers). `undefined` for runs.
   */
  readonly cached?: boolean | undefined;
}

/** One finished signature verification. */
export interface VerdictObservation {
  readonly verdict: "accepted" | "refused";
  /** Refusal reason, `none` when accepted. */
  readonly reason: string;
  /** Key id → `notAfter` in milliseconds since the epoch. */
  readonly keyExpiries: Readonly<Record<string, number>> | undefined;
}

/** A pool sample: taken when a task is submitted and again when it finished. */
export interface PoolObservation {
  readonly pool: string;
  readonly queueDepth: number | undefined;
  readonly maxQueue: number | undefined;
  readonly threads: number | undefined;
  /** Seconds waited in the queue; only on completion. */
  readonly waitSeconds?: number | undefined;
  /** Seconds run in the worker; only on completion. */
  readonly runSeconds?: number | undefined;
}

/**
 * What a metrics backend records. One subscriber ({@link subscribeMetrics}) turns channel
 * events into these calls, so the OpenTelemetry and Prometheus backends cannot disagree on
 * what an event means.
 * @internal
 */
export interface MetricSink {
  agentCreate(observation: AgentObservation): void;
  agentRun(observation: AgentObservation): void;
  cacheLookup(message: CacheLookupMessage): void;
  cacheEvict(message: CacheEvictMessage): void;
  trustVerdict(observation: VerdictObservation): void;
  codecDecode(backend: string, bytesIn: number, bytesOut: number | undefined): void;
  poolSample(observation: PoolObservation): void;
  poolScale(message: PoolScaleMessage): void;
  templateReload(message: TemplateReloadMessage): void;
}
