import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_DICTIONARY_URL } from "@nextgen/compression";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

const run = runCli;

const template = (index: number): string =>
  `${JSON.stringify(
    {
      schemaVersion: 1,
      id: `team-${index % 4}/agent-${index}`,
      version: `1.${index % 9}.0`,
      name: `Agent ${index}`,
      description: `Reviews changes for ${["secrets", "licences", "performance"][index % 3]} and reports findings.`,
      capabilities: ["code-review", "reporting"].slice(0, 1 + (index % 2)),
      config: { temperature: (index % 5) / 10, timeoutMs: 300000 },
    },
    null,
    2,
  )}\n`;

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-cli-compression-"));
  await mkdir(join(directory, "templates", "team"), { recursive: true });
  for (let index = 0; index < 120; index++) {
    await writeFile(join(directory, "templates", "team", `agent-${index}.json`), template(index));
  }
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("nextgen dict, pack, unpack", () => {
  it("trains a dictionary, packs with it (the zstd CLI reads the result) and unpacks byte for byte", async () => {
    const dictionary = join(directory, "templates.zdict");
    const trained = await run(
      "dict",
      "train",
      join(directory, "templates"),
      "-o",
      dictionary,
      "--id",
      "40000",
      "--json",
    );
    expect(trained).toMatchObject({ exitCode: 0 });
    expect(JSON.parse(trained.stdout)).toMatchObject({ id: 40000, format: "zstd", samples: 120 });

    const file = join(directory, "templates", "team", "agent-7.json");
    const packed = await run("pack", "--dictionary", dictionary, file, "--json");
    expect(packed.exitCode).toBe(0);
    const [record] = JSON.parse(packed.stdout);
    expect(record).toMatchObject({ output: `${file}.zst`, kept: false });
    expect(record.bytesOut).toBeLessThan(record.bytesIn / 3);
    expect(execFileSync("zstd", ["-q", "-d", "-c", "-D", dictionary, `${file}.zst`]).toString()).toBe(template(7));

    // pack replaced the .json (no --keep): only the .json.zst is left.
    await expect(readFile(file)).rejects.toMatchObject({ code: "ENOENT" });
    expect((await run("unpack", `${file}.zst`)).stderr).toMatch(/NG_ERR_CODEC_DICTIONARY/);
    const unpacked = await run("unpack", "-D", dictionary, `${file}.zst`);
    expect(unpacked.exitCode).toBe(0);
    expect(await readFile(file, "utf8")).toBe(template(7));
  });

  it("interoperates with the zstd command both ways, with and without a dictionary", async () => {
    const dictionary = join(directory, "templates.zdict");
    execFileSync("zstd", ["-q", "--train", "-r", join(directory, "templates"), "-o", dictionary, "--maxdict=8192"]);
    // Without -D, pack encodes with the shipped default dictionary: zstd reads it with that file.
    const shipped = ["-D", fileURLToPath(DEFAULT_DICTIONARY_URL)];
    for (const dictionaryArgs of [[], ["-D", dictionary]]) {
      // nextgen pack → zstd -d
      const ours = join(directory, "templates", "team", "agent-11.json");
      expect((await run("pack", "--force", "--keep", ...dictionaryArgs, ours)).exitCode).toBe(0);
      const readWith = dictionaryArgs.length === 0 ? shipped : dictionaryArgs;
      expect(execFileSync("zstd", ["-q", "-d", "-c", ...readWith, `${ours}.zst`]).toString()).toBe(template(11));
      // zstd -c → nextgen unpack
      const theirs = join(directory, `theirs-${dictionaryArgs.length}.json`);
      execFileSync("zstd", [
        "-q",
        "-f",
        ...dictionaryArgs,
        join(directory, "templates", "team", "agent-12.json"),
        "-o",
        `${theirs}.zst`,
      ]);
      const unpacked = await run("unpack", ...dictionaryArgs, `${theirs}.zst`);
      expect(unpacked.stderr).toBe("");
      expect(await readFile(theirs, "utf8")).toBe(template(12));
    }
  });

  it("walks directories: pack takes every *.json below, unpack every *.zst", async () => {
    const team = join(directory, "templates", "team");
    const packed = await run("pack", join(directory, "templates"), "--json");
    expect(packed.exitCode, packed.stderr).toBe(0);
    expect(JSON.parse(packed.stdout)).toHaveLength(120);
    for (const name of await readdir(team)) if (name.endsWith(".json")) await rm(join(team, name));
    const unpacked = await run("unpack", team, "--json");
    expect(unpacked.exitCode, unpacked.stderr).toBe(0);
    expect(JSON.parse(unpacked.stdout)).toHaveLength(120);
    expect(await readFile(join(team, "agent-42.json"), "utf8")).toBe(template(42));
  });

  it("says on stderr when dict train fell back to a raw-content dictionary", async () => {
    const few = join(directory, "few");
    await mkdir(few);
    await writeFile(join(few, "one.json"), template(1));
    const result = await run("dict", "train", few, "-o", join(directory, "few.dict"), "--id", "40000");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/raw-content dictionary \(id 0\)/);
    expect(result.stderr).toMatch(/zstd --train .* raw-content dictionary.*--id 40000 .*ignored/);
    const explicit = await run("dict", "train", few, "-o", join(directory, "raw.dict"), "--method", "raw");
    expect(explicit.stderr).toBe("");
  });

  it("refuses to overwrite without --force, keeps going past a bad file and exits 1", async () => {
    const good = join(directory, "templates", "team", "agent-1.json");
    const bad = join(directory, "bad.json");
    await writeFile(bad, "{ not json");
    const result = await run("pack", "--keep", bad, good, "--json");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(bad);
    // --json reports the failure in the same document, so a script needs no stderr parsing.
    expect(JSON.parse(result.stdout)).toMatchObject([
      { file: good, output: `${good}.zst` },
      { file: bad, error: { message: expect.stringMatching(/^not a UTF-8 JSON file/) } },
    ]);
    expect(await readdir(directory)).not.toContain("bad.json.zst");
    expect((await run("pack", "--keep", good)).exitCode).toBe(1);
    expect((await run("pack", "--force", good)).exitCode).toBe(0);
    await expect(readFile(good)).rejects.toMatchObject({ code: "ENOENT" });
    const entries = await readdir(join(directory, "templates", "team"));
    expect(entries.filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses corrupt and oversize frames on unpack with their codes, writing nothing", async () => {
    const corrupt = join(directory, "corrupt.json.zst");
    const frame = execFileSync("zstd", ["-q", "-c"], { input: template(3) });
    frame[frame.length - 1] = frame[frame.length - 1]! ^ 0xff;
    await writeFile(corrupt, frame);
    const big = join(directory, "big.json.zst");
    await writeFile(big, execFileSync("zstd", ["-q", "-c"], { input: Buffer.alloc(10_000, 32) }));
    const corruptResult = await run("unpack", corrupt, "--json");
    expect(corruptResult).toMatchObject({ exitCode: 1 });
    expect(corruptResult.stderr).toMatch(/NG_ERR_CODEC_CORRUPT/);
    expect(JSON.parse(corruptResult.stdout)).toMatchObject([
      { file: corrupt, error: { code: "NG_ERR_CODEC_CORRUPT" } },
    ]);
    const bigResult = await run("unpack", "--max-output-bytes", "1000", big);
    expect(bigResult.stderr).toMatch(/NG_ERR_CODEC_TOO_LARGE/);
    expect((await readdir(directory)).sort()).toEqual(["big.json.zst", "corrupt.json.zst", "templates"]);
  });

  it("has --help on every command and rejects bad flags", async () => {
    for (const command of [["dict", "train"], ["pack"], ["unpack"]]) {
      const help = await run(...command, "--help");
      expect(help.stdout).toMatch(/Usage: nextgen/);
      expect(help.stdout).toMatch(/Example:/);
    }
    expect((await run("pack", "--level", "99", "x.json")).exitCode).not.toBe(0);
    expect((await run("dict", "train", join(directory, "templates"))).exitCode).not.toBe(0);
  });
});
