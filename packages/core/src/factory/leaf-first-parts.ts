import type { AgentTemplate } from "../template/types.js";
import { fetchVerified, type TemplateLoaderParts } from "./template-loader.js";

/**
 * Loader parts whose fetch of `leaf.id` (latest, or at `leaf.version`) answers `leaf`, a
 * template parsed elsewhere (in the pool by `prewarm(ids, { pool: true })`), after
 * verifying it here with the factory's verifier (memo, or full cryptography, and the
 * rollback check). Everything else, `extends` parents included, loads as usual. @internal
 */
export function leafFirstParts(parts: TemplateLoaderParts, leaf: AgentTemplate): TemplateLoaderParts {
  let served = false;
  return {
    ...parts,
    fetch: async (id, version, signal) => {
      if (!served && id === leaf.id && (version === undefined || version === leaf.version)) {
        served = true;
        const verified = await parts.trust.verify(leaf, { signal });
        return { template: leaf, validUntilMs: verified?.validUntilMs ?? Number.POSITIVE_INFINITY };
      }
      return fetchVerified(parts, id, version, signal);
    },
  };
}
