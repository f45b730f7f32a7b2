import { describe, expect, test } from "vitest";
import { CompressionError } from "../errors/compression-error.js";
import { zstdCli } from "../testing/zstd-cli.js";
import { isZstdFrame, scanFrames } from "./zstd-frame.js";

const content = new TextEncoder().encode('{"name":"security/auditor","kind":"specialist"}'.repeat(20));

function corruptCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof CompressionError ? error.code : "not a CompressionError";
  }
  return undefined;
}

describe("isZstdFrame", () => {
  test("recognises the magic number and nothing else", () => {
    expect(isZstdFrame(zstdCli(["-c"], content))).toBe(true);
    expect(isZstdFrame(content)).toBe(false);
    expect(isZstdFrame(new Uint8Array([0x28, 0xb5, 0x2f]))).toBe(false);
  });
});

describe("scanFrames", () => {
  test("reads content size, checksum and dictionary id from a CLI frame", () => {
    const [frame] = scanFrames(zstdCli(["-c", `--stream-size=${content.byteLength}`], content));
    expect(frame).toMatchObject({ contentSize: content.byteLength, dictionaryId: 0 });
    expect(frame!.checksum).toBeTypeOf("number");
    expect(frame!.maxContentSize).toBeGreaterThanOrEqual(content.byteLength);
  });

  test("reports an absent content size and bounds it from the blocks", () => {
    const [frame] = scanFrames(zstdCli(["-c", "--no-content-size"], content));
    expect(frame!.contentSize).toBeUndefined();
    expect(frame!.maxContentSize).toBeGreaterThanOrEqual(content.byteLength);
  });

  test("walks concatenated and skippable frames", () => {
    const one = zstdCli(["-c"], content);
    const skippable = new Uint8Array([0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 9, 9]);
    const frames = scanFrames(new Uint8Array([...one, ...skippable, ...one]));
    expect(frames.map((frame) => frame.start)).toEqual([0, one.byteLength + skippable.byteLength]);
  });

  test("refuses empty input, a wrong magic number, a reserved bit and every truncation", () => {
    const frame = zstdCli(["-c"], content);
    expect(corruptCode(() => scanFrames(new Uint8Array()))).toBe("NG_ERR_CODEC_CORRUPT");
    expect(corruptCode(() => scanFrames(content))).toBe("NG_ERR_CODEC_CORRUPT");
    const reserved = frame.slice();
    reserved[4] = reserved[4]! | 0x08;
    expect(corruptCode(() => scanFrames(reserved))).toBe("NG_ERR_CODEC_CORRUPT");
    for (let length = 1; length < frame.byteLength; length++) {
      expect(corruptCode(() => scanFrames(frame.subarray(0, length)))).toBe("NG_ERR_CODEC_CORRUPT");
    }
    expect(corruptCode(() => scanFrames(new Uint8Array([...frame, 1, 2])))).toBe("NG_ERR_CODEC_CORRUPT");
  });
});
