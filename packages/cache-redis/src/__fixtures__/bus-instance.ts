// One service instance for the cross-process test: a tiered cache on a shared Redis
// bus, reading a template file as its source. It prints {"seen": version} whenever the
// version it serves changes; it has no TTL, so only an invalidation can change it.
import { readFile } from "node:fs/promises";
import { createTieredCache, memoryTier } from "@nextgen/core";
import { redisInvalidationBus } from "../redis-invalidation-bus.js";

const [url, channel, file] = process.argv.slice(2) as [string, string, string];
const bus = redisInvalidationBus({ url, channel });
const admit = async (bytes: Uint8Array) => Object.freeze(JSON.parse(new TextDecoder().decode(bytes)) as { version: string });
const cache = createTieredCache({
  layers: [memoryTier()],
  bus,
  admit,
  load: async () => {
    const bytes = new Uint8Array(await readFile(file));
    return { value: await admit(bytes), bytes };
  },
});
await bus.ready();
let last: string | undefined;
const timer = setInterval(async () => {
  const template = await cache.get("a/b");
  if (template !== undefined && template.version !== last) {
    last = template.version;
    process.stdout.write(`${JSON.stringify({ seen: last })}\n`);
  }
}, 10);
process.stdin.resume();
process.stdin.on("end", async () => {
  clearInterval(timer);
  await cache.close();
  await bus.close();
  process.exit(0);
});
