import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../../agent/agent.js";
import type { RunContext } from "../../agent/agent-types.js";
import { NextGenError } from "../../errors/next-gen-error.js";
import { createAgentFactory } from "../../factory/create-agent-factory.js";
import { memorySource } from "../../source/memory-source.js";
import type { AgentTemplate } from "../../template/types.js";
import { toolRegistry } from "../../tools/tool-registry.js";
import { trustPolicy } from "../../trust/trust-policy.js";
import { createAgentPool } from "../agent-pool.js";
import type { AgentPool } from "../agent-pool-types.js";
import { buildFixtures } from "./fixtures/build-fixtures.js";
import { wasiTool } from "./wasi-tool.js";
import type { WasiTool } from "./wasi-tool-types.js";

/** Calls the tool its task names, with `{ rounds: 12 }`. */
class CallingAgent extends Agent<string, unknown> {
  protected execute(task: string, context: RunContext): Promise<unknown> {
    return context.tools.call(task, { rounds: 12 });
  }
}

const template = (id: string, fields: Partial<AgentTemplate>): AgentTemplate => ({
  schemaVersion: 1,
  id,
  version: "1.0.0",
  name: id,
  role: "calling",
  description: `Agent ${id}.`,
  ...fields,
});

let pool: AgentPool;
let compute: WasiTool;
let trap: WasiTool;

beforeAll(async () => {
  const modules = await buildFixtures();
  pool = createAgentPool({ maxThreads: 1 });
  compute = wasiTool({ module: modules.compute, description: "Hashes.", inputSchema: { type: "object" }, pool });
  trap = wasiTool({ module: modules.trap, description: "Traps.", inputSchema: { type: "object" }, pool });
});

afterAll(async () => {
  await pool.close();
});

describe("a WASI tool in a factory", () => {
  it("runs on the factory's pool when granted and pinned, and is refused at load when the pin names other bytes", async () => {
    const tools = toolRegistry({ hash: compute, crash: trap });
    expect(tools.definition("hash")?.digest).toBe(compute.digest);
    const factory = createAgentFactory({
      source: memorySource([
        template("tools/pinned", { tools: ["hash"], toolPins: { hash: compute.digest as string } }),
        template("tools/swapped", { tools: ["hash"], toolPins: { hash: trap.digest as string } }),
        template("tools/crash", { tools: ["crash"] }),
      ]),
      kinds: { calling: CallingAgent },
      tools,
      pool,
      trust: trustPolicy({ version: 1, keys: [], requireSignatures: false }),
    });
    try {
      const agent = await factory.create("tools/pinned");
      expect(await agent.run("hash")).toMatchObject({ rounds: 12 });
      const swapped = await factory.create("tools/swapped").catch((error: unknown) => error);
      expect(NextGenError.is(swapped, "NG_ERR_TOOL_PIN_MISMATCH")).toBe(true);
      // The tool's failure reaches the agent with the tool's code; the pool ran both calls.
      const crashed = await (await factory.create("tools/crash")).run("crash").catch((error: unknown) => error);
      const codes: unknown[] = [];
      for (
        let error = crashed as { code?: unknown; cause?: unknown } | undefined;
        error;
        error = error.cause as never
      ) {
        codes.push(error.code);
      }
      expect(codes).toContain("NG_ERR_WASI_TRAP");
      expect(pool.stats().completed).toBe(2);
    } finally {
      await factory.close();
    }
  });
});
