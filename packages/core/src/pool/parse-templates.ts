// Pool-side task module of `factory.prewarm(ids, { pool: true })`, run by file URL through
// the agent pool's dispatch: the strict parser over raw bytes, nothing else. No trust
// decision is made here and none is sent back: the main thread verifies every parsed
// template itself (jose's model: verification is a plain function of bytes and policy).
import { NextGenError } from "../errors/next-gen-error.js";
import { parseTemplate } from "../template/parse-template.js";
import type { AgentTemplate } from "../template/types.js";

/**
 * One batch of template sources to parse. @internal
 *
 * @example
 * ```ts
 * const batch: ParseTemplatesBatch = { items: [{ bytes, location: "memory:code/analyzer" }] };
 * ```
 */
export interface ParseTemplatesBatch {
  /** Raw source bytes, with where they came from (for parse errors). */
  items: { bytes: Uint8Array; location: string }[];
}

/**
 * The worker's answer for one item: the parsed template, or why it did not parse. @internal
 *
 * @example
 * ```ts
 * const result: ParseTemplatesResult = { ok: false, code: "NG_ERR_TEMPLATE_INVALID" };
 * ```
 */
export type ParseTemplatesResult = { ok: true; template: AgentTemplate } | { ok: false; code: string };

/**
 * Parses each item of `batch` with the same strict parser the main thread runs.
 *
 * @example
 * ```ts
 * const [first] = parseTemplates({ items: [{ bytes, location }] });
 * if (first?.ok) console.log(first.template.id);
 * ```
 */
export default function parseTemplates(batch: ParseTemplatesBatch): ParseTemplatesResult[] {
  return batch.items.map((item): ParseTemplatesResult => {
    try {
      return { ok: true, template: parseTemplate(item.bytes, { location: item.location }) };
    } catch (error) {
      return { ok: false, code: NextGenError.is(error) ? error.code : "UNKNOWN" };
    }
  });
}
