import { templateDigest } from "../canonical/template-digest.js";
import { TemplateResolveError } from "../errors/template-resolve-error.js";
import { TemplateValidationError, type ValidationIssue } from "../errors/template-validation-error.js";
import type { JsonSchema } from "../tools/tool-definition.js";
import { requiredIssue } from "./check-rule.js";
import { deepFreeze, mergeTemplateLayer } from "./merge-layer.js";
import { MAX_INSTRUCTIONS_TOTAL, RESOLVED_REQUIRED } from "./schema-rules.js";
import type { AgentTemplate, ResolvedTemplate, TemplateDigest } from "./types.js";
import { validateTemplate } from "./validate-template.js";

/** Longest accepted `extends` chain, the template itself included. */
export const MAX_EXTENDS_CHAIN = 16;

/** Loads the parent named by `extends`; `undefined` when no such template exists. */
export type LoadParentTemplate = (id: string) => AgentTemplate | undefined | Promise<AgentTemplate | undefined>;

/** Fields that are never inherited: they describe the file itself. */
const OWN_FIELDS: ReadonlySet<string> = new Set(["$schema", "schemaVersion", "id", "version", "extends", "signatures"]);

/**
 * Resolves a template's `extends` chain (any number of levels, up to 16 templates) into
 * the deeply frozen template an agent runs with. Merge rules, parent first: objects
 * merge deeply, arrays are an ordered union (parent first, no duplicates), scalars
 * override, and `null` in a child removes the key. `schemaVersion`, `extends` and
 * `signatures` are not inherited. The result must have `name`, `role` and
 * `description`; every missing one is reported.
 *
 * @param template - The leaf template (already verified and validated).
 * @param loadParent - Returns the template with the given id, or `undefined` when there is none.
 * @returns A frozen template whose `digest` is the leaf's own and whose `chain` lists
 *   every template, leaf first, each with its own digest.
 * @throws {TemplateResolveError} `NG_ERR_TEMPLATE_EXTENDS_CYCLE` (the message names the whole
 *   chain, `a/x → b/y → a/x`), `NG_ERR_TEMPLATE_EXTENDS_TOO_DEEP`, `NG_ERR_TEMPLATE_NOT_FOUND`.
 * @throws {TemplateValidationError} `NG_ERR_TEMPLATE_INVALID` when a template in the chain
 *   is invalid or the merged result lacks required fields.
 * @example
 * ```ts
 * import { parseTemplate, resolveTemplate } from "@nextgen/core";
 *
 * const templates = new Map([base, auditor].map((text) => {
 *   const template = parseTemplate(text);
 *   return [template.id, template];
 * }));
 * const resolved = await resolveTemplate(templates.get("security/auditor")!, (id) => templates.get(id));
 * resolved.chain.map((link) => link.id); // ["security/auditor", "base/specialist"]
 * ```
 */
export function resolveTemplate(template: AgentTemplate, loadParent: LoadParentTemplate): Promise<ResolvedTemplate> {
  return resolveTemplateWith(template, loadParent, templateDigest);
}

/**
 * {@link resolveTemplate} with the digest of each template of the chain taken from
 * `digestOf`: the factory passes the digests its trust policy computed from the same
 * (frozen) objects while verifying them, instead of canonicalizing and hashing them again.
 * `digestOf` must return what `templateDigest` would.
 * @internal
 *
 * @example
 * ```ts
 * const resolved = await resolveTemplateWith(leaf, loadParent, (link) => verifiedDigestOf(link) ?? templateDigest(link));
 * ```
 */
export async function resolveTemplateWith(
  template: AgentTemplate,
  loadParent: LoadParentTemplate,
  digestOf: (template: AgentTemplate) => TemplateDigest,
): Promise<ResolvedTemplate> {
  const chain = await collectChain(template, loadParent);
  let merged: Record<string, unknown> = {};
  for (let index = chain.length - 1; index >= 0; index--)
    merged = mergeTemplateLayer(merged, inheritedPart(chain[index]!));

  const issues: ValidationIssue[] = [];
  for (const key of RESOLVED_REQUIRED) {
    if (merged[key] === undefined) {
      const issue = requiredIssue(`/${key}`, key);
      issue.message += chain.length > 1 ? " (no template in the extends chain sets it)" : "";
      issues.push(issue);
    }
  }
  issues.push(...resolvedFieldIssues(merged));
  if (issues.length > 0) {
    throw new TemplateValidationError(issues, { subject: `resolved template ${template.id}@${template.version}` });
  }

  const links = chain.map((link) => ({ id: link.id, version: link.version, digest: digestOf(link) }));
  return deepFreeze(buildResolved(merged, template, links[0]!.digest, links));
}

