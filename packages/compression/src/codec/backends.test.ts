import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hasNodeZlibZstd, nodeZlibSupportsDictionaries } from "../backends/node-zlib-backend.js";
import type { ZstdBackendName } from "../backends/zstd-backend.js";
import { dictionaryId } from "../dictionary/dictionary-id.js";
import { trainDictionary } from "../dictionary/train-dictionary.js";
import { CompressionError } from "../errors/compression-error.js";
import { scanFrames } from "../frame/zstd-frame.js";
import { sampleDocuments, shell, temporaryDirectory, zstdCli } from "../testing/zstd-cli.js";
import { createZstdCodec } from "./create-zstd-codec.js";

const GIB = 2 ** 30;
const documents = sampleDocuments(300);
const document = documents[7]!;
const large = Uint8Array.from({ length: 600_000 }, (_, index) => ((index * 7919) % 251) ^ (index >> 12));

// Vitest's deep equality walks typed arrays element by element: compare bytes natively.
function same(actual: Uint8Array, expected: Uint8Array): boolean {
  return Buffer.compare(actual, expected) === 0;
}
const workspace = temporaryDirectory("codec-backends");
let trained: Uint8Array;
let trainedPath: string;
let rawDictionary: Uint8Array;
let rawPath: string;
let bombWithSize: Uint8Array;
let bombWithoutSize: Uint8Array;

beforeAll(async () => {
  trained = await trainDictionary(documents, { method: "zstd-cli", maxBytes: 16_384, dictionaryId: 4242 });
  trainedPath = join(workspace.path, "trained.zdict");
  writeFileSync(trainedPath, trained);
  rawDictionary = await trainDictionary(documents.slice(0, 40), { method: "raw" });
  rawPath = join(workspace.path, "raw.dict");
  writeFileSync(rawPath, rawDictionary);
  // 2 GiB of zeros in ~66 KB: once with Frame_Content_Size, once without (streamed from a pipe).
  bombWithSize = shell(`head -c ${2 * GIB} /dev/zero | zstd -q -c --stream-size=${2 * GIB}`);
  bombWithoutSize = shell(`head -c ${2 * GIB} /dev/zero | zstd -q -c --no-content-size`);
});
afterAll(() => workspace.remove());

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return error instanceof CompressionError ? error.code : `not a CompressionError: ${String(error)}`;
  }
  return undefined;
}

const nodeZlibSkipReason = hasNodeZlibZstd()
  ? ""
  : ` — skipped: node:zlib has no zstd on ${process.version} (needs ≥ 22.15)`;
const backends: { name: ZstdBackendName; available: boolean; dictionaries: boolean; title: string }[] = [
  {
    name: "node-zlib",
    available: hasNodeZlibZstd(),
    dictionaries: nodeZlibSupportsDictionaries(),
    title: `node-zlib${nodeZlibSkipReason}`,
  },
  { name: "zstd-wasm", available: true, dictionaries: true, title: "zstd-wasm" },
  { name: "fzstd", available: true, dictionaries: false, title: "fzstd" },
];

