import { NextGenError } from "../errors/next-gen-error.js";
import type { ResolvedTemplate } from "../template/types.js";
import type { AgentKind } from "./factory-types.js";

/**
 * Refuses a template whose `config.model` the kind's model registry does not hold
 * (`NG_ERR_MODEL_UNKNOWN`): model names, like tools, are denied by default. A kind that
 * declares no `models` reads no model name, so nothing is checked for it. A template
 * naming no model passes only when the registry holds `default`.
 * @internal
 */
export function checkModel(Kind: AgentKind, kindName: string, template: ResolvedTemplate): void {
  const models = Kind.models;
  if (models === undefined) return;
  const name = template.config.model;
  if (name === undefined ? models.has("default") : models.has(name)) return;
  const known = models.names.join(", ") || "none";
  const what =
    name === undefined ? 'names no config.model, and the registry has no "default"' : `names model "${name}"`;
  throw new NextGenError(
    "NG_ERR_MODEL_UNKNOWN",
    `Template ${template.id}@${template.version} ${what}, which kind "${kindName}" does not know; models are denied by default. Registered: ${known}.`,
  );
}