async function collectChain(template: AgentTemplate, loadParent: LoadParentTemplate): Promise<AgentTemplate[]> {
  const chain = [checked(template)];
  const ids = [template.id];
  let current = template;
  while (current.extends !== undefined) {
    const parentId = current.extends;
    if (ids.includes(parentId)) {
      const cycle = [...ids, parentId];
      throw new TemplateResolveError("NG_ERR_TEMPLATE_EXTENDS_CYCLE", `extends cycle: ${cycle.join(" → ")}`, cycle);
    }
    if (chain.length >= MAX_EXTENDS_CHAIN) {
      throw new TemplateResolveError(
        "NG_ERR_TEMPLATE_EXTENDS_TOO_DEEP",
        `extends chain is longer than ${MAX_EXTENDS_CHAIN} templates: ${[...ids, parentId].join(" → ")}`,
        ids,
      );
    }
    const parent = await loadParent(parentId);
    if (parent === undefined || parent.id !== parentId) {
      const found = parent === undefined ? "which was not found" : `but loading it returned "${parent.id}"`;
      throw new TemplateResolveError(
        "NG_ERR_TEMPLATE_NOT_FOUND",
        `template "${current.id}" extends "${parentId}", ${found} (chain: ${[...ids, parentId].join(" → ")})`,
        [...ids, parentId],
      );
    }
    chain.push(checked(parent));
    ids.push(parentId);
    current = parent;
  }
  return chain;
}

function checked(template: AgentTemplate): AgentTemplate {
  const result = validateTemplate(template);
  if (!result.valid) throw new TemplateValidationError(result.issues, { subject: `template ${String(template.id)}` });
  return result.template;
}

function inheritedPart(template: AgentTemplate): Record<string, unknown> {
  const part: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) if (!OWN_FIELDS.has(key)) part[key] = value;
  return part;
}

/** Rules that only hold once the chain is merged: prompt size, pins naming granted tools. */
function resolvedFieldIssues(merged: Record<string, unknown>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const instructions = joinInstructions(merged.instructions);
  if (instructions !== undefined && instructions.length > MAX_INSTRUCTIONS_TOTAL) {
    issues.push({
      pointer: "/instructions",
      keyword: "maxLength",
      message: `the joined instructions must have at most ${MAX_INSTRUCTIONS_TOTAL} characters`,
      actual: `${instructions.length} characters`,
    });
  }
  const tools = (merged.tools as string[] | undefined) ?? [];
  for (const name of Object.keys((merged.toolPins as Record<string, string> | undefined) ?? {})) {
    if (!tools.includes(name)) {
      issues.push({
        pointer: `/toolPins/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`,
        keyword: "toolPins",
        message: `pins tool "${name}", which the template does not grant (tools: ${tools.join(", ") || "none"})`,
      });
    }
  }
  return issues;
}

/** The system prompt: a string as is, an array's parts joined with blank lines. */
export function joinInstructions(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.join("\n\n");
  return undefined;
}

/** Builds the resolved object with a stable key order and defaults for absent lists and objects. */
export function buildResolved(
  merged: Record<string, unknown>,
  leaf: { readonly id: string; readonly version: string },
  digest: TemplateDigest,
  chain: ResolvedTemplate["chain"],
  overridden?: boolean,
): ResolvedTemplate {
  return {
    id: leaf.id,
    version: leaf.version,
    name: merged.name as string,
    role: merged.role as string,
    ...(merged.domain === undefined ? {} : { domain: merged.domain as string }),
    description: merged.description as string,
    capabilities: (merged.capabilities as string[] | undefined) ?? [],
    tools: (merged.tools as string[] | undefined) ?? [],
    config: (merged.config as ResolvedTemplate["config"] | undefined) ?? {},
    metadata: (merged.metadata as ResolvedTemplate["metadata"] | undefined) ?? {},
    ...(merged.instructions === undefined ? {} : { instructions: joinInstructions(merged.instructions) as string }),
    ...(merged.output === undefined ? {} : { output: merged.output as JsonSchema }),
    ...(merged.agents === undefined ? {} : { agents: merged.agents as string[] }),
    ...(merged.toolPins === undefined ? {} : { toolPins: merged.toolPins as Record<string, string> }),
    digest,
    chain,
    ...(overridden === true ? { overridden: true } : {}),
  };
}
