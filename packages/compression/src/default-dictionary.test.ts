import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { createZstdCodec } from "./codec/create-zstd-codec.js";
import { defaultDictionary } from "./default-dictionary.js";
import { dictionaryId } from "./dictionary/dictionary-id.js";

const templatesDir = new URL("../../../examples/templates/", import.meta.url).pathname;

function walk(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith(".json") ? [path] : [];
  });
}

describe("defaultDictionary", () => {
  test("is a zstd-format dictionary with the registered-range id 0x4E470001", async () => {
    expect(dictionaryId(await defaultDictionary())).toBe(0x4e47_0001);
  });

  test("compresses the sample templates to at most 0.25 of their size (per file, summed)", async () => {
    const codec = createZstdCodec({ backend: "zstd-wasm", dictionaries: [await defaultDictionary()] });
    const plain = createZstdCodec({ backend: "zstd-wasm" });
    const files = walk(templatesDir);
    expect(files.length).toBeGreaterThanOrEqual(5);
    let before = 0;
    let after = 0;
    let withoutDictionary = 0;
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(file));
      const frame = await codec.encode(bytes);
      expect(await codec.decode(frame)).toEqual(bytes);
      before += bytes.byteLength;
      after += frame.byteLength;
      withoutDictionary += (await plain.encode(bytes)).byteLength;
    }
    expect(after / before).toBeLessThanOrEqual(0.25);
    expect(after).toBeLessThan(withoutDictionary / 2);
  });
});