describe.each(backends)("backend $title", ({ name, available, dictionaries }) => {
  describe.skipIf(!available)("codec", () => {
    test("round-trips async and sync, empty and multi-block input", async () => {
      const codec = createZstdCodec({ backend: name });
      expect(codec.backend).toBe(name);
      await codec.ready();
      for (const input of [document, new Uint8Array(), large]) {
        expect(same(await codec.decode(await codec.encode(input)), input)).toBe(true);
        expect(same(codec.decodeSync(codec.encodeSync(input)), input)).toBe(true);
      }
    });

    test("writes frames the zstd CLI reads, with content size and checksum", async () => {
      const frame = await createZstdCodec({ backend: name }).encode(large);
      expect(frame[4]! & 0x04).toBe(0x04);
      expect(same(zstdCli(["-d", "-c"], frame), large)).toBe(true);
      expect(scanFrames(frame)[0]!.contentSize).toBe(large.byteLength);
    });

    test("reads frames the zstd CLI writes, with and without content size, at several levels", async () => {
      const codec = createZstdCodec({ backend: name });
      for (const args of [
        ["-c"],
        ["-c", "-19"],
        ["-c", "--no-content-size"],
        ["-c", `--stream-size=${large.byteLength}`],
      ]) {
        expect(same(await codec.decode(zstdCli(args, large)), large)).toBe(true);
      }
    });

    test("refuses a flipped byte anywhere after the header, and a wrong checksum", async () => {
      const codec = createZstdCodec({ backend: name });
      const frame = zstdCli(["-c", `--stream-size=${document.byteLength}`], document);
      const codes = new Set<string>();
      for (let position = 7; position < frame.byteLength; position++) {
        const damaged = frame.slice();
        damaged[position] = damaged[position]! ^ 0x5a;
        codes.add(`${await codeOf(codec.decode(damaged))}`);
      }
      expect([...codes].join(" ")).toBe("NG_ERR_CODEC_CORRUPT");
    });

    test("refuses every truncation and trailing garbage", async () => {
      const codec = createZstdCodec({ backend: name });
      const frame = await codec.encode(document);
      for (let length = 0; length < frame.byteLength; length++) {
        expect(await codeOf(codec.decode(frame.subarray(0, length)))).toBe("NG_ERR_CODEC_CORRUPT");
      }
      expect(await codeOf(codec.decode(new Uint8Array([...frame, 0x28, 0xb5])))).toBe("NG_ERR_CODEC_CORRUPT");
      expect(await codeOf(codec.decode(document))).toBe("NG_ERR_CODEC_CORRUPT");
    });

    test("refuses frames without a checksum unless told otherwise", async () => {
      const frame = zstdCli(["-c", "--no-check"], document);
      expect(await codeOf(createZstdCodec({ backend: name }).decode(frame))).toBe("NG_ERR_CODEC_CORRUPT");
      expect(await createZstdCodec({ backend: name, requireChecksum: false }).decode(frame)).toEqual(document);
    });

    test("refuses a 2 GiB bomb with its content size from the header, before decoding", async () => {
      const codec = createZstdCodec({ backend: name });
      expect(bombWithSize.byteLength).toBeLessThan(100_000);
      const error = await codec.decode(bombWithSize).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "NG_ERR_CODEC_TOO_LARGE", message: /frame content size/ });
    });

    test("refuses a 2 GiB bomb without a content size while decoding, sync and async", async () => {
      const codec = createZstdCodec({ backend: name, maxOutputBytes: 4 * 1024 * 1024 });
      await codec.ready();
      expect(await codeOf(codec.decode(bombWithoutSize))).toBe("NG_ERR_CODEC_TOO_LARGE");
      expect(await codeOf(Promise.resolve().then(() => codec.decodeSync(bombWithoutSize)))).toBe(
        "NG_ERR_CODEC_TOO_LARGE",
      );
    });

    test("enforces maxOutputBytes to the byte, with and without content size", async () => {
      const exact = createZstdCodec({ backend: name, maxOutputBytes: document.byteLength });
      const under = createZstdCodec({ backend: name, maxOutputBytes: document.byteLength - 1 });
      for (const args of [
        ["-c", `--stream-size=${document.byteLength}`],
        ["-c", "--no-content-size"],
      ]) {
        const frame = zstdCli(args, document);
        expect(await exact.decode(frame)).toEqual(document);
        expect(await codeOf(under.decode(frame))).toBe("NG_ERR_CODEC_TOO_LARGE");
      }
      const twice = await exact.encode(document);
      expect(await codeOf(exact.decode(new Uint8Array([...twice, ...twice])))).toBe("NG_ERR_CODEC_TOO_LARGE");
    });

    test("refuses a frame naming an unknown dictionary", async () => {
      const frame = zstdCli(["-c", "-D", trainedPath], document);
      expect(dictionaryId(trained)).toBe(4242);
      expect(await codeOf(createZstdCodec({ backend: name }).decode(frame))).toBe("NG_ERR_CODEC_DICTIONARY");
    });

    test.skipIf(!dictionaries)("round-trips with a trained dictionary, both ways with the CLI", async () => {
      const codec = createZstdCodec({ backend: name, dictionaries: [trained] });
      expect(codec.encodeDictionaryId).toBe(4242);
      const ours = await codec.encode(document);
      expect(ours.byteLength).toBeLessThan(zstdCli(["-c"], document).byteLength);
      expect(zstdCli(["-d", "-c", "-D", trainedPath], ours)).toEqual(document);
      expect(await codec.decode(zstdCli(["-c", "-D", trainedPath], document))).toEqual(document);
      const other = await trainDictionary(documents, { method: "zstd-cli", maxBytes: 16_384, dictionaryId: 7 });
      const otherFrame = await createZstdCodec({ backend: name, dictionaries: [other] }).encode(document);
      expect(await codeOf(codec.decode(otherFrame))).toBe("NG_ERR_CODEC_DICTIONARY");
    });

    test.skipIf(!dictionaries)("round-trips with a raw-content dictionary, both ways with the CLI", async () => {
      const codec = createZstdCodec({ backend: name, dictionaries: [rawDictionary] });
      expect(codec.encodeDictionaryId).toBe(0);
      const ours = await codec.encode(document);
      expect(zstdCli(["-d", "-c", "-D", rawPath], ours)).toEqual(document);
      expect(await codec.decode(zstdCli(["-c", "-D", rawPath], document))).toEqual(document);
      // A raw dictionary has no id, so frames without a dictionary also name id 0: they still decode.
      expect(await codec.decode(zstdCli(["-c"], document))).toEqual(document);
      expect(codec.decodeSync(zstdCli(["-c", "--no-content-size"], large)).byteLength).toBe(large.byteLength);
    });
  });
});
