import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createZstdCodec } from "../codec/create-zstd-codec.js";
import { isZstdFrame } from "../frame/zstd-frame.js";
import { temporaryDirectory, zstdCli } from "../testing/zstd-cli.js";
import { readJsonZst, writeJsonZst } from "./json-zst.js";

const codec = createZstdCodec({ backend: "zstd-wasm" });
const template = { name: "security/auditor", kind: "specialist", tools: ["semgrep"] };
let directory: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  directory = temporaryDirectory("json-zst");
});
afterEach(() => directory.remove());

describe(".json.zst helpers", () => {
  test("write then read round-trips, the file is a zstd frame the CLI decodes, no temp file remains", async () => {
    const path = join(directory.path, "auditor.json.zst");
    await writeJsonZst(path, template, codec);
    expect(readdirSync(directory.path)).toEqual(["auditor.json.zst"]);
    expect(await readJsonZst(path, codec)).toEqual(template);
    expect(JSON.parse(new TextDecoder().decode(zstdCli(["-d", "-c", path])))).toEqual(template);
  });

  test("writes bytes as they are and replaces an existing file", async () => {
    const path = join(directory.path, "raw.json.zst");
    await writeJsonZst(path, { old: true }, codec);
    await writeJsonZst(path, new TextEncoder().encode('{"new":true}'), codec);
    expect(await readJsonZst(path, codec)).toEqual({ new: true });
  });

  test("reads plain JSON next to .json.zst, detected by the magic number", async () => {
    const path = join(directory.path, "plain.json");
    writeFileSync(path, JSON.stringify(template));
    expect(await readJsonZst(path, codec)).toEqual(template);
    expect(isZstdFrame(new TextEncoder().encode("{}"))).toBe(false);
  });

  test("refuses corrupt frames and non-JSON content with NG_ERR_CODEC_CORRUPT, leaving nothing behind on failure", async () => {
    const corrupt = join(directory.path, "corrupt.json.zst");
    const frame = await codec.encode(new TextEncoder().encode(JSON.stringify(template)));
    frame[frame.byteLength - 1] = frame[frame.byteLength - 1]! ^ 1;
    writeFileSync(corrupt, frame);
    await expect(readJsonZst(corrupt, codec)).rejects.toMatchObject({ code: "NG_ERR_CODEC_CORRUPT" });
    const notJson = join(directory.path, "text.json.zst");
    writeFileSync(notJson, zstdCli(["-c"], "not json"));
    await expect(readJsonZst(notJson, codec)).rejects.toMatchObject({ code: "NG_ERR_CODEC_CORRUPT" });
    const failing = { encode: () => Promise.reject(new Error("disk full")), decode: codec.decode };
    await expect(writeJsonZst(join(directory.path, "x.json.zst"), template, failing)).rejects.toThrow("disk full");
    await expect(writeJsonZst(join(directory.path, "missing", "x.json.zst"), template, codec)).rejects.toThrow();
    await expect(writeJsonZst(join(directory.path, "y.json.zst"), undefined, codec)).rejects.toMatchObject({
      code: "NG_ERR_OPTIONS_INVALID",
      option: "value",
    });
    expect(readdirSync(directory.path).sort()).toEqual(["corrupt.json.zst", "text.json.zst"]);
  });
});
