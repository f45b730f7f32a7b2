// One replica for the cross-process rollback race: an agent factory over a template
// directory whose trust policy keeps its marks in the shared Redis. Waits for "go" on
// stdin (so both replicas start together), creates the agent once and prints
// {"accepted": digest} or {"refused": code}, then exits.
import { readFile } from "node:fs/promises";
import { Agent, createAgentFactory, directorySource, NextGenError, trustPolicy } from "@nextgen/core";
import { redisStateStore } from "../redis-state-store.js";

class Specialist extends Agent<string, string> {
  protected execute(task: string): string {
    return task;
  }
}

const [url, keyPrefix, dir, jwkFile] = process.argv.slice(2) as [string, string, string, string];
const stateStore = redisStateStore({ url, keyPrefix });
const factory = createAgentFactory({
  source: directorySource(dir),
  kinds: { specialist: Specialist },
  trust: trustPolicy({ version: 1, keys: [JSON.parse(await readFile(jwkFile, "utf8"))] }, { stateStore }),
});
await stateStore.check();
process.stdout.write("ready\n");
process.stdin.once("data", async () => {
  let line: string;
  try {
    const agent = await factory.create("race/agent");
    line = JSON.stringify({ accepted: agent.template.version });
  } catch (error) {
    line = JSON.stringify({ refused: NextGenError.is(error) ? error.code : String(error) });
  }
  process.stdout.write(`${line}\n`);
  await factory.close();
  await stateStore.close();
  process.exit(0);
});
