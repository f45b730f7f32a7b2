import type { SourceRead } from "../cache/source-read.js";
import { templateDigest } from "../canonical/template-digest.js";
import type { AuditEvent, TemplateResolveContext } from "../diagnostics/payloads.js";
import { plain, publish, traced, tracing } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { assertServedIdentity } from "../source/identity-mismatch.js";
import type { SourceEntry, TemplateSource } from "../source/template-source.js";
import { parseTemplate } from "../template/parse-template.js";
import { resolveTemplateWith } from "../template/resolve-template.js";
import type { AgentTemplate, ResolvedTemplate, TemplateDigest } from "../template/types.js";
import { type AgentTools, bindTemplateTools, type ToolRegistry } from "../tools/tool-registry.js";
import type { TemplateVerifier } from "../trust/template-verifier.js";
import { verifiedDigestOf } from "../trust/verified-digest.js";

/** A template that passed the whole load pipeline, with its tools bound. @internal */
export interface LoadedTemplate {
  /** Resolved and deeply frozen. */
  readonly template: ResolvedTemplate;
  /** The templates of the chain as parsed (child first), to locate tools in error messages. */
  readonly chain: readonly AgentTemplate[];
  /** The tools the template grants, checked against the registry. */
  readonly tools: AgentTools;
  /**
   * Until when every verdict of the chain holds (earliest signature `exp` and key
   * `notAfter`), in milliseconds since the epoch; `Infinity` for no bound. Creates after
   * it load (and verify) again, so an expired template is refused even when cached.
   */
  readonly validUntilMs: number;
}

/** A template fetched and verified, with the time its verdict holds until. @internal */
export interface FetchedTemplate {
  readonly template: AgentTemplate;
  /** Milliseconds since the epoch; `Infinity` for no bound. */
  readonly validUntilMs: number;
}

/** What the loader needs from the factory. @internal */
export interface TemplateLoaderParts {
  source: TemplateSource;
  tools: ToolRegistry;
  trust: TemplateVerifier;
  /** Time of audit events (the factory's clock). */
  now?: (() => number) | undefined;
  /** The factory's `audit` sink, fed the refusals the loader's parts decide (refused tool calls). */
  audit?: ((event: AuditEvent) => void) | undefined;
  /** Reads and verifies through the cache tiers when `cache.layers` is set (cache engineer). */
  fetch?: (
    id: string,
    version: string | undefined,
    signal: AbortSignal | undefined,
  ) => Promise<FetchedTemplate | undefined>;
}

/**
 * Describes where a tool name comes from along the chain (`security/auditor@1.2.0 /tools/1`),
 * so an unknown tool is reported in the file a person has to edit.
 * @internal
 */
export function locateTool(chain: readonly AgentTemplate[], name: string): string {
  for (const template of chain) {
    const index = template.tools?.indexOf(name) ?? -1;
    if (index !== -1) return `${template.id}@${template.version} at /tools/${index}`;
  }
  return "the create overrides at /tools";
}

/** Binds `template`'s tools, refusing unknown ones with the template and pointer that named them. @internal */
export function bindTools(
  parts: TemplateLoaderParts,
  template: ResolvedTemplate,
  chain: readonly AgentTemplate[],
): AgentTools {
  const now = parts.now ?? Date.now;
  return bindTemplateTools(parts.tools, template.tools, (name) => locateTool(chain, name), {
    pins: template.toolPins,
    subject: `${template.id}@${template.version}`,
    onRefused: (name, code, message, agent) => {
      const event = (): AuditEvent => ({
        type: "tool.call",
        time: now(),
        templateId: template.id,
        version: template.version,
        digest: template.digest,
        verdict: "refused",
        reason: code,
        detail: { tool: name, message, ...(agent === undefined ? {} : { instanceId: agent.id }) },
      });
      publish(plain.audit, event);
      parts.audit?.(event());
    },
  });
}

/**
 * A template's digest, as the trust policy computed it while verifying the very same
 * (deep-frozen) object, else computed here: a cold create canonicalizes and hashes once.
 */
const digestOf = (template: AgentTemplate): TemplateDigest => verifiedDigestOf(template) ?? templateDigest(template);

