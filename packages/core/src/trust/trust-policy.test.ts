import { verify as cryptoVerify } from "node:crypto";
import diagnosticsChannel from "node:diagnostics_channel";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { AUDIT_CHANNEL, TRUST_VERIFY_CHANNEL } from "../diagnostics/channels.js";
import type { AuditEvent, TrustVerifyContext } from "../diagnostics/payloads.js";
import { loadTrustPolicy } from "./load-trust-policy.js";
import { memoryStateStore } from "./memory-state-store.js";
import { signTemplate } from "./sign-template.js";
import { fixedClock, makeTestKey, sampleTemplate } from "./test-fixtures.js";
import { trustPolicy } from "./trust-policy.js";
import type { TrustPolicyDocument } from "./trust-policy-document.js";
import { verifyTemplate } from "./verify-template.js";

// Signature checks are counted at node:crypto's `verify`, the one primitive the policy calls.
vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  return { ...real, verify: vi.fn(real.verify) };
});

const release = makeTestKey("release");
const clock = fixedClock();
const base: TrustPolicyDocument = { version: 1, keys: [release.publicJwk] };
const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe("trustPolicy validation", () => {
  const invalid = (document: unknown, pattern: RegExp): void => {
    expect(() => trustPolicy(document as TrustPolicyDocument)).toThrow(
      expect.objectContaining({ code: "NG_ERR_TRUST_POLICY_INVALID", message: expect.stringMatching(pattern) }),
    );
  };

  it("refuses none and HMAC in algorithms, on keys, and symmetric keys", () => {
    invalid({ ...base, algorithms: ["none"] }, /algorithms\[0\] "none" is not allowed/);
    invalid({ ...base, algorithms: ["HS256"] }, /"HS256" is not allowed/);
    invalid({ ...base, keys: [{ ...release.publicJwk, alg: "HS256" }] }, /keys\[0\]\.alg/);
    invalid({ ...base, keys: [{ kid: "s", kty: "oct", k: "c2VjcmV0" }] }, /private key material|kty/);
  });

  it("refuses private key members, weak RSA keys, and mismatched alg", async () => {
    invalid(
      { ...base, keys: [{ ...release.privateKey.export({ format: "jwk" }), kid: "x" }] },
      /keys\[0\]\.d is private key material/,
    );
    const { generateKeyPairSync } = await import("node:crypto");
    const weak = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
    invalid({ ...base, keys: [{ ...weak, kid: "weak" }] }, /RSA 1024-bit key/);
    invalid({ ...base, keys: [{ ...release.publicJwk, alg: "ES256" }] }, /alg ES256 does not fit/);
  });

  it("lists every problem at once: unknown members, duplicate kids, bad delegations, bad windows", () => {
    const document = {
      version: 2,
      keyz: [],
      keys: [
        release.publicJwk,
        { ...release.publicJwk, notBefore: "2027-01-01T00:00:00Z", notAfter: "2026-01-01T00:00:00Z" },
      ],
      delegations: [{ ids: ["Security/*"], keys: ["ghost"], threshold: 3 }],
      defaultThreshold: 0,
    };
    expect(() => trustPolicy(document as never)).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(
          /keyz is not a known member[\s\S]*version must be 1[\s\S]*notBefore must be before[\s\S]*used by two keys[\s\S]*"Security\/\*" is not an id pattern[\s\S]*"ghost" is not a kid[\s\S]*threshold 3 exceeds[\s\S]*defaultThreshold/,
        ),
      }),
    );
  });

  it("warns once, with a code, when signatures are not required, and then accepts unsigned templates", async () => {
    const warning = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const { warnSignaturesNotRequired: _unused } = await import("./warn-signatures-not-required.js");
    const open = trustPolicy({ ...base, requireSignatures: false }, { stateStore: memoryStateStore() });
    trustPolicy({ ...base, requireSignatures: false });
    const calls = warning.mock.calls.filter(
      ([, options]) => (options as { code?: string })?.code === "NG_WARN_SIGNATURES_NOT_REQUIRED",
    );
    expect(calls.length).toBeLessThanOrEqual(1);
    warning.mockRestore();
    await expect(open.verify(sampleTemplate())).resolves.toMatchObject({ keyIds: [], memoized: false });
  });
});

describe("memoized verification", () => {
  it("costs no cryptography for an already-verified digest, and re-checks once exp passes", async () => {
    const moving = fixedClock();
    const policy = trustPolicy(base, { clock: moving, stateStore: memoryStateStore() });
    const signed = await signTemplate(sampleTemplate({ id: "general/helper" }), release.signer, {
      clock: moving,
      expiresAt: new Date(moving.now() + 3_600_000),
    });
    await expect(policy.verify(signed)).resolves.toMatchObject({ memoized: false });
    expect(policy.cryptoOperations).toBe(1);
    for (let round = 0; round < 5; round++)
      await expect(policy.verify(signed)).resolves.toMatchObject({ memoized: true });
    expect(policy.cryptoOperations).toBe(1);
    moving.set(moving.now() + 3_600_000);
    await expect(policy.verify(signed)).rejects.toMatchObject({ reason: "expired" });
  });

  it("really calls no signature primitive for a memoized verdict (counted at node:crypto, not by the policy)", async () => {
    const primitive = vi.mocked(cryptoVerify);
    primitive.mockClear();
    const policy = trustPolicy(base, { clock: clock, stateStore: memoryStateStore() });
    const signed = await signTemplate(sampleTemplate({ id: "general/helper" }), release.signer, { clock: clock });
    await policy.verify(signed);
    const afterFirst = primitive.mock.calls.length;
    expect(afterFirst).toBe(1);
    for (let round = 0; round < 5; round++) await policy.verify(signed);
    expect(primitive.mock.calls.length).toBe(afterFirst);
  });

  it("does not let a verified digest vouch for a stripped copy of it", async () => {
    const policy = trustPolicy(base, { clock: clock, stateStore: memoryStateStore() });
    const signed = await signTemplate(sampleTemplate({ id: "general/helper" }), release.signer, { clock: clock });
    await policy.verify(signed);
    await expect(policy.verify({ ...signed, signatures: [] })).rejects.toMatchObject({ reason: "missing" });
  });
});

