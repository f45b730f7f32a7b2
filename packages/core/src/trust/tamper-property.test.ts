import { flipByte } from "@nextgen/test-support";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AgentTemplate } from "../template/types.js";
import { memoryStateStore } from "./memory-state-store.js";
import { signTemplate } from "./sign-template.js";
import { SignatureError } from "./signature-error.js";
import { canonicalTemplateBytes } from "./template-bytes.js";
import { fixedClock, makeTestKey, sampleTemplate } from "./test-fixtures.js";
import { trustPolicy } from "./trust-policy.js";

const key = makeTestKey("release");
const clock = fixedClock();
const template = sampleTemplate({
  id: "general/helper",
  capabilities: ["review", "summarize"],
  metadata: { tier: "production", tags: ["a"] },
});
const signedPromise = signTemplate(template, key.signer, { clock: clock });
// A fresh state store per check: only the signature is under test here, not rollback.
const verify = (candidate: AgentTemplate) =>
  trustPolicy({ version: 1, keys: [key.publicJwk] }, { clock: clock, stateStore: memoryStateStore() }).verify(
    candidate,
  );

describe("tampering with a signed template", () => {
  it("the signed template itself is accepted", async () => {
    await expect(verify(await signedPromise)).resolves.toMatchObject({ keyIds: ["release"] });
  });

  it("changing any single byte of the canonical content is refused", async () => {
    const signed = await signedPromise;
    const canonical = canonicalTemplateBytes(signed);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: canonical.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (position, delta) => {
          // Not JSON any more, or not an object: nothing a verifier could be handed.
          const parsed = flipByte(canonical, position, delta);
          fc.pre(parsed !== undefined);
          const candidate = { ...(parsed as unknown as AgentTemplate), signatures: signed.signatures };
          const error = await verify(candidate).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(error).toBeInstanceOf(SignatureError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("changing, adding or removing any single field is refused", async () => {
    const signed = await signedPromise;
    const fields = Object.keys(template) as (keyof AgentTemplate)[];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fields, "extends", "domain"),
        fc.oneof(fc.jsonValue(), fc.constant(undefined)),
        async (field, value) => {
          fc.pre(JSON.stringify(value) !== JSON.stringify((template as unknown as Record<string, unknown>)[field]));
          const candidate = { ...signed, [field]: value } as AgentTemplate;
          const error = await verify(candidate).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(error).toBeInstanceOf(SignatureError);
        },
      ),
      { numRuns: 200 },
    );
  });
});
