import { readFile } from "node:fs/promises";
import { type AgentPool, type WasiTool, wasiTool } from "@nextgen/core/pool";
import wabtInit from "wabt";

// The same path from src/tools (tests) and dist/tools (npm start): the WAT source ships once.
const source = new URL("../../src/tools/diff-stats.wat", import.meta.url);

/** Builds diff-stats.wat into a WebAssembly module with wabt (JavaScript, no toolchain). */
export async function buildDiffStatsModule(): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat("diff-stats.wat", await readFile(source, "utf8"), { bulk_memory: true });
  try {
    parsed.resolveNames();
    parsed.validate();
    return new Uint8Array(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
}

/**
 * diff-stats as a sandboxed tool: the module gets the review task as JSON on stdin and
 * prints its findings; it sees no file system, no environment, at most 2 MiB of memory and
 * 5 s of time, and runs in a pool worker — the agent pool given, or its own.
 */
export async function wasiDiffStats(pool?: AgentPool): Promise<WasiTool> {
  return wasiTool({
    module: await buildDiffStatsModule(),
    description: "Counts the files, added and removed lines of the change's unified diff.",
    inputSchema: { type: "object", properties: { diff: { type: "string" } }, required: ["diff"] },
    memoryLimitBytes: 2 * 1024 * 1024,
    timeoutMs: 5_000,
    ...(pool === undefined ? {} : { pool }),
  });
}
