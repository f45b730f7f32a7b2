// Each test builds one attack from the security hardening issue (#11) and asserts the coded refusal.
import { generateKeyPairSync } from "node:crypto";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calculateJwkThumbprint } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import type { NextGenError } from "../errors/next-gen-error.js";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { SpecialistAgent } from "../factory/test-kinds.js";
import { memorySource } from "../source/memory-source.js";
import { readDeclaredIdentity } from "../source/read-identity.js";
import type { AgentTemplate } from "../template/types.js";
import { toolRegistry } from "../tools/tool-registry.js";
import { fileStateStore } from "./file-state-store.js";
import { keyThumbprint } from "./key-thumbprint.js";
import { loadTrustPolicy } from "./load-trust-policy.js";
import { memoryStateStore } from "./memory-state-store.js";
import { signTemplate } from "./sign-template.js";
import { SignatureError } from "./signature-error.js";
import { fixedClock, makeTestKey, sampleTemplate } from "./test-fixtures.js";
import { trustPolicy } from "./trust-policy.js";
import type { TrustPolicyDocument } from "./trust-policy-document.js";

const clock = fixedClock();
const misc = makeTestKey("misc");
const secA = makeTestKey("sec-a");
const secB = makeTestKey("sec-b", "ES256");
const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});
const scratch = async (): Promise<string> => {
  const directory = await mkdtemp(join(tmpdir(), "nextgen-hardening-"));
  directories.push(directory);
  return directory;
};
const caught = (promise: Promise<unknown>): Promise<NextGenError> =>
  promise.then(
    () => expect.unreachable("should have been refused"),
    (error: unknown) => error as NextGenError,
  );
const thrown = (run: () => unknown): NextGenError => {
  try {
    run();
  } catch (error) {
    return error as NextGenError;
  }
  return expect.unreachable("should have thrown");
};
const sign = (template: AgentTemplate, ...keys: ReturnType<typeof makeTestKey>[]) =>
  signTemplate(
    template,
    keys.map((key) => key.signer),
    { clock: clock },
  );

const twoOfTwoSecurity: TrustPolicyDocument = {
  version: 1,
  keys: [misc.publicJwk, secA.publicJwk, secB.publicJwk],
  delegations: [
    { ids: ["security/*"], keys: ["sec-a", "sec-b"], threshold: 2 },
    { ids: ["base/*", "misc/*"], keys: ["misc"], threshold: 1 },
  ],
};

describe("#11.4 extends parents outside the leaf's delegation", () => {
  const tools = toolRegistry({ semgrep: () => true, "shell-exec": () => true });
  const leaf = sampleTemplate({ id: "security/auditor", version: "1.0.0", extends: "base/helper", tools: ["semgrep"] });
  const parent = sampleTemplate({
    id: "base/helper",
    version: "1.0.0",
    tools: ["shell-exec"],
    description: "Planted instructions.",
  });
  const factoryWith = async (parentSigners: ReturnType<typeof makeTestKey>[]) =>
    createAgentFactory({
      source: memorySource([await sign(leaf, secA, secB), await sign(parent, ...parentSigners)]),
      kinds: { specialist: SpecialistAgent },
      tools,
      trust: trustPolicy(twoOfTwoSecurity, { clock: clock, stateStore: memoryStateStore() }),
    });

  it("refuses a parent signed only by a low-privilege key for a 2-of-2 leaf", async () => {
    const factory = await factoryWith([misc]);
    const error = await caught(factory.create("security/auditor"));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.code).toBe("NG_ERR_SIGNATURE_CHAIN_NOT_DELEGATED");
    expect((error as SignatureError).reason).toBe("chain-not-delegated");
    expect((error as SignatureError).templateId).toBe("base/helper");
    expect(error.message).toContain("security/auditor");
  });

  it("refuses a parent signed by one of the two keys the leaf needs", async () => {
    const factory = await factoryWith([misc, secA]);
    expect((await caught(factory.create("security/auditor"))).code).toBe("NG_ERR_SIGNATURE_CHAIN_NOT_DELEGATED");
  });

  it("accepts the chain once the parent satisfies both delegations", async () => {
    const factory = await factoryWith([misc, secA, secB]);
    const agent = await factory.create("security/auditor");
    expect(agent.tools.names).toEqual(["shell-exec", "semgrep"]);
    // The parent alone stays governed by its own delegation.
    await expect(factory.create("base/helper")).resolves.toBeDefined();
  });
});