/** Source (or cache tiers) → parse → id check → verify, for one template. @internal */
export async function fetchVerified(
  parts: TemplateLoaderParts,
  id: string,
  version: string | undefined,
  signal: AbortSignal | undefined,
): Promise<FetchedTemplate | undefined> {
  if (parts.fetch) return parts.fetch(id, version, signal);
  return readVerified(parts, id, version, signal);
}

/** Source → parse → id check → verify, for one template, with the entry it came from. @internal */
async function readVerified(
  parts: TemplateLoaderParts,
  id: string,
  version: string | undefined,
  signal: AbortSignal | undefined,
): Promise<(FetchedTemplate & { entry: SourceEntry }) | undefined> {
  const entry = await parts.source.get(id, version, { signal });
  if (!entry) return undefined;
  const template = parseTemplate(entry.bytes, { location: entry.location });
  // Defence in depth: the source checks names, but a host's own source may not.
  assertServedIdentity(template, entry, `the source served it as ${entry.id}@${entry.version}`);
  const verified = await parts.trust.verify(template, { signal });
  return { template, validUntilMs: verified?.validUntilMs ?? Number.POSITIVE_INFINITY, entry };
}

function notFoundError(parts: TemplateLoaderParts, id: string, version: string | undefined): NextGenError {
  const what = version === undefined ? id : `${id}@${version}`;
  return new NextGenError("NG_ERR_TEMPLATE_NOT_FOUND", `Source ${parts.source.name} holds no template ${what}.`);
}

/**
 * The whole pipeline for the latest `id` straight from the source, bypassing every cache
 * (hot reload checks an update with it): source bytes → parse → verify (every template of
 * the `extends` chain) → resolve → tool check. Also returns what was read, so that the
 * cache can take the update without reading it again. Traced on `nextgen:template.resolve`.
 * @internal
 */
export function loadFromSource(
  parts: TemplateLoaderParts,
  id: string,
): Promise<{ loaded: LoadedTemplate; read: SourceRead }> {
  const uncached: TemplateLoaderParts = { ...parts, fetch: undefined };
  return traced(
    tracing.templateResolve,
    (): TemplateResolveContext => ({ templateId: id, requestedVersion: undefined }),
    async (context) => {
      const leaf = await readVerified(uncached, id, undefined, undefined);
      if (!leaf) throw notFoundError(parts, id, undefined);
      const loaded = await resolveLoaded(uncached, id, undefined, undefined, leaf, context);
      return { loaded, read: { entry: leaf.entry, template: leaf.template } };
    },
  );
}

/**
 * The cold path of `create` after the cache lookup, for a caller that opened its span: the factory,
 * whose span also covers the cache lookup. `leaf` is the template the cache fetched and
 * verified already (so it is not fetched twice); its parents are fetched (and verified
 * under its delegation) here.
 * @internal
 */
export async function resolveLoaded(
  parts: TemplateLoaderParts,
  id: string,
  version: string | undefined,
  signal: AbortSignal | undefined,
  leaf: FetchedTemplate | undefined,
  context: TemplateResolveContext | undefined,
): Promise<LoadedTemplate> {
  const fetched = leaf ?? (await fetchVerified(parts, id, version, signal));
  if (!fetched) throw notFoundError(parts, id, version);
  const chain: AgentTemplate[] = [fetched.template];
  // The chain is only as valid as its earliest-expiring verdict.
  let validUntilMs = fetched.validUntilMs;
  const template = await resolveTemplateWith(
    fetched.template,
    async (parentId) => {
      const parent = await fetchVerified(parts, parentId, undefined, signal);
      if (!parent) return undefined;
      // Each parent shapes the leaf's agent: it must also satisfy the leaf's delegation.
      await parts.trust.verify(parent.template, {
        governingId: fetched.template.id,
        ...(signal === undefined ? {} : { signal }),
      });
      chain.push(parent.template);
      validUntilMs = Math.min(validUntilMs, parent.validUntilMs);
      return parent.template;
    },
    digestOf,
  );
  const tools = bindTools(parts, template, chain);
  if (context) {
    context.version = template.version;
    context.digest = template.digest;
    context.origin = "source";
    context.chain = template.chain.map((link) => link.id);
  }
  return { template, chain, tools, validUntilMs };
}
