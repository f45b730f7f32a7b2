import diagnosticsChannel from "node:diagnostics_channel";
import { afterEach, describe, expect, test } from "vitest";
import { trainDictionary } from "../dictionary/train-dictionary.js";
import { sampleDocuments } from "../testing/zstd-cli.js";
import { createZstdCodec } from "./create-zstd-codec.js";

interface Context {
  backend: string;
  bytesIn: number;
  bytesOut?: number;
  dictionaryId?: number;
  error?: unknown;
}

const channel = diagnosticsChannel.tracingChannel<unknown, Context>("nextgen:codec.decode");
const seen: { event: string; context: Context }[] = [];
const handlers = {
  start: (context: Context) => seen.push({ event: "start", context: { ...context } }),
  end: () => {},
  asyncStart: (context: Context) => seen.push({ event: "asyncStart", context: { ...context } }),
  asyncEnd: () => {},
  error: (context: Context) => seen.push({ event: "error", context: { ...context } }),
};
afterEach(() => {
  channel.unsubscribe(handlers);
  seen.length = 0;
});

describe("nextgen:codec.decode tracing channel", () => {
  test("reports backend, sizes and the dictionary id (core's CodecDecodeContext shape)", async () => {
    const dictionary = await trainDictionary(sampleDocuments(200), { maxBytes: 8192, dictionaryId: 99_999 });
    const codec = createZstdCodec({ backend: "zstd-wasm", dictionaries: [dictionary] });
    const document = sampleDocuments(3)[2]!;
    const frame = await codec.encode(document);
    channel.subscribe(handlers);
    await codec.decode(frame);
    expect(seen[0]).toEqual({
      event: "start",
      context: { backend: "zstd-wasm", bytesIn: frame.byteLength, dictionaryId: 99_999 },
    });
    expect(seen.at(-1)?.context).toMatchObject({ bytesOut: document.byteLength });
  });

  test("reports a refused frame as an error", async () => {
    channel.subscribe(handlers);
    await expect(createZstdCodec({ backend: "fzstd" }).decode(new Uint8Array([1, 2, 3]))).rejects.toThrow();
    expect(seen.map((entry) => entry.event)).toContain("error");
  });
});