describe("#11.5 create-time overrides may only narrow", () => {
  const tools = toolRegistry({ semgrep: () => true, "shell-exec": () => true });
  const template = sampleTemplate({
    id: "security/auditor",
    version: "1.0.0",
    config: { temperature: 0.2, maxTokens: 1000, timeoutMs: 60_000 },
  });
  const make = async (document: TrustPolicyDocument = twoOfTwoSecurity) =>
    createAgentFactory({
      source: memorySource([await sign(template, secA, secB)]),
      kinds: { specialist: SpecialistAgent },
      tools,
      trust: trustPolicy(document, { clock: clock, stateStore: memoryStateStore() }),
    });

  it("refuses a tool, a new description or a raised limit, naming each field", async () => {
    const factory = await make();
    const addTool = await caught(factory.create("security/auditor", { overrides: { tools: ["shell-exec"] } }));
    expect(addTool.code).toBe("NG_ERR_TRUST_OVERRIDE_REFUSED");
    expect(addTool.message).toContain("tools (not overridable)");
    const describe = await caught(factory.create("security/auditor", { overrides: { description: "Obey me." } }));
    expect(describe.code).toBe("NG_ERR_TRUST_OVERRIDE_REFUSED");
    const raise = await caught(factory.create("security/auditor", { overrides: { config: { maxTokens: 100_000 } } }));
    expect(raise.code).toBe("NG_ERR_TRUST_OVERRIDE_REFUSED");
    expect(raise.message).toContain("config.maxTokens (100000 would raise the signed limit 1000)");
    const clearTools = await caught(factory.create("security/auditor", { overrides: { tools: null } }));
    expect(clearTools.code).toBe("NG_ERR_TRUST_OVERRIDE_REFUSED");
  });

  it("applies the default overridable fields and records them on nextgen:audit", async () => {
    const factory = await make();
    const events: unknown[] = [];
    const listener = (event: unknown) => events.push(event);
    subscribe("nextgen:audit", listener);
    try {
      const agent = await factory.create("security/auditor", {
        overrides: { config: { temperature: 0, maxTokens: 500, timeoutMs: 1000 } },
      });
      expect(agent.template.config).toMatchObject({ temperature: 0, maxTokens: 500, timeoutMs: 1000 });
      expect(agent.tools.names).toEqual(["semgrep"]);
    } finally {
      unsubscribe("nextgen:audit", listener);
    }
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "agent.create",
        templateId: "security/auditor",
        verdict: "overridden",
        detail: { overrides: ["config.temperature", "config.maxTokens", "config.timeoutMs"] },
      }),
    );
  });

  it("follows the policy's own overridable list", async () => {
    const factory = await make({ ...twoOfTwoSecurity, overridable: ["metadata"] });
    await expect(
      factory.create("security/auditor", { overrides: { metadata: { owner: "me" } } }),
    ).resolves.toBeDefined();
    expect((await caught(factory.create("security/auditor", { overrides: { config: { temperature: 0 } } }))).code).toBe(
      "NG_ERR_TRUST_OVERRIDE_REFUSED",
    );
    expect(
      thrown(() => trustPolicy({ ...twoOfTwoSecurity, overridable: ["tools[0]"] }, { stateStore: memoryStateStore() }))
        .code,
    ).toBe("NG_ERR_TRUST_POLICY_INVALID");
  });
});

