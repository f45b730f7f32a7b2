import type { Agent } from "../agent/agent.js";
import type { AgentInit } from "../agent/agent-types.js";
import type { AuditSink } from "../audit/audit-sink.js";
import type { FactoryCacheOptions, PrewarmReport } from "../cache/cache-options.js";
import type { PrewarmOptions } from "../cache/prewarm-options.js";
import type { Clock } from "../clock/clock.js";
import type { DiagnosticsLogger } from "../diagnostics/diagnostics-logger.js";
import type { AgentPool, AgentPoolOptions } from "../pool/agent-pool-types.js";
import type { TemplateSource } from "../source/template-source.js";
import type { TemplateOverrides } from "../template/types.js";
import type { ToolRegistry } from "../tools/tool-registry.js";
import type { TemplateVerifier } from "../trust/template-verifier.js";

/** The model names a kind knows (a model registry): `config.model` outside them is refused at load. */
export interface ModelNames {
  /** Registered names, sorted. */
  readonly names: readonly string[];
  /** Whether `name` is registered. */
  has(name: string): boolean;
}

/**
 * An agent class the factory can instantiate: `new Kind(init)`. A kind that reads
 * `config.model` declares the names it knows as a static `models` (default deny).
 */
export type AgentKind = (new (init: AgentInit) => Agent<never, unknown>) & { readonly models?: ModelNames | undefined };

/** Kind name → agent class. Keys are role names (`specialist`) or host-defined kind names. */
export type KindMap = Record<string, AgentKind>;

/**
 * The constraint on a factory's kinds: every member an agent class. Unlike
 * {@link KindMap} it also accepts an `interface` (which has no index signature).
 */
export type KindsOf<Kinds> = { readonly [K in keyof Kinds]: AgentKind };

/** Template id → kind name, for templates whose kind the type system should know exactly. */
export type TemplateKindMap<Kinds> = Record<string, keyof Kinds & string>;

/** Options of {@link createAgentFactory}. */
export interface AgentFactoryOptions<
  Kinds extends KindsOf<Kinds> = KindMap,
  TemplateKinds extends TemplateKindMap<Kinds> = Record<never, never>,
> {
  /** Where templates come from (`directorySource`, `memorySource`, or your own). */
  source: TemplateSource;
  /**
   * Agent classes by kind name. A template's `role` selects its kind unless `create`
   * passes `kind` (or `templateKinds` maps its id). At least one.
   */
  kinds: Kinds;
  /**
   * Template id → kind name, used when `create` passes no `kind`; also types `create`
   * for those ids exactly.
   * @default {}
   */
  templateKinds?: TemplateKinds;
  /**
   * The host's tools (`toolRegistry({...})`). A template naming a tool not registered
   * here is refused at load with `NG_ERR_TOOL_UNKNOWN`.
   * @default an empty registry (every tool denied)
   */
  tools?: ToolRegistry;
  /**
   * Verifies every template of an `extends` chain before it is resolved: a trust policy
   * from `loadTrustPolicy("./trust.json")` or `trustPolicy(document)`. A refused template
   * never reaches an agent constructor. Required, with no default: accepting unsigned
   * templates is an explicit opt-out in the policy (`requireSignatures: false`), which
   * warns once per process.
   */
  trust: TemplateVerifier;
  /**
   * In-process cache of resolved, frozen templates, and the cache tiers below it (`layers`).
   * @default { maxEntries: 1000 } (in-process only, no tiers)
   */
  cache?: FactoryCacheOptions;
  /**
   * Wall clock (milliseconds since the epoch) for audit events and for the verdict bounds
   * (signature `exp`, key `notAfter`) that warm creates stop at.
   * @default wallClock
   */
  clock?: Clock;
  /**
   * Where the factory writes what needs attention: hot reloads refused (`warn`, with the
   * code and reason; the last good version stays live), applied and removed (`info`).
   * Any pino-compatible `{ info, warn, error }`. For every factory of the process, see
   * `logDiagnostics(logger)`.
   * @default none (diagnostics channels only)
   */
  logger?: DiagnosticsLogger;
  /**
   * The worker pool of worker-backed kinds (`workerKind(file)` without its own `pool`):
   * a pool from `createAgentPool()` (yours to close; factories may share it), or its
   * options (`{ maxThreads: "auto" }`, validated here) for a pool the factory creates on
   * the first worker run and closes in `factory.close()`. The factory hands it to each
   * agent it creates (`AgentInit.pool`). `factory.health()` reports it as `pool`.
   * @default none (each worker-backed kind runs its own pool)
   */
  pool?: AgentPool | AgentPoolOptions;
  /**
   * Where the factory records its decisions (`fileAuditLog({ path })` or your own sink):
   * every template verdict (`trust.verify`, accepted or refused), every create outcome
   * (`agent.create`, succeeded or refused, with the caller's `audit` context), every
   * refused tool call (`tool.call`) and delegation (`agent.delegate`) of its agents, with the
   * error code and the tool or delegate named in `reason`, and every hot-reload outcome
   * (`template.reload`). A sink that fails never fails a create. The sink is yours to
   * close, after the factory.
   * @default none
   */
  audit?: AuditSink;
}

