// Compression bench: encode/decode µs per document and MB/s for each @nextgen/compression
// backend, side by side with node:zlib zstd called directly (the peer) and with the zstd CLI,
// on the sample templates and on one ~1 MB bundle of them; compression ratio with and
// without the default dictionary.
//
//   npm run build -w @nextgen/compression
//   npx -y -p node@24 node bench/compression.mjs     # node:zlib zstd needs Node ≥ 22.15
//
// Env: ROUNDS (default 1500 passes over the templates; the bundle gets ROUNDS / 50).
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
const templates = walk(join(root, "examples/templates"))
  .sort()
  .map((file) => new Uint8Array(readFileSync(file)));
// A catalogue export: 1,500 template records, each with its own id, version and digest, so
// that the bundle is not just the same eleven templates repeated (that compresses 200:1).
let seed = 0x4e47;
const random = () => {
  seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
  return seed / 2 ** 32;
};
const hex = (length) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join("");
const records = Array.from({ length: 1500 }, (_, index) => {
  const template = JSON.parse(new TextDecoder().decode(templates[index % templates.length]));
  const version = `${Math.floor(random() * 5)}.${Math.floor(random() * 20)}.${Math.floor(random() * 50)}`;
  return {
    ...template,
    id: `${template.id}-${index}`,
    version,
    digest: `sha256:${hex(64)}`,
    updatedAt: Date.UTC(2026, 0, 1) + Math.floor(random() * 3e10),
  };
});
const bundle = new TextEncoder().encode(JSON.stringify(records));
const dictionary = await defaultDictionary();
const dictionaryPath = DEFAULT_DICTIONARY_URL.pathname;
const LEVEL = 3;
const ROUNDS = Number(process.env.ROUNDS ?? 1500);
const BATCHES = 15;
const sum = (documents) => documents.reduce((total, document) => total + document.byteLength, 0);

/**
 * Times every task in interleaved batches and keeps each task's median batch, so that a load
 * spike on a shared machine hits all engines alike instead of whichever ran at the time.
 */
async function timeAll(corpus, rounds, tasks) {
  const perBatch = Math.max(1, Math.round(rounds / BATCHES));
  const samples = tasks.map(() => []);
  for (const task of tasks)
    for (let round = 0; round < 3; round++) for (const document of corpus) await task.fn(document);
  for (let batch = 0; batch < BATCHES; batch++) {
    for (const [index, task] of tasks.entries()) {
      const start = process.hrtime.bigint();
      for (let round = 0; round < perBatch; round++) for (const document of corpus) await task.fn(document);
      samples[index].push(Number(process.hrtime.bigint() - start));
    }
  }
  return samples.map((times) => {
    const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
    return {
      usPerDoc: median / (perBatch * corpus.length) / 1000,
      mbPerS: (sum(corpus) * perBatch) / (median / 1e9) / 1e6,
    };
  });
}