describe("#11.8 verdict memo", () => {
  it("keeps one verdict for copies padded with junk entries, and refuses malformed padding", async () => {
    const policy = trustPolicy(
      { version: 1, keys: [misc.publicJwk] },
      { clock: clock, stateStore: memoryStateStore() },
    );
    const signed = await sign(sampleTemplate({ id: "misc/helper" }), misc);
    await policy.verify(signed);
    const baseline = policy.memoBytes;
    const [entry] = signed.signatures!;
    // Well-formed entries by an unknown key: ignored, and the memo does not grow per copy.
    const stranger = makeTestKey("stranger");
    const foreign = (await sign(sampleTemplate({ id: "misc/helper" }), stranger)).signatures![0]!;
    for (let copy = 0; copy < 50; copy++) {
      const padded = {
        ...signed,
        signatures: [
          entry!,
          { ...foreign, signature: `${foreign.signature.slice(0, -4)}${String(copy).padStart(4, "A")}` },
        ],
      };
      await expect(policy.verify(padded)).resolves.toMatchObject({ memoized: true, keyIds: ["misc"] });
    }
    expect(policy.memoBytes).toBe(baseline);
    // Junk that is not a signature entry at all is refused, memo hit or not.
    const junk = { ...signed, signatures: [entry!, { protected: "x".repeat(5000), signature: "AA" }] };
    const error = await caught(policy.verify(junk));
    expect(error.code).toBe("NG_ERR_SIGNATURE_MALFORMED");
    expect((error as SignatureError).reason).toBe("malformed");
    const fresh = trustPolicy({ version: 1, keys: [misc.publicJwk] }, { clock: clock, stateStore: memoryStateStore() });
    expect((await caught(fresh.verify(junk))).code).toBe("NG_ERR_SIGNATURE_MALFORMED");
  });

  it("is bounded by bytes", async () => {
    const policy = trustPolicy(
      { version: 1, keys: [misc.publicJwk] },
      { clock: clock, stateStore: memoryStateStore(), memoMaxBytes: 4096 },
    );
    for (let index = 0; index < 30; index++)
      await policy.verify(await sign(sampleTemplate({ id: `misc/helper-${index}` }), misc));
    expect(policy.memoBytes).toBeGreaterThan(0);
    expect(policy.memoBytes).toBeLessThanOrEqual(4096);
    expect(
      thrown(() => trustPolicy({ version: 1, keys: [] }, { memoMaxBytes: 10, stateStore: memoryStateStore() })).code,
    ).toBe("NG_ERR_OPTIONS_INVALID");
  });
});

describe("#11.9 weak RSA keys", () => {
  it("refuses e = 1 and e = 2 at policy load", () => {
    const rsa = makeTestKey("rsa", "PS256");
    for (const e of ["AQ", "Ag"]) {
      const error = thrown(() =>
        trustPolicy({ version: 1, keys: [{ ...rsa.publicJwk, e }] }, { stateStore: memoryStateStore() }),
      );
      expect(error.code).toBe("NG_ERR_TRUST_POLICY_INVALID");
      expect(error.message).toMatch(/public exponent [12]; RSA keys must use e = 65537/);
    }
    expect(() => trustPolicy({ version: 1, keys: [rsa.publicJwk] }, { stateStore: memoryStateStore() })).not.toThrow();
  });
});

describe("#11.10 one key under two kids", () => {
  it("refuses duplicate key material by RFC 7638 thumbprint, however the JWK spells it", async () => {
    const one = makeTestKey("one");
    const twin = { ...one.publicJwk, kid: "two" };
    const error = thrown(() =>
      trustPolicy({ version: 1, keys: [one.publicJwk, twin], defaultThreshold: 2 }, { stateStore: memoryStateStore() }),
    );
    expect(error.code).toBe("NG_ERR_TRUST_POLICY_INVALID");
    expect(error.message).toContain('same key material as kid "one"');
    // An RSA modulus with a leading zero octet is the same key.
    const rsa = makeTestKey("rsa-a", "RS256");
    const padded = Buffer.concat([Buffer.from([0]), Buffer.from(rsa.publicJwk.n!, "base64url")]).toString("base64url");
    expect(
      thrown(() =>
        trustPolicy(
          { version: 1, keys: [rsa.publicJwk, { ...rsa.publicJwk, kid: "rsa-b", n: padded }] },
          { stateStore: memoryStateStore() },
        ),
      ).code,
    ).toBe("NG_ERR_TRUST_POLICY_INVALID");
  });

  it("computes the thumbprint jose computes", async () => {
    for (const algorithm of ["EdDSA", "ES256", "RS256"] as const) {
      const { publicKey } =
        algorithm === "EdDSA"
          ? generateKeyPairSync("ed25519")
          : algorithm === "ES256"
            ? generateKeyPairSync("ec", { namedCurve: "P-256" })
            : generateKeyPairSync("rsa", { modulusLength: 2048 });
      expect(keyThumbprint(publicKey)).toBe(await calculateJwkThumbprint(publicKey.export({ format: "jwk" }) as never));
    }
  });
});

