// Validation of hostile templates at the size limit: parseTemplate (strict parse + schema
// validation, "did you mean" included) against JSON.parse of the same bytes, in one run.
//
//   npm run build -w @nextgen/core && node bench/validation.mjs
//
// Every case is refused (that is the point), so each iteration catches the error. The bound
// the SDK promises is on the worst iteration, so the table shows the max beside the median.
import { parseTemplate } from "@nextgen/core";
import { DEFAULT_TEMPLATE_MAX_BYTES } from "@nextgen/core/internal";

const rounds = Number(process.env.ROUNDS ?? 200);
const root = { schemaVersion: 1, id: "security/auditor", version: "1.0.0", name: "Auditor", description: "Audits." };
const limit = DEFAULT_TEMPLATE_MAX_BYTES;
const encode = (value) => new TextEncoder().encode(JSON.stringify(value));

// Fills `make(index)` entries until the next one would pass the size limit.
function fill(make) {
  const entries = [];
  let size = JSON.stringify(root).length;
  for (let index = 0; ; index++) {
    const [key, value] = make(index);
    size += JSON.stringify(key).length + JSON.stringify(value).length + 2;
    if (size > limit - 16) break;
    entries.push([key, value]);
  }
  return { ...root, ...Object.fromEntries(entries) };
}

const pad = (template) => limit - JSON.stringify(template).length - 16;
const cases = {
  "one unknown key of ~256 KB": { ...root, [`k${"x".repeat(pad(root) - 30)}`]: 0 },
  "~19k near-miss unknown keys": fill((index) => [`capabilitie${index}`, 0]),
  "~40k short unknown keys": fill((index) => [`k${index.toString(36)}`, 0]),
  "an enum value of ~256 KB": { ...root, role: `specialis${"t".repeat(pad(root) - 30)}` },
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
  const sdk = measure(() => {
    try {
      parseTemplate(bytes);
      throw new Error(`${name} was accepted`);
    } catch (error) {
      if (error?.code !== "NG_ERR_TEMPLATE_INVALID") throw error;
    }
  });
  const peer = measure(() => JSON.parse(decoder.decode(bytes)));
  console.log(
    `| ${name} | ${bytes.byteLength} | ${sdk.median.toFixed(2)} / ${sdk.max.toFixed(2)} | ${peer.median.toFixed(2)} | ${(sdk.median / peer.median).toFixed(1)}× |`,
  );
}
