// Compression bench: encode/decode µs per document and MB/s for each @nextgen/compression
// backend, side by side with node:zlib zstd used directly and with the zstd CLI, on the
// sample templates; compression ratio with and without the default dictionary.
//
//   npm run build -w @nextgen/compression
//   npx -y -p node@24 node bench/compression.mjs     # node:zlib zstd needs Node ≥ 22.15
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zlib from "node:zlib";
import { createZstdCodec, DEFAULT_DICTIONARY_URL, defaultDictionary } from "@nextgen/compression";

const root = new URL("../", import.meta.url).pathname;
const walk = (directory) =>
  readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith(".json") ? [path] : [];
  });
const files = walk(join(root, "examples/templates")).sort();
const corpus = files.map((file) => new Uint8Array(readFileSync(file)));
const corpusBytes = corpus.reduce((sum, document) => sum + document.byteLength, 0);
const dictionary = await defaultDictionary();
const dictionaryPath = DEFAULT_DICTIONARY_URL.pathname;
const LEVEL = 3;
const ROUNDS = Number(process.env.ROUNDS ?? 1500);

const BATCHES = 15;

/**
 * Times every task in interleaved batches (each task runs ROUNDS / BATCHES rounds over the
 * corpus per batch) and keeps the median batch, so a load spike on a shared machine hits
 * all engines alike instead of whichever ran at the time.
 */
async function timeAll(tasks) {
  const rounds = Math.max(1, Math.round(ROUNDS / BATCHES));
  const samples = tasks.map(() => []);
  for (const task of tasks)
    for (let round = 0; round < 20; round++) for (const document of corpus) await task.fn(document);
  for (let batch = 0; batch < BATCHES; batch++) {
    for (const [index, task] of tasks.entries()) {
      const start = process.hrtime.bigint();
      for (let round = 0; round < rounds; round++) for (const document of corpus) await task.fn(document);
      samples[index].push(Number(process.hrtime.bigint() - start));
    }
  }
  return samples.map((batchTimes) => {
    const median = batchTimes.sort((a, b) => a - b)[Math.floor(batchTimes.length / 2)];
    return {
      usPerDoc: median / (rounds * corpus.length) / 1000,
      mbPerS: (corpusBytes * rounds) / (median / 1e9) / 1e6,
    };
  });
}

const hasZlibZstd = typeof zlib.zstdCompressSync === "function";
const engines = [];
if (hasZlibZstd) {
  const params = { [zlib.constants.ZSTD_c_compressionLevel]: LEVEL, [zlib.constants.ZSTD_c_checksumFlag]: 1 };
  engines.push({
    name: "node:zlib zstd (peer, direct sync calls)",
    peer: true,
    encode: (document, withDictionary) =>
      zlib.zstdCompressSync(document, { params, ...(withDictionary ? { dictionary } : {}) }),
    decode: (frame, withDictionary) => zlib.zstdDecompressSync(frame, withDictionary ? { dictionary } : {}),
  });
}
for (const backend of [...(hasZlibZstd ? ["node-zlib"] : []), "zstd-wasm", "fzstd"]) {
  const plain = createZstdCodec({ backend, level: LEVEL });
  const withDict =
    backend === "fzstd" ? undefined : createZstdCodec({ backend, level: LEVEL, dictionaries: [dictionary] });
  await plain.ready();
  await withDict?.ready();
  engines.push({
    name: `@nextgen/compression ${backend}${backend === "fzstd" ? " (encodes with zstd-wasm)" : ""} (sync)`,
    dictionaries: withDict !== undefined,
    encode: (document, withDictionary) => (withDictionary ? withDict : plain).encodeSync(document),
    decode: (frame, withDictionary) => (withDictionary ? withDict : plain).decodeSync(frame),
  });
  engines.push({
    name: `@nextgen/compression ${backend} (async)`,
    dictionaries: withDict !== undefined,
    encode: (document, withDictionary) => (withDictionary ? withDict : plain).encode(document),
    decode: (frame, withDictionary) => (withDictionary ? withDict : plain).decode(frame),
  });
}

