// One service instance for the cross-process test: an agent factory over a template
// directory, with a memory tier and the Redis invalidation bus, no TTL and no hot
// reload of its own: only a message on the bus can make it see a new version. It prints
// {"seen": version} whenever the version it creates agents from changes.
import { Agent, createAgentFactory, directorySource, memoryTier, trustPolicy } from "@nextgen/core";
import { redisInvalidationBus } from "../redis-invalidation-bus.js";

class Coordinator extends Agent<string, string> {
  protected execute(task: string): string {
    return task;
  }
}

const [url, channel, dir] = process.argv.slice(2) as [string, string, string];
const bus = redisInvalidationBus({ url, channel });
const factory = createAgentFactory({
  source: directorySource(dir),
  kinds: { coordinator: Coordinator },
  // Unsigned fixtures: the subject here is invalidation, not signatures.
  trust: trustPolicy({ version: 1, keys: [], requireSignatures: false }),
  cache: { layers: [memoryTier()], bus },
});
await bus.ready();
let last: string | undefined;
const timer = setInterval(async () => {
  const agent = await factory.create("analysis/coordinator");
  if (agent.template.version !== last) {
    last = agent.template.version;
    process.stdout.write(`${JSON.stringify({ seen: last })}\n`);
  }
}, 10);
process.stdin.resume();
process.stdin.on("end", async () => {
  clearInterval(timer);
  await factory.close();
  await bus.close();
  process.exit(0);
});