describe("diagnostics", () => {
  it("publishes every verdict on trust.verify and audit", async () => {
    const audits: AuditEvent[] = [];
    const traces: TrustVerifyContext[] = [];
    const onAudit = (message: unknown): void => void audits.push(message as AuditEvent);
    const channel = diagnosticsChannel.tracingChannel(TRUST_VERIFY_CHANNEL);
    const handlers = {
      asyncEnd: (context: unknown) => void traces.push({ ...(context as TrustVerifyContext) }),
    };
    diagnosticsChannel.subscribe(AUDIT_CHANNEL, onAudit);
    channel.subscribe(handlers as never);
    try {
      const policy = trustPolicy(base, { clock: clock, stateStore: memoryStateStore() });
      const signed = await signTemplate(sampleTemplate({ id: "general/helper" }), release.signer, { clock: clock });
      await policy.verify(signed);
      await policy.verify({ ...signed, name: "changed" }).catch(() => {});
    } finally {
      diagnosticsChannel.unsubscribe(AUDIT_CHANNEL, onAudit);
      channel.unsubscribe(handlers as never);
    }
    expect(audits).toEqual([
      expect.objectContaining({
        type: "trust.verify",
        templateId: "general/helper",
        version: "1.2.0",
        keyIds: ["release"],
        verdict: "accepted",
        time: clock.now(),
      }),
      expect.objectContaining({
        type: "trust.verify",
        verdict: "refused",
        reason: "bad-signature",
        digest: expect.stringMatching(/^sha256:/),
      }),
    ]);
    expect(traces.map((trace) => [trace.verdict, trace.reason])).toEqual([
      ["accepted", undefined],
      ["refused", "bad-signature"],
    ]);
  });
});

describe("loadTrustPolicy and verifyTemplate", () => {
  it("loads trust.json and keeps rollback marks in a state file beside it across restarts", async () => {
    const directory = await mkdtemp(join(tmpdir(), "nextgen-trust-"));
    directories.push(directory);
    const file = join(directory, "trust.json");
    await writeFile(file, JSON.stringify(base));
    const v2 = await signTemplate(sampleTemplate({ id: "general/helper", version: "2.0.0" }), release.signer, {
      clock: clock,
    });
    const v1 = await signTemplate(sampleTemplate({ id: "general/helper", version: "1.0.0" }), release.signer, {
      clock: clock,
    });
    await verifyTemplate(v2, await loadTrustPolicy(file, { clock: clock }));
    const restarted = await loadTrustPolicy(file, { clock: clock });
    await expect(verifyTemplate(v1, restarted)).rejects.toMatchObject({ reason: "rollback" });
  });

  it("refuses an unreadable or non-JSON file with a coded error", async () => {
    const directory = await mkdtemp(join(tmpdir(), "nextgen-trust-"));
    directories.push(directory);
    await writeFile(join(directory, "trust.json"), "{ not json");
    await expect(loadTrustPolicy(join(directory, "trust.json"))).rejects.toMatchObject({
      code: "NG_ERR_TRUST_POLICY_INVALID",
    });
    await expect(loadTrustPolicy(join(directory, "absent.json"))).rejects.toMatchObject({
      code: "NG_ERR_TRUST_POLICY_INVALID",
    });
  });

  it("verifies against a plain document too", async () => {
    const signed = await signTemplate(sampleTemplate(), release.signer, { clock: clock });
    await expect(verifyTemplate(signed, base, { clock: clock, stateStore: memoryStateStore() })).resolves.toMatchObject(
      { keyIds: ["release"] },
    );
  });
});

describe("schema/trust-policy.v1.json", () => {
  it("describes the members the policy compiler accepts, and no others", async () => {
    const { readFile } = await import("node:fs/promises");
    const schema = JSON.parse(await readFile(new URL("../../schema/trust-policy.v1.json", import.meta.url), "utf8"));
    const everyMember = {
      $schema: "./trust-policy.v1.json",
      version: 1,
      requireSignatures: true,
      algorithms: schema.$defs.algorithm.enum,
      keys: [
        {
          ...release.publicJwk,
          use: "sig",
          key_ops: ["verify"],
          notBefore: "2026-01-01T00:00:00Z",
          notAfter: "2027-01-01T00:00:00Z",
          revoked: false,
          comment: "ci",
        },
      ],
      revoked: [],
      delegations: [{ ids: ["security/*"], keys: ["release"], threshold: 1 }],
      defaultThreshold: 1,
      overridable: ["config.temperature"],
    };
    expect(Object.keys(everyMember).sort()).toEqual(Object.keys(schema.properties).sort());
    expect(Object.keys(everyMember.keys[0]!).sort()).toEqual(
      expect.arrayContaining(
        Object.keys(schema.$defs.key.properties)
          .filter((name) => !["y", "n", "e"].includes(name))
          .sort(),
      ),
    );
    expect(Object.keys(everyMember.delegations[0]!).sort()).toEqual(
      Object.keys(schema.$defs.delegation.properties).sort(),
    );
    expect(() => trustPolicy(everyMember as never)).not.toThrow();
    expect(() => trustPolicy({ ...everyMember, extra: 1 } as never)).toThrow(/extra is not a known member/);
  });
});
