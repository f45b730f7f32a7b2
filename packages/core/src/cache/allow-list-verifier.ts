import { createHash } from "node:crypto";
import { NextGenError } from "../errors/next-gen-error.js";
import type { AgentTemplate, TemplateDigest } from "../template/types.js";
import type { TemplateVerifier, VerifiedTemplate } from "../trust/template-verifier.js";

/**
 * A minimal `TemplateVerifier` for cache tests: accepts a template only when the
 * digest of its JSON (without signatures) is on an allow list. It stands in for a
 * trust policy so that the cache's "verify again before L1" is exercised for real.
 * @internal
 */
export function allowListVerifier(allowed: Iterable<TemplateDigest>): TemplateVerifier & {
  allowed: Set<TemplateDigest>;
  calls: number;
} {
  const verifier = {
    allowed: new Set(allowed),
    calls: 0,
    async verify(template: AgentTemplate): Promise<VerifiedTemplate> {
      verifier.calls += 1;
      const digest = testDigest(template);
      if (!verifier.allowed.has(digest)) {
        throw new NextGenError("NG_ERR_SIGNATURE_BAD", `digest ${digest} of ${template.id} is not allowed`);
      }
      return { digest, keyIds: ["test-allow-list"], memoized: false };
    },
  };
  return verifier;
}

/** Digest of a template's JSON without signatures (a stand-in for the canonical digest). @internal */
export function testDigest(template: AgentTemplate): TemplateDigest {
  const { signatures: _signatures, ...unsigned } = template;
  return `sha256:${createHash("sha256").update(JSON.stringify(unsigned)).digest("hex")}`;
}
