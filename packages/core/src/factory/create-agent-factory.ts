import { type Agent, markAgentReady } from "../agent/agent.js";
import type { AgentDelegates } from "../agent/agent-types.js";
import { auditedVerifier, auditInputOf, recordAudit, refusalInputOf } from "../audit/factory-audit.js";
import type { CachedTemplate } from "../cache/cached-template.js";
import { attachFactoryCache, factoryTemplateCache } from "../cache/factory-cache.js";
import { wallClock } from "../clock/clock.js";
import type { AgentCreateContext, TemplateResolveContext } from "../diagnostics/payloads.js";
import { plain, publish, traced, tracing } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";
import { errorCode } from "../errors/uncoded-error.js";
import { attachFactoryPool } from "../pool/factory-pool.js";
import { applyOverrides } from "../template/apply-overrides.js";
import type { ResolvedTemplate } from "../template/types.js";
import { type AgentTools, toolRegistry } from "../tools/tool-registry.js";
import { DEFAULT_OVERRIDABLE } from "../trust/compile-trust-policy.js";
import { checkOverrides } from "../trust/override-policy.js";
import { abortable } from "./abortable.js";
import { agentDelegates } from "./delegates.js";
import { runHealthProbes, sourceProbe, trustProbe } from "./factory-health.js";
import type {
  AgentFactory,
  AgentFactoryOptions,
  AgentKind,
  CreateOptions,
  CreateRequest,
  HealthProbe,
  HealthReport,
  KindMap,
  KindsOf,
  TemplateKindMap,
} from "./factory-types.js";
import { instanceIdPrefix } from "./instance-ids.js";
import { checkModel } from "./model-check.js";
import { forgetResolution, resolveCached } from "./resolve-cached.js";
import { sharedColdCreates } from "./shared-cold-create.js";
import {
  bindTools,
  type LoadedTemplate,
  loadFromSource,
  resolveLoaded,
  type TemplateLoaderParts,
} from "./template-loader.js";
import { validateFactoryOptions } from "./validate-factory-options.js";

type AnyAgent = Agent<never, unknown>;

// A template ready to bind: its cache entry and resolution (`cached`: resolved before this create asked).
interface Ready {
  readonly entry: CachedTemplate<Binding>;
  readonly loaded: LoadedTemplate;
  readonly cached: boolean;
}

// Everything `new Kind(init)` needs, resolved once per (template, kind): the warm path
// is one Map lookup and one constructor call.
interface Binding {
  readonly Kind: AgentKind;
  readonly kind: string;
  readonly template: ResolvedTemplate;
  readonly tools: AgentTools;
  /** Delegations of an agent the host creates (chain: this template only). */
  readonly agents: AgentDelegates;
  /** The chain's earliest signature `exp` / key `notAfter` (ms since the epoch): warm creates stop there. */
  readonly validUntilMs: number;
}

/**
 * Creates the factory that turns template ids into typed agents. Templates go through
 * source → parse → verify (every template of the `extends` chain) → resolve → tool
 * check once, then are cached frozen in the factory's one in-process cache; a warm
 * `create` is one cache lookup and a `new`.
 *
 * TypeScript cannot infer some type arguments and take others explicitly, so to type
 * ids exactly either pass `templateKinds` (also used at run time) or give both type
 * arguments: `createAgentFactory<typeof kinds, { "security/auditor": "specialist" }>(…)`.
 *
 * @example
 * ```ts
 * const factory = createAgentFactory({
 *   source: directorySource("./templates"),
 *   trust: await loadTrustPolicy("./trust.json"),
 *   kinds: { specialist: SpecialistAgent, coordinator: CoordinatorAgent },
 *   tools: toolRegistry({ "secret-scan": scanSecrets }),
 * });
 * const auditor = await factory.create("security/auditor", { kind: "specialist" }); // SpecialistAgent
 * const findings = await auditor.run({ files });
 * await factory.close();
 * ```
 */
export function createAgentFactory<
  const Kinds extends KindsOf<Kinds>,
  const TemplateKinds extends TemplateKindMap<Kinds> = Record<never, never>,
