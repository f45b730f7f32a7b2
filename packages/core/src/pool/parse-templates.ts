import { errorCode } from "../errors/uncoded-error.js";
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
      return { ok: false, code: errorCode(error) };
    }
  });
}
