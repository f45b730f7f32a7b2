import { describe, expect, test } from "vitest";
import { createZstdCodec } from "../codec/create-zstd-codec.js";
import { sampleDocuments } from "../testing/zstd-cli.js";
import { dictionaryId } from "./dictionary-id.js";
import { trainDictionary } from "./train-dictionary.js";

const samples = sampleDocuments(200);

describe("trainDictionary", () => {
  test("trains a zstd-format dictionary with the CLI, with the requested id", async () => {
    const dictionary = await trainDictionary(samples, { maxBytes: 8192, dictionaryId: 123_456 });
    expect(dictionaryId(dictionary)).toBe(123_456);
    expect(dictionary.byteLength).toBeLessThanOrEqual(8192);
  });

  test("falls back to a raw-content dictionary when the CLI is missing, and it compresses", async () => {
    const dictionary = await trainDictionary(samples, { zstdPath: "/nonexistent/zstd", maxBytes: 4096 });
    expect(dictionaryId(dictionary)).toBe(0);
    expect(dictionary.byteLength).toBe(4096);
    const plain = createZstdCodec({ backend: "zstd-wasm" });
    const withDictionary = createZstdCodec({ backend: "zstd-wasm", dictionaries: [dictionary] });
    const document = samples[150]!;
    const [small, big] = [await withDictionary.encode(document), await plain.encode(document)];
    expect(small.byteLength).toBeLessThan(big.byteLength * 0.6);
    expect(await withDictionary.decode(small)).toEqual(document);
  });

  test("puts the most repeated samples last in a raw dictionary and keeps the end", async () => {
    const [a, b] = [new TextEncoder().encode("aaaaaaaaaa"), new TextEncoder().encode("bbbbbbbbbb")];
    const dictionary = await trainDictionary([b, a, b], { method: "raw", maxBytes: 256 });
    expect(new TextDecoder().decode(dictionary)).toBe("aaaaaaaaaabbbbbbbbbb");
  });

  test("refuses a failing CLI when asked for it explicitly, and bad options", async () => {
    await expect(trainDictionary(samples, { method: "zstd-cli", zstdPath: "/nonexistent/zstd" })).rejects.toMatchObject(
      { code: "NG_ERR_OPTIONS_INVALID", option: "options.method" },
    );
    await expect(trainDictionary([])).rejects.toMatchObject({ option: "samples" });
    await expect(trainDictionary(samples, { maxBytes: 10 })).rejects.toMatchObject({ option: "options.maxBytes" });
    await expect(trainDictionary(samples, { dictionaryId: 0 })).rejects.toMatchObject({
      option: "options.dictionaryId",
    });
  });
});
