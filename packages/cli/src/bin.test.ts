import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_DICTIONARY_URL } from "@nextgen/compression";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The published binary, as `npx nextgen` runs it: the built output of this package and of the
// packages it imports. CI builds before testing; a checkout that has not been built skips.
const packagesDirectory = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(packagesDirectory, "cli/dist/bin.js");
const built = ["cli/dist/bin.js", "core/dist/index.js", "compression/dist/index.js", "backup/dist/index.js"].every(
  (path) => existsSync(join(packagesDirectory, path)),
);

function nextgen(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, [bin, ...args], { cwd: workspace, encoding: "utf8" });
  return { status, stdout, stderr };
}

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), "nextgen-bin-"));
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe.skipIf(!built)(`the built bin${built ? "" : " — skipped: run npm run build first"}`, () => {
  it("prints help with the exit codes, and the version, with status 0", () => {
    const help = nextgen("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: nextgen/);
    expect(help.stdout).toMatch(/Exit codes[\s\S]*2 {2}usage error/);
    expect(nextgen("--version").stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("packs a template the zstd command reads back, and refuses a corrupt frame with its code (status 1)", async () => {
    const template = `${JSON.stringify({ id: "team/agent", version: "1.0.0", name: "Agent" })}\n`;
    await writeFile(join(workspace, "agent.json"), template);
    const packed = nextgen("pack", "agent.json", "--json");
    expect(packed.stderr).toBe("");
    expect(packed.status).toBe(0);
    expect(JSON.parse(packed.stdout)).toMatchObject([{ file: "agent.json", output: "agent.json.zst", kept: false }]);
    // pack encodes with the shipped default dictionary; zstd reads it given that file.
    const shipped = fileURLToPath(DEFAULT_DICTIONARY_URL);
    expect(
      execFileSync("zstd", ["-q", "-d", "-c", "-D", shipped, join(workspace, "agent.json.zst")], { encoding: "utf8" }),
    ).toBe(template);

    await writeFile(join(workspace, "broken.json.zst"), Buffer.from("28b52ffd2400000000deadbeef", "hex"));
    const refused = nextgen("unpack", "broken.json.zst");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^nextgen: broken\.json\.zst: NG_ERR_CODEC_CORRUPT: /);
  });

  it("exits with status 2 on a usage error, with a one-line hint rather than the whole help", () => {
    const usage = nextgen("pack", "--level", "99", "agent.json");
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--level must be an integer from 1 to 19/);
    expect(usage.stderr).toMatch(/\(add --help for usage\)/);
    expect(usage.stderr).not.toMatch(/Options:/);
    expect(nextgen("no-such-command").status).toBe(2);
  });
});
