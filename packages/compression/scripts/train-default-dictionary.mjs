// Regenerates dictionaries/templates-v1.zdict from the sample templates in examples/templates/.
//
//   node packages/compression/scripts/train-default-dictionary.mjs
//
// `zstd --train` needs many more samples than the eleven templates, so it trains on the
// templates plus realistic variants of them (other ids, versions, descriptions, capability and
// tool sets drawn from the corpus), generated with a fixed seed so that the output is
// reproducible. It then reports the ratio on the templates and on variants it did not train on.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const root = new URL("../../../", import.meta.url).pathname;
const templatesDir = join(root, "examples/templates");
const output = join(root, "packages/compression/dictionaries/templates-v1.zdict");
// zstd reserves ids below 32768 for registration and from 2^31 up; "NG" then version 1.
const DICTIONARY_ID = 0x4e47_0001;
const MAX_BYTES = 16_384;

function walk(directory) {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith(".json") ? [path] : [];
  });
}

function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const templates = walk(templatesDir).sort();
const parsed = templates.map((path) => JSON.parse(readFileSync(path, "utf8")));
const union = (key) => [...new Set(parsed.flatMap((template) => template[key] ?? []))];
const capabilities = union("capabilities");
const tools = union("tools");
const descriptions = parsed.map((template) => template.description).filter(Boolean);
const domains = [...new Set(parsed.map((template) => template.domain).filter(Boolean))];
const roles = ["auditor", "specialist", "coordinator", "reviewer", "analyst", "writer", "triager"];

function variant(random, index) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const some = (list) => list.filter(() => random() < 0.4).slice(0, 4);
  const base = structuredClone(pick(parsed));
  const domain = pick(domains);
  const role = pick(roles);
  base.id = `${domain}/${role}${index % 5 === 0 ? `-${index}` : ""}`;
  if ("version" in base)
    base.version = `${Math.floor(random() * 4)}.${Math.floor(random() * 12)}.${Math.floor(random() * 20)}`;
  if ("name" in base)
    base.name = `${domain[0].toUpperCase()}${domain.slice(1)} ${role[0].toUpperCase()}${role.slice(1)}`;
  if ("domain" in base) base.domain = domain;
  if ("description" in base) base.description = pick(descriptions);
  if ("capabilities" in base) base.capabilities = some(capabilities).length ? some(capabilities) : [pick(capabilities)];
  if ("tools" in base) base.tools = some(tools);
  if (base.config && typeof base.config === "object") {
    if ("temperature" in base.config) base.config.temperature = Math.round(random() * 10) / 10;
    if ("maxRetries" in base.config) base.config.maxRetries = Math.floor(random() * 5);
  }
  return `${JSON.stringify(base, null, 2).replace(/\[\n\s+("[^"\n]*"(,\n\s+"[^"\n]*")*)\n\s+\]/g, (_, items) => `[${items.replace(/,\n\s+/g, ", ")}]`)}\n`;
}

const workspace = mkdtempSync(join(tmpdir(), "nextgen-train-"));
try {
  const random = prng(0x4e47);
  const samples = templates.map((path) => readFileSync(path));
  for (let index = 0; index < 600; index++) samples.push(Buffer.from(variant(random, index)));
  const files = samples.map((sample, index) => {
    const file = join(workspace, `sample-${index}.json`);
    writeFileSync(file, sample);
    return file;
  });
  execFileSync("zstd", [
    "--train",
    "-q",
    "-f",
    `--maxdict=${MAX_BYTES}`,
    `--dictID=${DICTIONARY_ID}`,
    "-o",
    output,
    ...files,
  ]);

  const measure = (buffers) => {
    let before = 0;
    let after = 0;
    let plain = 0;
    for (const buffer of buffers) {
      before += buffer.byteLength;
      after += execFileSync("zstd", ["-q", "-c", "-3", "-D", output], { input: buffer }).byteLength;
      plain += execFileSync("zstd", ["-q", "-c", "-3"], { input: buffer }).byteLength;
    }
    return { before, after, plain, ratio: (after / before).toFixed(3), plainRatio: (plain / before).toFixed(3) };
  };
  const heldOut = Array.from({ length: 50 }, (_, index) => Buffer.from(variant(prng(0xbeef), 1000 + index)));
  console.log(`dictionary ${relative(root, output)}: ${statSync(output).size} bytes, id ${DICTIONARY_ID}`);
  console.log("sample templates:", measure(templates.map((path) => readFileSync(path))));
  console.log("held-out variants:", measure(heldOut));
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
