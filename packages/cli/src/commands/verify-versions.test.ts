import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createProgram } from "../program.js";

/** Runs `nextgen …args` in-process and returns its stdout and exit code. */
async function nextgen(...args: string[]): Promise<{ stdout: string; exitCode: number }> {
  let stdout = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  const previous = process.exitCode;
  process.exitCode = 0;
  try {
    await createProgram()
      .exitOverride()
      .parseAsync(["node", "nextgen", ...args]);
    return { stdout, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = previous;
  }
}

let directory: string;
let templates: string;
let trust: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-cli-verify-versions-"));
  templates = join(directory, "templates");
  trust = join(directory, "trust.json");
  const key = join(directory, "release.pem");
  await writeFile(join(directory, "release.jwk"), (await nextgen("keygen", "--kid", "release", "--out", key)).stdout);
  await nextgen("trust", "init", "--file", trust);
  await nextgen("trust", "add-key", join(directory, "release.jwk"), "--file", trust);
  await mkdir(join(templates, "review"), { recursive: true });
  // File-name order puts 1.10.0 before 1.9.0.
  for (const version of ["1.9.0", "1.10.0"]) {
    const template = { schemaVersion: 1, id: "review/peer", version, name: "Peer reviewer" };
    await writeFile(join(templates, "review", `peer@${version}.json`), JSON.stringify(template));
  }
  expect((await nextgen("sign", templates, "--key", key, "--kid", "release")).exitCode).toBe(0);
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("nextgen verify on a directory holding several versions of one id", () => {
  it("accepts every validly signed version without --state (signatures only)", async () => {
    const result = await nextgen("verify", templates, "--trust", trust, "--json");
    expect(JSON.parse(result.stdout).results.map((row: { version: string; verdict: string }) => row.verdict)).toEqual([
      "accepted",
      "accepted",
    ]);
    expect(result.exitCode).toBe(0);
  });

  it("with --state checks lowest version first, then refuses an older version on a later run", async () => {
    const state = join(directory, "state.json");
    const first = await nextgen("verify", templates, "--trust", trust, "--state", state, "--json");
    expect(first.exitCode).toBe(0);
    // Results stay in file order even though 1.9.0 was checked first.
    expect(JSON.parse(first.stdout).results.map((row: { version: string }) => row.version)).toEqual([
      "1.10.0",
      "1.9.0",
    ]);
    const replay = await nextgen(
      "verify",
      join(templates, "review", "peer@1.9.0.json"),
      "--trust",
      trust,
      "--state",
      state,
      "--json",
    );
    expect(replay.exitCode).toBe(1);
    expect(JSON.parse(replay.stdout).results[0]).toMatchObject({ reason: "rollback" });
  });
});
