import { join } from "node:path";
import { redisInvalidationBus, redisTier } from "@nextgen/cache-redis";
import {
  type AgentFactory,
  type CacheTier,
  compareSemver,
  createAgentFactory,
  directorySource,
  errorCode,
  fileTier,
  type InvalidationBus,
  type KindMap,
  memoryTier,
  parseTemplate,
  type StateStore,
  type TemplateVerifier,
} from "@nextgen/core";
import type { AgentKinds } from "../agents/agent-kinds.js";
import type { AuditRecorder } from "./audit-recorder.js";

/** One verified template version, as `GET /v1/templates` lists it. */
export interface TemplateVersionInfo {
  id: string;
  version: string;
  digest: string;
  signers: string[];
}

/** What a runtime is built from. */
export interface RuntimeParts {
  templatesDir: string;
  /** Builds the trust verifier (reads `TRUST_FILE` again on reload). */
  trust: (stateStore: StateStore) => Promise<TemplateVerifier>;
  stateStore: StateStore;
  cacheDir: string;
  redisUrl: string | undefined;
  redisPrefix: string;
  agents: AgentKinds;
  audit: AuditRecorder;
}

/**
 * A factory and the catalog of verified templates it serves. The service swaps a new one
 * in on reload; the old one closes once its last run ends.
 */
export interface AgentRuntime {
  readonly factory: AgentFactory<KindMap>;
  /** The verifier this runtime's templates were accepted by. */
  readonly trust: TemplateVerifier;
  readonly catalog: ReadonlyMap<string, readonly TemplateVersionInfo[]>;
  /** What could not be verified or loaded. */
  readonly failed: readonly { id: string; code: string; message: string }[];
  /** Counts a run on this runtime; the returned function ends it. */
  acquire(): () => void;
  /** Closes the factory once no run uses it. */
  retire(): Promise<void>;
}

/**
 * Builds a factory over `templatesDir` (memory and file tiers, plus Redis with its bus
 * when `redisUrl` is set), verifies every template version lowest first to build the
 * catalog (each verdict audited), and prewarms the highest version of each id.
 */
export async function buildRuntime(parts: RuntimeParts): Promise<AgentRuntime> {
  const trust = await parts.trust(parts.stateStore);
  const source = directorySource(parts.templatesDir);
  const layers: CacheTier[] = [
    memoryTier({ maxEntries: 10_000 }),
    fileTier({ dir: join(parts.cacheDir, "templates") }),
  ];
  let bus: InvalidationBus | undefined;
  if (parts.redisUrl !== undefined) {
    layers.push(redisTier({ url: parts.redisUrl, keyPrefix: parts.redisPrefix }));
    bus = redisInvalidationBus({ url: parts.redisUrl, channel: `${parts.redisPrefix}invalidate` });
  }
  const factory = createAgentFactory({
    source,
    trust,
    kinds: parts.agents.kinds,
    tools: parts.agents.tools,
    cache: { layers, ...(bus === undefined ? {} : { bus }) },
    audit: parts.audit.sink,
  });

  const catalog = new Map<string, TemplateVersionInfo[]>();
  const failed: { id: string; code: string; message: string }[] = [];
  // Highest version first: once it is accepted, the policy refuses older versions of the
  // id (rollback protection), so the catalog lists exactly the versions a create accepts.
  const refs = [...(await source.list())].sort(
    (a, b) => a.id.localeCompare(b.id) || compareSemver(b.version, a.version),
  );
  for (const ref of refs) {
    const at = `${ref.id}@${ref.version}`;
    try {
      const entry = await source.get(ref.id, ref.version);
      if (!entry) continue;
      const template = parseTemplate(entry.bytes, { location: entry.location });
      const verified = await trust.verify(template);
      const versions = catalog.get(ref.id) ?? [];
      versions.unshift({ id: ref.id, version: ref.version, digest: verified.digest, signers: verified.keyIds });
      catalog.set(ref.id, versions);
      parts.audit.record({
        actor: "system",
        action: "catalog.verify",
        resource: at,
        decision: "accepted",
        digest: verified.digest,
      });
    } catch (error) {
      const code = errorCode(error);
      parts.audit.record({
        actor: "system",
        action: "catalog.verify",
        resource: at,
        decision: "refused",
        reason: code,
      });
      // An older version of an id whose newer version was accepted is superseded, not broken.
      if (code !== "NG_ERR_SIGNATURE_ROLLBACK") {
        failed.push({ id: at, code, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  const report = await factory.prewarm([...catalog.keys()]);
  failed.push(...report.failed);

  let active = 0;
  let retired: (() => void) | undefined;
  const closed = new Promise<void>((resolve) => {
    retired = resolve;
  });
  let retiring = false;
  const maybeClose = (): void => {
    if (retiring && active === 0) retired?.();
  };
  return {
    factory,
    trust,
    catalog,
    failed,
    acquire() {
      active++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        active--;
        maybeClose();
      };
    },
    async retire() {
      retiring = true;
      maybeClose();
      await closed;
      // Closes the tiers and the bus too.
      await factory.close();
    },
  };
}