const hasZlibZstd = typeof zlib.zstdCompressSync === "function";
const engines = [];
if (hasZlibZstd) {
  const params = { [zlib.constants.ZSTD_c_compressionLevel]: LEVEL, [zlib.constants.ZSTD_c_checksumFlag]: 1 };
  engines.push({
    name: "node:zlib zstd, direct sync calls (peer)",
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
  const label = backend === "fzstd" ? "fzstd (encodes with zstd-wasm)" : backend;
  for (const mode of ["sync", "async"]) {
    const codecFor = (withDictionary) => (withDictionary ? withDict : plain);
    engines.push({
      name: `@nextgen/compression ${label}, ${mode}`,
      dictionaries: withDict !== undefined,
      encode: (document, withDictionary) =>
        mode === "sync" ? codecFor(withDictionary).encodeSync(document) : codecFor(withDictionary).encode(document),
      decode: (frame, withDictionary) =>
        mode === "sync" ? codecFor(withDictionary).decodeSync(frame) : codecFor(withDictionary).decode(frame),
    });
  }
}

async function measure(corpus, rounds, withDictionary) {
  const results = [];
  const tasks = [];
  for (const engine of engines.filter((candidate) => !withDictionary || candidate.dictionaries !== false)) {
    const frames = new Map();
    for (const document of corpus) frames.set(document, await engine.encode(document, withDictionary));
    const result = { engine: engine.name, peer: engine.peer, ratio: sum([...frames.values()]) / sum(corpus) };
    results.push(result);
    tasks.push({ result, kind: "encode", fn: (document) => engine.encode(document, withDictionary) });
    tasks.push({ result, kind: "decode", fn: (document) => engine.decode(frames.get(document), withDictionary) });
  }
  const timings = await timeAll(corpus, rounds, tasks);
  tasks.forEach((task, index) => {
    task.result[task.kind] = timings[index];
  });
  return results;
}

// The zstd CLI: one process per direction over the corpus written COPIES times, so that its
// start-up is spread over many files (it still dominates for 650-byte documents).
function measureCli(corpus, copies, withDictionary) {
  const workspace = mkdtempSync(join(tmpdir(), "nextgen-bench-zstd-"));
  try {
    const [input, packed, unpacked] = ["in", "packed", "unpacked"].map((name) => join(workspace, name));
    for (const directory of [input, packed, unpacked]) mkdirSync(directory);
    const names = [];
    for (let copy = 0; copy < copies; copy++) {
      corpus.forEach((document, index) => {
        names.push(join(input, `${copy}-${index}.json`));
        writeFileSync(names.at(-1), document);
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
    const compressed = packedNames.reduce((total, name) => total + statSync(name).size, 0);
    const decodeNs = run(["-d", ...dictionaryArgs, "--output-dir-flat", unpacked, ...packedNames]);
    const documents = copies * corpus.length;
    const perDocument = (nanoseconds) => ({
      usPerDoc: nanoseconds / documents / 1000,
      mbPerS: (sum(corpus) * copies) / (nanoseconds / 1e9) / 1e6,
    });
    const version = execFileSync("zstd", ["-V"])
      .toString()
      .match(/v[\d.]+/)?.[0];
    return {
      engine: `zstd CLI ${version}, one process for ${documents} files`,
      ratio: compressed / (sum(corpus) * copies),
      encode: perDocument(encodeNs),
      decode: perDocument(decodeNs),
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

function print(title, results) {
  const peer = results.find((result) => result.peer);
  const fixed = (value, digits = 1) => value.toFixed(digits);
  const versus = (result, kind) => (peer ? `${fixed(result[kind].usPerDoc / peer[kind].usPerDoc, 2)}×` : "—");
  console.log(`### ${title}\n`);
  console.log(
    "| engine | ratio | encode µs/doc | encode MB/s | decode µs/doc | decode MB/s | encode time vs peer | decode time vs peer |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  for (const result of results) {
    console.log(
      `| ${result.engine} | ${fixed(result.ratio, 3)} | ${fixed(result.encode.usPerDoc)} | ${fixed(result.encode.mbPerS)} | ${fixed(result.decode.usPerDoc)} | ${fixed(result.decode.mbPerS)} | ${versus(result, "encode")} | ${versus(result, "decode")} |`,
    );
  }
  console.log();
}

console.log(
  `Node ${process.version}; ${templates.length} sample templates, ${sum(templates)} bytes; bundle ${bundle.byteLength} bytes; level ${LEVEL}; dictionary ${dictionary.byteLength} bytes\n`,
);
for (const withDictionary of [false, true]) {
  const results = await measure(templates, ROUNDS, withDictionary);
  results.push(measureCli(templates, 200, withDictionary));
  print(`sample templates, ${withDictionary ? "with" : "without"} the default dictionary`, results);
}
const bundleResults = await measure([bundle], Math.max(BATCHES, Math.round(ROUNDS / 50)), false);
bundleResults.push(measureCli([bundle], 5, false));
print(
  `one ${(bundle.byteLength / 1e6).toFixed(1)} MB catalogue of 1,500 template records, no dictionary`,
  bundleResults,
);