describe("#11.12 strict JSON where it matters", () => {
  it("refuses a trust.json with a duplicate member, with line:column", async () => {
    const directory = await scratch();
    const file = join(directory, "trust.json");
    const keys = JSON.stringify([misc.publicJwk]);
    await writeFile(file, `{\n  "version": 1,\n  "keys": ${keys},\n  "revoked": ["misc"],\n  "revoked": []\n}\n`);
    const error = await caught(loadTrustPolicy(file));
    expect(error.code).toBe("NG_ERR_TRUST_POLICY_INVALID");
    expect(error.message).toContain(`${file}:5:3: duplicate key "revoked"`);
  });

  it("refuses a state file with a duplicate member or a structurally wrong marks", async () => {
    const directory = await scratch();
    const digest = `sha256:${"a".repeat(64)}`;
    const cases = [
      `{"version":1,"marks":{"a/b":{"version":"2.0.0","digest":"${digest}"}},"marks":{}}`,
      `{"version":1,"marks":[]}`,
      `{"version":1,"marks":"none"}`,
      `{"version":1,"marks":{"a/b":{"version":2,"digest":"${digest}"}}}`,
      `{"version":1,"marks":{"a/b":{"version":"2.0.0"}}}`,
    ];
    for (const [index, text] of cases.entries()) {
      const path = join(directory, `state-${index}.json`);
      await writeFile(path, text);
      const error = await caught(fileStateStore(path).get("a/b"));
      expect(error.code).toBe("NG_ERR_TRUST_STATE");
    }
    const duplicate = await caught(fileStateStore(join(directory, "state-0.json")).get("a/b"));
    expect(duplicate.message).toMatch(/state-0\.json:1:\d+: duplicate key "marks"/);
  });

  it("reads a template's declared identity strictly (a duplicate id is refused)", () => {
    const bytes = new TextEncoder().encode('{"id":"misc/a","version":"1.0.0","id":"security/auditor"}');
    const error = thrown(() => readDeclaredIdentity(bytes, "misc/a.json"));
    expect(error.code).toBe("NG_ERR_TEMPLATE_DUPLICATE_KEY");
    expect(error.message).toContain("misc/a.json:1:");
  });
});

describe("#12.18 trustPolicy(document) without a state store", () => {
  it("warns once that rollback marks are in memory; an explicit memory store is silent", async () => {
    const warnings: Error[] = [];
    const listener = (warning: Error) => warnings.push(warning);
    process.on("warning", listener);
    try {
      trustPolicy({ version: 1, keys: [misc.publicJwk] }, { stateStore: memoryStateStore() });
      trustPolicy({ version: 1, keys: [misc.publicJwk] });
      trustPolicy({ version: 1, keys: [misc.publicJwk] });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", listener);
    }
    const ours = warnings.filter(
      (warning) => (warning as { code?: string }).code === "NG_WARN_ROLLBACK_STATE_IN_MEMORY",
    );
    // Every other policy in this file names its store, so this is the first and only warning.
    expect(ours).toHaveLength(1);
    expect(ours[0]!.message).toContain("stateStore");
  });
});

describe("#12.11 version-reused through a persisted state", () => {
  it("refuses changed content under an accepted version after a restart, with its own reason", async () => {
    const directory = await scratch();
    const statePath = join(directory, "trust.state.json");
    const document: TrustPolicyDocument = { version: 1, keys: [misc.publicJwk] };
    const first = trustPolicy(document, { clock: clock, stateStore: fileStateStore(statePath) });
    await first.verify(await sign(sampleTemplate({ id: "misc/a", version: "1.0.0" }), misc));
    expect(JSON.parse(await readFile(statePath, "utf8")).marks["misc/a"].version).toBe("1.0.0");
    const restarted = trustPolicy(document, { clock: clock, stateStore: fileStateStore(statePath) });
    const edited = await sign(sampleTemplate({ id: "misc/a", version: "1.0.0", tools: ["shell-exec"] }), misc);
    const error = await caught(restarted.verify(edited));
    expect(error.code).toBe("NG_ERR_SIGNATURE_VERSION_REUSED");
    expect((error as SignatureError).reason).toBe("version-reused");
  });
});

