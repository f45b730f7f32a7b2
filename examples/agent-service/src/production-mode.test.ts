import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config/service-config.js";
import { signSampleTemplates } from "./dev/embedded-defaults.js";
import { createAgentService } from "./service.js";
import { type Harness, startHarness } from "./test-support/service-harness.js";
import { REPO_ROOT } from "./test-support/service-process.js";

const ISSUER = "https://id.example.test";
const AUDIENCE = "agent-service";
const tokenKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
let dir: string;
let env: Record<string, string>;
let api: Harness;

const mint = (roles: string[], claims: { issuer?: string; audience?: string } = {}) =>
  new SignJWT({ roles })
    .setProtectedHeader({ alg: "ES256", kid: "idp-1" })
    .setSubject("carol")
    .setIssuer(claims.issuer ?? ISSUER)
    .setAudience(claims.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(tokenKey.privateKey);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-service-production-"));
  const { templatesDir, trust } = await signSampleTemplates(join(dir, "ci"));
  await writeFile(join(dir, "trust.json"), JSON.stringify(trust));
  await writeFile(
    join(dir, "jwks.json"),
    JSON.stringify({
      keys: [{ ...tokenKey.publicKey.export({ format: "jwk" }), kid: "idp-1", alg: "ES256", use: "sig" }],
    }),
  );
  await writeFile(
    join(dir, "rbac.json"),
    JSON.stringify({
      version: 1,
      roles: {
        "security-runner": [{ actions: ["run", "read"], templates: ["security/*"] }],
        auditor: [{ actions: ["read"], templates: ["*"] }],
        operator: [{ actions: ["admin"], templates: ["*"] }],
      },
    }),
  );
  env = {
    TEMPLATES_DIR: templatesDir,
    TRUST_FILE: join(dir, "trust.json"),
    AUTH_JWKS_FILE: join(dir, "jwks.json"),
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    RBAC_FILE: join(dir, "rbac.json"),
    AUDIT_LOG: join(dir, "audit", "audit.log"),
  };
  await import("node:fs/promises").then((fs) => fs.mkdir(join(dir, "audit")));
  api = await startHarness(env);
});
afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

const runAuditor = async (id: string, token: string) =>
  api.request("POST", `/v1/agents/${id}/runs`, { token, body: { input: "AKIAABCDEFGHIJKLMNOP" } });

describe("with TEMPLATES_DIR, TRUST_FILE, AUTH_JWKS_FILE and RBAC_FILE", () => {
  it("grants by role and template pattern, default deny", async () => {
    const runner = await mint(["security-runner"]);
    expect((await runAuditor("security/auditor", runner)).status).toBe(200);
    expect((await runAuditor("quality/auditor", runner)).status).toBe(403);
    expect((await api.request("POST", "/v1/admin/reload", { token: runner })).status).toBe(403);
    const auditor = await mint(["auditor"]);
    expect((await runAuditor("security/auditor", auditor)).status).toBe(403);
    expect((await api.request("GET", "/v1/templates/quality/auditor", { token: auditor })).status).toBe(200);
    const operator = await mint(["operator"]);
    expect((await api.request("POST", "/v1/admin/reload", { token: operator })).status).toBe(200);
    expect((await runAuditor("security/auditor", await mint([]))).status).toBe(403);
  });

  it("checks issuer and audience", async () => {
    for (const token of [
      await mint(["security-runner"], { issuer: "https://evil.test" }),
      await mint(["security-runner"], { audience: "other" }),
    ]) {
      const response = await runAuditor("security/auditor", token);
      expect(response.status).toBe(401);
      expect(response.json()).toMatchObject({ code: "NG_ERR_AUTH_INVALID" });
    }
  });

  it("leaves an audit log that `nextgen audit verify` accepts, and a tampered copy it refuses", async () => {
    await runAuditor("security/auditor", await mint(["security-runner"]));
    await api.service.flushAudit();
    const log = env.AUDIT_LOG!;
    const cli = (file: string) =>
      spawnSync(
        process.execPath,
        ["--import", "tsx", resolve(REPO_ROOT, "packages/cli/src/bin.ts"), "audit", "verify", file],
        { cwd: REPO_ROOT, encoding: "utf8" },
      );
    const intact = cli(log);
    expect(intact.stderr).toBe("");
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(/^ok: \d+ records intact/);
    const lines = (await readFile(log, "utf8")).trimEnd().split("\n");
    const victim = lines.findIndex((line) => line.includes('"decision":"deny"'));
    expect(victim).toBeGreaterThan(0);
    lines[victim] = lines[victim]!.replace('"decision":"deny"', '"decision":"allow"');
    const tampered = join(dir, "tampered.log");
    await writeFile(tampered, `${lines.join("\n")}\n`);
    const refused = cli(tampered);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^nextgen: NG_ERR_AUDIT_LOG_INVALID: .*tampered\\.log:${victim + 1} \\(seq ${victim + 1}\\): hash does not match`,
      ),
    );
  });

  it("refuses unusable files at start with a ConfigError naming the variable", async () => {
    const bad = async (overrides: Record<string, string>) =>
      createAgentService(
        loadConfig({ ...env, PORT: "0", STATE_DIR: join(dir, "state-bad"), LOG_LEVEL: "silent", ...overrides }),
      ).then(
        () => "started",
        (error: { code?: string; message?: string }) => `${error.code} ${error.message}`,
      );
    await writeFile(join(dir, "hmac.json"), JSON.stringify({ keys: [{ kty: "oct", k: "c2VjcmV0", kid: "h" }] }));
    expect(await bad({ AUTH_JWKS_FILE: join(dir, "hmac.json") })).toMatch(
      /^NG_ERR_SERVICE_CONFIG AUTH_JWKS_FILE: keys\[0\]: kty "oct" is refused/,
    );
    await writeFile(
      join(dir, "bad-rbac.json"),
      JSON.stringify({ version: 1, roles: { reader: [{ actions: ["write"], templates: ["*"] }] } }),
    );
    expect(await bad({ RBAC_FILE: join(dir, "bad-rbac.json") })).toBe(
      "NG_ERR_SERVICE_CONFIG RBAC_FILE: roles.reader[0].actions[0] must be run, read, admin or *",
    );
    await writeFile(join(dir, "bad-trust.json"), "{}");
    expect(await bad({ TRUST_FILE: join(dir, "bad-trust.json") })).toMatch(/^NG_ERR_SERVICE_CONFIG TRUST_FILE: /);
  });
});
