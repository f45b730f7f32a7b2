import { assertLogger } from "../diagnostics/log-diagnostics.js";
import { OptionsError } from "../errors/options-error.js";
import type { AgentFactoryOptions, KindMap } from "./factory-types.js";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Checks `createAgentFactory`'s options, throwing an `OptionsError` naming the first bad one. @internal */
export function validateFactoryOptions(options: AgentFactoryOptions<KindMap, Record<string, string>>): void {
  if (!isObject(options)) throw new OptionsError("options", "must be an object.");
  const { source, kinds, templateKinds, tools, trust, cache, clock, audit } = options;
  if (!isObject(source) || typeof source.get !== "function" || typeof source.list !== "function") {
    throw new OptionsError("options.source", "must be a TemplateSource (directorySource, memorySource, …).");
  }
  if (!isObject(kinds) || Object.keys(kinds).length === 0) {
    throw new OptionsError("options.kinds", "must map at least one kind name to an agent class.");
  }
  for (const [name, kind] of Object.entries(kinds)) {
    if (typeof kind !== "function" || !isObject(kind.prototype) || typeof kind.prototype.run !== "function") {
      throw new OptionsError(`options.kinds.${name}`, "must be a class extending Agent.");
    }
  }
  if (templateKinds !== undefined) {
    if (!isObject(templateKinds))
      throw new OptionsError("options.templateKinds", "must map template ids to kind names.");
    for (const [id, kind] of Object.entries(templateKinds)) {
      if (typeof kind !== "string" || !Object.hasOwn(kinds, kind)) {
        throw new OptionsError(
          `options.templateKinds["${id}"]`,
          `names kind ${JSON.stringify(kind)}, which is not in options.kinds.`,
        );
      }
    }
  }
  if (tools !== undefined && (!isObject(tools) || typeof tools.get !== "function" || typeof tools.has !== "function")) {
    throw new OptionsError("options.tools", "must be a registry from toolRegistry({...}).");
  }
  if (!isObject(trust) || typeof trust.verify !== "function") {
    throw new OptionsError(
      "options.trust",
      "must be a TemplateVerifier: a trust policy from loadTrustPolicy(file) or trustPolicy(document) listing the keys that sign your templates (`nextgen keygen`, `nextgen trust init`). Accepting unsigned templates is an explicit, warned opt-out: requireSignatures: false in the policy.",
    );
  }
  if (cache !== undefined) {
    if (!isObject(cache)) throw new OptionsError("options.cache", "must be an object.");
    const { maxEntries } = cache;
    if (maxEntries !== undefined && (!Number.isSafeInteger(maxEntries) || maxEntries < 2)) {
      throw new OptionsError("options.cache.maxEntries", `must be an integer ≥ 2, got ${String(maxEntries)}.`);
    }
  }
  if (options.logger !== undefined) assertLogger(options.logger, "options.logger");
  if (clock !== undefined && (clock === null || typeof (clock as { now?: unknown }).now !== "function")) {
    throw new OptionsError("options.clock", "must have a now() method returning milliseconds.");
  }
  if (
    audit !== undefined &&
    (!isObject(audit) || typeof audit.append !== "function" || typeof audit.close !== "function")
  ) {
    throw new OptionsError(
      "options.audit",
      "must be an AuditSink ({ append(event), close() }), such as fileAuditLog({ path }).",
    );
  }
}