const results = [];
for (const withDictionary of [false, true]) {
  const active = engines.filter((engine) => !withDictionary || engine.dictionaries !== false);
  const tasks = [];
  for (const engine of active) {
    const frames = new Map();
    for (const document of corpus) frames.set(document, await engine.encode(document, withDictionary));
    let compressed = 0;
    for (const frame of frames.values()) compressed += frame.byteLength;
    const result = { engine: engine.name, peer: engine.peer, withDictionary, ratio: compressed / corpusBytes };
    results.push(result);
    tasks.push({ result, kind: "encode", fn: (document) => engine.encode(document, withDictionary) });
    tasks.push({ result, kind: "decode", fn: (document) => engine.decode(frames.get(document), withDictionary) });
  }
  const timings = await timeAll(tasks);
  tasks.forEach((task, index) => {
    task.result[task.kind] = timings[index];
  });
}

// The zstd CLI: one process per direction over the corpus copied COPIES times, so that the
// process start-up is spread over many documents (it still dominates for 600-byte files).
const COPIES = 200;
const workspace = mkdtempSync(join(tmpdir(), "nextgen-bench-zstd-"));
try {
  for (const withDictionary of [false, true]) {
    const input = join(workspace, `in-${withDictionary}`);
    const packed = join(workspace, `packed-${withDictionary}`);
    const unpacked = join(workspace, `unpacked-${withDictionary}`);
    for (const directory of [input, packed, unpacked]) mkdirSync(directory);
    const names = [];
    for (let copy = 0; copy < COPIES; copy++) {
      corpus.forEach((document, index) => {
        const name = join(input, `${copy}-${index}.json`);
        writeFileSync(name, document);
        names.push(name);
      });
    }
    const dictionaryArgs = withDictionary ? ["-D", dictionaryPath] : [];
    const run = (args) => {
      const start = process.hrtime.bigint();
      execFileSync("zstd", ["-q", "-f", ...args], { maxBuffer: 1 << 26 });
      return Number(process.hrtime.bigint() - start);
    };
    const encodeNs = run([`-${LEVEL}`, ...dictionaryArgs, "--output-dir-flat", packed, ...names]);
    const packedNames = readdirSync(packed).map((name) => join(packed, name));
    const compressed = packedNames.reduce((sum, name) => sum + statSync(name).size, 0);
    const decodeNs = run(["-d", ...dictionaryArgs, "--output-dir-flat", unpacked, ...packedNames]);
    const documents = COPIES * corpus.length;
    const perDoc = (nanoseconds) => ({
      usPerDoc: nanoseconds / documents / 1000,
      mbPerS: (corpusBytes * COPIES) / (nanoseconds / 1e9) / 1e6,
    });
    results.push({
      engine: `zstd CLI ${
        execFileSync("zstd", ["-V"])
          .toString()
          .match(/v[\d.]+/)?.[0]
      } (one process per ${documents} files)`,
      withDictionary,
      ratio: compressed / (corpusBytes * COPIES),
      encode: perDoc(encodeNs),
      decode: perDoc(decodeNs),
    });
  }
} finally {
  rmSync(workspace, { recursive: true, force: true });
}

const fixed = (value, digits = 1) => value.toFixed(digits);
console.log(
  `Node ${process.version}, ${corpus.length} sample templates, ${corpusBytes} bytes, level ${LEVEL}, ${ROUNDS} rounds`,
);
console.log(`dictionary: ${dictionaryPath.split("/").slice(-2).join("/")} (${dictionary.byteLength} bytes)\n`);
for (const withDictionary of [false, true]) {
  const peer = results.find((result) => result.peer && result.withDictionary === withDictionary);
  console.log(`### ${withDictionary ? "with" : "without"} the default dictionary\n`);
  console.log(
    "| engine | ratio | encode µs/doc | encode MB/s | decode µs/doc | decode MB/s | encode vs peer | decode vs peer |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  for (const result of results.filter((entry) => entry.withDictionary === withDictionary)) {
    const versus = (kind) => (peer ? `${fixed(result[kind].usPerDoc / peer[kind].usPerDoc, 2)}×` : "—");
    console.log(
      `| ${result.engine} | ${fixed(result.ratio, 3)} | ${fixed(result.encode.usPerDoc)} | ${fixed(result.encode.mbPerS)} | ${fixed(result.decode.usPerDoc)} | ${fixed(result.decode.mbPerS)} | ${versus("encode")} | ${versus("decode")} |`,
    );
  }
  console.log();
}
