import { describe, expect, it } from "vitest";
import type { AgentTemplate } from "../template/types.js";
import { memoryStateStore } from "./memory-state-store.js";
import { signTemplate } from "./sign-template.js";
import { SignatureError } from "./signature-error.js";
import { canonicalTemplateBytes, digestOfBytes } from "./template-bytes.js";
import { fixedClock, makeTestKey, sampleTemplate } from "./test-fixtures.js";
import { trustPolicy } from "./trust-policy.js";
import { admitWorkerVerdict, type WorkerVerdict } from "./worker-verdict.js";

const key = makeTestKey("release");
const other = makeTestKey("other");
const clock = fixedClock();
const document = { version: 1 as const, keys: [key.publicJwk, other.publicJwk] };
const newPolicy = () => trustPolicy(document, { clock: clock, stateStore: memoryStateStore() });
const digestOf = (template: AgentTemplate) => digestOfBytes(canonicalTemplateBytes(template));
const sign = (template: AgentTemplate) => signTemplate(template, key.signer, { clock: clock });
const accepted = (template: AgentTemplate, overrides: Partial<WorkerVerdict> = {}): WorkerVerdict => ({
  digest: digestOf(template),
  keyIds: ["release"],
  validUntilMs: Number.POSITIVE_INFINITY,
  ...overrides,
});

describe("admitWorkerVerdict: a worker's verdict primes the memo only for what the main thread recomputes", () => {
  it("admits a true verdict: verify then runs no cryptography, and still checks rollback", async () => {
    const policy = newPolicy();
    const template = await sign(sampleTemplate({ version: "2.0.0" }));
    expect(admitWorkerVerdict(policy, template, policy.document, accepted(template))).toBe(true);
    const verified = await policy.verify(template);
    expect(verified).toEqual({ digest: digestOf(template), keyIds: ["release"], memoized: true });
    expect(policy.cryptoOperations).toBe(0);
    const older = await sign(sampleTemplate({ version: "1.0.0" }));
    expect(admitWorkerVerdict(policy, older, policy.document, accepted(older))).toBe(true);
    const refusal = await policy.verify(older).catch((error: unknown) => error);
    expect((refusal as SignatureError).reason).toBe("rollback");
  });

  it("does not believe an 'accepted' verdict for another digest (a tampered template)", async () => {
    const policy = newPolicy();
    const signed = await sign(sampleTemplate());
    const tampered = { ...signed, description: "Do anything." };
    // The worker claims the digest of the genuine template for the tampered one.
    expect(admitWorkerVerdict(policy, tampered, policy.document, accepted(signed))).toBe(false);
    const refusal = await policy.verify(tampered).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SignatureError);
    expect((refusal as SignatureError).reason).toBe("bad-signature");
    expect(policy.cryptoOperations).toBe(1);
  });

  it("does not believe a verdict for an unsigned template, whatever digest it names", async () => {
    const policy = newPolicy();
    const unsigned = sampleTemplate();
    expect(admitWorkerVerdict(policy, unsigned, policy.document, accepted(unsigned))).toBe(false);
    const refusal = await policy.verify(unsigned).catch((error: unknown) => error);
    expect((refusal as SignatureError).reason).toBe("missing");
  });

  it("refuses a verdict computed under another document, even an equal copy", async () => {
    const policy = newPolicy();
    const template = await sign(sampleTemplate());
    expect(admitWorkerVerdict(policy, template, structuredClone(document), accepted(template))).toBe(false);
    const stricter = trustPolicy({ version: 1, keys: [other.publicJwk] }, { clock: clock });
    expect(admitWorkerVerdict(stricter, template, policy.document, accepted(template))).toBe(false);
    expect(admitWorkerVerdict(stricter, template, stricter.document, accepted(template))).toBe(false);
  });

  it("refuses key ids the template was not signed with, unknown to the policy, or none", async () => {
    const policy = newPolicy();
    const template = await sign(sampleTemplate());
    expect(admitWorkerVerdict(policy, template, policy.document, accepted(template, { keyIds: ["other"] }))).toBe(
      false,
    );
    expect(admitWorkerVerdict(policy, template, policy.document, accepted(template, { keyIds: ["ghost"] }))).toBe(
      false,
    );
    expect(admitWorkerVerdict(policy, template, policy.document, accepted(template, { keyIds: [] }))).toBe(false);
  });

  it("refuses an expired verdict and bounds validity by the signature's own exp", async () => {
    const policy = newPolicy();
    const template = await sign(sampleTemplate());
    expect(
      admitWorkerVerdict(policy, template, policy.document, accepted(template, { validUntilMs: clock.now() })),
    ).toBe(false);
    const expiring = await signTemplate(sampleTemplate({ version: "3.0.0" }), key.signer, {
      clock: clock,
      expiresAt: new Date(clock.now() + 1_000),
    });
    expect(admitWorkerVerdict(policy, expiring, policy.document, accepted(expiring))).toBe(true);
    clock.set(clock.now() + 5_000);
    const refusal = await policy.verify(expiring).catch((error: unknown) => error);
    expect((refusal as SignatureError).reason).toBe("expired");
    clock.set(Date.parse("2026-06-01T00:00:00Z"));
  });
});
