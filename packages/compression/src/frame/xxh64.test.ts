import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { zstdCli } from "../testing/zstd-cli.js";
import { xxh64, zstdContentChecksum } from "./xxh64.js";

describe("xxh64", () => {
  test("matches the reference vectors", () => {
    expect(xxh64(new Uint8Array())).toBe(0xef46_db37_51d8_e999n);
    expect(xxh64(new TextEncoder().encode("a"))).toBe(0xd24e_c4f1_a98c_6e5bn);
    expect(xxh64(new TextEncoder().encode("abc"))).toBe(0x44bc_2cf5_ad77_0999n);
  });

  test.each([0, 1, 3, 4, 7, 8, 31, 32, 33, 63, 64, 100, 1000, 4097])(
    "agrees with the checksum the zstd CLI writes for %i bytes",
    (length) => {
      const content = Uint8Array.from({ length }, (_, index) => (index * 31 + length) & 0xff);
      const frame = zstdCli(["-c"], content);
      const stored = new DataView(frame.buffer, frame.byteOffset).getUint32(frame.byteLength - 4, true);
      expect(zstdContentChecksum(content)).toBe(stored);
    },
  );
});

// Straightforward BigInt XXH64, as in the specification, to check the 32-bit-halves version.
function referenceXxh64(input: Uint8Array): bigint {
  const mask = (1n << 64n) - 1n;
  const [p1, p2, p3, p4, p5] = [
    0x9e3779b185ebca87n,
    0xc2b2ae3d27d4eb4fn,
    0x165667b19e3779f9n,
    0x85ebca77c2b2ae63n,
    0x27d4eb2f165667c5n,
  ];
  const rotl = (value: bigint, bits: bigint) => ((value << bits) | (value >> (64n - bits))) & mask;
  const round = (acc: bigint, lane: bigint) => (rotl((acc + lane * p2) & mask, 31n) * p1) & mask;
  const merge = (acc: bigint, value: bigint) => ((acc ^ round(0n, value)) * p1 + p4) & mask;
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  let offset = 0;
  let hash: bigint;
  if (input.length >= 32) {
    const v = [(p1 + p2) & mask, p2, 0n, (0n - p1) & mask];
    for (; offset + 32 <= input.length; offset += 32) {
      for (let lane = 0; lane < 4; lane++) v[lane] = round(v[lane]!, view.getBigUint64(offset + lane * 8, true));
    }
    hash = (rotl(v[0]!, 1n) + rotl(v[1]!, 7n) + rotl(v[2]!, 12n) + rotl(v[3]!, 18n)) & mask;
    for (const value of v) hash = merge(hash, value);
  } else hash = p5;
  hash = (hash + BigInt(input.length)) & mask;
  for (; offset + 8 <= input.length; offset += 8) {
    hash = (rotl(hash ^ round(0n, view.getBigUint64(offset, true)), 27n) * p1 + p4) & mask;
  }
  if (offset + 4 <= input.length) {
    hash = (rotl(hash ^ ((BigInt(view.getUint32(offset, true)) * p1) & mask), 23n) * p2 + p3) & mask;
    offset += 4;
  }
  for (; offset < input.length; offset++) hash = (rotl(hash ^ ((BigInt(input[offset]!) * p5) & mask), 11n) * p1) & mask;
  hash = ((hash ^ (hash >> 33n)) * p2) & mask;
  hash = ((hash ^ (hash >> 29n)) * p3) & mask;
  return hash ^ (hash >> 32n);
}

test("agrees with a BigInt reference on arbitrary input", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => xxh64(bytes) === referenceXxh64(bytes)),
    { numRuns: 500 },
  );
});
