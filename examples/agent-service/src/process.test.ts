import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AuditRecord, verifyAuditLog } from "@nextgen/core";
import { afterEach, describe, expect, it } from "vitest";
import { bannerOf, type ServiceProcess, spawnService } from "./test-support/service-process.js";

const started: ServiceProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const service of started.splice(0)) if (service.child.exitCode === null) service.child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "agent-service-process-"));
  dirs.push(dir);
  return dir;
}

describe("the service process", () => {
  it("starts on embedded defaults: a run with the printed token succeeds, without a token it is 401", async () => {
    const service = spawnService({ PORT: "0", STATE_DIR: await stateDir() });
    started.push(service);
    const { url, token } = await bannerOf(service);
    expect(token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    const body = JSON.stringify({ input: "password = hunter2" });
    const ok = await fetch(`${url}/v1/agents/security/auditor/runs`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    const anonymous = await fetch(`${url}/v1/agents/security/auditor/runs`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    expect(anonymous.status).toBe(401);
    service.child.kill("SIGTERM");
    expect(await service.exited).toBe(0);
  });

  it("loses no run on SIGTERM: runs in flight finish, background runs finish, the audit chain holds", async () => {
    const dir = await stateDir();
    const service = spawnService({ PORT: "0", STATE_DIR: dir, NEXTGEN_SCRIPTED_LATENCY_MS: "100" });
    started.push(service);
    const { url, token } = await bannerOf(service);
    const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
    const body = JSON.stringify({ input: "password = hunter2" });
    // security/auditor 2.0.0 has 4 tools: each run takes about 400 ms.
    const synchronous = Array.from({ length: 12 }, () =>
      fetch(`${url}/v1/agents/security/auditor/runs`, { method: "POST", body, headers }),
    );
    const background = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const response = await fetch(`${url}/v1/agents/security/auditor/runs?async=true`, {
          method: "POST",
          body,
          headers,
        });
        expect(response.status).toBe(202);
        return ((await response.json()) as { runId: string }).runId;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    service.child.kill("SIGTERM");
    const responses = await Promise.all(synchronous);
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
    expect(await service.exited).toBe(0);
    expect(service.stdout()).toMatch(/SIGTERM: draining/);
    const log = join(dir, "audit.log");
    const records = (await readFile(log, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditRecord);
    const runs = records.filter((record) => record.action === "agent.run");
    expect(runs).toHaveLength(16);
    expect(runs.every((record) => record.decision === "succeeded")).toBe(true);
    for (const runId of background) expect(runs.some((record) => record.resource?.startsWith(runId))).toBe(true);
    expect(await verifyAuditLog([log])).toMatchObject({ ok: true });
  });

  it("exits 78 with one coded line naming the variable on a bad configuration", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: "http" }, /^NG_ERR_SERVICE_CONFIG PORT: must be an integer 0–65535, got "http"\n$/],
      [{ TEMPLATES_DIR: "/nonexistent" }, /^NG_ERR_SERVICE_CONFIG TRUST_FILE: is required when TEMPLATES_DIR is set/],
      [{ REDIS_URL: "http://localhost" }, /^NG_ERR_SERVICE_CONFIG REDIS_URL: must be a redis: or rediss: URL/],
      [
        { AUTH_JWKS_FILE: "/nonexistent/jwks.json", RBAC_FILE: "/nonexistent/rbac.json" },
        /^NG_ERR_SERVICE_CONFIG AUTH_JWKS_FILE: cannot read/,
      ],
    ];
    for (const [env, expected] of cases) {
      const service = spawnService({ PORT: "0", STATE_DIR: await stateDir(), ...env });
      started.push(service);
      expect(await service.exited).toBe(78);
      expect(service.stderr()).toMatch(expected);
      expect(service.stderr().trim().split("\n")).toHaveLength(1);
    }
  });
});