>(options: AgentFactoryOptions<Kinds, TemplateKinds>): AgentFactory<Kinds, TemplateKinds> {
  validateFactoryOptions(options as AgentFactoryOptions<KindMap, Record<string, string>>);
  const kinds: KindMap = { ...(options.kinds as KindMap) };
  const templateKinds = new Map<string, string>(Object.entries(options.templateKinds ?? {}));
  const clock = options.clock ?? wallClock;
  const audit = options.audit;
  const parts: TemplateLoaderParts = {
    source: options.source,
    tools: options.tools ?? toolRegistry({}),
    trust: audit === undefined ? options.trust : auditedVerifier(options.trust, audit, clock),
    now: () => clock.now(),
    // Refused tool calls and delegations go to the sink too (with the tool or delegate named).
    audit: audit === undefined ? undefined : (event) => recordAudit(audit, refusalInputOf(event)),
  };
  // The one in-process cache: verified templates, their resolution and warm bindings.
  const cache = factoryTemplateCache<Binding>(options.cache, parts.source, parts.trust, clock);
  // Parents (and the leaf itself) are read through it too.
  parts.fetch = (id, version, signal) => cache.fetch(id, version, signal);
  const probes: HealthProbe[] = [sourceProbe(parts.source), trustProbe(parts.trust)];
  // What create-time overrides may change: the trust policy says, never the caller.
  const overridable = parts.trust.overridable ?? DEFAULT_OVERRIDABLE;
  const closers: (() => Promise<void> | void)[] = [];
  const prefix = `${instanceIdPrefix()}-`;
  const createChannel = tracing.agentCreate;
  // Creates of a template whose first (cold) create is still running wait for its binding.
  const coldCreates = sharedColdCreates<Binding>();
  let counter = 0;
  let closed = false;
  let closing: Promise<void> | undefined;
  // Cache health, hot reload and prewarm (cache engineer).
  const cacheParts = attachFactoryCache<LoadedTemplate, Binding>({
    options: options.cache,
    cache,
    source: parts.source,
    trust: parts.trust,
    clock,
    load: (id, version) => loadResolved(id, version).then(({ loaded }) => loaded),
    loadUncached: (id) => loadFromSource(parts, id),
    // What hot reload checked, or a pooled prewarm read and parsed, is loaded without a second read.
    loadRead: (id, version, read) =>
      cache.withRead(id, version, read, () => loadResolved(id, version)).then(({ loaded }) => loaded),
    logger: options.logger,
    pool: () => pooling.pool?.(),
    ...(audit === undefined ? {} : { audit: (event) => recordAudit(audit, auditInputOf(event)) }),
  });
  if (cacheParts.probe) probes.push(cacheParts.probe);
  closers.push(() => cacheParts.close());
  // The factory's agent pool (pool engineer): handed to each agent in its init.
  const pooling = attachFactoryPool({ option: options.pool, kinds });
  probes.push(...pooling.probes);
  closers.push(() => pooling.close());

  function instantiate(binding: Binding, agents: AgentDelegates = binding.agents): AnyAgent {
    const agent = new binding.Kind({
      template: binding.template,
      tools: binding.tools,
      kind: binding.kind,
      instanceId: prefix + ++counter,
      agents,
      pool: pooling.pool,
    });
    markAgentReady(agent);
    return agent;
  }

  function bindingFor(
    entry: CachedTemplate<Binding>,
    loaded: LoadedTemplate,
    kindName: string,
    keep: boolean,
  ): Binding {
    const held = entry.bindings.get(kindName);
    if (held !== undefined && held.template === loaded.template) return held;
    const Kind = Object.hasOwn(kinds, kindName) ? kinds[kindName] : undefined;
    if (!Kind) {
      throw new NextGenError(
        "NG_ERR_FACTORY_KIND_UNKNOWN",
        `No agent kind "${kindName}" for template ${loaded.template.id}@${loaded.template.version} (registered kinds: ${Object.keys(kinds).join(", ")}).`,
      );
    }
    checkModel(Kind, kindName, loaded.template);
    const binding = withDelegates({
      Kind,
      kind: kindName,
      template: loaded.template,
      tools: loaded.tools,
      validUntilMs: loaded.validUntilMs,
    });
    if (keep) entry.bindings.set(kindName, binding);
    return binding;
  }

  /**
   * Fetches `id` through the cache and resolves it (once per cache entry). A chain whose
   * earliest verdict expired since is verified again (and refused). While `id` loads, every
   * caller awaits one shared promise of the whole pipeline (see TemplateCache.lookup).
   */
  function loadResolved(id: string, version: string | undefined): Promise<Ready> {
    // A template not resolved yet is traced as one `template.resolve` over the cache lookup,
    // the fetch, verify and resolution (so tier lookups, decode and verify nest under it).
    if (!tracing.templateResolve.hasSubscribers || cache.peek(id, version)?.resolved !== undefined)
      return cache.lookup(id, version, (found) => readyEntry(found, id, version));
    return traced(
      tracing.templateResolve,
      (): TemplateResolveContext => ({ templateId: id, requestedVersion: version }),
      async (context) => {
        const ready = await cache.lookup(id, version, (found) => readyEntry(found, id, version));
        if (context) {
          const { template } = ready.loaded;
          context.version = template.version;
          context.digest = template.digest;
          context.origin = "source";
          context.chain = template.chain.map((link) => link.id);
        }
        return ready;
      },
    );
  }

  /** Resolves `entry`'s template (fetched and verified by the cache already): parents, tools. */
  function resolveFrom(entry: CachedTemplate<Binding>, id: string, version: string | undefined) {
    const leaf = { template: entry.template, validUntilMs: entry.validUntilMs };
    return () => resolveLoaded(parts, id, version, undefined, leaf, undefined);
  }

  /** The pipeline after the cache lookup: verdict check, the entry's one resolution, the chain's verdict check. */
  async function readyEntry(
    found: CachedTemplate<Binding> | undefined,
    id: string,
    version: string | undefined,
  ): Promise<Ready> {
    const entry = checkedEntry(id, version, found) ?? (await fetchEntry(id, version));
    const cached = entry.resolved !== undefined;
    let loaded = await resolveEntry(entry, id, version);
    if (!(loaded.validUntilMs === Number.POSITIVE_INFINITY || clock.now() < loaded.validUntilMs)) {
      loaded = await resolveAgain(entry, id, version);
    }
    return { entry, loaded, cached };
  }

  /** The entry's one resolution, started by the first create that needs it. */
  function resolveEntry(
    entry: CachedTemplate<Binding>,
    id: string,
    version: string | undefined,
  ): Promise<LoadedTemplate> {
    return entry.resolved ?? resolveCached(cache, entry, resolveFrom(entry, id, version));
  }

  /** `entry` when its verdict holds; `undefined` when it must be fetched (and verified) again. Throws for no template. */
  function checkedEntry(
    id: string,
    version: string | undefined,
    entry: CachedTemplate<Binding> | undefined,
  ): CachedTemplate<Binding> | undefined {
    if (entry === undefined) throw notFoundError(id, version);
    return cache.holds(entry) ? entry : undefined;
  }

  /** An expired signature or key sends the template back through verify (and is refused). */
  async function fetchEntry(id: string, version: string | undefined): Promise<CachedTemplate<Binding>> {
    const entry = await cache.fetch(id, version, undefined);
    if (entry === undefined) throw notFoundError(id, version);
    return entry;
  }

  /** A signature or key of the chain expired since it was verified: verify again (and refuse). */
  function resolveAgain(
    entry: CachedTemplate<Binding>,
    id: string,
    version: string | undefined,
  ): Promise<LoadedTemplate> {
    forgetResolution(entry);
    return resolveCached(cache, entry, resolveFrom(entry, id, version));
  }

  function notFoundError(id: string, version: string | undefined): NextGenError {
    const what = version === undefined ? id : `${id}@${version}`;
    return new NextGenError("NG_ERR_TEMPLATE_NOT_FOUND", `Source ${parts.source.name} holds no template ${what}.`);
  }

  function withDelegates(binding: Omit<Binding, "agents">): Binding {
    const delegates = agentDelegates(binding.template, [binding.template.id], delegate, () => clock.now(), parts.audit);
    return { ...binding, agents: delegates };
  }

  // A sub-agent: created through the same pipeline (verified, tools and model checked) as any other.
  function delegate(id: string, chain: readonly string[], signal: AbortSignal | undefined): Promise<AnyAgent> {
    return createTraced(id, signal === undefined ? undefined : { signal }, chain);
  }

  function closedError(id: string): NextGenError {
    return new NextGenError("NG_ERR_FACTORY_CLOSED", `Cannot create ${id}: the factory is closed.`);
  }

  async function createCold(
    id: string,
    createOptions: CreateOptions | undefined,
    context: AgentCreateContext | undefined,
    chain?: readonly string[],
  ): Promise<AnyAgent> {
    if (closed) throw closedError(id);
    const version = createOptions?.version;
    const signal = createOptions?.signal;
    if (signal?.aborted) {
      throw new NextGenError("NG_ERR_AGENT_ABORTED", `create(${id}) was aborted.`, { cause: signal.reason });
    }
    // The shared work takes no caller's signal: one caller aborting must not fail the others.
    let ready: Ready;
    try {
      ready = await abortable(loadResolved(id, version), signal);
    } catch (error) {
      // The factory closed (and its cache with it) while this load ran.
      throw closed ? closedError(id) : error;
    }
    const { entry, loaded, cached } = ready;
    if (closed) throw closedError(id);
    const requestedKind = createOptions?.kind;
    const kindName = requestedKind ?? templateKinds.get(id) ?? loaded.template.role;
    // Only what the cache still holds gets bindings: a load that raced an invalidation must not become warm.
    const current = cache.peek(id, version) === entry && entry.chainIds !== undefined;
    let binding = bindingFor(entry, loaded, kindName, current);
    const overrides = createOptions?.overrides;
    if (overrides !== undefined) {
      const applied = checkOverrides(loaded.template, overrides, overridable);
      const template = applyOverrides(loaded.template, overrides);
      checkModel(binding.Kind, binding.kind, template);
      binding = withDelegates({ ...binding, template, tools: bindTools(parts, template, loaded.chain) });
      if (applied.length > 0)
        publish(plain.audit, () => ({
          type: "agent.create",
          time: clock.now(),
          templateId: id,
          version: loaded.template.version,
          digest: loaded.template.digest,
          verdict: "overridden",
          detail: { overrides: applied },
        }));
    } else if (chain === undefined && requestedKind === undefined && current) {
      entry.warm = binding;
    }
    const agent =
      chain === undefined
        ? instantiate(binding)
        : instantiate(
            binding,
            agentDelegates(binding.template, chain, delegate, () => clock.now(), parts.audit),
          );
    if (context) {
      context.kind = binding.kind;
      context.instanceId = agent.id;
      context.agentName = binding.template.name;
      context.version = binding.template.version;
      context.digest = binding.template.digest;
      context.cached = cached;
    }
    return agent;
  }

  function createTraced(
    id: string,
    createOptions: CreateOptions | undefined,
    chain?: readonly string[],
  ): Promise<AnyAgent> {
    return traced(
      createChannel,
      (): AgentCreateContext => ({ templateId: id, requestedVersion: createOptions?.version }),
      (context) => createCold(id, createOptions, context, chain),
    ).catch((error: unknown) => refused(id, createOptions, error));
  }

  /** Publishes a refused create on `nextgen:audit` (not a close), then rethrows. */
  function refused(id: string, createOptions: CreateOptions | undefined, error: unknown): never {
    if (NextGenError.is(error) && error.code !== "NG_ERR_FACTORY_CLOSED") {
      publish(plain.audit, () => ({
        type: "agent.create",
        time: clock.now(),
        templateId: id,
        ...(createOptions?.version === undefined ? {} : { version: createOptions.version }),
        verdict: "refused",
        reason: error.code,
        detail: { message: error.message },
      }));
    }
    throw error;
  }

  /** A usable warm binding: not expired (a template with no bound costs no clock read). */
  function usable(binding: Binding | undefined): binding is Binding {
    return (
      binding !== undefined && (binding.validUntilMs === Number.POSITIVE_INFINITY || clock.now() < binding.validUntilMs)
    );
  }

  /** `create(id)` while another create of `id` loads it: its binding, instantiated; the full path when it left none. */
  function createJoined(id: string, joined: Promise<Binding | undefined>): Promise<AnyAgent> {
    return joined.then(
      (binding) => {
        if (closed) throw closedError(id);
        return usable(binding) ? instantiate(binding) : createTraced(id, undefined);
      },
      (error: unknown) => refused(id, undefined, error),
    );
  }

  function create(id: string, createOptions?: CreateOptions): Promise<AnyAgent> {
    if (audit === undefined) return createUnaudited(id, createOptions);
    const actor = createOptions?.audit?.actor ?? null;
    const traceId = createOptions?.audit?.traceId ?? null;
    return createUnaudited(id, createOptions).then(
      (agent) => {
        const { version, digest } = agent.template;
        recordAudit(audit, {
          actor,
          traceId,
          action: "agent.create",
          time: clock.now(),
          resource: `${id}@${version}`,
          decision: "succeeded",
          digest,
        });
        return agent;
      },
      (error: unknown) => {
        const version = createOptions?.version;
        const reason = errorCode(error);
        const resource = version === undefined ? id : `${id}@${version}`;
        recordAudit(audit, {
          actor,
          traceId,
          action: "agent.create",
          time: clock.now(),
          resource,
          decision: "refused",
          reason,
        });
        throw error;
      },
    );
  }

  function createUnaudited(id: string, createOptions?: CreateOptions): Promise<AnyAgent> {
    // Warm path: no subscriber, the template's own kind, no overrides, already bound.
    if (!closed && !createChannel.hasSubscribers) {
      let binding: Binding | undefined;
      // One call of a class method (see TemplateCache.l1): stays inlined with several factories in a process.
      if (createOptions === undefined) binding = cache.l1.fresh(id)?.warm;
      else if (
        createOptions.overrides === undefined &&
        createOptions.kind === undefined &&
        createOptions.signal?.aborted !== true
      ) {
        binding = cache.l1.fresh(createOptions.version === undefined ? id : `${id}@${createOptions.version}`)?.warm;
      }
      // Expired verdicts never create warm.
      if (usable(binding)) return Promise.resolve(instantiate(binding));
      if (createOptions === undefined) {
        const joined = coldCreates.joining(id);
        if (joined !== undefined) return createJoined(id, joined);
        return coldCreates.lead(
          id,
          () => createTraced(id, undefined),
          () => cache.peek(id, undefined)?.warm,
        );
      }
    }
    return createTraced(id, createOptions);
  }

  async function createMany(requests: readonly CreateRequest[]): Promise<AnyAgent[]> {
    if (!Array.isArray(requests)) throw new OptionsError("requests", "must be an array of { id, version?, kind? }.");
    const settled = await Promise.allSettled(requests.map((request) => create(request.id, request)));
    const failed = settled.find((result) => result.status === "rejected");
    if (!failed) return settled.map((result) => (result as PromiseFulfilledResult<AnyAgent>).value);
    await Promise.allSettled(
      settled.map((result) => (result.status === "fulfilled" ? result.value.dispose() : undefined)),
    );
    throw failed.reason;
  }

  function close(): Promise<void> {
    if (closing) return closing;
    closed = true;
    closing = (async () => {
      for (const closer of closers) await closer();
      await parts.source.close?.();
    })();
    return closing;
  }

  const factory = {
    create,
    createMany,
    prewarm: cacheParts.prewarm,
    health: (healthOptions?: { signal?: AbortSignal }): Promise<HealthReport> =>
      runHealthProbes(probes, healthOptions?.signal),
    close,
  };
  return factory as unknown as AgentFactory<Kinds, TemplateKinds>;
}
