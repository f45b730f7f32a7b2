import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { hasNodeZlibZstd } from "../backends/node-zlib-backend.js";
import type { ZstdBackendName } from "../backends/zstd-backend.js";
import { sampleDocuments, temporaryDirectory, zstdCli } from "../testing/zstd-cli.js";
import { createZstdCodec } from "./create-zstd-codec.js";

// Found by fuzzing fzstd 0.1.1: its Huffman weight table reads zero bits per state, so the
// decoder's loop never advances. Before the work budget, decoding it froze the process.
const endlessFrame = new Uint8Array(readFileSync(new URL("./fixtures/fzstd-endless-huffman.zst", import.meta.url)));
const backends: ZstdBackendName[] = [...(hasNodeZlibZstd() ? (["node-zlib"] as const) : []), "zstd-wasm", "fzstd"];
const workspace = temporaryDirectory("decode-termination");
afterAll(() => workspace.remove());

/** Runs the fuzz child under `deadlineMs`; resolves with its status, signal and stdout. */
function runChild(
  args: readonly string[],
  deadlineMs: number,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = new URL("./fixtures/fuzz-decode.ts", import.meta.url).pathname;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", child, ...args],
      { timeout: deadlineMs, killSignal: "SIGKILL", maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        const status = error as { code?: number | string; signal?: string } | null;
        resolve({
          code: status === null ? 0 : typeof status.code === "number" ? status.code : null,
          signal: status?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

describe("decoding untrusted frames always terminates", () => {
  test("the frame that made fzstd loop forever is refused as corrupt, sync and async, on every backend", async () => {
    for (const backend of backends) {
      const codec = createZstdCodec({ backend, maxOutputBytes: 64 * 1024, requireChecksum: false });
      await codec.ready();
      expect(() => codec.decodeSync(endlessFrame), backend).toThrow(
        expect.objectContaining({ code: "NG_ERR_CODEC_CORRUPT" }),
      );
      await expect(codec.decode(endlessFrame), backend).rejects.toMatchObject({ code: "NG_ERR_CODEC_CORRUPT" });
    }
    // The budget stopped the runaway decoder; the backend still decodes valid frames afterwards.
    const fzstd = createZstdCodec({ backend: "fzstd" });
    const document = sampleDocuments(1)[0]!;
    expect(Buffer.compare(fzstd.decodeSync(zstdCli(["-c"], document)), document)).toBe(0);
    expect(Buffer.compare(await fzstd.decode(zstdCli(["-c", "--no-content-size"], document)), document)).toBe(0);
  }, 60_000);

  test("the endless frame and 400 mutated frames per backend, sync and async, end in bytes or a coded refusal within a deadline", async () => {
    const documents = sampleDocuments(12);
    const bases = [
      ...documents.slice(0, 4).map((document) => zstdCli(["-c", "-19"], document)),
      ...documents.slice(4, 8).map((document) => zstdCli(["-c", "--no-content-size"], document)),
      ...documents.slice(8).map((document) => zstdCli(["-c", "-1", "--no-check"], document)),
    ];
    const framesFile = join(workspace.path, "frames.json");
    const base64 = (frame: Uint8Array): string => Buffer.from(frame).toString("base64");
    writeFileSync(framesFile, JSON.stringify({ bases: bases.map(base64), fixed: [base64(endlessFrame)] }));
    const result = await runChild([framesFile, "400", "20261205", backends.join(",")], 60_000);
    expect(
      result.signal,
      `the fuzz child was killed at its deadline: a decoder did not terminate\n${result.stderr}`,
    ).toBeNull();
    expect(result.code, result.stderr).toBe(0);
    const outcomes = JSON.parse(result.stdout) as Record<string, Record<string, number>>;
    expect(Object.keys(outcomes)).toEqual(backends);
    for (const backend of backends) {
      const tally = outcomes[backend]!;
      const total = Object.values(tally).reduce((sum, value) => sum + value, 0);
      expect(total, backend).toBe(802);
      const allowed = ["decoded", "NG_ERR_CODEC_CORRUPT", "NG_ERR_CODEC_TOO_LARGE", "NG_ERR_CODEC_DICTIONARY"];
      expect(
        Object.keys(tally).filter((outcome) => !allowed.includes(outcome)),
        backend,
      ).toEqual([]);
      expect(tally.NG_ERR_CODEC_CORRUPT ?? 0, backend).toBeGreaterThan(0);
    }
  }, 120_000);
});
