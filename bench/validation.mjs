// Validation of hostile templates at the size limit: parseTemplate (strict parse + schema
// validation, "did you mean" included) against JSON.parse of the same bytes, in one run.
//
//   npm run build -w @nextgen/core && node bench/validation.mjs
//
// The hostile cases are refused (that is the point), so each iteration catches the error; the
// "accepted" ones are valid templates at the limit, where the format leaves keys free. The
// bound the SDK promises is on the worst iteration, so the table shows the max beside the median.
import { parseTemplate } from "@nextgen/core";
import { DEFAULT_TEMPLATE_MAX_BYTES } from "@nextgen/core/internal";

const rounds = Number(process.env.ROUNDS ?? 200);
const root = { schemaVersion: 1, id: "security/auditor", version: "1.0.0", name: "Auditor", description: "Audits." };
const limit = DEFAULT_TEMPLATE_MAX_BYTES;
const encode = (value) => new TextEncoder().encode(JSON.stringify(value));

// Fills `make(index)` entries until the next one would pass the size limit less `reserve` bytes.
function fill(make, reserve = 0) {
  const entries = [];
  let size = JSON.stringify(root).length;
  for (let index = 0; ; index++) {
    const [key, value] = make(index);
    size += JSON.stringify(key).length + JSON.stringify(value).length + 2;
    if (size > limit - 16 - reserve) break;
    entries.push([key, value]);
  }
  return { ...root, ...Object.fromEntries(entries) };
}

// `fill`, one level down: the entries become the object at `key`.
const fillAt = (key, make, wrap = (members) => members) => {
  const filled = fill(make, 64);
  const members = Object.fromEntries(Object.entries(filled).filter(([name]) => !(name in root)));
  return { ...root, [key]: wrap(members) };
};

const pad = (template) => limit - JSON.stringify(template).length - 16;
const short = (index) => `k${index.toString(36)}`;
// Refused cases expect NG_ERR_TEMPLATE_INVALID; "accepted" ones are valid templates at the limit
// with many keys where the format leaves keys free (an output JSON Schema).
const cases = {
  "one unknown key of ~256 KB": { ...root, [`k${"x".repeat(pad(root) - 30)}`]: 0 },
  "~19k near-miss unknown keys": fill((index) => [`capabilitie${index}`, 0]),
  "~40k short unknown keys": fill((index) => [short(index), 0]),
  "~40k short unknown keys in metadata": fillAt("metadata", (index) => [short(index), 0]),
  "an enum value of ~256 KB": { ...root, role: `specialis${"t".repeat(pad(root) - 30)}` },
  "~26k tools (maxItems 256)": {
    ...root,
    tools: Array.from({ length: Math.floor(pad(root) / 10) }, (_, index) => short(index + 50_000)),
  },
  "~40k unsupported keywords in output": fillAt("output", (index) => [short(index), 0]),
  "accepted: output with ~32k properties": fillAt(
    "output",
    (index) => [short(index), {}],
    (properties) => ({ type: "object", properties }),
  ),
  "accepted: output default of ~40k keys": fillAt(
    "output",
    (index) => [short(index), 0],
    (value) => ({ default: value }),
  ),
};

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
function measure(run) {
  for (let index = 0; index < 5; index++) run();
  const times = [];
  for (let index = 0; index < rounds; index++) {
    const started = nowMs();
    run();
    times.push(nowMs() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], max: times.at(-1) };
}

const decoder = new TextDecoder();
console.log(`Node ${process.version}, ${rounds} rounds per case, size limit ${limit} bytes`);
console.log(
  "| hostile template | bytes | parseTemplate median / max (ms) | JSON.parse(decode) median (ms) | ratio (median) |",
);
console.log("|---|---|---|---|---|");
for (const [name, template] of Object.entries(cases)) {
  const bytes = encode(template);
  if (bytes.byteLength > limit) throw new Error(`${name}: ${bytes.byteLength} bytes is over the limit`);
  const accepted = name.startsWith("accepted");
  const sdk = measure(() => {
    try {
      parseTemplate(bytes);
    } catch (error) {
      if (accepted || error?.code !== "NG_ERR_TEMPLATE_INVALID") throw error;
      return;
    }
    if (!accepted) throw new Error(`${name} was accepted`);
  });
  const peer = measure(() => JSON.parse(decoder.decode(bytes)));
  console.log(
    `| ${name} | ${bytes.byteLength} | ${sdk.median.toFixed(2)} / ${sdk.max.toFixed(2)} | ${peer.median.toFixed(2)} | ${(sdk.median / peer.median).toFixed(1)}× |`,
  );
}
