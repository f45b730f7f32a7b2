import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileAuditLog } from "@nextgen/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-cli-audit-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function writeLog(path: string, count: number, maxBytes?: number): Promise<void> {
  const log = fileAuditLog({ path, ...(maxBytes === undefined ? {} : { maxBytes }) });
  for (let index = 0; index < count; index++) {
    await log.append({ actor: "alice", action: "agent.run", resource: `run-${index}`, decision: "succeeded" });
  }
  await log.close();
}

describe("nextgen audit verify", () => {
  it("exits 0 on an intact log and says how many records it checked", async () => {
    const path = join(directory, "audit.log");
    await writeLog(path, 4);
    const result = await runCli("audit", "verify", path);
    expect(result).toMatchObject({ exitCode: 0, stderr: "" });
    expect(result.stdout).toMatch(/^ok: 4 records intact \(seq 1–4\); head sha256:[0-9a-f]{64}\n$/);
    const json = await runCli("audit", "verify", path, "--json");
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, records: 4, lastSeq: 4 });
  });

  it("checks rotated files and the live file as one chain, in the order given", async () => {
    const path = join(directory, "audit.log");
    await writeLog(path, 10, 800);
    const rotated = (await readdir(directory)).filter((name) => name !== "audit.log");
    expect(rotated.length).toBeGreaterThan(1);
    const files = [...rotated.map((_, index) => `${path}.${index + 1}`), path];
    expect((await runCli("audit", "verify", ...files)).exitCode).toBe(0);
    const swapped = await runCli("audit", "verify", files[1]!, files[0]!, path);
    expect(swapped.exitCode).toBe(1);
  });

  it("exits 1 naming the first broken record of a tampered copy", async () => {
    const path = join(directory, "audit.log");
    await writeLog(path, 5);
    const tampered = join(directory, "tampered.log");
    await writeFile(tampered, (await readFile(path, "utf8")).replace('"run-2"', '"run-7"'));
    const result = await runCli("audit", "verify", tampered);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `nextgen: NG_ERR_AUDIT_LOG_INVALID: ${tampered}:3 (seq 3): hash does not match the record (edited); 2 records before it are intact\n`,
    );
  });

  it("exits 1 for a file that cannot be read", async () => {
    const result = await runCli("audit", "verify", join(directory, "missing.log"));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^nextgen: NG_ERR_AUDIT_LOG_INVALID: .*missing\.log:1: ENOENT/);
  });
});