/** Options of `factory.create`. */
export interface CreateOptions<KindName extends string = string> {
  /** Kind to create, overriding the template's role. */
  kind?: KindName | undefined;
  /** Exact template version; the highest the source holds when omitted. */
  version?: string | undefined;
  /** Changes applied to this instance's template (validated; the cached template is untouched). */
  overrides?: TemplateOverrides | undefined;
  /** Aborts a load from the source (has no effect on a cached template). */
  signal?: AbortSignal | undefined;
  /** Who asked and in which trace, for the `agent.create` record of the factory's `audit` sink. */
  audit?: { actor?: string | undefined; traceId?: string | undefined } | undefined;
}

/** One entry of `factory.createMany`. */
export interface CreateRequest<KindName extends string = string> extends CreateOptions<KindName> {
  /** Template id. */
  id: string;
}

/** Health of one component of the factory (source, trust root, cache tier, pool). */
export interface ComponentHealth {
  /** Component name (`source`, `trust`, `cache:redis`, `pool`). */
  name: string;
  /** Its status. */
  status: "healthy" | "degraded" | "unhealthy";
  /** Why, when not healthy. */
  reason?: string;
  /** Extra details (sizes, expiries), JSON-serialisable. */
  detail?: Record<string, unknown>;
}

/** The factory's health: the worst of its components. */
export interface HealthReport {
  /** Overall status. */
  status: "healthy" | "degraded" | "unhealthy";
  /** Each component's health. */
  components: ComponentHealth[];
}

/** A health check of one component; must not throw (a thrown error counts as unhealthy). */
export type HealthProbe = (signal: AbortSignal | undefined) => Promise<ComponentHealth> | ComponentHealth;

/**
 * Turns template ids into typed agent instances. The instance type follows the kind:
 * `create(id, { kind: "coordinator" })` is an instance of `kinds.coordinator`; ids in
 * `templateKinds` give their kind's instance; any other id gives the union of the kinds.
 */
export interface AgentFactory<
  Kinds extends KindsOf<Kinds> = KindMap,
  TemplateKinds extends TemplateKindMap<Kinds> = Record<never, never>,
> {
  /** Creates an agent of the given kind from template `id`. */
  create<K extends keyof Kinds & string>(
    id: string,
    options: CreateOptions<K> & { kind: K },
  ): Promise<InstanceType<Kinds[K]>>;
  /** Creates an agent from a template whose kind `templateKinds` declares. */
  create<Id extends keyof TemplateKinds & string>(
    id: Id,
    options?: CreateOptions<never>,
  ): Promise<InstanceType<Kinds[TemplateKinds[Id]]>>;
  /** Creates an agent of the kind the template's role selects. */
  create(id: string, options?: CreateOptions<never>): Promise<InstanceType<Kinds[keyof Kinds]>>;
  /**
   * Creates several agents; all or nothing (agents already created are disposed when
   * one fails, and the first failure is thrown).
   */
  createMany(requests: readonly CreateRequest<keyof Kinds & string>[]): Promise<InstanceType<Kinds[keyof Kinds]>[]>;
  /**
   * Loads templates (`id` or `id@version`) into the caches ahead of the first create,
   * so that a service's first requests are warm. Never rejects for a template: failures
   * are reported (bad `options` reject with `NG_ERR_OPTIONS_INVALID`). With
   * `{ pool: true }` and a factory `pool`, templates are parsed in the pool (verified here).
   *
   * @example
   * ```ts
   * const { failed } = await factory.prewarm(allIds, { pool: true });
   * ```
   */
  prewarm(ids: readonly string[], options?: PrewarmOptions): Promise<PrewarmReport>;
  /** Checks every component (source reachable, and those others register). */
  health(options?: { signal?: AbortSignal }): Promise<HealthReport>;
  /** Stops the factory: later `create` calls reject with `NG_ERR_FACTORY_CLOSED`. Idempotent. */
  close(): Promise<void>;
}
