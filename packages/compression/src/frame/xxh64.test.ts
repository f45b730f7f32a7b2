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