describe("#12.9 a read-only trust.json directory", () => {
  it("fails at load, saying how to keep the state elsewhere; health reports the trust component", async () => {
    const { directory, release } = await readOnlyDirectory({
      "trust.json": JSON.stringify({ version: 1, keys: [misc.publicJwk] }),
    });
    try {
      const file = join(directory, "trust.json");
      const error = await caught(loadTrustPolicy(file));
      expect(error.code).toBe("NG_ERR_TRUST_STATE");
      expect(error.message).toContain("cannot be written");
      expect(error.message).toContain('stateStore: fileStateStore("/var/lib/<app>/trust.state.json")');
      // The remedy works: the state placed elsewhere, the policy loads and health is healthy.
      const writable = await scratch();
      const policy = await loadTrustPolicy(file, { stateStore: fileStateStore(join(writable, "state.json")) });
      const factory = createAgentFactory({
        source: memorySource([]),
        kinds: { specialist: SpecialistAgent },
        trust: policy,
      });
      const report = await factory.health();
      expect(report.components).toContainEqual(expect.objectContaining({ name: "trust", status: "healthy" }));
      // A store that cannot be written makes the trust component, and the factory, unhealthy.
      const stuck = createAgentFactory({
        source: memorySource([]),
        kinds: { specialist: SpecialistAgent },
        trust: trustPolicy(
          { version: 1, keys: [misc.publicJwk] },
          { stateStore: fileStateStore(join(directory, "state.json")) },
        ),
      });
      const stuckReport = await stuck.health();
      expect(stuckReport.status).toBe("unhealthy");
      expect(stuckReport.components).toContainEqual(
        expect.objectContaining({
          name: "trust",
          status: "unhealthy",
          reason: expect.stringContaining("cannot be written"),
        }),
      );
    } finally {
      await release();
    }
  });

  it("reports root keys' expiry: degraded within 30 days, unhealthy when none is valid", async () => {
    const expiring = makeTestKey("expiring", "EdDSA", { notAfter: "2026-06-10T00:00:00Z" });
    const policy = trustPolicy(
      { version: 1, keys: [expiring.publicJwk] },
      { clock: clock, stateStore: memoryStateStore() },
    );
    expect(await policy.health()).toMatchObject({
      name: "trust",
      status: "degraded",
      reason: "a trusted key expires at 2026-06-10T00:00:00.000Z",
      detail: { earliestKeyExpiry: "2026-06-10T00:00:00.000Z", keys: 1 },
    });
    const later = fixedClock(Date.parse("2026-07-01T00:00:00Z"));
    const expired = trustPolicy(
      { version: 1, keys: [expiring.publicJwk] },
      { clock: later, stateStore: memoryStateStore() },
    );
    expect(await expired.health()).toMatchObject({
      status: "unhealthy",
      reason: expect.stringContaining("no trusted key"),
    });
  });
});

/**
 * A directory that cannot be written: a read-only tmpfs as root (permission bits do not
 * stop root), mode 0555 otherwise.
 */
async function readOnlyDirectory(
  files: Record<string, string>,
): Promise<{ directory: string; release: () => Promise<void> }> {
  const directory = await scratch();
  for (const [name, content] of Object.entries(files)) await writeFile(join(directory, name), content);
  if (process.getuid?.() === 0) {
    const { execFileSync } = await import("node:child_process");
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", directory]);
    for (const [name, content] of Object.entries(files)) await writeFile(join(directory, name), content);
    execFileSync("mount", ["-o", "remount,ro", directory]);
    return { directory, release: async () => void execFileSync("umount", [directory]) };
  }
  const { chmod } = await import("node:fs/promises");
  await chmod(directory, 0o555);
  return { directory, release: () => chmod(directory, 0o755) };
}
