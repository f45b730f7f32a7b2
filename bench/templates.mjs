// Template parsing, canonical form and digest against the plain-JSON peers, side by side in one run.
//
//   npm run build -w @nextgen/core && node bench/templates.mjs
//
// The peers do less: JSON.parse sees neither duplicate nor prototype keys nor depth, and
// validates nothing; JSON.stringify keeps insertion order and is not canonical. The ratios
// are the price of doing it safely.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { canonicalize, parseTemplate, resolveTemplate, templateDigest } from "@nextgen/core";
import { bench, do_not_optimize, group, run, summary } from "mitata";

const examples = new URL("../examples/templates/", import.meta.url);
const bytes = readFileSync(new URL("security/auditor.json", examples));
const parent = parseTemplate(readFileSync(new URL("base/specialist.json", examples)));
const template = parseTemplate(bytes);
const decoder = new TextDecoder();
console.log(`security/auditor.json: ${bytes.byteLength} bytes`);

summary(() => {
  group("parse a template from bytes", () => {
    bench("JSON.parse(decode(bytes))", () => do_not_optimize(JSON.parse(decoder.decode(bytes)))).baseline(true);
    bench("parseTemplate(bytes) (strict parse + validate)", () => do_not_optimize(parseTemplate(bytes)));
  });
  group("serialize a template", () => {
    bench("JSON.stringify(template)", () => do_not_optimize(JSON.stringify(template))).baseline(true);
    bench("canonicalize(template) (RFC 8785 bytes)", () => do_not_optimize(canonicalize(template)));
  });
  group("hash a template", () => {
    bench("sha256(JSON.stringify(template))", () =>
      do_not_optimize(createHash("sha256").update(JSON.stringify(template)).digest("hex")),
    ).baseline(true);
    bench("templateDigest(template)", () => do_not_optimize(templateDigest(template)));
  });
});
bench("resolveTemplate (2-level extends, digests, freeze)", async () =>
  do_not_optimize(await resolveTemplate(template, () => parent)),
);

await run({ format: process.env.FORMAT ?? "mitata" });
